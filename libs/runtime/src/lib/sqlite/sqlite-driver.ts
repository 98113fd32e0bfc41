/**
 * The few calls sync-patterns makes on a SQLite database. Adapters for better-sqlite3 (Node) and
 * sql.js (browser, WebAssembly) are below; any driver with statements and parameters fits (expo-sqlite,
 * op-sqlite, wa-sqlite: see the README).
 */
export interface SqliteDriver {
  /** Runs one or more statements without parameters. */
  exec(sql: string): void | Promise<void>;
  /** Runs one statement with parameters. */
  run(sql: string, params?: readonly SqliteValue[]): void | Promise<void>;
  /** Runs one query and returns its rows as objects. */
  all<T extends Record<string, SqliteValue> = Record<string, SqliteValue>>(
    sql: string,
    params?: readonly SqliteValue[],
  ): T[] | Promise<T[]>;
}

export type SqliteValue = string | number | bigint | null | Uint8Array;

/** What the adapters need of a better-sqlite3 `Database` (described here so the runtime does not depend on it). */
export interface BetterSqlite3Like {
  exec(sql: string): unknown;
  prepare(sql: string): { run(...params: unknown[]): unknown; all(...params: unknown[]): unknown[] };
}

export function betterSqlite3Driver(db: BetterSqlite3Like): SqliteDriver {
  // Preparing is most of the cost of a small statement, and a sync writes the same few statements
  // for every row: they are prepared once. The set is small (a few per table), but bounded anyway.
  const prepared = new Map<string, ReturnType<BetterSqlite3Like['prepare']>>();
  const statement = (sql: string) => {
    let found = prepared.get(sql);
    if (!found) {
      if (prepared.size >= 256) prepared.clear();
      prepared.set(sql, (found = db.prepare(sql)));
    }
    return found;
  };
  return {
    exec: (sql) => void db.exec(sql),
    run: (sql, params = []) => void statement(sql).run(...params),
    all: <T>(sql: string, params: readonly SqliteValue[] = []) => statement(sql).all(...params) as T[],
  };
}

/** A value sql.js can bind (it has no bigint). */
type SqlJsValue = string | number | null | Uint8Array;

/** What the adapters need of a sql.js `Database`. */
export interface SqlJsLike {
  exec(sql: string): unknown;
  run(sql: string, params?: SqlJsValue[]): unknown;
  prepare(sql: string): {
    bind(params?: SqlJsValue[]): boolean;
    step(): boolean;
    getAsObject(): Record<string, unknown>;
    free(): boolean | void;
  };
}

export function sqlJsDriver(db: SqlJsLike): SqliteDriver {
  const bindable = (params: readonly SqliteValue[]) => params.map((v) => (typeof v === 'bigint' ? Number(v) : v));
  return {
    exec: (sql) => void db.exec(sql),
    run: (sql, params = []) => void db.run(sql, bindable(params)),
    all: <T>(sql: string, params: readonly SqliteValue[] = []) => {
      const statement = db.prepare(sql);
      try {
        statement.bind(bindable(params));
        const rows: T[] = [];
        while (statement.step()) rows.push(statement.getAsObject() as T);
        return rows;
      } finally {
        statement.free();
      }
    },
  };
}

const queues = new WeakMap<SqliteDriver, Promise<unknown>>();

/**
 * Runs `work` alone on the database: one connection has one transaction at a time, and several
 * live models (migrations, saves, outboxes) share it.
 */
export function exclusive<T>(db: SqliteDriver, work: () => Promise<T>): Promise<T> {
  const result = (queues.get(db) ?? Promise.resolve()).then(work);
  queues.set(
    db,
    result.catch(() => undefined),
  );
  return result;
}
