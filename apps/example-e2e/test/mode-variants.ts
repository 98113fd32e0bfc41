import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { generate } from 'sync-patterns';

const WORKSPACE = path.resolve(__dirname, '../../..');
/** The example's libraries generated with Todo in each mode, for the end-to-end tests (git-ignored). */
export const VARIANTS = path.join(__dirname, '..', '.variants');
export const MODES = ['push', 'live'] as const;

const TODO_X_SYNC = /(\n {4}Todo:\n(?: {6}.*\n)*? {6}x-sync:\n {8}mode: )(\w+)\n/;

/** The example spec with `Todo` in the given mode: one x-sync line differs, nothing else. */
export function specWithTodoIn(mode: (typeof MODES)[number]): string {
  const spec = readFileSync(path.join(WORKSPACE, 'apps/example-api/openapi.yaml'), 'utf8');
  if (!TODO_X_SYNC.test(spec))
    throw new Error("the example spec changed: Todo's x-sync block (mode on its own line) not found");
  return spec.replace(TODO_X_SYNC, (_, head: string) => `${head}${mode}\n`);
}

export async function generateModeVariants(): Promise<void> {
  for (const mode of MODES) {
    const out = path.join(VARIANTS, mode);
    mkdirSync(out, { recursive: true });
    const file = path.join(out, 'openapi.yaml');
    writeFileSync(file, specWithTodoIn(mode));
    await generate({ spec: file, out, force: true, prune: true });
  }
}

export default generateModeVariants;
