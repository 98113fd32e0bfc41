/**
 * The query-key layout shared by every generated model: `[api, model, kind, params]`.
 * Hierarchical, so invalidating `all` reaches lists, infinite lists and details of one model and
 * nothing else; infinite lists have their own segment, so they never share a key with a plain list
 * (TanStack/query#7633); every call builds a fresh array, so no key is ever mutated (hey-api#2050).
 */
export function createModelKeys<TId, TListParams>(api: string, model: string) {
  const all = [api, model] as const;
  return {
    all,
    lists: () => [...all, 'list'] as const,
    list: (params?: TListParams) => [...all, 'list', params ?? {}] as const,
    infinites: () => [...all, 'infinite'] as const,
    infinite: (params?: TListParams) => [...all, 'infinite', params ?? {}] as const,
    details: () => [...all, 'detail'] as const,
    detail: (id: TId) => [...all, 'detail', id] as const,
  };
}

export type ModelKeys<TId = unknown, TListParams = unknown> = ReturnType<typeof createModelKeys<TId, TListParams>>;
