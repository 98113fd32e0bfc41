import type { SyncApi, SyncModel } from '../../model/ir';
import type { GeneratedFile } from '../file-set';
import { mockView } from './mock-view';
import type { PushSpecView } from '../rest/push-spec-view';
import type { PushView } from '../rest/push-view';
import { renderTemplate } from '../render-template';

/**
 * A model library's testing entry (`src/testing.ts`): fake rows and MSW handlers, whatever the mode,
 * and the generated test that runs the library's own queries or collection against them.
 */
export function emitMocks(api: SyncApi, model: SyncModel, view: PushView & { spec: PushSpecView; header: string; live?: unknown }): GeneratedFile[] {
  const dir = model.names.file;
  const full = { ...view, mode: model.sync.mode, mocks: mockView(api, model, view) };
  return [
    { path: `${dir}/src/lib/${dir}.mocks.ts`, content: renderTemplate('mocks/mocks', full) },
    { path: `${dir}/src/lib/${dir}.mocks.spec.ts`, content: renderTemplate('mocks/spec', full) },
    { path: `${dir}/src/testing.ts`, content: renderTemplate('mocks/testing', full) },
  ];
}
