import type { SyncApi, SyncModel } from '../../model/ir';
import type { GeneratedFile } from '../file-set';
import { mockView } from './mock-view';
import { mocksTests, type MocksView } from './mocks-view';
import type { LiveView } from '../live/live-view';
import type { ModelView } from '../target';
import { renderTemplate } from '../render-template';

/**
 * A model library's testing entry (`src/testing.ts`): fake rows and MSW handlers, whatever the mode,
 * and the generated test that runs the library's own queries or collection against them.
 */
export function emitMocks(api: SyncApi, model: SyncModel, view: ModelView & { live?: LiveView }): GeneratedFile[] {
  const dir = model.names.file;
  const mocks = mockView(api, model, view);
  const full: MocksView = { ...view, mode: model.sync.mode, mocks, tests: mocksTests(model.sync.mode, view, mocks) };
  return [
    { path: `${dir}/src/lib/${dir}.mocks.ts`, content: renderTemplate('mocks/mocks', full) },
    { path: `${dir}/src/lib/${dir}.mocks.spec.ts`, content: renderTemplate('mocks/spec', full) },
    { path: `${dir}/src/testing.ts`, content: renderTemplate('mocks/testing', full) },
  ];
}
