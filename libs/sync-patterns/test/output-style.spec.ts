import fc from 'fast-check';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { restyleTypes } from '../src/emit/core/types-style';
import { generate } from '../src/pipeline';
import { arrayExpression, call, objectExpression } from '../src/typescript/layout';
import { literal, literalBlock, propertyKey, str } from '../src/typescript/ts-syntax';
import { EXAMPLE_SPEC } from './helpers';

/**
 * Formatted output (typescript/output-style.ts): strings and keys that evaluate to exactly what
 * they print, whatever the text; literals and validators laid out at the width; openapi-typescript's
 * types restyled line by line, so a restyled entry is exactly its lines in the restyled file.
 */
const evaluate = (source: string): unknown => new Function(`return (${source});`)();

describe('formatted strings and keys', () => {
  it('evaluate to the text they print, in single quotes unless double ones need fewer escapes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(evaluate(str(text))).toBe(text);
        expect(str(text)).not.toMatch(/[\n\r\u2028\u2029]/);
      }),
    );
    expect(str("it's")).toBe(`"it's"`);
    expect(str('say "hi"')).toBe(`'say "hi"'`);
    expect(str('plain')).toBe(`'plain'`);
  });

  it('write keys bare only when they may be, and __proto__ as a computed key', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null))),
        (value) => {
          expect(evaluate(literal(value))).toEqual(value);
          expect(evaluate(literalBlock(value))).toEqual(value);
        },
      ),
    );
    const withProto = JSON.parse('{"__proto__": {"polluted": true}, "a-b": 1, "ok": 2}');
    const made = evaluate(literal(withProto)) as Record<string, unknown>;
    expect(Object.getPrototypeOf(made)).toBe(Object.prototype);
    expect(Object.keys(made)).toEqual(['__proto__', 'a-b', 'ok']);
    expect(literal(withProto)).toBe(`{ ['__proto__']: { polluted: true }, 'a-b': 1, ok: 2 }`);
    expect(propertyKey('created_at')).toBe('created_at');
    expect(propertyKey('1st')).toBe(`'1st'`);
  });
});

describe('laid-out expressions', () => {
  it('stay on one line when short, and put one part a line with trailing commas when not', () => {
    expect(call('z.array', ['z.string()'])).toBe('z.array(z.string())');
    const wide = objectExpression(
      Array.from({ length: 6 }, (_, i) => [`field_${i}`, 'z.string().max(5000).optional()'] as const),
    );
    expect(wide).toBe(
      `{\n${Array.from({ length: 6 }, (_, i) => `  field_${i}: z.string().max(5000).optional(),`).join('\n')}\n}`,
    );
    // a sole object argument hugs the call; other long arguments go one a line, nested deeper
    expect(call('z.looseObject', [wide]).split('\n')[0]).toBe('z.looseObject({');
    expect(call('z.intersection', [call('z.looseObject', [wide]), 'z.unknown()'])).toMatch(
      /^z\.intersection\(\n {2}z\.looseObject\(\{\n {4}field_0: /,
    );
    expect(arrayExpression(['1', '2'])).toBe('[1, 2]');
  });

  it('lay out a literal past its width one entry a line, each entry laid out again', () => {
    const value = { name: 'x'.repeat(70), tags: ['a', 'b'], nested: { deep: 'y'.repeat(120) } };
    expect(literalBlock(value)).toBe(
      `{\n  name: '${'x'.repeat(70)}',\n  tags: ['a', 'b'],\n  nested: {\n    deep: '${'y'.repeat(120)}',\n  },\n}`,
    );
  });
});

describe('restyled openapi-typescript types', () => {
  const types = [
    'export interface components {',
    '    schemas: {',
    '        /** @description a "quoted" word */',
    '        Pet: {',
    '            kind: "cat" | "dog\'s";',
    '            /**',
    '             * @example "x"',
    '             */',
    '            "owner-id"?: components["schemas"]["Owner"];',
    '        };',
    '    };',
    '}',
  ].join('\n');

  it('take two-space indents and single quotes, leaving doc comments as they are', () => {
    expect(restyleTypes(types).split('\n')).toEqual([
      'export interface components {',
      '  schemas: {',
      '    /** @description a "quoted" word */',
      '    Pet: {',
      `      kind: 'cat' | "dog's";`,
      '      /**',
      '       * @example "x"',
      '       */',
      `      'owner-id'?: components['schemas']['Owner'];`,
      '    };',
      '  };',
      '}',
    ]);
  });

  it('restyle any run of whole lines to exactly those lines of the restyled whole', () => {
    const lines = types.split('\n');
    const whole = restyleTypes(types).split('\n');
    fc.assert(
      fc.property(fc.nat(lines.length - 1), fc.nat(lines.length - 1), (a, b) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        expect(restyleTypes(lines.slice(from, to + 1).join('\n'))).toBe(whole.slice(from, to + 1).join('\n'));
      }),
    );
  });
});

describe('the example api, generated', () => {
  let out: string;
  beforeAll(async () => {
    out = mkdtempSync(path.join(os.tmpdir(), 'sp-style-'));
    await generate({ spec: EXAMPLE_SPEC, out });
  }, 120_000);

  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? files(full) : full.endsWith('.ts') ? [full] : [];
    });

  it('quotes strings in one style: double quotes only around text that holds a single quote', () => {
    const doubled: string[] = [];
    for (const file of files(out)) {
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
      const visit = (node: ts.Node): void => {
        if (ts.isStringLiteral(node) && node.getText().startsWith('"') && !node.text.includes("'"))
          doubled.push(`${path.relative(out, file)}: ${node.getText()}`);
        node.forEachChild(visit);
      };
      visit(source);
    }
    expect(doubled).toEqual([]);
  });
});
