import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { generate } from '../src/pipeline';
import { runGeneratedTests, tempDir, typecheck } from './helpers';

/**
 * A discriminator without mapping makes openapi-typescript pin each schema's name as its tag — in
 * every use of the schema. Where the tag property's own enum refuses those names (linode,
 * azure-kusto), the types have no value, and samples and fake rows that follow the enum do not
 * type-check. The discriminator is left out of what openapi-typescript is given; the enums stay.
 */
describe('discriminators whose implicit tags their own enums refuse', () => {
  const out = path.join(tempDir('refused-tags'), 'out');

  beforeAll(async () => {
    await generate({ spec: path.join(__dirname, 'fixtures/refused-tags.yaml'), out, allModels: true });
  }, 60_000);

  it('types the tag property by its enum, and the generated libraries type-check and pass their tests', () => {
    const types = readFileSync(path.join(out, 'core/src/lib/api.types.ts'), 'utf8');
    expect(types).not.toMatch(/type: ["']Domain["']|kind: ["']Database["']|kind: ["']ReadWriteDatabase["']/);
    expect(types).toContain("type?: 'master' | 'slave';");
    expect(types).toContain("kind: 'ReadWrite' | 'ReadOnlyFollowing';");
    expect(typecheck([out])).toBe('');
    const run = runGeneratedTests(out);
    expect(run.ok ? '' : run.output.slice(0, 3000)).toBe('');
    // the create test runs: its input carries an enum value and a domain drawn from the pattern
    expect(readFileSync(path.join(out, 'domain/src/lib/domain.spec.ts'), 'utf8')).toMatch(
      /const input: DomainCreateInput = \{ domain: '[^']+', type: 'master' \}/,
    );
    expect(run.passed).toBeGreaterThanOrEqual(10);
  }, 300_000);
});
