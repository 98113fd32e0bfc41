import type { Diagnostic } from './diagnostics';
import { child } from './json-pointer';
import type { OpenApiDocument } from './load-spec';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * operationIds must be unique (OpenAPI requires it): they name the generated `operations` types,
 * and two operations of one name would be one type declared twice. Each repeat is an error where
 * it is, with where the name was first used (reported with the spec's other problems, by buildModel).
 */
export function checkOperationIds(document: OpenApiDocument, file: string): Diagnostic[] {
  const first = new Map<string, string>();
  const problems: Diagnostic[] = [];
  for (const section of ['paths', 'webhooks']) {
    const items = document[section];
    if (!items || typeof items !== 'object') continue;
    for (const [route, item] of Object.entries(items as Record<string, unknown>)) {
      if (!item || typeof item !== 'object') continue;
      for (const method of METHODS) {
        const operation = (item as Record<string, unknown>)[method];
        const id =
          operation && typeof operation === 'object'
            ? (operation as Record<string, unknown>)['operationId']
            : undefined;
        if (typeof id !== 'string') continue;
        const pointer = child('#', section, route, method, 'operationId');
        const earlier = first.get(id);
        if (earlier === undefined) first.set(id, pointer);
        else
          problems.push({
            severity: 'error',
            file,
            pointer,
            message: `operationId "${id}" is already used at ${earlier}`,
            hint: 'give each operation its own operationId (they name the generated operation types)',
          });
      }
    }
  }
  return problems;
}
