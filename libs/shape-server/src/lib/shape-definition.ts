import { createHash } from 'node:crypto';
import { isCaptured } from './change-capture';
import type { ReadCache } from './read-cache';
import { BadRequest, type ShapeRequest } from './shape-request';
import type { Queryable } from './source';
import { qualified, type TableName } from './sql-identifiers';
import { readTableSchema, type TableSchema } from './table-schema';
import { checkWhereClause, subqueryTables, type SubqueryTable } from './where-clause';

/** One shape: a table, an optional where clause with its parameters, the columns to send, how. */
export interface ShapeDefinition {
  table: TableSchema;
  /** The schema holding the change log (quoted when used). */
  logSchema: string;
  where?: string;
  params: string[];
  columns: string[];
  /** `default`: an update carries the key and the changed columns; `full`: whole rows and `old_value`. */
  replica: 'default' | 'full';
  /** `full`: the snapshot, then every change; `changes_only`: no snapshot, changes from now on. */
  log: 'full' | 'changes_only';
  /** The where's sub-queries (`SELECT … FROM … WHERE …`): what they answer decides which rows are in. */
  subqueries: string[];
  /** The tables the sub-queries read: a change there may move rows in or out (the shape then ends: 409). */
  dependsOn: TableName[];
}

/** The shape a request asks for, checked against the table as it is now. */
export async function defineShape(
  db: Queryable,
  request: ShapeRequest & { table: TableName },
  logSchema: string,
  cache?: ReadCache,
): Promise<ShapeDefinition> {
  // Only tables whose changes are captured are served: the others could never stream, and serving
  // them would expose every table of the database to anyone who can reach the endpoint. Both cases
  // get the same answer, so the endpoint does not tell which other tables exist.
  const name = `${request.table.schema}.${request.table.table}`;
  const load = async () => ((await isCaptured(db, request.table)) ? readTableSchema(db, request.table) : undefined);
  const table = await (cache ? cache.get(`table:${JSON.stringify(request.table)}`, name, load) : load());
  if (!table)
    throw new BadRequest(
      `table: ${name} does not exist or is not served (only tables set up with installChangeCapture are)`,
      'table',
    );
  if (!table.primaryKey.length) throw new BadRequest(`table: ${name} has no primary key; shapes need one`, 'table');
  const names = new Set(table.columns.map((c) => c.name));
  const columns = request.columns ?? table.columns.map((c) => c.name);
  const unknown = columns.filter((c) => !names.has(c));
  if (unknown.length) throw new BadRequest(`columns: ${unknown.join(', ')} not in ${name}`, 'columns');
  const missingKey = table.primaryKey.filter((k) => !columns.includes(k));
  if (missingKey.length)
    throw new BadRequest(`columns: must include the primary key (${missingKey.join(', ')})`, 'columns');
  // sub-queries read other tables: checked against their columns, and only captured ones (their
  // changes must reach the log, or rows could never move in or out)
  const dependsOn: TableName[] = [];
  const read = new Map<string, SubqueryTable>();
  for (const name of request.where ? subqueryTables(request.where) : []) {
    const other = { schema: request.table.schema, table: name };
    const load = async () => ((await isCaptured(db, other)) ? readTableSchema(db, other) : undefined);
    const schema = await (cache
      ? cache.get(`table:${JSON.stringify(other)}`, `${other.schema}.${other.table}`, load)
      : load());
    if (!schema) continue; // refused by the check below, naming it
    read.set(name, { columns: new Set(schema.columns.map((c) => c.name)), sql: qualified(other) });
    dependsOn.push(other);
  }
  const checked = request.where ? checkWhereClause(request.where, names, 'where', read) : undefined;
  return {
    table,
    logSchema,
    where: checked?.sql,
    params: request.params,
    columns: table.columns.map((c) => c.name).filter((c) => columns.includes(c)),
    replica: request.replica,
    log: request.log,
    subqueries: checked?.subqueries ?? [],
    dependsOn,
  };
}

/** What makes two requests the same shape (and so share a handle and a snapshot). */
export function definitionKey(shape: ShapeDefinition): string {
  return JSON.stringify([
    shape.table.name.schema,
    shape.table.name.table,
    shape.where ?? '',
    shape.params,
    shape.columns,
    shape.replica,
    shape.log,
  ]);
}

/** The table's columns as the shape was made against: a change of them (ALTER TABLE) ends the shape. */
export function columnsKey(table: TableSchema): string {
  return JSON.stringify(table.columns.map((c) => [c.name, c.type, c.dims, c.pkIndex ?? null]));
}

/** Electric's handle form: a hash of the definition, then the time the shape was made. */
export function newHandle(shape: ShapeDefinition): string {
  const hash = createHash('sha256').update(definitionKey(shape)).digest('hex').slice(0, 16);
  return `${hash}-${Date.now()}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`;
}
