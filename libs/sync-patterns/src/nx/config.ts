import { joinPathFragments, type Tree } from '@nx/devkit';
import type { FilterSet } from '../model/model-filters';

/**
 * `sync-patterns.json`, beside the api project's project.json: which spec the project serves and
 * where its client libraries live. The one place the plugin keeps options — Nx passes no options
 * to sync generators, so everything that runs reads them from here.
 */
export interface SyncConfig {
  /** The OpenAPI document, relative to the workspace root. */
  spec: string;
  /** Folder of the generated libraries (`<directory>/core`, `<directory>/<model>`), relative to the workspace root. */
  directory: string;
  /** Name used in query keys and library names; default: the api project's name. */
  name?: string;
  /** Also generate resource-like schemas without `x-sync` (as the CLI's `--all-models`). */
  allModels?: boolean;
  /** Generate only models matching one of these (as the CLI's --include-* options). */
  include?: FilterSet;
  /** Leave out models matching one of these (as the CLI's --exclude-* options). */
  exclude?: FilterSet;
  /** Hosts whose URLs the spec's `$ref`s may name (as the CLI's --allow-remote-ref); none by default. */
  allowRemoteRefs?: string[];
}

export const CONFIG_FILE = 'sync-patterns.json';

const KNOWN = new Set(['$schema', 'spec', 'directory', 'name', 'allModels', 'include', 'exclude', 'allowRemoteRefs']);
const FILTER_KINDS = ['models', 'tags', 'paths'] as const;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export function configPath(projectRoot: string): string {
  return joinPathFragments(projectRoot, CONFIG_FILE);
}

export function readConfig(tree: Tree, projectRoot: string): SyncConfig {
  const file = configPath(projectRoot);
  const text = tree.read(file, 'utf-8');
  if (text === null)
    throw new ConfigError(`${file} not found: run \`nx g sync-patterns:init --project <api> --spec <file>\` first`);
  return parseConfig(text, file);
}

/** Checks a config's shape; every problem names the file and the field. */
export function parseConfig(text: string, file: string): SyncConfig {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ConfigError(`${file}: expected an object`);
  const config = value as Record<string, unknown>;
  const unknown = Object.keys(config).filter((key) => !KNOWN.has(key));
  if (unknown.length)
    throw new ConfigError(`${file}: unknown field(s) ${unknown.join(', ')}; known: ${[...KNOWN].join(', ')}`);
  for (const field of ['spec', 'directory'] as const) {
    if (typeof config[field] !== 'string' || !config[field])
      throw new ConfigError(`${file} #/${field}: required, a path relative to the workspace root`);
    if ((config[field] as string).startsWith('/') || (config[field] as string).split('/').includes('..')) {
      throw new ConfigError(
        `${file} #/${field}: "${config[field]}" must stay inside the workspace (a relative path without "..")`,
      );
    }
  }
  if (
    config['name'] !== undefined &&
    (typeof config['name'] !== 'string' || !/^[a-z][a-z0-9-]*$/.test(config['name']))
  ) {
    throw new ConfigError(`${file} #/name: "${String(config['name'])}" must be kebab-case (letters, digits, dashes)`);
  }
  if (config['allModels'] !== undefined && typeof config['allModels'] !== 'boolean')
    throw new ConfigError(`${file} #/allModels: must be true or false`);
  const hosts = config['allowRemoteRefs'];
  if (
    hosts !== undefined &&
    (!Array.isArray(hosts) || !hosts.every((h) => typeof h === 'string' && /^[a-z0-9.-]+(:\d+)?$/i.test(h)))
  ) {
    throw new ConfigError(`${file} #/allowRemoteRefs: expected a list of hosts ("api.example.com" or "host:port")`);
  }
  const filters: Pick<SyncConfig, 'include' | 'exclude'> = {};
  for (const side of ['include', 'exclude'] as const) {
    const set = config[side];
    if (set === undefined) continue;
    if (typeof set !== 'object' || set === null || Array.isArray(set))
      throw new ConfigError(`${file} #/${side}: expected an object with models, tags and/or paths`);
    for (const [kind, list] of Object.entries(set)) {
      if (!(FILTER_KINDS as readonly string[]).includes(kind))
        throw new ConfigError(`${file} #/${side}/${kind}: unknown filter; use ${FILTER_KINDS.join(', ')}`);
      if (!Array.isArray(list) || !list.every((v) => typeof v === 'string' && v))
        throw new ConfigError(`${file} #/${side}/${kind}: expected a list of names`);
    }
    filters[side] = set as FilterSet;
  }
  return {
    ...filters,
    spec: config['spec'] as string,
    directory: (config['directory'] as string).replace(/\/+$/, ''),
    ...(config['name'] !== undefined ? { name: config['name'] as string } : {}),
    ...(config['allModels'] !== undefined ? { allModels: config['allModels'] as boolean } : {}),
    ...(hosts !== undefined ? { allowRemoteRefs: hosts as string[] } : {}),
  };
}

export function serializeConfig(config: SyncConfig): string {
  const ordered: SyncConfig = { spec: config.spec, directory: config.directory };
  if (config.name !== undefined) ordered.name = config.name;
  if (config.allModels !== undefined) ordered.allModels = config.allModels;
  if (config.include !== undefined) ordered.include = config.include;
  if (config.exclude !== undefined) ordered.exclude = config.exclude;
  if (config.allowRemoteRefs !== undefined) ordered.allowRemoteRefs = config.allowRemoteRefs;
  return JSON.stringify(ordered, null, 2) + '\n';
}
