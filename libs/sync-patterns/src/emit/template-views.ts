import type { CoreView } from './core/core-view';
import type { SqliteView } from './live/sqlite-view';
import type { MocksView } from './mocks/mocks-view';
import type { OperationsView } from './operations/operations-view';
import type { CacheModelView, CacheTestView, LiveModelView, ModelView, TestView } from './target';

/**
 * Every template, by its name (`<target>/<file>` for `emit/<target>/templates/<file>.ejs`), and the
 * type of the view it is rendered with: renderTemplate is typed on it, so a caller that passes the
 * wrong view, or names no template, does not compile. TEMPLATE_NAMES lists the same names at run
 * time; a test checks both against the template files.
 */
export interface TemplateViews {
  'core/client': CoreView;
  'core/validators': CoreView;
  'core/zod-builders': CoreView;
  'core/fakes': CoreView;
  'core/index': CoreView;
  'core/shape-policy': { header: string; titleText: string; policy: string };
  'rest/types': ModelView;
  'rest/api': ModelView;
  'rest/validators': ModelView;
  'push/queries': ModelView;
  'push/index': ModelView;
  'push/spec': TestView<ModelView>;
  'live/collection': LiveModelView;
  'live/migrations': LiveModelView & { sqlite: SqliteView };
  'live/index': LiveModelView;
  'live/spec': TestView<LiveModelView>;
  'cache/queries': CacheModelView;
  'cache/index': ModelView;
  'cache/spec': CacheTestView;
  'react/push-hooks': ModelView;
  'react/live-hooks': LiveModelView;
  'react/cache-hooks': ModelView;
  'react/operation-hooks': OperationsView;
  'operations/operations': OperationsView;
  'mocks/mocks': MocksView;
  'mocks/spec': MocksView;
  'mocks/testing': MocksView;
}

export type TemplateName = keyof TemplateViews;

export const TEMPLATE_NAMES = [
  'core/client',
  'core/validators',
  'core/zod-builders',
  'core/fakes',
  'core/index',
  'core/shape-policy',
  'rest/types',
  'rest/api',
  'rest/validators',
  'push/queries',
  'push/index',
  'push/spec',
  'live/collection',
  'live/migrations',
  'live/index',
  'live/spec',
  'cache/queries',
  'cache/index',
  'cache/spec',
  'react/push-hooks',
  'react/live-hooks',
  'react/cache-hooks',
  'react/operation-hooks',
  'operations/operations',
  'mocks/mocks',
  'mocks/spec',
  'mocks/testing',
] as const satisfies readonly TemplateName[];

// every name of TemplateViews is listed (a name missing above makes this `false`, which does not compile)
const listed: Exclude<TemplateName, (typeof TEMPLATE_NAMES)[number]> extends never ? true : false = true;
void listed;
