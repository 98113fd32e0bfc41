import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { schemaEntryTypes } from './core/emit-core';

export interface EntryRequest {
  openapi: unknown;
  name: string;
  schema: unknown;
}

/** Prints schema entries' types (emit-core.ts `schemaEntryTypes`), one answer per request, in order. */
export interface EntryPrinter {
  print(requests: EntryRequest[]): Promise<(string | undefined)[]>;
}

/** In this thread: loads TypeScript and openapi-typescript when first asked. */
export const inThreadPrinter: EntryPrinter = {
  print: async (requests) => requests.map((r) => schemaEntryTypes(r.openapi, r.name, r.schema)),
};

/**
 * In a worker thread, which starts loading TypeScript and openapi-typescript (a tenth of a second
 * and more) at once, while this thread reads the spec and binds the models. An incremental run
 * needs the printer only for the few entries that changed, but it needs it: without the worker,
 * loading it would be the longest step of such a run. Any failure of the worker falls back to
 * printing here.
 */
let shared: EntryPrinter | undefined;

/** One worker printer per process: a long-running one (`--watch`) keeps it loaded between runs. */
export function sharedWorkerPrinter(): EntryPrinter {
  return (shared ??= workerPrinter());
}

function workerPrinter(): EntryPrinter {
  let worker: Worker | undefined;
  try {
    const file = require.resolve('./entry-printer-worker');
    // the compiled package only: run from its TypeScript sources (this repository's tests), the
    // worker would need swc's native transpiler in a thread, which does not survive being stopped
    if (!file.endsWith('.js')) return inThreadPrinter;
    worker = new Worker(path.resolve(file));
    worker.unref();
    worker.on('error', () => (worker = undefined));
  } catch {
    return inThreadPrinter;
  }
  let next = 0;
  const waiting = new Map<number, (answer: (string | undefined)[] | undefined) => void>();
  worker.on('message', (message: { id: number; blocks?: (string | undefined)[] }) => {
    waiting.get(message.id)?.(message.blocks);
    waiting.delete(message.id);
  });
  worker.on('exit', () => {
    for (const resolve of waiting.values()) resolve(undefined);
    waiting.clear();
    worker = undefined;
  });
  return {
    async print(requests) {
      if (!worker) return inThreadPrinter.print(requests);
      const id = next++;
      const answer = await new Promise<(string | undefined)[] | undefined>((resolve) => {
        waiting.set(id, resolve);
        worker!.postMessage({ id, requests });
      });
      return answer ?? inThreadPrinter.print(requests);
    },
  };
}
