import { emitMocks } from '../mocks/emit-mocks';
import { emitOperations } from '../operations/emit-operations';
import { fileHeader } from '../file-header';
import { renderTemplate } from '../render-template';
import { pushSpecView } from '../rest/push-spec-view';
import { pushView } from '../rest/push-view';
import type { CacheModelView, ModeTarget } from '../target';
import { literal } from '../../typescript/ts-syntax';

/**
 * Cache mode: the REST layer's types and validators, then query options that keep results fresh
 * for the ttl and revalidate them conditionally, and the framework's read hooks. Cache models are
 * read-only (the model builder refuses write operations).
 */
export const cacheTarget: ModeTarget & { mode: 'cache' } = {
  mode: 'cache',
  emitModel({ api, specLabel, coreImport, framework }, model) {
    const base = pushView(api, model, coreImport);
    const view: CacheModelView = {
      ...base,
      cache: { ttl: literal(model.sync.ttl) },
      spec: pushSpecView(api, model, base),
      header: fileHeader(specLabel, `model ${model.schemaName}, mode cache`),
    };
    const dir = model.names.file;
    const lib = (kind: string) => `${dir}/src/lib/${dir}.${kind}.ts`;
    // Without a sample row or a list to read, nothing could be asserted honestly: no spec file.
    const spec = view.spec;
    const list = spec?.list;
    return [
      ...(spec && list
        ? [{ path: lib('spec'), content: renderTemplate('cache/spec', { ...view, spec: { ...spec, list } }) }]
        : []),
      ...(['types', 'validators'] as const).map((kind) => ({
        path: lib(kind),
        content: renderTemplate(`rest/${kind}`, view),
      })),
      { path: lib('queries'), content: renderTemplate('cache/queries', view) },
      { path: lib('hooks'), content: framework.hooks.cache(view) },
      { path: `${dir}/src/index.ts`, content: renderTemplate('cache/index', view) },
      ...emitOperations({ api, coreImport, framework }, model, view.header),
      ...emitMocks(api, model, view),
    ];
  },
};
