import type { ShapeDefinition } from './shape-definition';
import { rowKey, valueObject, type ChangeMessage, type Value } from './shape-messages';
import { DISPLAY } from './snapshot';
import type { ShapeSource } from './source';
import { qualified, quoteIdent } from './sql-identifiers';

/** What reading a shape's log after an offset gives. */
export type LogRead =
  | {
      kind: 'changes';
      messages: ChangeMessage[];
      /** The last log entry the read covers: the next read starts after it. */
      last: bigint;
      /** Whether the log holds more after `last` (the next response follows at once). */
      more: boolean;
      /** The log's last entry when it was read: an offset past it is out of bounds. */
      end: bigint;
    }
  /** The table was truncated: the shape's rows are gone wholesale, clients start over (409). */
  | { kind: 'truncated' };

/** Log entries per read at most. */
const ENTRIES = 1000;

interface Entry {
  id: string;
  txid: string;
  op: 'insert' | 'update' | 'delete' | 'truncate';
  tx_first: string;
  tx_last: string;
  was_in: boolean;
  is_in: boolean;
  new_value: Value | null;
  old_value: Value | null;
}

/**
 * The shape's changes after log entry `after`, as Electric sends them: an update that moves a row
 * into the where clause is an insert, one that moves it out a delete, an update of the primary key
 * a delete of the old key and an insert of the new; under `replica=default` an update carries the
 * key and the changed columns and a delete the key, under `full` whole rows and the changed
 * columns' old values. Every change carries its transaction's txid and `lsn` (its last log entry),
 * its place in it, and `last` on the transaction's last change in the shape.
 */
export async function changesAfter(
  db: ShapeSource,
  shape: ShapeDefinition,
  after: bigint,
  /** An answer ends at the first transaction's end past this size (Electric cuts at its chunk size). */
  chunkBytes = Infinity,
): Promise<LogRead> {
  const LOG = `${quoteIdent(shape.logSchema)}.sync_changes`;
  const table = qualified(shape.table.name);
  return db.transaction(async (tx) => {
    await tx.query(DISPLAY);
    // read up to the log's end as of now: later commits are for the next request, never skipped
    const [end] = await tx.query<{ id: string }>(`SELECT coalesce(max(id), 0)::text AS id FROM ${LOG}`);
    const n = shape.params.length;
    const matches = (column: string) =>
      `(c.${column} IS NOT NULL AND EXISTS (SELECT 1 FROM json_populate_record(NULL::${table}, c.${column}) AS t${shape.where ? ` WHERE (${shape.where})` : ''}))`;
    const row = (column: string) =>
      `(SELECT ${valueObject(shape.columns, 't')} FROM json_populate_record(NULL::${table}, c.${column}) AS t)`;
    const entries = await tx.query<Entry>(
      `SELECT c.id::text AS id, c.txid::xid::text AS txid, c.op,
              (SELECT min(x.id) FROM ${LOG} x WHERE x.txid = c.txid)::text AS tx_first,
              (SELECT max(x.id) FROM ${LOG} x WHERE x.txid = c.txid)::text AS tx_last,
              ${matches('old_row')} AS was_in, ${matches('new_row')} AS is_in,
              ${row('new_row')} AS new_value, ${row('old_row')} AS old_value
         FROM ${LOG} c
        WHERE c.table_schema = $${n + 1} AND c.table_name = $${n + 2} AND c.id > $${n + 3}::bigint AND c.id <= $${n + 4}::bigint
        ORDER BY c.id LIMIT ${ENTRIES + 1}`,
      [...shape.params, shape.table.name.schema, shape.table.name.table, after.toString(), end.id],
    );
    if (entries.some((e) => e.op === 'truncate')) return { kind: 'truncated' };
    // An answer ends after ENTRIES entries or once it reaches `chunkBytes`, as Electric cuts its log
    // (inside a transaction too: the client applies changes at up-to-date, which only the answer
    // that ends the log carries). The next answer starts after the last entry sent.
    const messages: ChangeMessage[] = [];
    let size = 0;
    for (const [i, entry] of entries.entries()) {
      if (i === ENTRIES) break;
      for (const message of messagesOf(shape, entry)) {
        messages.push(message);
        size += JSON.stringify(message).length + 1;
      }
      const next = entries[i + 1];
      if (next && (i + 1 === ENTRIES || size >= chunkBytes)) {
        const open = next.txid === entry.txid; // the transaction goes on in the next answer
        return {
          kind: 'changes',
          messages: markLast(messages, open ? entry.tx_last : undefined),
          last: BigInt(open ? entry.id : entry.tx_last),
          more: true,
          end: BigInt(end.id),
        };
      }
    }
    return { kind: 'changes', messages: markLast(messages), last: BigInt(end.id), more: false, end: BigInt(end.id) };
  });
}

/** What one log entry is for this shape: nothing, or one or two changes. */
function messagesOf(shape: ShapeDefinition, entry: Entry): ChangeMessage[] {
  // Electric numbers a transaction's changes 0, 2, 4…, so a key change splits into op and op + 1
  const position = 2 * Number(BigInt(entry.id) - BigInt(entry.tx_first));
  const headers = {
    relation: [shape.table.name.schema, shape.table.name.table] as [string, string],
    lsn: entry.tx_last,
    op_position: position,
    txids: [Number(entry.txid)],
  };
  const key = (value: Value) => rowKey(shape.table, value);
  const deleted = (value: Value) => (shape.replica === 'full' ? value : pick(value, shape.table.primaryKey));
  const { was_in: wasIn, is_in: isIn, new_value: now, old_value: before } = entry;
  if (isIn && now && (entry.op === 'insert' || !wasIn))
    return [{ headers: { operation: 'insert', ...headers }, key: key(now), value: now }];
  if (wasIn && before && !isIn)
    return [{ headers: { operation: 'delete', ...headers }, key: key(before), value: deleted(before) }];
  if (!(wasIn && isIn && before && now)) return [];
  if (key(before) !== key(now))
    return [
      {
        headers: { operation: 'delete', ...headers, key_change_to: key(now) },
        key: key(before),
        value: deleted(before),
      },
      {
        headers: { operation: 'insert', ...headers, op_position: position + 1, key_change_from: key(before) },
        key: key(now),
        value: now,
      },
    ];
  const changed = shape.columns.filter((c) => before[c] !== now[c]);
  if (changed.length === 0) return []; // none of the shape's columns changed
  if (shape.replica === 'full')
    return [
      { headers: { operation: 'update', ...headers }, key: key(now), value: now, old_value: pick(before, changed) },
    ];
  const { primaryKey } = shape.table;
  return [
    {
      headers: { operation: 'update', ...headers },
      key: key(now),
      value: pick(now, [...primaryKey, ...changed.filter((c) => !primaryKey.includes(c))]),
    },
  ];
}

/**
 * `last: true` on each transaction's last change in the shape; not in `open`, the transaction the
 * answer stops inside of.
 */
function markLast(messages: ChangeMessage[], open?: string): ChangeMessage[] {
  return messages.map((message, i) => {
    const next = messages[i + 1];
    return (next && next.headers.lsn === message.headers.lsn) || message.headers.lsn === open
      ? message
      : { ...message, headers: { ...message.headers, last: true } };
  });
}

function pick(value: Value, columns: readonly string[]): Value {
  const out: Value = {};
  for (const c of columns) out[c] = value[c] ?? null;
  return out;
}
