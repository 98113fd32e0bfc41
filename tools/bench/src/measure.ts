import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export interface Measured {
  ms: number;
  /** Peak resident set size of the tool's process, in MiB. */
  rssMiB: number;
  ok: boolean;
  /** The last lines the process printed, for a failure report. */
  tail: string;
  stdout: string;
}

const REPORTER = path.join(__dirname, 'rss-reporter.cjs');

/** Runs `node <script> <args>` with the given Node binary: wall time from spawn to exit, and peak RSS. */
export function measure(node: string, script: string, args: string[], cwd: string): Promise<Measured> {
  const scratch = mkdtempSync(path.join(tmpdir(), 'sp-bench-rss-'));
  const rssFile = path.join(scratch, 'rss');
  return new Promise((resolve) => {
    const started = performance.now();
    // NODE_OPTIONS, so that a tool's own Node child processes (Hey API runs its work in one) report too
    const child = spawn(node, [script, ...args], {
      cwd,
      env: {
        ...process.env,
        BENCH_RSS_OUT: rssFile,
        NODE_OPTIONS: `--max-old-space-size=8192 --require ${REPORTER}`,
        FORCE_COLOR: '0',
        CI: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let stdout = '';
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
    child.stdout.on('data', (chunk: Buffer) => {
      keep(chunk);
      stdout += chunk.toString();
    });
    child.stderr.on('data', keep);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      let rss = 0;
      try {
        // one line per process of the tool; the largest is its peak (its processes wait on each other)
        rss = Math.max(0, ...readFileSync(rssFile, 'utf8').split('\n').filter(Boolean).map(Number));
      } catch {
        // the process died before its exit handler ran
      }
      rmSync(scratch, { recursive: true, force: true });
      resolve({ ms, rssMiB: rss / 1024 / 1024, ok: code === 0, tail: output.split('\n').slice(-8).join('\n'), stdout });
    });
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
