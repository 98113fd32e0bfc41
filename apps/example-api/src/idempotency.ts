import { createHash } from 'node:crypto';
import type { Queryable } from './database';
import { HttpProblem } from './problems';

/**
 * `Idempotency-Key` (draft-ietf-httpapi-idempotency-key-header): a client that retries a write
 * whose answer it never got sends the same key; the API answers with what the first try did
 * instead of doing it again. Live-mode clients send one with every write, stable across retries
 * and app restarts (the outbox keeps it).
 */
export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** Set on an answer that repeats an earlier one (Stripe's name for it). */
export const REPLAYED_HEADER = 'idempotent-replayed';

export const IDEMPOTENCY_TABLE = `create table idempotency_keys (
     key text primary key,
     fingerprint text not null,
     status integer,
     txid text,
     body jsonb,
     created_at timestamptz not null default now()
   );`;

export interface WriteAnswer {
  status: number;
  txid: string;
  body: unknown;
}

/** The key of a request, checked: printable ASCII, at most 255 characters. */
export function idempotencyKeyOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  const value = headers[IDEMPOTENCY_HEADER];
  if (value === undefined) return undefined;
  const key = Array.isArray(value) ? value[0] : value;
  if (!/^[\x21-\x7e]{1,255}$/.test(key))
    throw new HttpProblem(400, 'bad_request', 'Idempotency-Key must be 1 to 255 printable ASCII characters');
  return key;
}

/**
 * Runs a write once per key, inside the write's transaction: the key is claimed there, so a
 * concurrent try with the same key waits for the first to commit (then replays its answer) or to
 * roll back (then runs itself). A failed write stores nothing: its retry runs again.
 */
export async function once(
  tx: Queryable,
  key: string | undefined,
  request: { user?: string; method: string; path: string; body: unknown },
  run: () => Promise<WriteAnswer>,
): Promise<WriteAnswer & { replayed: boolean }> {
  if (key === undefined) return { ...(await run()), replayed: false };
  // Keys are per user: another user's key, even guessed, never replays their answer to you.
  // (A space cannot occur in a key, so `user key` is unambiguous.)
  key = `${request.user ?? '-'} ${key}`;
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([request.method, request.path, request.body ?? null]))
    .digest('hex');
  const claimed = await tx.query(
    'insert into idempotency_keys (key, fingerprint) values ($1, $2) on conflict (key) do nothing returning key',
    [key, fingerprint],
  );
  if (!claimed.length) {
    const [earlier] = await tx.query<{ fingerprint: string; status: number; txid: string; body: unknown }>(
      'select fingerprint, status, txid, body from idempotency_keys where key = $1',
      [key],
    );
    if (earlier.fingerprint !== fingerprint)
      throw new HttpProblem(422, 'idempotency_key_reused', 'This Idempotency-Key was used for another request');
    return { status: earlier.status, txid: earlier.txid, body: earlier.body, replayed: true };
  }
  const answer = await run();
  await tx.query('update idempotency_keys set status = $2, txid = $3, body = $4 where key = $1', [
    key,
    answer.status,
    answer.txid,
    JSON.stringify(answer.body ?? null),
  ]);
  return { ...answer, replayed: false };
}
