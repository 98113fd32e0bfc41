import { renderTemplate } from '../render-template';
import type { FrameworkTarget } from '../target';

/** React: hooks on TanStack Query (push, cache) and TanStack DB live queries (live). */
export const reactTarget: FrameworkTarget = {
  name: 'react',
  hooks: {
    push: (view) => renderTemplate('react/push-hooks', view),
    live: (view) => renderTemplate('react/live-hooks', view),
    cache: (view) => renderTemplate('react/cache-hooks', view),
  },
  operationHooks: (view) => renderTemplate('react/operation-hooks', view),
};
