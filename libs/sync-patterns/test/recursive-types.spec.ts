import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { generate } from '../src/pipeline';
import { SpecError } from '../src/openapi/diagnostics';
import { runGeneratedTests, tempDir, typecheck } from './helpers';

/**
 * Schemas that refer to themselves outside an object (vercel.com's EdgeConfigItemValue: a union
 * holding an array of itself) printed by openapi-typescript fail to compile (TS2502). They must
 * type-check, with the values they describe, and their libraries' tests pass; a cycle no
 * TypeScript type can describe is refused, naming its schemas.
 */
describe('self-referent schemas outside objects', () => {
  const root = tempDir('recursive');
  const out = path.join(root, 'out');

  beforeAll(async () => {
    await generate({ spec: path.join(__dirname, 'fixtures/recursive-types.yaml'), out });
  }, 60_000);

  it('type-check, the values they describe included, and the generated tests pass', () => {
    const types = readFileSync(path.join(out, 'core/src/lib/api.types.ts'), 'utf8');
    expect(types).toContain('EdgeConfigItemValue: Recursive_EdgeConfigItemValue;');
    expect(types).toMatch(/type Recursive_Branch = Recursive_Forest \| Recursive_Forest\[\] \| number;/);
    // the rest of the document still names the entries; nothing else changed
    expect(types).toContain("value: components['schemas']['EdgeConfigItemValue'];");
    const values = path.join(out, 'core/src/lib/values.spec.ts');
    writeFileSync(
      values,
      `import type { components } from './api.types';
type S = components['schemas'];
const value: S['EdgeConfigItemValue'] = ['a', 1, true, null, { b: 2 }, [['deep', [null]]]];
const forest: S['Forest'] = [['leaf;', 3, [[4]]], '}'];
// @ts-expect-error an array of itself holds values, not undefined
const wrong: S['EdgeConfigItemValue'] = [undefined];
it('holds JSON values', () => expect([value, forest, wrong]).toHaveLength(3));
`,
    );
    expect(typecheck([out])).toBe('');
    const run = runGeneratedTests(out);
    expect(run.ok ? '' : run.output.slice(0, 3000)).toBe('');
    expect(run.passed).toBeGreaterThanOrEqual(8);
  }, 300_000);

  it('refuses a cycle through unions alone, naming its schemas and where', async () => {
    const spec = path.join(root, 'unions.json');
    writeFileSync(
      spec,
      JSON.stringify({
        openapi: '3.1.0',
        info: { title: 'u', version: '1' },
        paths: {},
        components: {
          schemas: {
            A: { oneOf: [{ $ref: '#/components/schemas/B' }, { type: 'string' }] },
            B: { anyOf: [{ $ref: '#/components/schemas/A' }, { type: 'number' }] },
          },
        },
      }),
    );
    const error = await generate({ spec, out: path.join(root, 'unions-out'), allModels: true }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).message).toMatch(/unions\.json.*#\/components\/schemas\/A.*A, B refer to each other/s);
  });
});
