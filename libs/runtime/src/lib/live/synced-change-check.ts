import { SyncError } from '../client/sync-error';
import type { StandardSchemaV1 } from '../client/validate';
import { markMalformedRow } from './sync-health';

type Row = Record<string, unknown>;
type Issue = { readonly message: string; readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> };

/** What a synced change is checked against: the shape's columns and the model's row schema. */
export interface SyncedModel {
  id: string;
  columns: readonly string[];
  /** Optional columns whose Postgres NULL the conversion made absent: a whole row may lack them. */
  absentWhenNull?: readonly string[];
  rowSchema: StandardSchemaV1;
}

export type SyncedOperation = 'insert' | 'update' | 'delete';

/**
 * Checks one change of the sync stream, as Electric sent it (values converted): the row the
 * collection would hold after it must be a row of the model. A shape server is not trusted — a
 * compromised one, or a proxy in front of it, can send any JSON.
 *
 * - every change: only the shape's columns;
 * - a delete: nothing more (only its key is used);
 * - an insert (snapshot rows, and rows that move into the shape): every column, and the schema;
 * - an update: merged with `current`, the synced row it changes, then the schema. Without one (a
 *   row only a local store holds, or one whose insert was refused), its own columns are checked,
 *   and it must be whole unless `partialWithoutRow` (a store then applies it to its checked row).
 */
export function checkSyncedChange(
  model: SyncedModel,
  operation: SyncedOperation,
  value: Row,
  current: Row | undefined,
  partialWithoutRow: boolean,
): void {
  refuseUndeclaredColumns(model, value);
  if (operation === 'delete') return;
  if (operation === 'insert') {
    refuseMissingColumns(model, value, 'an insert');
    checkSyncedRow(model, value);
  } else if (current) {
    checkSyncedRow(model, { ...current, ...value });
  } else {
    refuse(model, value, 'an update whose columns do not match the schema', presentIssues(model, value));
    if (!partialWithoutRow) refuseMissingColumns(model, value, 'an update of a row the collection does not hold');
    if (isWhole(model, value)) checkSyncedRow(model, value);
  }
}

/**
 * A synced change may only hold the columns the client asked for: a shape server that sends others
 * (a compromised one, or a proxy that forgot `columns`) would put fields the spec excludes, or
 * undeclared ones, into the app and its local store.
 */
export function refuseUndeclaredColumns(config: { id: string; columns: readonly string[] }, row: Row): void {
  const undeclared = Object.keys(row).filter((column) => !config.columns.includes(column));
  if (!undeclared.length) return;
  throw malformed(config.id, `the sync stream sent columns the shape does not have (${undeclared.join(', ')})`, row);
}

/** Checks a whole synced row against the model's schema; a malformed one is a `sync` SyncError, not store content. */
export function checkSyncedRow(model: { id: string; rowSchema: StandardSchemaV1 }, row: Row): Row {
  refuse(model, row, 'a row that does not match the schema', issuesOf(model, row));
  return row;
}

function refuseMissingColumns(model: SyncedModel, row: Row, what: string): void {
  const missing = missingColumns(model, row);
  if (missing.length)
    throw malformed(model.id, `the sync stream sent ${what} without columns ${missing.join(', ')}`, row);
}

const missingColumns = (model: SyncedModel, row: Row) =>
  model.columns.filter((column) => !Object.hasOwn(row, column) && !model.absentWhenNull?.includes(column));
const isWhole = (model: SyncedModel, row: Row) => missingColumns(model, row).length === 0;

/** The schema's issues with the columns `row` has: those about absent columns (or none) are left out. */
function presentIssues(model: SyncedModel, row: Row): readonly Issue[] | undefined {
  return issuesOf(model, row)?.filter((issue) => {
    const head = issue.path?.[0];
    const column = typeof head === 'object' && head !== null ? head.key : head;
    // an issue about the whole row (no path) cannot be put on a column: it counts
    return column === undefined || Object.hasOwn(row, String(column));
  });
}

/** Validator-neutral (Standard Schema): works with whichever library the generated code uses. */
function issuesOf(model: { rowSchema: StandardSchemaV1 }, row: Row): readonly Issue[] | undefined {
  const result = model.rowSchema['~standard'].validate(row);
  // the stream's writes are synchronous: an async validator cannot judge them (the column checks still do)
  if (result instanceof Promise) {
    result.catch(() => undefined);
    return undefined;
  }
  return result.issues;
}

function refuse(model: { id: string }, row: Row, what: string, issues: readonly Issue[] | undefined): void {
  if (!issues?.length) return;
  const detail = issues
    .map((issue) =>
      issue.path?.length
        ? `${issue.path.map((p) => String(typeof p === 'object' && p !== null ? p.key : p)).join('.')}: ${issue.message}`
        : issue.message,
    )
    .join('; ');
  throw malformed(model.id, `the sync stream sent ${what} (${detail})`, row);
}

const malformed = (id: string, message: string, row: Row) =>
  markMalformedRow(new SyncError({ kind: 'sync', message: `${id}: ${message}`, body: row }));
