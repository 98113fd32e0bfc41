/**
 * What the server lets clients read of each table a live model syncs: generated per api
 * (`<core>/shape-policy`) from the spec's `x-sync` — never written by the client.
 */
export interface ShapePolicyEntry {
  /** The model (schema) the table is synced for, for messages. */
  readonly model?: string;
  /** The columns a client may read: the model's properties that x-sync does not exclude. */
  readonly columns: readonly string[];
  /** The rows (x-sync.where) with positional parameters `$1`, `$2`… */
  readonly where?: string;
  /** The principal's values that fill the parameters: `params[0]` is `$1`. */
  readonly params?: readonly string[];
}

/** Per table name, as clients send it in `table`. */
export type ShapePolicy = Readonly<Record<string, ShapePolicyEntry>>;
