import { planWrite } from '../src/write/plan-write';
import { MANIFEST_PATH, hashContent, serializeManifest } from '../src/write/manifest';

/** The planner alone, over an in-memory directory: what it writes, keeps, holds and deletes. */
const disk = (files: Record<string, string>) => (path: string) => files[path];
const generatedBefore = (files: Record<string, string>) =>
  serializeManifest(Object.fromEntries(Object.entries(files).map(([path, content]) => [path, hashContent(content)])));

describe('planWrite', () => {
  it('never rewrites an append-only file (a migration), only adds new ones', () => {
    const old = {
      'todo/migrations/0001_todo.sql': 'CREATE TABLE todo (id TEXT);\n',
    };
    const read = disk({ ...old, [MANIFEST_PATH]: generatedBefore(old) });
    const plan = planWrite(
      [
        {
          path: 'todo/migrations/0001_todo.sql',
          content: 'CREATE TABLE todo (id TEXT, title TEXT);\n',
          appendOnly: true,
        },
        {
          path: 'todo/migrations/0002_todo.sql',
          content: 'ALTER TABLE todo ADD COLUMN title TEXT;\n',
          appendOnly: true,
        },
      ],
      read,
    );
    expect(plan.unchanged).toEqual(['todo/migrations/0001_todo.sql']);
    expect(plan.create.map((f) => f.path)).toEqual(['todo/migrations/0002_todo.sql']);
    expect(plan.handEdited).toEqual([]);
  });

  it('leaves frozen paths alone and keeps their manifest entries', () => {
    const old = { 'a/x.ts': 'a\n', 'b/y.ts': 'b\n' };
    const read = disk({ ...old, [MANIFEST_PATH]: generatedBefore(old) });
    const plan = planWrite([{ path: 'a/x.ts', content: 'a2\n' }], read, {
      frozen: (p) => p.startsWith('b/'),
    });
    expect(plan.update.map((f) => f.path)).toEqual(['a/x.ts']);
    expect(plan.stale).toEqual([]);
    const manifest = JSON.parse(plan.writes.find((f) => f.path === MANIFEST_PATH)!.content);
    expect(manifest.files['b/y.ts']).toBe(hashContent('b\n'));
  });

  it('prunes only the stale files the prune rule picks', () => {
    const old = { 'a/x.ts': 'a\n', 'a/gone.ts': 'g\n', 'b/y.ts': 'b\n' };
    const read = disk({ ...old, [MANIFEST_PATH]: generatedBefore(old) });
    const plan = planWrite([{ path: 'a/x.ts', content: 'a\n' }], read, {
      prune: (p) => p.startsWith('a/'),
    });
    expect(plan.deletes).toEqual(['a/gone.ts']);
    expect(plan.stale).toEqual(['b/y.ts']);
  });
});
