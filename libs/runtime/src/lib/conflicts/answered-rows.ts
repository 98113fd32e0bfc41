import type { ConflictPolicy, Row } from './conflict-policy';

/** A write as the successor map sees it: its row, and what it was based on. */
interface Based {
  key: string | number;
  base: Row | null;
  ifMatch?: string;
}

/** How many answered versions are kept per row: enough for any burst of one client's edits. */
const KEPT_PER_ROW = 32;

/**
 * The rows the API answered this run, by the version each answered write was based on. A write
 * made before its row's previous answer reached the screen (a live row keeps its old version
 * until the stream brings the new one; a push list until it is read again) is based on a version
 * this client's own write has already moved on from: it is advanced to the answer before it is
 * sent, so one client's consecutive edits never conflict with each other. A version another
 * client moved the row to has no successor here, and stays a conflict.
 */
export class AnsweredRows {
  private readonly byRow = new Map<string, Map<string, { base: Row; ifMatch?: string }>>();

  constructor(private readonly policy: () => ConflictPolicy<Row> | undefined) {}

  /**
   * `write` was applied, sent based on what it was based on, and answered with `row` (and
   * `ifMatch`, the row's new ETag). Returns the version it moved the row from, if both are known.
   */
  record(write: Based, key: string | number, row: Row, ifMatch?: string): string | undefined {
    const from = this.versionOf(write);
    if (from === undefined) return undefined;
    const to = { base: row, ...(ifMatch ? { ifMatch } : {}) };
    if (this.versionOf(to) === undefined) return undefined;
    let answers = this.byRow.get(String(key));
    if (!answers) this.byRow.set(String(key), (answers = new Map()));
    answers.set(from, to);
    if (answers.size > KEPT_PER_ROW) answers.delete(answers.keys().next().value!);
    return from;
  }

  /** Whether `write` is based on `version` (a version `record` returned). */
  basedOn(write: { base: Row | null; ifMatch?: string }, version: string): boolean {
    return this.versionOf(write) === version;
  }

  /** Moves `write` onto the newest answer following what it was based on; true if it moved. */
  advance(write: Based): boolean {
    const answers = this.byRow.get(String(write.key));
    if (!answers) return false;
    let moved = false;
    for (let hops = 0; hops < KEPT_PER_ROW; hops++) {
      const from = this.versionOf(write);
      const next = from === undefined ? undefined : answers.get(from);
      if (!next) break;
      write.base = next.base;
      if (next.ifMatch) write.ifMatch = next.ifMatch;
      moved = true;
    }
    return moved;
  }

  private versionOf(write: { base: Row | null; ifMatch?: string }): string | undefined {
    const policy = this.policy();
    if (!policy) return undefined;
    if (policy.etag) return write.ifMatch;
    const value = policy.version === undefined ? undefined : write.base?.[policy.version];
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  }
}
