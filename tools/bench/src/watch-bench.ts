import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { median } from './measure';

export interface WatchResult {
  /** Median time the running process took to regenerate after a save (its own "regenerated in" line). */
  ms: number;
  /** Median from the save to that line: the file-system notice and the 150 ms debounce included. */
  savedToWrittenMs: number;
  runs: number;
}

/**
 * `generate --watch` on `spec`, which is saved `runs` + 1 times with `edit` applied (the first is a
 * warm-up): how long each regeneration takes in a process that stays up. `env` runs it in full
 * (SYNC_PATTERNS_NO_CACHE=1) for the same measurement of a full regeneration.
 */
export async function measureWatch(options: {
  node: string;
  script: string;
  spec: string;
  out: string;
  cwd: string;
  runs: number;
  edit: (run: number) => string;
  env?: Record<string, string>;
  log: (line: string) => void;
}): Promise<WatchResult> {
  const { node, script, spec, out, cwd, runs, edit, log } = options;
  const child = spawn(node, [script, 'generate', '--spec', spec, '--out', out, '--all-models', '--watch', '--quiet'], {
    cwd,
    env: { ...process.env, FORCE_COLOR: '0', ...options.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let pending = '';
  child.stderr.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    for (let i = pending.indexOf('\n'); i >= 0; i = pending.indexOf('\n')) {
      const line = pending.slice(0, i);
      pending = pending.slice(i + 1);
      lines.push(line);
      waiting.splice(0).forEach((resolve) => resolve(line));
    }
  });
  const exited = new Promise<never>((_, reject) =>
    child.on('exit', (code) => reject(new Error(`generate --watch exited (${code}): ${lines.slice(-5).join('\n')}`))),
  );
  const next = (test: (line: string) => boolean, limitMs = 120_000) =>
    Promise.race([
      exited,
      new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`generate --watch: nothing after ${limitMs} ms (${lines.slice(-3).join(' | ')})`)),
          limitMs,
        );
        const wait = (line: string) => (test(line) ? (clearTimeout(timer), resolve(line)) : waiting.push(wait));
        waiting.push(wait);
      }),
    ]);
  try {
    await next((line) => line.includes('watching '));
    const took: number[] = [];
    const saved: number[] = [];
    for (let run = 0; run <= runs; run++) {
      // let the watcher settle: the previous save's events must not debounce into this one
      await new Promise((resolve) => setTimeout(resolve, 400));
      const started = performance.now();
      writeFileSync(spec, edit(run));
      const line = await next((l) => /regenerated in \d+ ms|problem|error/.test(l));
      const ms = Number(/regenerated in (\d+) ms/.exec(line)?.[1] ?? NaN);
      if (Number.isNaN(ms)) throw new Error(`generate --watch: ${line}`);
      log(
        `${run === 0 ? 'warm-up' : `run ${run}/${runs}`}: regenerated in ${ms} ms (${Math.round(performance.now() - started)} ms after the save)`,
      );
      if (run > 0) {
        took.push(ms);
        saved.push(performance.now() - started);
      }
    }
    return { ms: median(took), savedToWrittenMs: median(saved), runs };
  } finally {
    child.kill();
  }
}
