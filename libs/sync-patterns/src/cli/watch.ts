import { watch } from 'node:fs';
import * as path from 'node:path';

/**
 * Calls `run` whenever a spec file changes: the spec's folder is watched (editors often replace a
 * file rather than write it, and multi-file specs keep their parts beside it), changes to JSON and
 * YAML files are debounced, and runs never overlap — a change during a run triggers one more run.
 * Resolves when `signal` aborts.
 */
export function watchSpec(
  spec: string,
  run: () => Promise<void>,
  signal: AbortSignal,
  debounceMs = 150,
): Promise<void> {
  const dir = path.dirname(path.resolve(spec));
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  const trigger = () => {
    if (running) {
      again = true;
      return;
    }
    running = run().finally(() => {
      running = undefined;
      if (again) {
        again = false;
        trigger();
      }
    });
  };
  const watcher = watch(dir, (_event, name) => {
    if (name && !/\.(ya?ml|json)$/i.test(String(name))) return;
    clearTimeout(timer);
    timer = setTimeout(trigger, debounceMs);
  });
  return new Promise((resolve) => {
    const stop = () => {
      clearTimeout(timer);
      watcher.close();
      resolve();
    };
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
  });
}
