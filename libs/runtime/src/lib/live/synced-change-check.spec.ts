import { z } from 'zod';
import type { StandardSchemaV1 } from '../client/validate';
import { checkSyncedChange, type SyncedModel } from './synced-change-check';

const model: SyncedModel = {
  id: 'api/todo',
  columns: ['id', 'title', 'done', 'note'],
  // an optional column the API never sends as null: Electric's NULL there arrives as "absent"
  absentWhenNull: ['note'],
  rowSchema: z.object({
    id: z.string(),
    title: z.string(),
    done: z.boolean(),
    note: z.string().optional(),
    tags: z.array(z.string()).optional(),
  }),
};
const row = { id: 'a', title: 'First', done: false };
const check =
  (
    operation: 'insert' | 'update' | 'delete',
    value: Record<string, unknown>,
    current?: Record<string, unknown>,
    partialWithoutRow = false,
  ) =>
  () =>
    checkSyncedChange(model, operation, value, current, partialWithoutRow);

describe('a synced change', () => {
  it('is an insert: every column, each of the type the schema says', () => {
    expect(check('insert', row)).not.toThrow();
    expect(check('insert', { id: 'a', done: false })).toThrow(
      /api\/todo: the sync stream sent an insert without columns title/,
    );
    expect(check('insert', { ...row, done: 'yes' })).toThrow(/does not match the schema \(done: /);
    expect(check('insert', { ...row, title: { $ne: '' } })).toThrow(/title: /);
  });

  it('is an update: merged with the row it changes, then checked whole', () => {
    expect(check('update', { id: 'a', title: 'Renamed' }, row)).not.toThrow();
    expect(check('update', { id: 'a', done: 'yes' }, row)).toThrow(/does not match the schema \(done: /);
    // the merge is what is checked: a schema rule on the whole row holds
    const strict: SyncedModel = {
      ...model,
      rowSchema: z
        .object({ id: z.string(), title: z.string(), done: z.boolean() })
        .refine((r) => !r.done || r.title !== '', 'done needs a title'),
    };
    expect(() => checkSyncedChange(strict, 'update', { id: 'a', done: true }, { ...row, title: '' }, false)).toThrow(
      /done needs a title/,
    );
    expect(() => checkSyncedChange(strict, 'update', { id: 'a', done: true }, row, false)).not.toThrow();
  });

  it('is an update of a row the collection does not hold: its columns are checked, and it must be whole unless a store holds the row', () => {
    expect(check('update', { id: 'a', done: 'yes' }, undefined, true)).toThrow(
      /an update whose columns do not match the schema \(done: /,
    );
    expect(check('update', { id: 'a', done: 'yes' })).toThrow(/done: /);
    expect(check('update', { id: 'a', title: 'Renamed' }, undefined, true)).not.toThrow();
    expect(check('update', { id: 'a', title: 'Renamed' })).toThrow(
      /an update of a row the collection does not hold without columns done/,
    );
    expect(check('update', row)).not.toThrow();
  });

  it('is a delete: only its key is used, but it may not carry columns the shape lacks either', () => {
    expect(check('delete', { id: 'a' })).not.toThrow();
    expect(check('delete', { id: 'a', internal_notes: 'x' })).toThrow(
      /columns the shape does not have \(internal_notes\)/,
    );
  });

  it('never holds a column the shape did not ask for, whatever the operation', () => {
    for (const operation of ['insert', 'update'] as const)
      expect(check(operation, { ...row, tags: ['x'] }, row)).toThrow(/columns the shape does not have \(tags\)/);
  });

  it('is judged by any Standard Schema, by the columns its issues name', () => {
    // a validator that names columns with path segments objects ({ key }), as Standard Schema allows
    const rowSchema: StandardSchemaV1 = {
      '~standard': {
        version: 1,
        vendor: 'test',
        validate: (value) => {
          const v = value as Record<string, unknown>;
          const issues = (['id', 'title', 'done'] as const)
            .filter((c) => (c === 'done' ? typeof v[c] !== 'boolean' : typeof v[c] !== 'string'))
            .map((c) => ({ message: `bad ${c}`, path: [{ key: c }] }));
          return issues.length ? { issues } : { value };
        },
      },
    };
    const lax = { ...model, rowSchema };
    expect(() => checkSyncedChange(lax, 'update', { id: 'a', title: 'Renamed' }, undefined, true)).not.toThrow();
    expect(() => checkSyncedChange(lax, 'update', { id: 'a', title: 1 }, undefined, true)).toThrow(/title: bad title/);
  });
});
