import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ShapeRegistry } from './shape-registry';
import { CACHE_CONTROL, invalidRequest, sendJson } from './shape-responses';
import { parseTableName } from './sql-identifiers';

/**
 * `DELETE /v1/shape`, as Electric answers it where shape deletion is allowed (its integration
 * tests rely on it): `?handle=` ends that shape, `?table=` every shape of the table; `202 []`, and
 * the shapes' clients get 409 must-refetch on their next request (their live requests are woken).
 */
export async function deleteShapes(
  request: IncomingMessage,
  response: ServerResponse,
  registry: ShapeRegistry,
  wake: (table: string) => void,
  defaultSchema: string,
): Promise<void> {
  const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
  const handle = query.get('handle');
  const tableParam = query.get('table');
  const ended = { 'cache-control': CACHE_CONTROL.error };
  if (handle) {
    const table = await registry.endIfKnown(handle);
    if (!table) return sendJson(request, response, 404, JSON.stringify({ message: 'Shape not found' }), ended);
    wake(table);
    return sendJson(request, response, 202, '[]', ended);
  }
  const table = tableParam ? parseTableName(tableParam, null) : undefined;
  if (!table)
    return sendJson(request, response, 400, invalidRequest('handle', 'a handle or a table is required'), ended);
  const schema = table.schema ?? defaultSchema;
  await registry.endTable(schema, table.table);
  wake(`${schema}.${table.table}`);
  sendJson(request, response, 202, '[]', ended);
}
