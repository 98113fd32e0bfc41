import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { EXAMPLE_SPEC, WORKSPACE, tempDir } from './helpers';

/**
 * `sync-patterns generate --watch` as a user runs it, in a process of its own: the spec is edited
 * on disk, and the regenerated file is observed; a save that does not validate is reported and the
 * last good output stays.
 */
describe('generate --watch', () => {
  it('regenerates on a spec change, survives an invalid save, and picks up the fix', async () => {
    const dir = tempDir('watch');
    const spec = path.join(dir, 'openapi.yaml');
    const out = path.join(dir, 'out');
    const original = readFileSync(EXAMPLE_SPEC, 'utf8');
    writeFileSync(spec, original);
    const child = spawn(
      process.execPath,
      [
        path.join(WORKSPACE, 'libs/sync-patterns/bin/sync-patterns.js'),
        'generate',
        '--spec',
        spec,
        '--out',
        out,
        '--watch',
        '--quiet',
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const until = async (check: () => boolean, what: string) => {
      const deadline = Date.now() + 30_000;
      while (!check()) {
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(`${what} did not happen; output:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const types = () => readFileSync(path.join(out, 'core/src/lib/api.types.ts'), 'utf8');
    try {
      await until(() => output.includes('watching'), 'the first generation');
      expect(types()).not.toContain('nickname');

      writeFileSync(
        spec,
        original.replace(
          '        name: { type: string, minLength: 1, maxLength: 120 }\n',
          '        name: { type: string, minLength: 1, maxLength: 120 }\n        nickname: { type: string }\n',
        ),
      );
      await until(() => types().includes('nickname'), 'regeneration after the edit');

      const good = types();
      writeFileSync(spec, original.replace('x-sync:\n        mode: live', 'x-sync:\n        mode: sideways'));
      await until(() => output.includes('the last good output is kept'), 'the invalid save to be reported');
      expect(output).toMatch(/openapi\.yaml #\/components\/schemas\/Todo\/x-sync\/mode/);
      expect(types()).toBe(good);

      writeFileSync(spec, original);
      await until(() => !types().includes('nickname'), 'regeneration after the fix');
    } finally {
      child.kill('SIGTERM');
    }
  }, 90_000);
});
