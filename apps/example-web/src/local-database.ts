import { exclusive, sqlJsDriver, type SqliteDriver, type SqliteValue } from '@sync-patterns/runtime/sqlite';
import initSqlJs from 'sql.js';
import wasmUrl from 'sql.js/dist/sql-wasm-browser.wasm?url';

/**
 * The page's local SQLite: sql.js (SQLite in WebAssembly) with the database file kept in
 * IndexedDB, so synced rows and writes waiting in the outbox survive a reload. One database per
 * browser tab (its id lives in sessionStorage, which a reload keeps): two tabs are two apps.
 */
export async function openLocalDatabase(): Promise<SqliteDriver> {
  const SQL = await initSqlJs({ locateFile: () => wasmUrl });
  const key = `app-${tabId()}.db`;
  const db = new SQL.Database((await readFile(key)) ?? undefined);
  const driver = sqlJsDriver(db);
  let timer: ReturnType<typeof setTimeout> | undefined;
  // sql.js works in memory: write the file back after changes (debounced), never inside a transaction
  const persist = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void exclusive(local, async () => writeFile(key, db.export())), 50);
  };
  const local: SqliteDriver = {
    exec: async (sql) => {
      await driver.exec(sql);
      persist();
    },
    run: async (sql, params) => {
      await driver.run(sql, params);
      persist();
    },
    // `all` writes too (INSERT … RETURNING), so it saves like the others
    all: async <T extends Record<string, SqliteValue>>(sql: string, params?: readonly SqliteValue[]) => {
      const rows = await driver.all<T>(sql, params);
      if (!/^\s*select\b/i.test(sql)) persist();
      return rows;
    },
  };
  return local;
}

function tabId(): string {
  let id = sessionStorage.getItem('sync-patterns-tab');
  if (!id) sessionStorage.setItem('sync-patterns-tab', (id = crypto.randomUUID()));
  return id;
}

const STORE = 'files';

function openStore(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open('sync-patterns-example', 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function readFile(key: string): Promise<Uint8Array | undefined> {
  const idb = await openStore();
  return new Promise((resolve, reject) => {
    const request = idb.transaction(STORE).objectStore(STORE).get(key);
    request.onsuccess = () => resolve(request.result as Uint8Array | undefined);
    request.onerror = () => reject(request.error);
  });
}

async function writeFile(key: string, bytes: Uint8Array): Promise<void> {
  const idb = await openStore();
  return new Promise((resolve, reject) => {
    const transaction = idb.transaction(STORE, 'readwrite');
    transaction.objectStore(STORE).put(bytes, key);
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
  });
}
