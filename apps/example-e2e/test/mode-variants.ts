import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { generate } from 'sync-patterns';

const WORKSPACE = path.resolve(__dirname, '../../..');
/** The example's libraries generated with Todo in each mode, for the end-to-end tests (git-ignored). */
export const VARIANTS = path.join(__dirname, '..', '.variants');
export const MODES = ['push', 'live'] as const;

const TODO_X_SYNC = /(\n {4}Todo:\n(?: {6}.*\n)*? {6}x-sync:\n {8}mode: )(\w+)\n/;

/** Todo's `where` (a live model's shape), with the comment above it. */
const TODO_WHERE = /\n {8}# the rows each user syncs[^\n]*\n(?: {8}#.*\n)*? {8}where: >-\n(?: {10}.*\n)+/;

/**
 * The example spec with `Todo` in the given mode: its mode line differs, and out of live mode its
 * `where` goes (the rows of a push model are what its API answers), nothing else.
 */
export function specWithTodoIn(mode: (typeof MODES)[number]): string {
  const spec = readFileSync(path.join(WORKSPACE, 'apps/example-api/openapi.yaml'), 'utf8');
  if (!TODO_X_SYNC.test(spec) || !TODO_WHERE.test(spec))
    throw new Error("the example spec changed: Todo's x-sync block (mode on its own line, then its where) not found");
  const moded = spec.replace(TODO_X_SYNC, (_, head: string) => `${head}${mode}\n`);
  return mode === 'live' ? moded : moded.replace(TODO_WHERE, '\n');
}

/** Where the example is generated with Todo live and on demand (`x-sync.sync: on-demand`). */
export const ON_DEMAND_VARIANT = path.join(VARIANTS, 'on-demand');

const TODO_LIST_STATUS = "        - { name: status, in: query, schema: { $ref: '#/components/schemas/TodoStatus' } }\n";

/**
 * The example spec with Todo synced on demand: one line more in its x-sync, and paging parameters
 * on its list (`limit`, `offset`: a live list pages by them, in key order; the variant's todos are
 * read through shapes only, so the API need not take them).
 */
export function specWithTodoOnDemand(): string {
  const spec = specWithTodoIn('live');
  if (!spec.includes(TODO_LIST_STATUS))
    throw new Error("the example spec changed: GET /todos's status parameter not found");
  return spec
    .replace(TODO_X_SYNC, (all: string) => `${all}        sync: on-demand\n`)
    .replace(
      TODO_LIST_STATUS,
      `${TODO_LIST_STATUS}        - { name: limit, in: query, schema: { type: integer, minimum: 1 } }\n        - { name: offset, in: query, schema: { type: integer, minimum: 0 } }\n`,
    );
}

export const STRATEGIES = ['backend-wins', 'client-wins', 'field-merge', 'custom'] as const;
/** A variant whose Project (push) carries its version in the API's ETag header only: not a property of the row. */
export const ETAG_VARIANT = 'etag';
export type Strategy = (typeof STRATEGIES)[number];
/** Copies of each conflict variant: each copy is a client of its own (its own configuration, fetch and database). */
export const CLIENTS = ['a', 'b'] as const;
/** These are also tried by three clients at once (the property test). */
const THIRD_CLIENT: readonly Strategy[] = ['field-merge', 'backend-wins'];

const TODO_CONFLICT = /(\n {8}conflict: ).*\n/;
const PROJECT_VERSION = /(\n {4}Project:\n(?: {6}.*\n| {8}#.*\n)*? {8}version: version\n)/;

/**
 * The example spec with Todo (live) and Project (push) both on `strategy`: one line per model
 * differs. field-merge keeps Todo's same-field rule (title: client); Project has none (server).
 */
export function specWithStrategy(strategy: Strategy): string {
  const spec = readFileSync(path.join(WORKSPACE, 'apps/example-api/openapi.yaml'), 'utf8');
  if (!TODO_CONFLICT.test(spec) || !PROJECT_VERSION.test(spec))
    throw new Error("the example spec changed: Todo's conflict line or Project's version line not found");
  const todo = strategy === 'field-merge' ? '{ strategy: field-merge, fields: { title: client } }' : strategy;
  return spec
    .replace(TODO_CONFLICT, (_, head: string) => `${head}${todo}\n`)
    .replace(PROJECT_VERSION, (block: string) => `${block}        conflict: ${strategy}\n`);
}

const PROJECT_VERSION_PROPERTY =
  /(\n {4}Project:\n(?: {6}.*\n| {8}.*\n)*?)( {8}version: \{[^\n]*\}\n)( {4}ProjectPatch:)/;

/**
 * The example spec with Project on `version: etag` and field-merge, and `version` no longer a
 * property of the row: the client can only know a project's version from the ETag its reads answer.
 */
export function specWithProjectETag(): string {
  const spec = specWithStrategy('field-merge');
  if (!PROJECT_VERSION_PROPERTY.test(spec))
    throw new Error("the example spec changed: Project's version property not found");
  return spec
    .replace(PROJECT_VERSION_PROPERTY, (_, head: string, _property: string, tail: string) => `${head}${tail}`)
    .replace(
      'required: [id, name, owner_id, description, archived, created_at, version]',
      'required: [id, name, owner_id, description, archived, created_at]',
    )
    .replace(
      /(\n {4}Project:\n(?: {6}.*\n| {8}#.*\n)*? {8})version: version\n {8}conflict: field-merge\n/,
      '$1version: etag\n        conflict: field-merge\n',
    );
}

/** Where a conflict variant's copy is generated: `.variants/conflict-<strategy>-<client>`. */
export function conflictVariant(strategy: Strategy | typeof ETAG_VARIANT, client: string): string {
  return path.join(VARIANTS, `conflict-${strategy}-${client}`);
}

async function generateInto(out: string, spec: string): Promise<void> {
  mkdirSync(out, { recursive: true });
  const file = path.join(out, 'openapi.yaml');
  writeFileSync(file, spec);
  await generate({ spec: file, out, force: true, prune: true });
}

export async function generateModeVariants(): Promise<void> {
  for (const mode of MODES) await generateInto(path.join(VARIANTS, mode), specWithTodoIn(mode));
  await generateInto(ON_DEMAND_VARIANT, specWithTodoOnDemand());
  for (const strategy of STRATEGIES) {
    const clients = THIRD_CLIENT.includes(strategy) ? [...CLIENTS, 'c'] : CLIENTS;
    for (const client of clients) await generateInto(conflictVariant(strategy, client), specWithStrategy(strategy));
  }
  for (const client of CLIENTS) await generateInto(conflictVariant(ETAG_VARIANT, client), specWithProjectETag());
}

export default generateModeVariants;
