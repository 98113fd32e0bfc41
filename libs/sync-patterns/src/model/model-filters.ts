import type { Diagnostic } from '../openapi/diagnostics';
import type { SyncModel } from './ir';

/** What to generate, by model (schema name), by operation tag and by path (`*` one segment, `**` any). */
export interface FilterSet {
  models?: string[];
  tags?: string[];
  paths?: string[];
}

export interface ModelFilters {
  /** Keep only models matching one of these (any kind). */
  include?: FilterSet;
  /** Then drop models matching one of these. */
  exclude?: FilterSet;
}

/**
 * Applies include/exclude filters to the bound models. A model carries the tags and paths of its
 * bound operations. Every filter value that matches no model is reported as a warning naming it.
 */
export function applyFilters(
  models: SyncModel[],
  filters: ModelFilters | undefined,
  file: string,
  diagnostics: Diagnostic[],
): SyncModel[] {
  if (!filters) return models;
  const matchers = (set: FilterSet | undefined) => [
    ...(set?.models ?? []).map((name) => ({ label: `model ${name}`, test: (m: SyncModel) => m.schemaName === name })),
    ...(set?.tags ?? []).map((tag) => ({
      label: `tag ${tag}`,
      test: (m: SyncModel) => Object.values(m.operations).some((op) => op.tags.includes(tag)),
    })),
    ...(set?.paths ?? []).map((pattern) => {
      const regex = globToRegExp(pattern);
      return {
        label: `path ${pattern}`,
        test: (m: SyncModel) => Object.values(m.operations).some((op) => regex.test(op.path)),
      };
    }),
  ];
  const include = matchers(filters.include);
  const exclude = matchers(filters.exclude);
  for (const [kind, list] of [
    ['include', include],
    ['exclude', exclude],
  ] as const) {
    for (const matcher of list) {
      if (!models.some(matcher.test)) {
        diagnostics.push({
          severity: 'warning',
          file,
          pointer: '#',
          message: `the ${kind} filter ${matcher.label} matches no model`,
          hint: 'check the spelling; `sync-patterns validate` lists models with their operations',
        });
      }
    }
  }
  return models.filter((m) => (!include.length || include.some((f) => f.test(m))) && !exclude.some((f) => f.test(m)));
}

/** `/todos/*` → one segment after /todos/; `/admin/**` → anything under /admin. */
function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .split(/(\*\*|\*)/)
    .map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`);
}
