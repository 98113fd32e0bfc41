import type { SyncApi, SyncModel } from '../model/ir';
import { emitMocks } from './emit-mocks';
import { fileHeader } from './file-header';
import type { GeneratedFile } from './file-set';
import { pushSpecView } from './push-spec-view';
import { pushView } from './push-view';
import { renderTemplate } from './render-template';

const FILES = ['types', 'api', 'validators', 'queries', 'hooks'] as const;

/** One push-mode model library: types, API functions, validators, query/mutation options, hooks, index, tests. */
export function emitPushModel(api: SyncApi, model: SyncModel, specLabel: string, coreImport: string): GeneratedFile[] {
  const base = pushView(api, model, coreImport);
  const view = {
    ...base,
    spec: pushSpecView(api, model, base),
    header: fileHeader(specLabel, `model ${model.schemaName}, mode push`),
  };
  const dir = model.names.file;
  const files = [
    ...FILES.map((kind) => ({
      path: `${dir}/src/lib/${dir}.${kind}.ts`,
      content: renderTemplate(`push/${kind}`, view),
    })),
    {
      path: `${dir}/src/index.ts`,
      content: renderTemplate('push/index', view),
    },
    ...emitMocks(api, model, view),
  ];
  // Without a sample row, or an operation to test, nothing could be asserted honestly: no spec file.
  if (view.spec.row !== undefined && view.spec.tested)
    files.push({
      path: `${dir}/src/lib/${dir}.spec.ts`,
      content: renderTemplate('push/spec', view),
    });
  return files;
}
