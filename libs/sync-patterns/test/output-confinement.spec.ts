import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { generate } from '../src/pipeline';
import { OutputError } from '../src/write/output-error';
import { EXAMPLE_SPEC, WORKSPACE, snapshotDir, tempDir } from './helpers';

/**
 * Writes and deletes stay inside --out by their real paths: a symlink inside the output folder, or
 * a tampered manifest entry, cannot lead `generate` (even with --force --prune) to write or delete
 * anything outside it. And generated names are valid file names on every system.
 */
function cli(...args: string[]): Promise<{ status: number; stderr: string }> {
  return new Promise((resolve) =>
    execFile(
      process.execPath,
      [path.join(WORKSPACE, 'libs/sync-patterns/bin/sync-patterns.js'), ...args],
      { env: { ...process.env, SYNC_PATTERNS_NO_CACHE: '1' } },
      (error, _stdout, stderr) => resolve({ status: error ? Number(error.code) : 0, stderr }),
    ),
  );
}

/** An output folder generated from the example spec, and a victim file beside it. */
async function generated(): Promise<{ dir: string; out: string; victim: string }> {
  const dir = tempDir('sp-out-');
  const out = path.join(dir, 'out');
  await generate({ spec: EXAMPLE_SPEC, out });
  const victim = path.join(dir, 'victim.txt');
  writeFileSync(victim, 'keep me\n');
  return { dir, out, victim };
}

const MANIFEST = '.sync-patterns/manifest.json';

function tamperManifest(out: string, entry: string): void {
  const file = path.join(out, MANIFEST);
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as { files: Record<string, string> };
  manifest.files[entry] = 'sha256-0000';
  writeFileSync(file, JSON.stringify(manifest));
}

describe('writes confined to --out', () => {
  it('never writes through a symlinked folder inside the output folder', async () => {
    const { dir, out } = await generated();
    const elsewhere = path.join(dir, 'elsewhere');
    mkdirSync(elsewhere);
    // the model's folder replaced by a link to a folder outside --out
    const todo = path.join(out, 'todo');
    const before = snapshotDir(out);
    await import('node:fs/promises').then((fs) => fs.rename(todo, path.join(dir, 'todo-moved')));
    symlinkSync(elsewhere, todo);
    const error = await generate({ spec: EXAMPLE_SPEC, out, force: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutputError);
    expect((error as Error).message).toMatch(/refusing to follow a symlink inside the output folder/);
    expect(readdirSync(elsewhere)).toEqual([]);
    // nothing else changed either: the run is all or nothing
    const after = snapshotDir(out);
    delete before['todo'];
    expect(Object.keys(after).filter((f) => !f.startsWith('todo/'))).toEqual(
      Object.keys(before).filter((f) => !f.startsWith('todo/')),
    );
    const run = await cli('generate', '--spec', EXAMPLE_SPEC, '--out', out, '--force');
    expect(run.status).toBe(73);
    expect(run.stderr).toMatch(/remove the link/);
  });

  it('never deletes outside it, whatever a tampered manifest lists, with --force --prune', async () => {
    const { dir, out, victim } = await generated();
    tamperManifest(out, '../victim.txt');
    const outside = await cli('generate', '--spec', EXAMPLE_SPEC, '--out', out, '--force', '--prune');
    expect(outside.status).toBe(73);
    expect(outside.stderr).toMatch(
      /manifest\.json #\/files\/\.\.~1victim\.txt: "\.\.\/victim\.txt" is not a plain path inside the output folder/,
    );
    expect(existsSync(victim)).toBe(true);

    // the same through a link: the entry looks inside, the link leads out
    tamperManifest(out, '../victim.txt'); // (still there: nothing was written)
    const manifest = JSON.parse(readFileSync(path.join(out, MANIFEST), 'utf8')) as { files: Record<string, string> };
    delete manifest.files['../victim.txt'];
    manifest.files['door/victim.txt'] = 'sha256-0000';
    writeFileSync(path.join(out, MANIFEST), JSON.stringify(manifest));
    symlinkSync(dir, path.join(out, 'door'));
    const linked = await cli('generate', '--spec', EXAMPLE_SPEC, '--out', out, '--force', '--prune');
    expect(linked.status).toBe(73);
    expect(existsSync(victim)).toBe(true);
    expect(readFileSync(victim, 'utf8')).toBe('keep me\n');
  });
});

describe('generated file and folder names', () => {
  it('are never a Windows device name (CON, NUL, AUX, COM1…), with or without an extension', async () => {
    const dir = tempDir('sp-names-');
    const spec = path.join(dir, 'openapi.yaml');
    const schemas: Record<string, unknown> = {};
    const paths: Record<string, unknown> = {};
    for (const name of ['Con', 'Nul', 'Aux', 'Com1', 'Lpt9', 'Prn']) {
      schemas[name] = {
        type: 'object',
        'x-sync': { mode: 'push', key: 'id' },
        required: ['id'],
        properties: { id: { type: 'string' } },
      };
      paths[`/${name.toLowerCase()}s`] = {
        get: {
          operationId: `list${name}`,
          responses: {
            '200': {
              description: 'ok',
              content: {
                'application/json': { schema: { type: 'array', items: { $ref: `#/components/schemas/${name}` } } },
              },
            },
          },
        },
      };
    }
    writeFileSync(
      spec,
      stringify({ openapi: '3.1.0', info: { title: 'devices', version: '1' }, paths, components: { schemas } }),
    );
    const result = await generate({ spec, out: path.join(dir, 'out') });
    const device = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;
    const segments = result.files.flatMap((f) => f.path.split('/')).map((segment) => segment.split('.')[0]);
    expect(segments.filter((s) => device.test(s))).toEqual([]);
    expect(result.api.models.map((m) => m.names.file).sort()).toEqual([
      'aux_',
      'com1_',
      'con_',
      'lpt9_',
      'nul_',
      'prn_',
    ]);
  });
});
