import { emitMocks } from '../mocks/emit-mocks';
import { emitOperations } from '../operations/emit-operations';
import { fileHeader } from '../file-header';
import { renderTemplate } from '../render-template';
import { pushSpecView } from '../rest/push-spec-view';
import { pushView } from '../rest/push-view';
import { sqliteMigrations } from '../sqlite/emit-migrations';
import type { LiveModelView, ModeTarget } from '../target';
import { literal, str } from '../../typescript/ts-syntax';
import { liveView } from './live-view';
import type { SqliteView } from './sqlite-view';

/**
 * Live mode: the REST layer's types, API functions and validators, then a TanStack DB collection
 * synced from the model's shape, its SQLite table and migrations, and the framework's hooks on
 * live queries.
 */
export const liveTarget: ModeTarget & { mode: 'live' } = {
  mode: 'live',
  emitModel({ api, specLabel, coreImport, previous, framework }, model) {
    const push = pushView(api, model, coreImport);
    const view: LiveModelView = {
      ...push,
      live: liveView(api, model, push),
      spec: pushSpecView(api, model, push),
      header: fileHeader(specLabel, `model ${model.schemaName}, mode live`),
    };
    const dir = model.names.file;
    const lib = (kind: string) => `${dir}/src/lib/${dir}.${kind}.ts`;
    const sqlite = sqliteMigrations(api, model, specLabel, previous);
    const sqliteView: SqliteView = {
      scope: str(`${api.id}/${dir}`),
      name: str(sqlite.table.name),
      key: str(model.sync.key),
      columns: sqlite.table.columns.map((c) => literal({ name: c.name, kind: c.kind })),
      migrations: sqlite.migrations.map((m) => ({ version: literal(m.version), name: str(m.name), sql: str(m.sql) })),
    };
    // Without a sample row nothing could be asserted honestly: no spec file.
    const spec = view.spec;
    return [
      ...(spec ? [{ path: lib('spec'), content: renderTemplate('live/spec', { ...view, spec }) }] : []),
      ...sqlite.files,
      { path: lib('migrations'), content: renderTemplate('live/migrations', { ...view, sqlite: sqliteView }) },
      ...(['types', 'api', 'validators'] as const).map((kind) => ({
        path: lib(kind),
        content: renderTemplate(`rest/${kind}`, view),
      })),
      { path: lib('collection'), content: renderTemplate('live/collection', view) },
      { path: lib('hooks'), content: framework.hooks.live(view) },
      { path: `${dir}/src/index.ts`, content: renderTemplate('live/index', view) },
      ...emitOperations({ api, coreImport, framework }, model, view.header),
      ...emitMocks(api, model, view),
    ];
  },
};
