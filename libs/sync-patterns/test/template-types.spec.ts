import { Template } from 'ejs';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { TEMPLATE_NAMES } from '../src/emit/template-views';

/**
 * The templates type-check against their views. Each template becomes, as ejs compiles it, the body
 * of a function whose `v` is typed by TemplateViews (emit/template-views.ts), and the TypeScript
 * compiler checks it under `strict`: a field the view does not have, or has under another name, is
 * an error here instead of an empty string in the output (ejs prints `undefined` as nothing). What a
 * template prints must be a string or a number: values are prepared in TypeScript, so a template
 * that would print `false`, `undefined` or an object is a template doing logic, and fails too.
 */
const EMIT = path.join(__dirname, '../src/emit');
const VIEWS = path.join(EMIT, 'template-views');

/** A TypeScript module rendering the template `name` of `source` the way ejs does (strict, locals as `v`). */
function asTypeScript(name: string, source: string): string {
  // ejs's compiler, as render-template.ts runs it, stopped at the function body (not in @types/ejs)
  const template = new Template(source, { strict: true, localsName: 'v', compileDebug: false }) as unknown as {
    generateSource(): void;
    source: string;
  };
  template.generateSource();
  return [
    `import type { TemplateViews } from ${JSON.stringify(VIEWS)};`,
    `export function render(v: TemplateViews[${JSON.stringify(name)}]): string {`,
    `  let __output = '';`,
    `  const __append = (printed: string | number): void => {`,
    `    __output += printed;`,
    `  };`,
    template.source,
    `  return __output;`,
    `}`,
  ].join('\n');
}

/** The compiler's complaints about `sources` (file name → text), as `file:line message`. */
function typeErrors(sources: Map<string, string>): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    skipLibCheck: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (file, language, ...rest) =>
    sources.has(file)
      ? ts.createSourceFile(file, sources.get(file)!, language)
      : getSourceFile.call(host, file, language, ...rest);
  host.fileExists = (file) => sources.has(file) || fileExists.call(host, file);
  host.readFile = (file) => sources.get(file) ?? readFile.call(host, file);
  const program = ts.createProgram([...sources.keys()], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where =
      d.file && d.start !== undefined
        ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}`
        : '';
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
}

const virtual = (name: string) => path.join(EMIT, `.template-types/${name.replace('/', '--')}.ts`);

describe('templates', () => {
  it('type-check against their views under strict', () => {
    const sources = new Map<string, string>();
    for (const name of TEMPLATE_NAMES) {
      const [target, base] = name.split('/');
      sources.set(
        virtual(name),
        asTypeScript(name, readFileSync(path.join(EMIT, target, 'templates', `${base}.ejs`), 'utf8')),
      );
    }
    expect(typeErrors(sources)).toEqual([]);
  });

  it('fail the check on a field the view does not have, and on printing what is not text', () => {
    const sources = new Map([
      [virtual('rest/types'), asTypeScript('rest/types', '<%- v.header %><%- v.noSuchField %>')],
      [virtual('rest/api'), asTypeScript('rest/api', '<%- v.list %>')],
    ]);
    expect(typeErrors(sources).sort()).toEqual([
      expect.stringMatching(
        /^rest--api\.ts:\d+ Argument of type .* is not assignable to parameter of type 'string \| number'/,
      ),
      expect.stringMatching(/^rest--types\.ts:\d+ Property 'noSuchField' does not exist on type 'ModelView'/),
    ]);
  });
});
