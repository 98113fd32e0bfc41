import { SyncError } from '../client/sync-error';

/** The header a write endpoint answers the Postgres transaction id of the write in. */
export const TXID_HEADER = 'x-sync-txid';

/**
 * The write's txid (`pg_current_xact_id()` inside the write's transaction): the live collection keeps
 * the optimistic row until the shape stream delivers a change with that txid.
 */
export function txidOf(response: Response, what: string): number {
  const value = response.headers.get(TXID_HEADER);
  const txid = value === null ? NaN : Number(value);
  if (!Number.isSafeInteger(txid)) {
    throw new SyncError({
      kind: 'sync',
      message: `${what}: the answer has no ${TXID_HEADER} header, so the write cannot be matched in the sync stream; the endpoint must return pg_current_xact_id() of its transaction (and expose the header to browsers)`,
    });
  }
  return txid;
}
