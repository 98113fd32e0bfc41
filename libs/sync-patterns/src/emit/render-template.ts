import { compile, type TemplateFunction } from 'ejs';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { TemplateName, TemplateViews } from './template-views';

const cache = new Map<string, TemplateFunction>();

/**
 * Renders `<target>/templates/<file>.ejs` for the name `<target>/<file>` (each target keeps its
 * templates in its own folder). Templates hold the shape of a file only: every value they print
 * is prepared (and made safe) by TypeScript beforehand, so they print with `<%-` and never escape.
 */
export function renderTemplate<N extends TemplateName>(name: N, data: TemplateViews[N]): string {
  let template = cache.get(name);
  if (!template) {
    const [target, base] = name.split('/');
    const file = path.join(__dirname, target, 'templates', `${base}.ejs`);
    template = compile(readFileSync(file, 'utf8'), {
      filename: file,
      strict: true,
      localsName: 'v',
    });
    cache.set(name, template);
  }
  return tidy(template(data));
}

/** One blank line at most, none at the end but a single newline: the output reads as hand-written. */
function tidy(text: string): string {
  return text
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/\s*$/, '\n');
}
