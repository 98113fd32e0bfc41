import type { SyncMode } from '../../model/ir';
import type { LiveView } from '../live/live-view';
import type { ModelView } from '../target';
import type { MockView } from './mock-view';

/** What the mocks templates print: the model's view, its mode, the fakes' view, and which tests the mocks' spec holds. */
export type MocksView = ModelView & { live?: LiveView; mode: SyncMode; mocks: MockView; tests: MocksTests };

/** Which operations the generated mocks test exercises, by mode (the template only lays them out). */
export interface MocksTests {
  lists: false | NonNullable<ModelView['spec']['list']>;
  reads: boolean;
  creates: boolean;
  updates: boolean;
  removes: boolean;
  pushWrites: boolean;
}

export function mocksTests(mode: SyncMode, view: ModelView, mocks: MockView): MocksTests {
  const s = view.spec;
  // a key with listed values may have none left for a new row: no create test then
  const creates = !mocks.rows.limited && (mode === 'push' ? !!(s.create && s.list) : mode === 'live' && !!(s.create && view.create));
  const updates = mode === 'push' ? !!(s.update && s.get) : mode === 'live' && !!(s.update && view.update);
  const removes = mode === 'push' ? !!(s.remove && s.list) : mode === 'live' && !!(s.remove && view.remove);
  return {
    lists: mode !== 'live' && !!s.list && s.list,
    reads: mode === 'push' && !!s.get,
    creates,
    updates,
    removes,
    pushWrites: mode === 'push' && (creates || updates || removes),
  };
}
