import type { BoundOperation, SyncApi, SyncModel } from '../../model/ir';
import { deref } from '../../model/schema-utils';
import { apiNames } from '../core/api-names';
import { fakeRow } from '../../json-schema/fake-schema';
import type { PushView } from '../rest/push-view';
import { listWrapperSample } from '../rest/push-spec-view';
import { literal, literalBlock, str } from '../../typescript/ts-syntax';

/**
 * What a model's `testing` entry prints: its fake-data model (the row schema; definitions live in
 * the core library) and the routes its MSW handlers answer, as the runtime's `mockResource` reads them.
 */
export function mockView(api: SyncApi, model: SyncModel, push: PushView) {
  const { list, get, create, update } = model.operations;
  const remove = model.operations.delete;
  const fieldNames = new Set(model.fields.map((f) => f.name));
  const status = (op: BoundOperation, fallback: number) =>
    op.response && /^2\d\d$/.test(op.response.status) ? Number(op.response.status) : fallback;
  const route = (op: BoundOperation, fallback: number) => ({
    method: op.method.toUpperCase(),
    path: op.path,
    status: status(op, fallback),
  });
  const withId = (op: BoundOperation, fallback: number) => ({ ...route(op, fallback), idParam: op.idParam! });

  const routes = {
    ...(list && {
      list: {
        ...route(list, 200),
        itemsPath: list.response?.itemsPath ?? [],
        ...(() => {
          const wrapper = list.response?.itemsPath?.length === 1 ? listWrapperSample(api, list) : undefined;
          return wrapper ? { wrapper: wrapper.rest } : {};
        })(),
        filters: list.queryParams
          .filter((p) => fieldNames.has(p.name) && p.name !== list.pagination?.param)
          .map((p) => p.name),
        ...(list.pagination && push.list?.infinite && { paging: paging(list, push) }),
      },
    }),
    ...(get && { get: withId(get, 200) }),
    ...(create && { create: route(create, 201) }),
    ...(update && { update: withId(update, 200) }),
    ...(remove && { remove: withId(remove, 204) }),
  };
  // a key with listed values admits only so many distinct rows (linode's LongviewSubscription: 4 plans)
  const distinct = keyValueCount(api, model);
  const rows = (n: number) => String(Math.min(n, distinct));
  return {
    rows: {
      few: rows(3),
      /** How many rows `few` are once a row is created. */
      fewPlusOne: String(Number(rows(3)) + 1),
      /** How many rows `few` are once a row is removed. */
      fewMinusOne: String(Number(rows(3)) - 1),
      some: rows(5),
      many: rows(20),
      limited: distinct !== Infinity,
    },
    fakeRow: literalBlock(fakeRow(api, model), 80, '  '),
    /** Fields the fake row leaves out: what x-sync keeps off the client. */
    omit: (() => {
      const names = model.fields.filter((f) => f.excluded || f.writeOnly).map((f) => f.name);
      return names.length ? literal(names) : undefined;
    })(),
    fakeDefinitions: apiNames(api).fakeDefinitions,
    routes: literalBlock(routes, 80, '      '),
    live: model.sync.mode === 'live' ? literal({ table: model.sync.table }) : undefined,
    /** The row validator applies to fake rows unless a field they must leave out is required. */
    validatesRows:
      push.rowValidator !== undefined && !model.fields.some((f) => (f.excluded || f.writeOnly) && f.required),
    /** The list's query parameters that filter on fields. */
    filters: literal(routes.list?.filters ?? []),
    /** Test titles naming the request, each a complete string literal. */
    titles: {
      list: list && str(`answers ${list.method.toUpperCase()} ${list.path} with the table`),
    },
  };
}

export type MockView = ReturnType<typeof mockView>;

function paging(list: BoundOperation, push: PushView) {
  const pagination = list.pagination!;
  if (pagination.kind === 'cursor') {
    return {
      kind: 'cursor',
      param: pagination.param,
      ...(pagination.nextField && { nextField: pagination.nextField[0] }),
      ...(pagination.fromLastRow && { moreField: pagination.fromLastRow.moreField }),
    };
  }
  const initial = Number(
    push.list?.infinite && 'initial' in push.list.infinite
      ? push.list.infinite.initial
      : pagination.kind === 'page'
        ? 1
        : 0,
  );
  return {
    kind: pagination.kind,
    param: pagination.param,
    ...(pagination.kind === 'offset' && pagination.limitParam && { limitParam: pagination.limitParam }),
    first: initial,
  };
}

/** How many distinct values the key's schema admits: its enum's or const's, else as many as wanted. */
function keyValueCount(api: SyncApi, model: SyncModel): number {
  const field = model.fields.find((f) => f.name === model.sync.key);
  const schema = field && deref(api.document, { $ref: field.schemaPointer }, field.schemaPointer)?.schema;
  if (!schema) return Infinity;
  if ('const' in schema) return 1;
  return Array.isArray(schema['enum'])
    ? Math.max(1, new Set(schema['enum'].filter((v) => v !== null).map((v) => JSON.stringify(v))).size)
    : Infinity;
}
