import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { generate } from '../src/pipeline';
import { EXAMPLE_SPEC, tempDir, typecheck } from './helpers';

/** The example spec with Todo in the given mode: the same model, one x-sync line apart. */
export function exampleSpecWithTodo(dir: string, mode: 'push' | 'live'): string {
  const block = /(\n {4}Todo:\n(?: {6}.*\n)*? {6}x-sync:\n {8}mode: )\w+\n/;
  if (!block.test(readFileSync(EXAMPLE_SPEC, 'utf8')))
    throw new Error("the example spec changed: Todo's x-sync block not found");
  const text = readFileSync(EXAMPLE_SPEC, 'utf8').replace(block, (_, head: string) => `${head}${mode}\n`);
  const file = path.join(dir, 'openapi.yaml');
  writeFileSync(file, text);
  return file;
}

describe('live mode libraries', () => {
  const dir = tempDir('live');
  const out = path.join(dir, 'out');

  beforeAll(async () => {
    await generate({ spec: exampleSpecWithTodo(dir, 'live'), out });
  });

  it('hold a collection and live hooks instead of query options, beside the same types, API and validators', () => {
    expect(readdirSync(path.join(out, 'todo/src/lib')).sort()).toEqual([
      'todo.api.ts',
      'todo.collection.ts',
      'todo.hooks.ts',
      'todo.migrations.ts',
      'todo.mocks.spec.ts',
      'todo.mocks.ts',
      // the example's todo actions (archive, move, complete a project's)
      'todo.operation-hooks.ts',
      'todo.operations.ts',
      'todo.spec.ts',
      'todo.types.ts',
      'todo.validators.ts',
    ]);
    const collection = readFileSync(path.join(out, 'todo/src/lib/todo.collection.ts'), 'utf8');
    // the shape leaves excluded fields out; writes are requests the outbox stores and sends
    expect(collection).toContain("table: 'todos'");
    expect(collection).not.toContain('internal_notes');
    expect(collection).toContain(
      `insert: (row) => ({\n        method: 'POST',\n        path: '/todos',\n        body: omitFields(row, ['archived', 'created_at', 'updated_at', 'version']),\n        bodyEncoding: 'json',\n      }),`,
    );
    const hooks = readFileSync(path.join(out, 'todo/src/lib/todo.hooks.ts'), 'utf8');
    expect(hooks).toContain('useLiveRows(collection, queryKey, (q) => whereParams(');
    expect(hooks).toMatch(/export function useTodos\(params\?: TodoListParams\): SyncQueryResult<Todo\[\]>/);
    expect(hooks).toMatch(/export function useTodoMutations\(\): TodoMutations/);
  });

  it('type-check under strict', () => {
    expect(typecheck([out])).toBe('');
  });
});
