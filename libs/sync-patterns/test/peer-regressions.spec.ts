import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { generate } from '../src/pipeline';
import { tempDir, typecheck, runGeneratedTests } from './helpers';

const FIXTURES = path.join(__dirname, 'fixtures');

/**
 * Type-level assertions over generated code, compiled by the real compiler: each line fails to
 * type-check if the generated types regress on a bug that peers' users reported.
 */
const ASSERTIONS = `
import type { Pet, PetCreateInput, PetUpdateInput, PetId } from './pet/src';
import type { Node } from './node/src';
import type { components } from './core/src';
import { useNodesInfinite } from './node/src';

type IsTrue<T extends true> = T;
type Has<T, K extends PropertyKey> = K extends keyof T ? true : false;
type Not<T extends boolean> = T extends true ? false : true;

export type ReadOnlyOmittedFromCreate = IsTrue<Not<Has<PetCreateInput, 'id'>>>;       // oat#604
export type ReadOnlyOmittedFromUpdate = IsTrue<Not<Has<PetUpdateInput, 'id'>>>;
export type WriteOnlyOmittedFromRow = IsTrue<Not<Has<Pet, 'password'>>>;
export type WriteOnlyKeptInCreate = IsTrue<Has<PetCreateInput, 'password'>>;
export type Nullable30Kept = IsTrue<null extends Pet['nickname'] ? true : false>;     // orval#2755
export type KeyIsNumber = IsTrue<PetId extends number ? true : false>;
type Shape = components['schemas']['Shape'];
export type ConstDiscriminator = IsTrue<Extract<Shape, { kind: 'circle' }> extends { radius: number } ? true : false>; // orval#3139
export type BothBranches = IsTrue<Shape['kind'] extends 'circle' | 'square' ? true : false>;
type Flag = NonNullable<Pet['flag']>;
export type BooleanDiscriminator = IsTrue<Extract<Flag, { on: true }> extends { level: number } ? true : false>; // orval#3151
export type Recursive = IsTrue<NonNullable<Node['parent']> extends Node ? true : false>; // orval#2802
export const cursorPaging: typeof useNodesInfinite = useNodesInfinite;               // TanStack#7633 keys
`;

describe('peer regressions (PEERS.md §3) as fixtures', () => {
  it('generates correct types for readOnly/writeOnly, 3.0 nullable, discriminators and recursion', async () => {
    const out = path.join(tempDir('peers'), 'out');
    await generate({ spec: path.join(FIXTURES, 'peer-regressions.yaml'), out });
    writeFileSync(path.join(out, 'assertions.ts'), ASSERTIONS);
    expect(typecheck([out])).toBe('');
    // a description holding `*/` cannot close the doc comment it lands in
    expect(readFileSync(path.join(out, 'core/src/lib/validators.ts'), 'utf8')).not.toMatch(/\*\/ and has/);
    // the generated tests exercise every fixture model (unions, recursion, cursor paging) for real
    const run = runGeneratedTests(out);
    expect({
      ok: run.ok,
      failed: run.failed,
      output: run.ok ? '' : run.output,
    }).toEqual({ ok: true, failed: 0, output: '' });
    expect(run.passed).toBeGreaterThan(0);
  });

  it('binds cursor pagination from the response next_cursor and keeps infinite keys apart', async () => {
    const out = path.join(tempDir('cursor'), 'out');
    await generate({ spec: path.join(FIXTURES, 'peer-regressions.yaml'), out });
    const queries = readFileSync(path.join(out, 'node/src/lib/node.queries.ts'), 'utf8');
    expect(queries).toContain("readField(lastPage, 'next_cursor')");
    expect(queries).toContain('nodeKeys.infinite(');
  });

  it('follows $refs into other files (kubb#2717)', async () => {
    const out = path.join(tempDir('multi'), 'out');
    const result = await generate({
      spec: path.join(FIXTURES, 'multi-file/openapi.yaml'),
      out,
    });
    expect(result.api.models.map((m) => m.schemaName)).toEqual(['Note']);
    writeFileSync(
      path.join(out, 'assertions.ts'),
      `import type { Note } from './note/src';\nexport const tags: Note['tags'][number]['label'] = 'x';\nexport const body: Note['body'] = null;\n`,
    );
    expect(typecheck([out])).toBe('');
  });
});
