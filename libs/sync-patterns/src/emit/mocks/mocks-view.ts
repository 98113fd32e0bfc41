import type { SyncMode } from '../../model/ir';
import type { LiveView } from '../live/live-view';
import type { CreateSample, UpdateSample } from '../rest/push-spec-view';
import { nameList } from '../rest/push-view';
import type { ModelView } from '../target';
import type { MockView } from './mock-view';

/** What the mocks templates print: the model's view, its mode, the fakes' view, and which tests the mocks' spec holds. */
export type MocksView = ModelView & { mode: SyncMode; mocks: MockView; tests: MocksTests };

/** Which operations the generated mocks test exercises, by mode, with what it sends (the template only lays them out). */
export interface MocksTests {
  /** The list test (push and cache mode): its title, a string literal, and the list's required parameters, a literal, if any. */
  lists?: { title: string; params?: string };
  /** The read test (push mode). */
  reads: boolean;
  /** The create test (push and live mode); none when a key with listed values may have none left for a new row. */
  creates?: CreateSample;
  /** The update test (push and live mode). */
  updates?: UpdateSample;
  /** The remove test (push and live mode). */
  removes: boolean;
  /** Push mode writes: the test runs mutations. */
  pushWrites: boolean;
  /** Live mode: a created row is saved under a key the API chooses (not a client-generated UUID), found by savedKeyOf. */
  savedKey: boolean;
  /** The row validator the fake rows are checked with (when it applies to them and the model has a sample row). */
  rowValidator?: string;
  /** What the mocks' spec imports by name, each a list ready to print between braces. */
  imports: {
    /** Live mode: from `<model>.collection`. */
    collection: string;
    /** Push and cache mode: the query options and selectors from `<model>.queries`. */
    queries: string;
    /** From `<model>.types`. */
    types: string;
  };
}

export function mocksTests(mode: SyncMode, view: ModelView & { live?: LiveView }, mocks: MockView): MocksTests {
  // the generated spec's samples, mode by mode (see PushSpecView); none without a sample row
  const s = view.spec;
  // a key with listed values may have none left for a new row: no create test then
  const creates = mocks.rows.limited ? undefined : s?.creates;
  const updates = s?.updates;
  const removes = !!s?.removes;
  // the title names the list operation, which a list sample always has
  const listTitle = mocks.titles.list;
  const lists =
    mode !== 'live' && s?.list && listTitle !== undefined ? { title: listTitle, params: s.list.params } : undefined;
  const reads = mode === 'push' && !!s?.get;
  const { T, camel: c, plural: P } = view;
  return {
    lists,
    reads,
    creates,
    updates,
    removes,
    pushWrites: mode === 'push' && (!!creates || !!updates || removes),
    savedKey: mode === 'live' && view.live !== undefined && view.live.newKey !== 'uuid',
    rowValidator: mocks.validatesRows && s ? view.rowValidator : undefined,
    imports: {
      collection: nameList(`${c}Collection`, creates && `${c}RowFromInput`, updates && `validate${T}Patch`),
      queries: nameList(lists && `${c}ListQueryOptions`, reads && `${c}QueryOptions`, lists && `select${P}`),
      types: nameList(
        T,
        (reads || updates || removes || mode === 'live') && `${T}Id`,
        lists && lists.params && `${T}ListParams`,
        creates && `${T}CreateInput`,
        updates && `${T}UpdateInput`,
      ),
    },
  };
}
