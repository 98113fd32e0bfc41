import type { SyncMode } from '../model/ir';
import { cacheTarget } from './cache/cache-target';
import { liveTarget } from './live/live-target';
import { pushTarget } from './push/push-target';
import { reactTarget } from './react/react-target';
import type { FrameworkTarget, ModeTarget } from './target';

/** The sync modes, each a folder beside this file. */
export const MODE_TARGETS: { readonly [M in SyncMode]: ModeTarget & { mode: M } } = {
  push: pushTarget,
  live: liveTarget,
  cache: cacheTarget,
};

/** The UI frameworks model libraries can be generated for. */
export const FRAMEWORK_TARGETS = { react: reactTarget } as const satisfies Record<string, FrameworkTarget>;
