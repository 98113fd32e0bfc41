import type { SyncApi, SyncModel } from '../model/ir';
import { emitMocks } from './emit-mocks';
import { fileHeader } from './file-header';
import type { GeneratedFile } from './file-set';
import { liveView } from './live-view';
import { pushSpecView } from './push-spec-view';
import { pushView } from './push-view';
import { renderTemplate } from './render-template';
import { sqliteMigrations, type PreviousOutput } from './sqlite/emit-migrations';
import { literal, str } from './ts-syntax';

/**
 * One live-mode model library: the push library's types, API functions and validators, then a
 * TanStack DB collection synced from the model's shape and the unified hooks on live queries.
 */
export function emitLiveModel(api: SyncApi, model: SyncModel, specLabel: string, coreImport: string, previous: PreviousOutput): GeneratedFile[] {
  const push = pushView(api, model, coreImport);
  const view = {
    ...push,
    live: liveView(api, model, push),
    spec: pushSpecView(api, model, push),
    header: fileHeader(specLabel, `model ${model.schemaName}, mode live`),
  };
  const dir = model.names.file;
  const sqlite = sqliteMigrations(api, model, specLabel, previous);
  const sqliteView = {
    scope: str(`${api.id}/${dir}`),
    name: str(sqlite.table.name),
    key: str(model.sync.key),
    columns: sqlite.table.columns.map((c) => literal({ name: c.name, kind: c.kind })),
    migrations: sqlite.migrations.map((m) => ({ version: literal(m.version), name: str(m.name), sql: str(m.sql) })),
  };
  // Without a sample row nothing could be asserted honestly: no spec file.
  const spec =
    view.spec.row === undefined
      ? []
      : [
          {
            path: `${dir}/src/lib/${dir}.spec.ts`,
            content: renderTemplate('live/spec', view),
          },
        ];
  return [
    ...spec,
    ...sqlite.files,
    { path: `${dir}/src/lib/${dir}.migrations.ts`, content: renderTemplate('live/migrations', { ...view, sqlite: sqliteView }) },
    ...(['types', 'api', 'validators'] as const).map((kind) => ({
      path: `${dir}/src/lib/${dir}.${kind}.ts`,
      content: renderTemplate(`push/${kind}`, view),
    })),
    ...(['collection', 'hooks'] as const).map((kind) => ({
      path: `${dir}/src/lib/${dir}.${kind}.ts`,
      content: renderTemplate(`live/${kind}`, view),
    })),
    {
      path: `${dir}/src/index.ts`,
      content: renderTemplate('live/index', view),
    },
    ...emitMocks(api, model, view),
  ];
}
