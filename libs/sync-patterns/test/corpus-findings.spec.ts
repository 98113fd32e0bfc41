import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { generate } from '../src/pipeline';
import { runGeneratedTests, tempDir, typecheck } from './helpers';

/**
 * What the full corpus run found in real documents (docs/robustness.md), reduced to a fixture:
 * every pattern must generate code that type-checks under strict and passes its own tests.
 */
describe('corpus findings as fixtures', () => {
  const out = path.join(tempDir('findings'), 'out');
  let models: string[] = [];

  beforeAll(async () => {
    const result = await generate({ spec: path.join(__dirname, 'fixtures/corpus-findings.yaml'), out });
    models = result.api.models.map((m) => `${m.schemaName}:${Object.keys(m.operations).sort().join(',')}`);
  });

  it('binds no create whose body is not an object (uebermaps.com)', () => {
    expect(models).toEqual([
      'Assignment:list',
      'Collection:create,list',
      'Gateway:list',
      'ImageObject:list',
      'Installation:create,list',
      'League:list',
      'SignRequest:create,list',
      'Task:list',
    ]);
  });

  it('keeps refs into other schemas as references: no exponential copies (azure network-applicationGateway)', () => {
    expect(statSync(path.join(out, 'core/src/lib/api.types.ts')).size).toBeLessThan(20_000);
    expect(readFileSync(path.join(out, 'core/src/lib/validators.ts'), 'utf8')).toMatch(
      /z\.lazy\(\(\) => deepComponentsSchemasPoolPropertiesConfig_[0-9a-f]{8}Schema\)/,
    );
  });

  it('asks a write for what one allOf part requires and another declares (box.com), and for its writeOnly fields only (bunq.com)', () => {
    const validators = readFileSync(path.join(out, 'core/src/lib/validators.ts'), 'utf8');
    expect(validators).toContain(
      'export const InvoiceSchema: z.ZodType = z.looseObject({ description: z.string().optional(), number: z.int() });',
    );
    expect(validators).toMatch(
      /SignRequestCreateSchema: z\.ZodType = z\.intersection\([^;]*z\.looseObject\(\{\s+source_files: z\.unknown\(\)\.refine/,
    );
    const installation = readFileSync(path.join(out, 'installation/src/lib/installation.validators.ts'), 'utf8');
    expect(installation).toContain(
      'installationCreateInputSchema: z.ZodType = z.looseObject({ client_public_key: z.string() });',
    );
  });

  it('types every model so values exist, and the generated tests pass', () => {
    expect(typecheck([out])).toBe('');
    const run = runGeneratedTests(out);
    expect({ ok: run.ok, failed: run.failed, output: run.ok ? '' : run.output.slice(0, 3000) }).toEqual({
      ok: true,
      failed: 0,
      output: '',
    });
    expect(run.passed).toBeGreaterThanOrEqual(8);
  }, 300_000);
});
