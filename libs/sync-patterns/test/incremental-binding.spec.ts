import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { PreviousBinding } from '../src/incremental/binding-record';
import { bindSpec } from '../src/incremental/binding-reuse';
import type { BuildOptions } from '../src/model/build-model';
import { loadSpec, parseSpec, type LoadedSpec } from '../src/openapi/load-spec';
import { EDITED_DOCUMENTS } from './corpus';
import { EXAMPLE_SPEC, seededRandom, WORKSPACE } from './helpers';

/**
 * Binding that starts from the last run's record (incremental/binding-reuse.ts: bindSpec with `previous`)
 * must find what binding everything finds: the same models, the same diagnostics in the same
 * order, and the same record for the run after. Real documents get random edits of one schema entry
 * — among them edits that binding reads elsewhere (a field's readOnly, a list wrapper's array, an
 * x-sync key) — and each edited document is bound both ways, also as a long-running process holds
 * it (the last document's objects outside the edited entry).
 */
const DOCUMENTS = [EXAMPLE_SPEC, ...EDITED_DOCUMENTS];
const EDITS_PER_DOCUMENT = 24;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const schemasOf = (doc: Json) => (doc['components'] as Json)['schemas'] as Record<string, unknown>;

const properties = (schema: unknown) =>
  isObject(schema) && isObject(schema['properties']) ? (schema['properties'] as Record<string, Json>) : undefined;

/** Edits of one schema entry; each returns false when the entry has nothing to edit that way. */
const EDITS: Record<string, (schema: Json, pick: <T>(items: T[]) => T | undefined, n: number) => boolean> = {
  addField: (schema, _, n) => {
    const props = properties(schema);
    if (props) props[`bind_added_${n}`] = { type: 'string' };
    return props !== undefined;
  },
  removeField: (schema, pick) => {
    const props = properties(schema);
    const field = props && pick(Object.keys(props));
    if (field !== undefined) delete props![field];
    return field !== undefined;
  },
  flipReadOnly: (schema, pick) => {
    const props = properties(schema);
    const field = props && pick(Object.keys(props).filter((f) => isObject(props[f])));
    if (field !== undefined) props![field] = { ...props![field], readOnly: props![field]['readOnly'] !== true };
    return field !== undefined;
  },
  // a list wrapper's rows property stops or starts being an array
  toggleArray: (schema, pick) => {
    const props = properties(schema);
    const field =
      props &&
      pick(
        Object.keys(props).filter(
          (f) => isObject(props[f]) && (props[f]['type'] === 'array' || props[f]['$ref'] !== undefined),
        ),
      );
    if (field === undefined) return false;
    const prop = props![field];
    props![field] =
      prop['type'] === 'array'
        ? isObject(prop['items'])
          ? prop['items']
          : { type: 'string' }
        : { type: 'array', items: prop };
    return true;
  },
  annotate: (schema) => {
    if (!properties(schema)) return false;
    if (schema['x-sync'] === undefined) schema['x-sync'] = 'push';
    else delete schema['x-sync'];
    return true;
  },
  rekey: (schema, pick) => {
    const props = properties(schema);
    const key = props && pick(Object.keys(props));
    if (key === undefined) return false;
    schema['x-sync'] = { ...(isObject(schema['x-sync']) ? schema['x-sync'] : {}), key };
    return true;
  },
  describe: (schema, _, n) => {
    schema['description'] = `edited ${n}`;
    return true;
  },
};

async function specOf(document: Json, file: string): Promise<LoadedSpec> {
  return parseSpec(JSON.stringify(document), file);
}

/** What a run hands on: everything but the document itself. */
const outcome = ({ api, record }: ReturnType<typeof bindSpec>) =>
  JSON.stringify({ models: api.models, diagnostics: api.diagnostics, record });

describe('binding from the last run’s record', () => {
  it.each(DOCUMENTS.map((file) => [path.relative(WORKSPACE, file), file]))(
    'binds %s as binding it whole does, over random edits',
    async (_, file) => {
      const options: BuildOptions = { allModels: file !== EXAMPLE_SPEC };
      const first = await loadSpec(file);
      let document = JSON.parse(JSON.stringify(first.document)) as Json;
      let last = bindSpec(await specOf(document, file), options);
      let lastDocument = (await specOf(document, file)).document;
      const next = seededRandom(file.length * 7919);
      const pick = <T>(items: T[]) => (items.length ? items[Math.floor(next() * items.length)] : undefined);
      const kinds = Object.keys(EDITS);
      let bound = 0;
      let candidates = 0;
      let reused = 0;
      for (let n = 0; n < EDITS_PER_DOCUMENT; n++) {
        const edited = JSON.parse(JSON.stringify(document)) as Json;
        // edits of models and of the schemas models read are the interesting ones: half of them go there
        const read = [...new Set(last.record.candidates.filter((c) => c.model).flatMap((c) => c.reads))];
        const name = (next() < 0.5 ? pick(read) : undefined) ?? pick(Object.keys(schemasOf(edited)))!;
        const entry = schemasOf(edited)[name];
        if (!isObject(entry) || !EDITS[pick(kinds)!](entry, pick, n)) continue;

        const fresh = await specOf(edited, file);
        const whole = bindSpec(fresh, options);
        const previous: PreviousBinding = { record: last.record, changed: new Set([name]) };
        const fromRecord = bindSpec(await specOf(edited, file), options, previous);
        expect(outcome(fromRecord)).toBe(outcome(whole));
        // as --watch holds it: the last document's objects everywhere but the edited entry
        const patched = {
          ...lastDocument,
          components: {
            ...(lastDocument['components'] as Json),
            schemas: { ...schemasOf(lastDocument), [name]: schemasOf(fresh.document)[name] },
          },
        };
        const held = bindSpec({ ...fresh, document: patched }, options, { ...previous, document: lastDocument });
        expect(outcome(held)).toBe(outcome(whole));

        const kept = new Set(last.record.candidates);
        bound++;
        candidates += fromRecord.record.candidates.length;
        reused += fromRecord.record.candidates.filter((c) => kept.has(c)).length;
        document = edited;
        last = whole;
        lastDocument = patched;
      }
      expect(bound).toBeGreaterThanOrEqual(EDITS_PER_DOCUMENT / 3);
      // most of a document's schemas are not bound again after an edit of one
      expect(reused).toBeGreaterThan(candidates / 2);
    },
  );

  it('binds a model again when a GET starts or stops listing it (its wrapper changed)', async () => {
    const document: Json = {
      openapi: '3.1.0',
      info: { title: 'relist', version: '1' },
      paths: {
        '/things': {
          get: {
            responses: {
              '200': {
                description: 'ok',
                content: { 'application/json': { schema: { $ref: '#/components/schemas/ThingPage' } } },
              },
            },
          },
        },
        '/things/{id}': {
          get: {
            parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
            responses: {
              '200': {
                description: 'ok',
                content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
              },
            },
          },
        },
      },
      components: {
        schemas: {
          Thing: { type: 'object', 'x-sync': 'push', properties: { id: { type: 'string' } } },
          ThingPage: {
            type: 'object',
            properties: {
              items: { type: 'array', items: { $ref: '#/components/schemas/Thing' } },
              next: { type: 'string' },
            },
          },
        },
      },
    };
    const file = 'relist.json';
    const before = bindSpec(await specOf(document, file), {});
    expect(before.api.models[0].operations.list?.path).toBe('/things');
    // the page's rows are no list any more: Thing keeps its get, and loses its list
    const edited = JSON.parse(JSON.stringify(document)) as Json;
    (schemasOf(edited)['ThingPage'] as Json)['properties'] = { items: { $ref: '#/components/schemas/Thing' } };
    const whole = bindSpec(await specOf(edited, file), {});
    expect(whole.api.models[0].operations.list).toBeUndefined();
    const fromRecord = bindSpec(
      await specOf(edited, file),
      {},
      { record: before.record, changed: new Set(['ThingPage']) },
    );
    expect(outcome(fromRecord)).toBe(outcome(whole));
    // and back
    const again = bindSpec(await specOf(document, file), {}, { record: whole.record, changed: new Set(['ThingPage']) });
    expect(outcome(again)).toBe(outcome(before));

    // still listed, from another property: what the page was read for counts as read by Thing
    const moved = JSON.parse(JSON.stringify(document)) as Json;
    const page = schemasOf(moved)['ThingPage'] as Json;
    page['properties'] = { rows: (page['properties'] as Json)['items'], next: { type: 'string' } };
    const movedWhole = bindSpec(await specOf(moved, file), {});
    expect(movedWhole.api.models[0].operations.list?.response?.itemsPath).toEqual(['rows']);
    const movedFromRecord = bindSpec(
      await specOf(moved, file),
      {},
      { record: before.record, changed: new Set(['ThingPage']) },
    );
    expect(outcome(movedFromRecord)).toBe(outcome(movedWhole));
  });
});
