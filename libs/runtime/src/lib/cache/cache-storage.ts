// Where cache-mode results survive a reload: the client's `cacheStorage` option names it, and
// cache-query reads and writes it (apart from both, so neither imports the other).

/** Where results survive a reload: `localStorage`, React Native's AsyncStorage, or any such store. */
export interface CacheStorage {
  getItem(key: string): string | null | Promise<string | null>;
  setItem(key: string, value: string): void | Promise<void>;
}

/** The storage of `configure…({ cacheStorage })`, else the browser's localStorage, else none. */
export function defaultCacheStorage(configured: CacheStorage | undefined): CacheStorage | undefined {
  if (configured) return configured;
  const local = (globalThis as { localStorage?: CacheStorage }).localStorage;
  return local && typeof local.getItem === 'function' ? local : undefined;
}
