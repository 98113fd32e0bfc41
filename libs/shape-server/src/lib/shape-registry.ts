import type { ReadCache } from './read-cache';
import { columnsKey, definitionKey, newHandle, type ShapeDefinition } from './shape-definition';
import { readSnapshot } from './snapshot';
import type { Queryable, ShapeSource } from './source';
import { quoteIdent } from './sql-identifiers';
import { subqueryFingerprint } from './subquery-fingerprint';

/** A shape as stored: its handle, its snapshot's size in chunks and the log position it ends at. */
export interface StoredShape {
  handle: string;
  definition: string;
  /** The last log entry the snapshot includes: after the snapshot, the log is read after it. */
  snapshotLast: bigint;
  /** How many chunks the snapshot has (one at least; its last ends with snapshot-end). */
  chunks: number;
  tableOid: string;
  tableColumns: string;
}

interface ShapeRow {
  handle: string;
  definition: string;
  snapshot_last: string;
  chunks: number;
  table_oid: string;
  table_columns: string;
  dependencies: string;
}

/**
 * The shapes clients have asked for, in the database beside the change log (so handles and
 * snapshots outlive a server restart). A shape is made on its first request with a snapshot of its
 * rows, cut in chunks of about `chunkBytes`; every later client of the same definition reads that
 * snapshot and then the log, as Electric serves a shape's log. A shape ends when its table is
 * truncated, dropped or altered, or the log is reset: its handle then gets 409 and a new one.
 */
export class ShapeRegistry {
  private readonly shapes: string;
  private readonly chunksTable: string;
  private readonly log: string;

  constructor(
    private readonly db: ShapeSource,
    private readonly logSchema: string,
    private readonly chunkBytes: number,
    /** Remembers which handles are current while their table does not change. */
    private readonly cache?: ReadCache,
  ) {
    this.shapes = `${quoteIdent(logSchema)}.sync_shapes`;
    this.chunksTable = `${quoteIdent(logSchema)}.sync_shape_chunks`;
    this.log = `${quoteIdent(logSchema)}.sync_changes`;
  }

  /** The current shape of this definition, made now (snapshot included) if there is none. */
  async open(shape: ShapeDefinition): Promise<StoredShape> {
    const definition = definitionKey(shape);
    const found = await this.find(definition, shape);
    if (found) return found;
    return this.db.transaction(async (tx) => {
      // one maker per definition: a second client asking at the same time gets the same shape
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [definition]);
      const [row] = await tx.query<ShapeRow>(`SELECT * FROM ${this.shapes} WHERE definition = $1`, [definition]);
      if (row && (await this.isCurrent(row, shape, tx))) return stored(row);
      if (row) await tx.query(`DELETE FROM ${this.shapes} WHERE handle = $1`, [row.handle]);
      const handle = newHandle(shape);
      // a changes-only shape's snapshot has no rows: one chunk of just its snapshot-end
      const snapshot = await readSnapshot(tx, shape, shape.log === 'full' ? {} : { rows: false });
      const position = snapshot.position;
      // what its sub-queries answer, as of the snapshot: a change of it ends the shape
      const dependencies = await subqueryFingerprint(tx, shape);
      const chunks = cutInChunks(
        [...snapshot.messages, JSON.stringify({ headers: { control: 'snapshot-end', ...snapshot.visible } })],
        this.chunkBytes,
      );
      await tx.query(
        `INSERT INTO ${this.shapes} (handle, definition, table_oid, table_columns, snapshot_last, chunks, dependencies)
         VALUES ($1, $2, $3::oid, $4, $5::bigint, $6, $7)`,
        [
          handle,
          definition,
          shape.table.oid,
          columnsKey(shape.table),
          position.toString(),
          chunks.length,
          dependencies,
        ],
      );
      for (const [index, body] of chunks.entries())
        await tx.query(`INSERT INTO ${this.chunksTable} (handle, chunk, body) VALUES ($1, $2, $3)`, [
          handle,
          index,
          body,
        ]);
      return {
        handle,
        definition,
        snapshotLast: position,
        chunks: chunks.length,
        tableOid: shape.table.oid,
        tableColumns: columnsKey(shape.table),
      };
    });
  }

  /**
   * The shape a handle names, if it is still current for this definition; a shape whose table was
   * dropped or altered since is ended here.
   */
  async current(handle: string, shape: ShapeDefinition): Promise<StoredShape | undefined> {
    if (!this.cache) return this.currentNow(handle, shape);
    const table = `${shape.table.name.schema}.${shape.table.name.table}`;
    return this.cache.get(`shape:${handle}:${definitionKey(shape)}`, table, () => this.currentNow(handle, shape));
  }

  private async currentNow(handle: string, shape: ShapeDefinition): Promise<StoredShape | undefined> {
    const [row] = await this.db.query<ShapeRow>(`SELECT * FROM ${this.shapes} WHERE handle = $1`, [handle]);
    if (!row || row.definition !== definitionKey(shape)) return undefined;
    if (await this.isCurrent(row, shape)) return stored(row);
    await this.end(row.handle);
    return undefined;
  }

  /** A chunk of the shape's snapshot: the text of a JSON array of messages. */
  async chunk(handle: string, index: number): Promise<string | undefined> {
    const [row] = await this.db.query<{ body: string }>(
      `SELECT body FROM ${this.chunksTable} WHERE handle = $1 AND chunk = $2`,
      [handle, index],
    );
    return row?.body;
  }

  /** Ends the shape of this handle if there is one: its table (`schema.table`), or undefined. */
  async endIfKnown(handle: string): Promise<string | undefined> {
    const rows = await this.db.query<{ definition: string }>(
      `DELETE FROM ${this.shapes} WHERE handle = $1 RETURNING definition`,
      [handle],
    );
    this.cache?.clear();
    if (!rows.length) return undefined;
    const [schema, table] = JSON.parse(rows[0].definition) as string[];
    return `${schema}.${table}`;
  }

  /** Ends every shape of a table; how many there were. */
  async endTable(schema: string, table: string): Promise<number> {
    const rows = await this.db.query<{ handle: string; definition: string }>(
      `SELECT handle, definition FROM ${this.shapes}`,
    );
    let ended = 0;
    for (const row of rows) {
      const [s, t] = JSON.parse(row.definition) as string[];
      if (s === schema && t === table && (await this.endIfKnown(row.handle))) ended++;
    }
    return ended;
  }

  /** Ends a shape: its clients get 409 and the next request makes it afresh. */
  async end(handle: string): Promise<void> {
    await this.db.query(`DELETE FROM ${this.shapes} WHERE handle = $1`, [handle]);
    this.cache?.clear();
  }

  private async find(definition: string, shape: ShapeDefinition): Promise<StoredShape | undefined> {
    const [row] = await this.db.query<ShapeRow>(`SELECT * FROM ${this.shapes} WHERE definition = $1`, [definition]);
    return row && (await this.isCurrent(row, shape)) ? stored(row) : undefined;
  }

  /**
   * The same table (not one dropped and made again) with the same columns as when the shape was
   * made, not truncated since, and its sub-queries (if any) answering as they did.
   */
  private async isCurrent(row: ShapeRow, shape: ShapeDefinition, db: Queryable = this.db): Promise<boolean> {
    if (String(row.table_oid) !== shape.table.oid || row.table_columns !== columnsKey(shape.table)) return false;
    if (shape.subqueries.length && (row.dependencies ?? '') !== (await subqueryFingerprint(db, shape))) return false;
    const truncated = await db.query(
      `SELECT 1 FROM ${this.log} WHERE op = 'truncate' AND table_schema = $1 AND table_name = $2 AND id > $3::bigint LIMIT 1`,
      [shape.table.name.schema, shape.table.name.table, row.snapshot_last],
    );
    return truncated.length === 0;
  }
}

function stored(row: ShapeRow): StoredShape {
  return {
    handle: row.handle,
    definition: row.definition,
    snapshotLast: BigInt(row.snapshot_last),
    chunks: row.chunks,
    tableOid: String(row.table_oid),
    tableColumns: row.table_columns,
  };
}

/**
 * Messages as JSON arrays, cut as Electric cuts them: after the row that brings a chunk to `bytes`
 * or more. The last chunk holds what is left and the snapshot-end (alone, if the rows filled the
 * one before).
 */
function cutInChunks(messages: string[], bytes: number): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  let size = 0;
  for (const [index, text] of messages.entries()) {
    current.push(text);
    size += Buffer.byteLength(text) + 1;
    const isEnd = index === messages.length - 1;
    if (isEnd || size >= bytes) {
      chunks.push(`[${current.join(',')}]`);
      current = [];
      size = 0;
    }
  }
  return chunks;
}
