import { randomInt } from 'node:crypto';
import { logEnd, mustRefetch, offsetAfter, schemaHeader, type ServeContext } from './serve-context';
import type { SubsetRequest } from './shape-request';
import { CACHE_CONTROL, sendJson } from './shape-responses';
import { readSnapshot } from './snapshot';
import { checkOrderBy, checkWhereClause } from './where-clause';

/**
 * A subset snapshot (GET `subset__*` or POST with a JSON body): the shape's rows that also match
 * the subset's where, in its order, one page of them, answered once as Electric does —
 * `{"metadata": {xmin, xmax, xip_list, database_lsn, snapshot_mark}, "data": [inserts]}`. The client
 * uses the metadata to skip changes the rows already include, and ends the subset itself.
 */
export async function serveSubset(context: ServeContext, subset: SubsetRequest): Promise<void> {
  const { shape, shapeRequest, registry, request, response } = context;
  const names = new Set(shape.table.columns.map((c) => c.name));
  if (subset.where) checkWhereClause(subset.where, names, 'subset.where');
  const orderBy = subset.orderBy ? checkOrderBy(subset.orderBy, names, 't', 'subset.order_by') : undefined;
  const { offset } = shapeRequest;
  const stored =
    offset.kind === 'initial' || offset.kind === 'now'
      ? await registry.open(shape)
      : await registry.current(shapeRequest.handle!, shape);
  if (!stored) return mustRefetch(context);
  const mark = randomInt(0, 2 ** 31 - 1);
  const snapshot = await context.source.transaction((tx) =>
    readSnapshot(
      tx,
      shape,
      {
        where: subset.where,
        params: subset.params,
        orderBy,
        limit: subset.limit,
        offset: subset.offset,
      },
      mark,
    ),
  );
  const metadata = {
    database_lsn: snapshot.position.toString(),
    snapshot_mark: mark,
    xip_list: snapshot.visible.xip_list,
    xmax: snapshot.visible.xmax,
    xmin: snapshot.visible.xmin,
  };
  // where a stream that has not started yet (offset now or -1) takes up after these rows; a stream
  // under way keeps its own offset, so no change between it and the subset is skipped
  const requested = new URL(request.url ?? '/', 'http://localhost').searchParams.get('offset') ?? '';
  const at =
    offset.kind === 'initial' || offset.kind === 'now'
      ? offsetAfter(stored, await logEnd(context.source, shape.logSchema))
      : requested;
  sendJson(
    request,
    response,
    200,
    `{"metadata":${JSON.stringify(metadata)}, "data": [${snapshot.messages.join(',')}]}`,
    {
      'electric-handle': stored.handle,
      'electric-offset': at,
      'electric-schema': schemaHeader(shape),
      'electric-snapshot': 'true',
      'cache-control': CACHE_CONTROL.subset,
    },
  );
}
