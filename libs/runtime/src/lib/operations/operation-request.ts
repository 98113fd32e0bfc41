import type { QueryClient } from '@tanstack/react-query';
import type { BodyEncoding, HttpMethod, SyncClient, SyncRequest } from '../client/sync-client';
import type { RequestOptions } from '../client/request-helpers';
import { omitFields } from '../client/request-helpers';
import { mapListItems } from '../push/list-data';
import { settleOperation, type OperationTouches } from './operation-touches';
import type { OptimisticAround } from './optimistic-change';
import type { ShowOn, TransactionWrite } from '../transactions/transaction-write';

/** A body of another media type than JSON or a form (octet-stream, text, XML): sent as given. */
export type RawBody = Blob | ArrayBuffer | ArrayBufferView | string;

/** How an operation of the spec is called: read off the spec by the generator. */
export interface OperationSpec {
  method: HttpMethod;
  /** OpenAPI path template, e.g. `/todos/{id}/archive`. */
  path: string;
  bodyEncoding?: BodyEncoding;
  /** The request body's media type (a `raw` body's content type). */
  contentType?: string;
  /** Fields x-sync keeps off the client, removed from the answer's rows (`itemsPath`: where a list's rows sit, null for one row). */
  strip?: { fields: readonly string[]; itemsPath: readonly string[] | null };
}

/** An operation's input: its path and query parameters and its body, each present when the operation has them. */
export interface OperationInput {
  path?: object;
  query?: object;
  body?: unknown;
}

/** The request an operation makes for `input`. */
export function operationRequest(
  spec: OperationSpec,
  input: OperationInput | void,
  options?: RequestOptions,
): SyncRequest {
  const given = input ?? {};
  return {
    method: spec.method,
    path: spec.path,
    ...(given.path ? { pathParams: given.path as Record<string, string | number | boolean> } : {}),
    ...(given.query ? { query: given.query as Record<string, unknown> } : {}),
    ...(given.body !== undefined
      ? {
          body: given.body,
          bodyEncoding: spec.bodyEncoding ?? 'json',
          ...(spec.contentType ? { contentType: spec.contentType } : {}),
        }
      : {}),
    signal: options?.signal,
    headers: options?.headers,
  };
}

/** Calls an operation: its answer's body, with the fields x-sync excludes taken off its rows. */
export async function callOperation<TResult>(
  client: SyncClient,
  spec: OperationSpec,
  input: OperationInput | void,
  options?: RequestOptions,
): Promise<TResult> {
  const data = await client.request<TResult>(operationRequest(spec, input, options));
  return stripped(spec, data);
}

/**
 * The mutation function of a write operation: sends it, then waits until what it changed shows
 * (its txid in the live models it touched, the push and cache results refetched; settleOperation).
 */
export function operationMutationFn<TResult, TInput extends OperationInput | void>(
  client: SyncClient,
  spec: OperationSpec,
  touches: OperationTouches,
  queryClient: QueryClient,
  /** Shows the action's optimistic change while it runs (and takes it back if it fails). */
  optimistic?: OptimisticAround<TInput, TResult>,
): (input: TInput) => Promise<TResult> {
  return (input) => {
    const send = async () => {
      const { data, response } = await client.requestWithResponse<TResult>(operationRequest(spec, input));
      await settleOperation(queryClient, touches, response);
      return stripped(spec, data);
    };
    return optimistic ? optimistic(input, send) : send();
  };
}

function stripped<T>(spec: OperationSpec, data: T): T {
  const strip = spec.strip;
  if (!strip || data === null || typeof data !== 'object') return data;
  if (strip.itemsPath === null) return omitFields(data, strip.fields);
  return mapListItems(data, strip.itemsPath, (rows) => rows.map((row) => omitFields(row, strip.fields))) as T;
}

/**
 * An operation as a write of a transaction (runTransaction): its request, what it touches, and
 * where its optimistic change shows (`show`, given the app's QueryClient), if it has one.
 */
export function operationWrite<TResult>(
  client: SyncClient,
  spec: OperationSpec,
  touches: OperationTouches,
  input: OperationInput | void,
  show?: (queryClient: QueryClient) => ShowOn | undefined,
): TransactionWrite<TResult> {
  return async (queryClient) => ({
    label: `${spec.method} ${spec.path}`,
    send: async (request) => {
      const answer = await client.requestWithResponse<TResult>(request);
      return { ...answer, data: stripped(spec, answer.data) };
    },
    request: operationRequest(spec, input),
    show: show?.(queryClient),
    touches,
  });
}

/** The body of media type `M` of an OpenAPI response type (openapi-typescript's), else `unknown`. */
export type ResponseContent<R, M extends string> = R extends { content: { [K in M]: infer B } } ? B : unknown;

/** The body of media type `M` of an OpenAPI request body type (openapi-typescript's), else `unknown`. */
export type RequestContent<R, M extends string> =
  NonNullable<R> extends { content: { [K in M]: infer B } } ? B : unknown;
