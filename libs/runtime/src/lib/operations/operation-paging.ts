import { readField } from '../client/request-helpers';
import { rowsOf } from '../push/list-data';
import type { OperationInput } from './operation-request';

/** How a query operation pages (read off the spec): its page parameter and where a page's rows sit. */
export type OperationPaging =
  | { kind: 'page'; param: string; itemsPath: readonly string[] }
  | { kind: 'offset'; param: string; limitParam?: string; itemsPath: readonly string[] }
  | { kind: 'cursor'; param: string; nextField: string; itemsPath: readonly string[] }
  | { kind: 'cursor'; param: string; moreField: string; rowKey: string; itemsPath: readonly string[] };

/** An operation's input without its page parameter (the infinite query sets it page by page). */
export type PagedInput<TInput, TParam extends string> = TInput extends { query: infer Q }
  ? Omit<TInput, 'query'> & { query: Omit<Q, TParam> }
  : TInput extends { query?: infer Q }
    ? Omit<TInput, 'query'> & { query?: Omit<NonNullable<Q>, TParam> }
    : TInput;

/** `input` asking for the page `pageParam` (undefined: the first, as the API defaults it). */
export function withOperationPage<TInput>(input: object | void, param: string, pageParam: unknown): TInput {
  const given = (input ?? {}) as OperationInput;
  if (pageParam === undefined) return given as TInput;
  return { ...given, query: { ...(given.query ?? {}), [param]: pageParam } } as TInput;
}

/** The next page's parameter after `lastPage`, or undefined when it was the last. */
export function nextOperationPage(
  paging: OperationPaging,
  lastPage: unknown,
  lastPageParam: unknown,
  input: object | void,
): unknown {
  const rows = rowsOf<unknown>(lastPage, paging.itemsPath);
  switch (paging.kind) {
    case 'page':
      return rows.length === 0 ? undefined : (typeof lastPageParam === 'number' ? lastPageParam : 1) + 1;
    case 'offset': {
      const limit = paging.limitParam && readField((input as OperationInput | undefined)?.query, paging.limitParam);
      if (rows.length === 0 || (typeof limit === 'number' && rows.length < limit)) return undefined;
      return (typeof lastPageParam === 'number' ? lastPageParam : 0) + rows.length;
    }
    case 'cursor': {
      if ('nextField' in paging) {
        const next = readField(lastPage, paging.nextField);
        return next === null || next === undefined || next === '' ? undefined : next;
      }
      if (readField(lastPage, paging.moreField) !== true || rows.length === 0) return undefined;
      return readField(rows[rows.length - 1], paging.rowKey);
    }
  }
}
