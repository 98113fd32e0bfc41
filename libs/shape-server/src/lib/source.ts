/** Rows from a parameterised query. */
export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
}

/**
 * What the shape server needs from Postgres: queries, transactions and LISTEN. The example API's
 * database (PGlite or a server) provides it; so can any app's.
 */
export interface ShapeSource extends Queryable {
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Calls `onNotify` for every NOTIFY on `channel`; the returned function stops listening. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
}
