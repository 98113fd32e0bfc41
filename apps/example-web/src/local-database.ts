import {
  claimLocalData,
  exclusive,
  forgetLocalData,
  LocalDataOwnedError,
  pendingLocalWrites,
  sqlJsDriver,
  type SqliteDriver,
  type SqliteValue,
} from '@sync-patterns/runtime/sqlite';
import initSqlJs from 'sql.js';
import wasmUrl from 'sql.js/dist/sql-wasm-browser.wasm?url';

/**
 * The signed-in user's local SQLite: sql.js (SQLite in WebAssembly) with the database file kept in
 * IndexedDB, so synced rows and writes waiting in the outbox survive a reload. The files are the
 * user's (another user of this browser never opens them: their rows are what the server let this
 * user read, their writes go with this user's credentials), and the database records it
 * (`claimLocalData`). One database per open tab (two tabs are two apps; the shared browser store is
 * another matter): a tab holds its file with a Web Lock, and a new tab adopts a file of the same
 * user that no open tab holds — the file of a tab that was closed or crashed, with the writes its
 * outbox still keeps — before it makes a new one.
 */
export async function openLocalDatabase(user: string): Promise<SqliteDriver> {
  const SQL = await initSqlJs({ locateFile: () => wasmUrl });
  const key = await claimFile(user);
  const db = new SQL.Database((await readFile(key)) ?? undefined);
  const driver = sqlJsDriver(db);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const save = () => exclusive(local, async () => (discarded ? undefined : writeFile(key, db.export())));
  // sql.js works in memory: write the file back after changes, never inside a transaction; at once
  // for the outbox (a write is durable from then on), 50 ms later for synced rows (the stream
  // sends again what a lost save held: the stored position is saved with them)
  const persist = (sql: string) => {
    clearTimeout(timer);
    if (/sync_patterns_outbox/.test(sql)) void save();
    else timer = setTimeout(() => void save(), 50);
  };
  // the tab is going away: what is not saved yet is saved now
  addEventListener('pagehide', () => {
    clearTimeout(timer);
    void save();
  });
  const local: SqliteDriver = {
    exec: async (sql) => {
      await driver.exec(sql);
      persist(sql);
    },
    run: async (sql, params) => {
      await driver.run(sql, params);
      persist(sql);
    },
    // `all` writes too (INSERT … RETURNING), so it saves like the others
    all: async <T extends Record<string, SqliteValue>>(sql: string, params?: readonly SqliteValue[]) => {
      const rows = await driver.all<T>(sql, params);
      if (!/^\s*select\b/i.test(sql)) persist(sql);
      return rows;
    },
  };
  await claimLocalData(local, user).catch(async (error: unknown) => {
    // a file of this user's that holds someone else's data cannot come from this app: not shown
    if (!(error instanceof LocalDataOwnedError)) throw error;
    await forgetLocalData(local);
    await claimLocalData(local, user);
  });
  opened = local;
  return local;
}

let opened: SqliteDriver | undefined;

/** The writes of this tab's database that are not synced yet (what signing out would drop). */
export async function pendingWritesHere(): Promise<number> {
  return opened ? pendingLocalWrites(opened) : 0;
}

/** Set once the user signed out: nothing of theirs is written again (not even on pagehide). */
let discarded = false;

/**
 * Deletes the user's local data — every database file of theirs and what cache mode keeps in
 * localStorage — so the next user of this browser starts with nothing of theirs. Other users'
 * files stay as they are, locked away (never opened but by them).
 */
export async function discardLocalData(user: string | undefined): Promise<void> {
  discarded = true;
  for (const key of Object.keys(localStorage)) if (key.startsWith('sync-patterns')) localStorage.removeItem(key);
  if (user === undefined) return;
  const idb = await openStore();
  await new Promise<void>((resolve, reject) => {
    const transaction = idb.transaction(STORE, 'readwrite');
    transaction.objectStore(STORE).delete(IDBKeyRange.bound(`${filePrefix(user)}`, `${filePrefix(user)}\uffff`));
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
  }).finally(() => idb.close());
}

const TAB = 'sync-patterns-tab';
const filePrefix = (user: string) => `app-${user}-`;
const fileOf = (user: string, tab: string) => `${filePrefix(user)}${tab}.db`;

/** This tab's database file: its own (a reload keeps sessionStorage), else an orphan of the user's, else a new one. */
async function claimFile(user: string): Promise<string> {
  const own = sessionStorage.getItem(TAB);
  // a duplicated tab copies sessionStorage: the file is then the other tab's, held by it
  if (own && (await hold(fileOf(user, own)))) return fileOf(user, own);
  for (const key of await listFiles(user)) {
    if (!(await hold(key))) continue;
    sessionStorage.setItem(TAB, key.slice(filePrefix(user).length, -'.db'.length));
    return key;
  }
  const tab = crypto.randomUUID();
  sessionStorage.setItem(TAB, tab);
  await hold(fileOf(user, tab));
  return fileOf(user, tab);
}

/** Takes the lock named `name` for as long as the page lives, if no other page holds it. */
function hold(name: string): Promise<boolean> {
  if (!navigator.locks) return Promise.resolve(true);
  return new Promise((resolve) => {
    void navigator.locks.request(`sync-patterns:${name}`, { ifAvailable: true }, (lock) => {
      resolve(lock !== null);
      return lock ? new Promise<void>(() => undefined) : undefined;
    });
  });
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

// Each use opens and closes its connection: an open one would hold off deleting the database.
async function readFile(key: string): Promise<Uint8Array | undefined> {
  const idb = await openStore();
  return new Promise<Uint8Array | undefined>((resolve, reject) => {
    const request = idb.transaction(STORE).objectStore(STORE).get(key);
    request.onsuccess = () => resolve(request.result as Uint8Array | undefined);
    request.onerror = () => reject(request.error);
  }).finally(() => idb.close());
}

/** When each file was last written (localStorage: shared by the origin's tabs). */
const WRITTEN = 'sync-patterns-files-written';

async function writeFile(key: string, bytes: Uint8Array): Promise<void> {
  const written = JSON.parse(localStorage.getItem(WRITTEN) ?? '{}') as Record<string, number>;
  localStorage.setItem(WRITTEN, JSON.stringify({ ...written, [key]: Date.now() }));
  const idb = await openStore();
  return new Promise<void>((resolve, reject) => {
    const transaction = idb.transaction(STORE, 'readwrite');
    transaction.objectStore(STORE).put(bytes, key);
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
  }).finally(() => idb.close());
}

/** The user's database files in IndexedDB, most recently written first (an orphan with writes is likely the newest). */
async function listFiles(user: string): Promise<string[]> {
  const idb = await openStore();
  const keys = await new Promise<IDBValidKey[]>((resolve, reject) => {
    const request = idb.transaction(STORE).objectStore(STORE).getAllKeys();
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  }).finally(() => idb.close());
  const written = JSON.parse(localStorage.getItem(WRITTEN) ?? '{}') as Record<string, number>;
  return keys
    .filter((key): key is string => typeof key === 'string' && key.startsWith(filePrefix(user)) && key.endsWith('.db'))
    .sort((a, b) => (written[b] ?? 0) - (written[a] ?? 0));
}
