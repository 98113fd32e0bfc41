import { pickFields } from '../client/request-helpers';
import type { SyncRequest, SyncResponse } from '../client/sync-client';
import { validateInput, type StandardSchemaV1 } from '../client/validate';
import { cachedRow, type PushModelBinding } from '../push/push-mutations';
import { draftKey, type KeyKind } from '../writes/draft-keys';
import type { OperationTouches } from '../operations/operation-touches';
import type { QueryClient } from '@tanstack/react-query';
import { onPushCache, type TransactionWrite } from './transaction-write';
import { guards, ifMatchOf } from '../conflicts/conflict-policy';
import { pushOutboxOf } from '../push/push-outbox';

/** How a push model's writes are made, for transactions (generated beside its mutation options). */
export interface PushWritesConfig<TRow, TId, TCreate, TPatch> {
  model: string;
  send: (request: SyncRequest) => Promise<SyncResponse<unknown>>;
  create?: {
    request: (input: TCreate) => SyncRequest;
    prepare?: (input: TCreate) => TCreate;
    validator?: StandardSchemaV1;
    keyKind: KeyKind;
    draft: (input: TCreate, draftKey: string | number) => TRow;
    rowOf?: (data: unknown) => TRow | undefined;
  };
  update?: { request: (id: TId, patch: TPatch) => SyncRequest; validator?: StandardSchemaV1 };
  remove?: { request: (id: TId) => SyncRequest };
}

export interface ModelWrites<TRow, TId, TCreate, TPatch> {
  create(input: TCreate): TransactionWrite<TRow>;
  update(id: TId, patch: TPatch): TransactionWrite<TRow>;
  remove(id: TId): TransactionWrite<unknown>;
}

/**
 * A push model's create, update and delete as writes of a transaction: validated when it starts,
 * shown in the model's cached lists and items with the other writes, and undone — a create by
 * deleting the row it made, an update by patching back the fields it changed — when a later
 * write of the transaction fails. A delete cannot be undone: the transaction reports it as kept.
 */
export function pushModelWrites<TRow, TId, TCreate, TPatch>(
  binding: PushModelBinding<TRow, TId>,
  config: PushWritesConfig<TRow, TId, TCreate, TPatch>,
): Partial<ModelWrites<TRow, TId, TCreate, TPatch>> {
  const touches: OperationTouches = {
    roots: [binding.keys.all, ...binding.related],
    live: [],
    tags: binding.tags ?? [],
  };
  const send = config.send as (request: SyncRequest) => Promise<SyncResponse<never>>;
  const { create, update, remove } = config;
  return {
    ...(create && {
      create: (raw: TCreate) => async () => {
        const prepared = create.prepare ? create.prepare(raw) : raw;
        const input = create.validator
          ? await validateInput(create.validator, prepared, `${config.model} create input`)
          : prepared;
        const draft = create.draft(input, draftKey(create.keyKind));
        return {
          label: `create ${config.model}`,
          send,
          request: create.request(input),
          show: onPushCache(binding, { insert: draft }),
          touches,
          undo: (data: TRow) => {
            const row = create.rowOf?.(data);
            return remove && row !== undefined ? remove.request(binding.rowId(row)) : undefined;
          },
        };
      },
    }),
    ...(update && {
      update: (id: TId, raw: TPatch) => async (queryClient: QueryClient) => {
        const patch = update.validator
          ? await validateInput(update.validator, raw, `${config.model} update input`)
          : raw;
        const before = (cachedRow(queryClient, binding, id) ?? undefined) as TRow | undefined;
        const request = withIfMatch(queryClient, update.request(id, patch), binding, 'update', id, before);
        return {
          label: `update ${config.model} ${String(id)}`,
          send,
          request,
          row: { id: `${config.model} ${String(id)}`, base: (before as Record<string, unknown> | undefined) ?? null },
          show: onPushCache(binding, { keys: [id], set: () => patch as Partial<TRow> }),
          touches,
          // PATCH: the fields it changed, as they were (a full PUT body cannot be made from them)
          undo: () =>
            request.method === 'PATCH' && before !== undefined
              ? update.request(id, pickFields(before as object, Object.keys(patch as object)) as TPatch)
              : undefined,
        };
      },
    }),
    ...(remove && {
      remove: (id: TId) => async (queryClient: QueryClient) => {
        const before = (cachedRow(queryClient, binding, id) ?? undefined) as TRow | undefined;
        return {
          label: `delete ${config.model} ${String(id)}`,
          send,
          request: withIfMatch(queryClient, remove.request(id), binding, 'delete', id, before),
          row: { id: `${config.model} ${String(id)}`, base: (before as Record<string, unknown> | undefined) ?? null },
          show: onPushCache(binding, { keys: [id], remove: true }),
          touches,
        };
      },
    }),
  };
}

/** The request with the version of the row it was based on as If-Match, when the model's x-sync asks for one. */
function withIfMatch<TRow, TId>(
  queryClient: QueryClient,
  request: SyncRequest,
  binding: PushModelBinding<TRow, TId>,
  op: 'update' | 'delete',
  id: TId,
  base: TRow | undefined,
): SyncRequest {
  const policy = binding.outbox?.conflict;
  const ifMatch = policy?.etag
    ? guards(policy, op)
      ? pushOutboxOf(queryClient, binding)?.etagOf(id as string | number)
      : undefined
    : ifMatchOf(policy, op, base as Record<string, unknown> | undefined);
  return ifMatch ? { ...request, headers: { ...request.headers, 'if-match': ifMatch } } : request;
}
