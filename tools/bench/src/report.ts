import type { WatchResult } from './watch-bench';

interface ToolResult {
  ms: number;
  rssMiB: number;
  failures: number;
  errors?: number;
}

interface DocumentResult {
  label: string;
  generation: Record<string, ToolResult>;
  incremental?: {
    check: ToolResult;
    change?: ToolResult;
    model?: string;
    written: number;
    watch?: { change: WatchResult; full: WatchResult };
  };
  typecheck?: Record<string, ToolResult & { errors: number }>;
}

export interface BenchReport {
  date: string;
  machine: { cpus: number; cpu?: string; memoryGiB: number; node: string };
  runs: number;
  documents: Record<string, DocumentResult>;
  shapes?: {
    database: string;
    rows: number;
    selectMs: number;
    initialFirstMs: number;
    initialLaterMs: number;
    initialRowsPerSecond: number;
    laterRowsPerSecond: number;
    clients: number;
    changes: number;
    changesPerSecond: number;
    oneClientChangesPerSecond: number;
  };
  partial?: {
    database: string;
    rows: number;
    projects: number;
    subsetRows: number;
    subsetJsonBytes: number;
    onDemand: { ms: number; bytes: number; requests: number; held: number };
    whole: { ms: number; bytes: number; requests: number; held: number };
  };
  live?: { rows: number; p50: number; p99: number; bytesPerRow: number; coldStartMs?: number; hydratedMs?: number }[];
}

const OURS = 'sync-patterns';
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const ratio = (ours: number, theirs: number) => `${(ours / theirs).toFixed(2)}×`;

/** The table (markdown, so docs/performance.md can hold it as printed) and the PASS/FAIL lines. */
export function printReport(report: BenchReport): string {
  const lines: string[] = [];
  const verdicts: string[] = [];
  const verdict = (ok: boolean, text: string) => verdicts.push(`${ok ? 'PASS' : 'FAIL'}  ${text}`);
  lines.push(
    `Machine: ${report.machine.cpus} × ${report.machine.cpu ?? 'cpu'}, ${report.machine.memoryGiB} GiB, Node ${report.machine.node}; medians of ${report.runs} runs after a warm-up; ${report.date.slice(0, 10)}`,
  );
  for (const [id, doc] of Object.entries(report.documents)) {
    const ours = doc.generation[OURS];
    lines.push(
      '',
      `### ${doc.label}`,
      '',
      '| tool | wall | peak RSS | ours ÷ theirs (time) | ours ÷ theirs (memory) | tsc --noEmit | tsc errors |',
      '|---|---|---|---|---|---|---|',
    );
    for (const [tool, result] of Object.entries(doc.generation)) {
      const tsc = doc.typecheck?.[tool];
      const failed = result.failures ? ` (${result.failures} failed)` : '';
      lines.push(
        `| ${tool} | ${seconds(result.ms)}${failed} | ${result.rssMiB.toFixed(0)} MiB | ${tool === OURS ? '—' : ratio(ours.ms, result.ms)} | ${tool === OURS ? '—' : ratio(ours.rssMiB, result.rssMiB)} | ${tsc ? seconds(tsc.ms) : '—'} | ${tsc ? tsc.errors : '—'} |`,
      );
    }
    if (doc.incremental) {
      const { check, change, model, written } = doc.incremental;
      lines.push('', `- \`check\`, no drift: ${seconds(check.ms)}, ${check.rssMiB.toFixed(0)} MiB`);
      if (change)
        lines.push(
          `- one-model change (${model} gains a field), a new process: ${seconds(change.ms)}, ${written} files rewritten (${ratio(change.ms, ours.ms)} of a full run)`,
        );
      const watch = doc.incremental.watch;
      if (watch) {
        lines.push(
          `- the same change saved under \`generate --watch\`: regenerated in ${watch.change.ms.toFixed(0)} ms (${watch.change.savedToWrittenMs.toFixed(0)} ms from the save, with the 150 ms debounce); a full regeneration there: ${seconds(watch.full.ms)} (${ratio(watch.change.ms, watch.full.ms)})`,
        );
      }
    }
    if (id === 'stripe' || id === 'github') {
      const oat = doc.generation['openapi-typescript'];
      const peers = ['orval', 'hey-api'].filter((p) => doc.generation[p] && !doc.generation[p].failures);
      for (const peer of peers)
        verdict(
          ours.ms < doc.generation[peer].ms,
          `${id}: generation faster than ${peer} (${seconds(ours.ms)} vs ${seconds(doc.generation[peer].ms)})`,
        );
      if (oat) {
        verdict(
          ours.ms <= 1.25 * oat.ms,
          `${id}: generation within 1.25× of openapi-typescript types-only (${ratio(ours.ms, oat.ms)})`,
        );
        verdict(
          ours.rssMiB <= 1.25 * oat.rssMiB,
          `${id}: peak memory within 1.25× of openapi-typescript (${ratio(ours.rssMiB, oat.rssMiB)})`,
        );
      }
      if (doc.incremental?.change)
        verdict(
          doc.incremental.change.ms < ours.ms / 10,
          `${id}: one-model change under a tenth of a full run, a new process each time (${ratio(doc.incremental.change.ms, ours.ms)})`,
        );
      const watch = doc.incremental?.watch;
      if (watch)
        verdict(
          watch.change.ms < watch.full.ms / 10,
          `${id}: one-model change under a tenth of a full run, in a running generate --watch (${ratio(watch.change.ms, watch.full.ms)})`,
        );
      if (id === 'github' && doc.incremental)
        verdict(
          doc.incremental.check.ms < 300,
          `github: check with no drift under 0.3 s (${seconds(doc.incremental.check.ms)})`,
        );
    }
  }
  for (const live of report.live ?? []) {
    lines.push(
      `- live, ${live.rows} rows, 3 live queries: change → re-render p50 ${live.p50.toFixed(2)} ms, p99 ${live.p99.toFixed(2)} ms, ${live.bytesPerRow.toFixed(0)} bytes/row${live.coldStartMs === undefined ? '' : `, cold start from SQLite ${live.coldStartMs.toFixed(0)} ms (the three queries' rows shown)`}${live.hydratedMs === undefined ? '' : `, every row in the collection after ${live.hydratedMs.toFixed(0)} ms`}`,
    );
    if (live.rows >= 100_000) {
      verdict(live.p50 < 1, `live: change → re-render p50 under 1 ms at ${live.rows} rows (${live.p50.toFixed(2)} ms)`);
      if (live.coldStartMs !== undefined)
        verdict(
          live.coldStartMs < 1000,
          `live: ${live.rows}-row cold start from SQLite under 1 s (${live.coldStartMs.toFixed(0)} ms)`,
        );
    }
  }
  const shapes = report.shapes;
  if (shapes) {
    lines.push(
      `- dev shape server (${shapes.database}), initial sync of ${shapes.rows} rows to one client: ${shapes.initialRowsPerSecond} rows/s for the shape's first client (${seconds(shapes.initialFirstMs)}), ${shapes.laterRowsPerSecond} rows/s for a later one (${seconds(shapes.initialLaterMs)}); the same rows by one SELECT: ${seconds(shapes.selectMs)}`,
      `- dev shape server, live fan-out: ${shapes.changesPerSecond} changes/s to ${shapes.clients} clients (${shapes.changesPerSecond * shapes.clients} deliveries/s), ${shapes.oneClientChangesPerSecond} changes/s to one`,
    );
    verdict(
      shapes.initialLaterMs < 3 * shapes.selectMs,
      `shapes: a later client's initial sync within 3× one SELECT of the rows (${ratio(shapes.initialLaterMs, shapes.selectMs)})`,
    );
    // clients of one shape share each read of the log: serving 100 must cost far less than 100× one
    verdict(
      shapes.changesPerSecond * shapes.clients >= 5 * shapes.oneClientChangesPerSecond,
      `shapes: fan-out to ${shapes.clients} clients delivers 5× or more the one-client rate (${ratio(shapes.changesPerSecond * shapes.clients, shapes.oneClientChangesPerSecond)})`,
    );
  }
  const partial = report.partial;
  if (partial) {
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
    lines.push(
      `- partial sync (${partial.database}), one project of ${partial.subsetRows} rows out of ${partial.rows} (${partial.projects} projects), cold client: on demand ${partial.onDemand.ms} ms and ${kb(partial.onDemand.bytes)} moved (the collection holds ${partial.onDemand.held} rows); the whole table first ${seconds(partial.whole.ms)} and ${kb(partial.whole.bytes)} (${partial.whole.held} rows); the subset as JSON: ${kb(partial.subsetJsonBytes)}`,
    );
    verdict(
      partial.onDemand.ms < 150,
      `partial: one project's rows from a cold client under 150 ms (${partial.onDemand.ms} ms; the whole table ${ratio(partial.whole.ms, partial.onDemand.ms)} slower)`,
    );
    verdict(
      partial.onDemand.bytes <= 1.2 * partial.subsetJsonBytes,
      `partial: bytes moved at most 1.2× the subset's JSON (${(partial.onDemand.bytes / partial.subsetJsonBytes).toFixed(2)}×; the whole table ${(partial.whole.bytes / partial.subsetJsonBytes).toFixed(1)}×)`,
    );
  }
  return `${lines.join('\n')}\n\n${verdicts.join('\n')}\n`;
}
