import fc from 'fast-check';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { generate } from '../src/pipeline';
import { SpecError } from '../src/openapi/diagnostics';
import { runGeneratedTests, tempDir, typecheck } from './helpers';
import { specOfShapes, specShapeArb, type SpecShape } from './model-shapes';

/**
 * Property-based: model shapes drawn at random (key kind and who chooses it, optional × nullable ×
 * enum × format × arrays × nested objects × readOnly / writeOnly / excluded, one body or separate
 * create / update schemas, PATCH or PUT, each mode, OpenAPI 3.0 and 3.1) are generated, and the
 * generated tests of every library must pass — not only type-check. Samples are drawn with a fixed
 * seed: the same cases on every machine. A failure names the sample, whose shape is printed.
 */
const SAMPLES = Number(process.env['SYNC_PATTERNS_SHAPE_SAMPLES'] ?? 16);
const SEED = Number(process.env['SYNC_PATTERNS_SHAPE_SEED'] ?? 20261207);

const progress = (line: string) => process.stderr.write(`[generated-tests] ${line}\n`);

/** The spec a new user tried first: a live Note with an optional nullable enum, a push Tag whose integer key the client chooses, a cache model. */
const NEWCOMER = (version: SpecShape['version']): SpecShape => ({
  version,
  models: [
    {
      mode: 'live',
      key: { kind: 'uuid', chosenBy: 'client' },
      fields: [
        { kind: 'string', required: true, nullable: false, access: 'both' },
        { kind: 'enum', required: false, nullable: true, access: 'both' },
      ],
      bodies: 'same',
      update: 'patch',
      remove: true,
      get: true,
      listWrapped: false,
      encoding: 'json',
    },
    {
      mode: 'push',
      key: { kind: 'integer', chosenBy: 'client' },
      fields: [{ kind: 'string', required: true, nullable: false, access: 'both' }],
      bodies: 'same',
      update: 'put',
      remove: true,
      get: true,
      listWrapped: false,
      encoding: 'json',
    },
    {
      mode: 'cache',
      key: { kind: 'string', chosenBy: 'server' },
      fields: [{ kind: 'integer', required: true, nullable: false, access: 'both' }],
      bodies: 'same',
      update: 'none',
      remove: false,
      get: false,
      listWrapped: false,
      encoding: 'json',
    },
  ],
});

describe('generated tests pass for model shapes drawn at random (fast-check, fixed seed)', () => {
  const shapes: SpecShape[] = [
    NEWCOMER('3.0'),
    NEWCOMER('3.1'),
    ...fc.sample(specShapeArb, { seed: SEED, numRuns: SAMPLES }),
  ];
  const root = tempDir('shapes');
  const outs: string[] = [];
  const refused: { index: number; message: string }[] = [];

  beforeAll(async () => {
    for (const [index, shape] of shapes.entries()) {
      const dir = path.join(root, `sample-${String(index).padStart(2, '0')}`);
      mkdirSync(dir, { recursive: true });
      const spec = path.join(dir, 'openapi.json');
      writeFileSync(spec, JSON.stringify(specOfShapes(shape), null, 2));
      writeFileSync(path.join(dir, 'shape.json'), JSON.stringify(shape));
      try {
        await generate({ spec, out: path.join(dir, 'out') });
        outs.push(path.join(dir, 'out'));
      } catch (error) {
        if (!(error instanceof SpecError)) throw error;
        refused.push({ index, message: error.message });
      }
    }
    progress(`${outs.length} of ${shapes.length} samples generated in ${root}`);
  }, 300_000);

  it('generates every sample (they are all valid documents)', () => {
    expect(refused).toEqual([]);
  });

  it('type-checks under strict', () => {
    expect(typecheck(outs)).toBe('');
  }, 600_000);

  it("passes every library's generated tests", () => {
    // one jest run over every sample: its workers share the transform cache
    const run = runGeneratedTests(root);
    progress(`generated tests: ${run.passed} passed, ${run.failed} failed`);
    if (!run.ok) {
      const failing = [...new Set([...run.output.matchAll(/FAIL .*?(sample-\d+)/g)].map((m) => m[1]))];
      progress(
        `failing samples: ${failing.map((s) => `${s} ${JSON.stringify(shapes[Number(s.slice(7))])}`).join('\n')}`,
      );
    }
    expect(run.ok ? '' : run.output.slice(0, 6000)).toBe('');
    expect(run.passed).toBeGreaterThan(shapes.length * 8);
  }, 900_000);
});
