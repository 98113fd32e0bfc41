import type { SyncMode } from '../../model/ir';
import type { LiveView } from '../live/live-view';
import type { ModelView } from '../target';
import type { MockView } from './mock-view';

/** What the mocks templates print: the model's view, its mode, and the fakes' view. */
export type MocksView = ModelView & { live?: LiveView; mode: SyncMode; mocks: MockView };
