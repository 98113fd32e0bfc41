/**
 * Names for generated code. Spec names can be anything (`user-profile`, `2fa_token`, `Error`,
 * `naïve`); these turn them into identifiers that are valid, readable and never shadow what the
 * generated code itself uses.
 */

const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if import in instanceof new null return super switch this throw true try typeof var void while with ' +
    'as implements interface let package private protected public static yield any boolean constructor declare ' +
    'get module require number set string symbol type from of async await never unknown object bigint undefined ' +
    'infer is keyof readonly unique satisfies accessor out ' +
    // globals and helpers generated files refer to
    'Array Boolean Date Error Function JSON Map Math Number Object Promise Record RegExp Set String Symbol ' +
    'Partial Required Readonly Pick Omit Exclude Extract NonNullable ReturnType Awaited Blob File FormData ' +
    'Response Request Headers URL AbortSignal Infinity NaN globalThis z components paths operations client'
  ).split(' '),
);

/**
 * What generated files import from packages (TanStack, the runtime, zod, MSW). A model type named
 * like one of them, or whose hooks (`use<T>…`) would be, would clash with the import: `Query` gives
 * `useQuery`. Kept complete by a test that reads the templates' imports.
 */
export const IMPORTED_NAMES: ReadonlySet<string> = new Set(
  (
    'ConflictResolver ModelWrites OperationPaging OperationSpec OperationTouches OptimisticFor PagedInput RawBody RequestContent ResponseContent ' +
    'SyncInfiniteResult SyncMutationResult TransactionWrite bodyValue callOperation keyList liveModelWrites liveShowOf mutationOptions ' +
    'nextOperationPage onPushCache operationMutationFn operationWrite optimisticInCache optimisticInCollection pushModelWrites sameId ' +
    'toInfiniteResult toMutationResult withOperationPage ' +
    'CACHE_NOTIFY_PROPS StoredRequest SyncRequest SyncResponse afterStoredWrites CacheQueryResult CacheStorage CachedResult FakeModel FakeRequest FakeSchema FakeShape LiveStatus MockResource ' +
    'MockResourceOptions MutationObserver PushModelBinding QueryClient RequestOptions SqliteMigration SqliteTableInfo ' +
    'SyncClientOptions SyncError SyncQueryResult Updater cacheQueryFn cacheTiming cacheView clientKey closeLiveCollections collectionReady conflictPolicy ' +
    'createFakeApi createFakeShape createLiveCollection createModelKeys createMutationOptions createSyncClient ' +
    'defaultCacheStorage draftKey eq fakeRow fakeRows infiniteQueryOptions latestError isDraftKey liveModelIn localStoreOn mapListItems ' +
    'mockResource omitFields pickFields queryOptions readField rememberETag rememberSavedKey removeMutationOptions retryOptions rowsOf savedKeyOf sentBody setupServer shapeHeadersOf ' +
    'shapeUrlOf splitParams toCacheResult toLiveResult toSyncError toSyncResult txidOf updateMutationOptions ' +
    'useInfiniteQuery useLiveRow useLiveRows useLiveStatus useMutation useQuery useQueryClient useSuspenseQuery useWriteTracker ' +
    'pagedParams validateInput waitUntil whereParams withPageParam z zod'
  ).split(' '),
);

export function isReserved(name: string): boolean {
  if (RESERVED.has(name) || IMPORTED_NAMES.has(name)) return true;
  for (const imported of IMPORTED_NAMES) if (imported.startsWith(`use${name}`)) return true;
  return false;
}

/** Words of a name: split on anything that is not a letter or digit, and on camelCase humps. */
export function words(name: string): string[] {
  const ascii = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  return ascii
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
}

const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase();

export function pascalCase(name: string): string {
  const result = words(name).map(cap).join('');
  if (!result) return 'Model';
  return /^[0-9]/.test(result) ? `_${result}` : result;
}

export function camelCase(name: string): string {
  const pascal = pascalCase(name);
  return pascal.startsWith('_') ? pascal : pascal.charAt(0).toLowerCase() + pascal.slice(1);
}

/**
 * Names Windows keeps for devices, whatever the extension (`con.types.ts` opens the console there):
 * a model's folder and files get a trailing `_` instead (kebab-case names never hold one, so it
 * clashes with no other model's).
 */
const WINDOWS_DEVICES = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;

/** A model's file and folder name, valid on Windows, macOS and Linux. */
export function fileName(name: string): string {
  const kebab = kebabCase(name);
  return WINDOWS_DEVICES.test(kebab) ? `${kebab}_` : kebab;
}

export function kebabCase(name: string): string {
  const result = words(name)
    .map((w) => w.toLowerCase())
    .join('-');
  return result || 'model';
}

export function snakeCase(name: string): string {
  return (
    words(name)
      .map((w) => w.toLowerCase())
      .join('_') || 'model'
  );
}

/** English plural of the last word, good enough for resource names (`category` → `categories`). */
export function pluralize(word: string): string {
  if (/[^aeiou]y$/i.test(word)) return word.slice(0, -1) + 'ies';
  if (/(s|x|z|ch|sh)$/i.test(word)) return word + 'es';
  return word + 's';
}

/** A type name that is a valid identifier and shadows nothing: `Error` → `ErrorModel`. */
export function typeName(name: string): string {
  const pascal = pascalCase(name);
  return isReserved(pascal) ? `${pascal}Model` : pascal;
}

/**
 * Gives each name a unique value: the first (in sorted order of `original`) keeps the plain form,
 * the next ones get `2`, `3`, … so `user` and `User` become `User` and `User2`. Comparison is
 * case-insensitive, because the names also become file names on case-insensitive file systems.
 */
export function uniqueNames<T>(
  items: T[],
  original: (item: T) => string,
  proposed: (item: T) => string,
): Map<T, string> {
  const taken = new Set<string>();
  const result = new Map<T, string>();
  const sorted = [...items].sort((a, b) => (original(a) < original(b) ? -1 : original(a) > original(b) ? 1 : 0));
  for (const item of sorted) {
    const base = proposed(item);
    let name = base;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base}${n}`;
    taken.add(name.toLowerCase());
    result.set(item, name);
  }
  return result;
}
