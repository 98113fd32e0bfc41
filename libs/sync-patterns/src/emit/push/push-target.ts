import { emitMocks } from '../mocks/emit-mocks';
import { emitOperations } from '../operations/emit-operations';
import { fileHeader } from '../file-header';
import { renderTemplate } from '../render-template';
import { pushSpecView } from '../rest/push-spec-view';
import { pushView } from '../rest/push-view';
import type { ModeTarget, ModelView } from '../target';

const REST = ['types', 'api', 'validators'] as const;
const OWN = ['queries'] as const;

/** Push mode: types, API functions, validators, query/mutation options, the framework's hooks, index, tests. */
export const pushTarget: ModeTarget & { mode: 'push' } = {
  mode: 'push',
  emitModel({ api, specLabel, coreImport, framework }, model) {
    const base = pushView(api, model, coreImport);
    const view: ModelView = {
      ...base,
      spec: pushSpecView(api, model, base),
      header: fileHeader(specLabel, `model ${model.schemaName}, mode push`),
    };
    const dir = model.names.file;
    const lib = (kind: string) => `${dir}/src/lib/${dir}.${kind}.ts`;
    const files = [
      ...REST.map((kind) => ({ path: lib(kind), content: renderTemplate(`rest/${kind}`, view) })),
      ...OWN.map((kind) => ({ path: lib(kind), content: renderTemplate(`push/${kind}`, view) })),
      { path: lib('hooks'), content: framework.hooks.push(view) },
      { path: `${dir}/src/index.ts`, content: renderTemplate('push/index', view) },
      ...emitOperations({ api, coreImport, framework }, model, view.header),
      ...emitMocks(api, model, view),
    ];
    // Without a sample row, or an operation to test, nothing could be asserted honestly: no spec file.
    const spec = view.spec;
    if (spec?.tested) files.push({ path: lib('spec'), content: renderTemplate('push/spec', { ...view, spec }) });
    return files;
  },
};
