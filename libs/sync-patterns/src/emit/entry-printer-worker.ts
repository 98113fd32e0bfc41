// The worker of entry-printer.ts: loads the printer at once, then prints what it is sent.
/* eslint-disable @typescript-eslint/no-require-imports -- the compile cache first, then the modules it covers */
require('node:module').enableCompileCache?.();
const { parentPort } = require('node:worker_threads') as typeof import('node:worker_threads');
const { schemaEntryTypes } = require('./core/emit-core') as typeof import('./core/emit-core');
const { openapiTypescriptTransform } =
  require('../json-schema/openapi-typescript-transform') as typeof import('../json-schema/openapi-typescript-transform');
/* eslint-enable @typescript-eslint/no-require-imports */
import type { EntryRequest } from './entry-printer';

openapiTypescriptTransform();

parentPort?.on('message', ({ id, requests }: { id: number; requests: EntryRequest[] }) => {
  let blocks: (string | undefined)[] | undefined;
  try {
    blocks = requests.map((r) => schemaEntryTypes(r.openapi, r.name, r.schema));
  } catch {
    blocks = undefined; // the main thread prints them itself, and reports what fails there
  }
  parentPort?.postMessage({ id, blocks });
});
