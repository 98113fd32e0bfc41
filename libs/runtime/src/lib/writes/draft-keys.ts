/** The kind of value a model's key holds, as its OpenAPI schema says. */
export type KeyKind = 'integer' | 'number' | 'uuid' | 'string';

type Key = string | number;

/** Draft keys handed out in this run, and the key the server saved each one's row under, once known. */
const drafts = new Map<Key, Key | undefined>();
/** Enough for every create a user can have pending; the oldest drafts are forgotten first. */
const MAX_DRAFTS = 1000;

/**
 * A key for a row the server has not saved yet, of the key's own kind so the optimistic row has the
 * type the app expects: negative integers (serial keys are positive), fresh UUIDs, `draft-` and 16
 * random hex digits. Random, not counted: a durable outbox keeps drafts across restarts, and a
 * draft of this run must never be taken for one of an earlier run (rewriting one would rewrite the
 * other's writes). Integers stay within int32, which any integer key schema accepts in magnitude.
 */
export function draftKey(kind: KeyKind): Key {
  let key: Key;
  do {
    key =
      kind === 'integer' || kind === 'number'
        ? -(1 + (globalThis.crypto.getRandomValues(new Uint32Array(1))[0] % 0x7fffffff))
        : kind === 'uuid'
          ? globalThis.crypto.randomUUID()
          : `draft-${globalThis.crypto.randomUUID().replace(/-/g, '').slice(0, 16)}`;
  } while (drafts.has(key));
  drafts.set(key, undefined);
  if (drafts.size > MAX_DRAFTS) drafts.delete(drafts.keys().next().value as Key);
  return key;
}

/** Whether `key` was made by draftKey in this run (a request must not send it as the row's key). */
export function isDraftKey(key: unknown): boolean {
  return (typeof key === 'string' || typeof key === 'number') && drafts.has(key);
}

/** Records the key the server saved a draft row under (from the create's answer). */
export function rememberSavedKey(draft: unknown, saved: unknown): void {
  if (isDraftKey(draft) && (typeof saved === 'string' || typeof saved === 'number')) drafts.set(draft as Key, saved);
}

/** The key the server saved a draft row under when its answer said so, else `key` itself. */
export function savedKeyOf<K>(key: K): K {
  if (typeof key !== 'string' && typeof key !== 'number') return key;
  return (drafts.get(key) as K | undefined) ?? key;
}
