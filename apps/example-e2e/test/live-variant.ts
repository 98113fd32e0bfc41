import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { generate } from 'sync-patterns';

const WORKSPACE = path.resolve(__dirname, '../../..');
/** The example's libraries with Todo in live mode, for the live end-to-end tests (git-ignored). */
export const LIVE_VARIANT = path.join(__dirname, '..', '.live');

/** The example spec with `Todo` switched from push to live: one x-sync line, nothing else. */
export async function generateLiveVariant(): Promise<void> {
  const spec = readFileSync(path.join(WORKSPACE, 'apps/example-api/openapi.yaml'), 'utf8');
  const live = spec.replace('      x-sync:\n        mode: push\n        exclude: [internal_notes]', '      x-sync:\n        mode: live\n        exclude: [internal_notes]');
  if (live === spec) throw new Error("the example spec changed: Todo's x-sync block not found");
  mkdirSync(LIVE_VARIANT, { recursive: true });
  const file = path.join(LIVE_VARIANT, 'openapi.yaml');
  writeFileSync(file, live);
  await generate({ spec: file, out: LIVE_VARIANT, force: true, prune: true });
}

export default generateLiveVariant;
