import type { SyncApi, SyncModel } from '../model/ir';
import { emitMocks } from './emit-mocks';
import { fileHeader } from './file-header';
import type { GeneratedFile } from './file-set';
import { pushSpecView } from './push-spec-view';
import { pushView } from './push-view';
import { renderTemplate } from './render-template';

/**
 * One cache-mode model library: the push library's types and validators, then query options that
 * keep results fresh for the ttl and revalidate them conditionally, and the unified read hooks.
 * Cache models are read-only (the model builder refuses write operations).
 */
export function emitCacheModel(api: SyncApi, model: SyncModel, specLabel: string, coreImport: string): GeneratedFile[] {
  const base = pushView(api, model, coreImport);
  const view = { ...base, spec: pushSpecView(api, model, base), header: fileHeader(specLabel, `model ${model.schemaName}, mode cache`) };
  const dir = model.names.file;
  // Without a sample row or a list to read, nothing could be asserted honestly: no spec file.
  const spec = view.spec.row !== undefined && view.spec.list ? [{ path: `${dir}/src/lib/${dir}.spec.ts`, content: renderTemplate('cache/spec', view) }] : [];
  return [
    ...spec,
    ...(['types', 'validators'] as const).map((kind) => ({ path: `${dir}/src/lib/${dir}.${kind}.ts`, content: renderTemplate(`push/${kind}`, view) })),
    ...(['queries', 'hooks'] as const).map((kind) => ({ path: `${dir}/src/lib/${dir}.${kind}.ts`, content: renderTemplate(`cache/${kind}`, view) })),
    { path: `${dir}/src/index.ts`, content: renderTemplate('cache/index', view) },
    ...emitMocks(api, model, view),
  ];
}
