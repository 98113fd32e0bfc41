import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { PreviousOutput } from '../emit/sqlite/emit-migrations';
import type { BuildOptions } from '../model/build-model';
import type { Diagnostic } from '../openapi/diagnostics';
import type { RefPolicy } from '../openapi/confined-refs';
import { OUTPUT_STYLE } from '../typescript/output-style';
import { inputFingerprint } from '../write/input-fingerprint';

/** What a run is asked: the spec, the output folder, what shapes the output, and where progress goes. */
export interface PipelineOptions extends BuildOptions {
  spec: string;
  /** Where the spec's `$ref`s may lead (files inside its folder; remote hosts only when allowed). */
  refs?: RefPolicy;
  out: string;
  /** How model libraries import the core library (an Nx workspace uses its path alias). */
  coreImport?: string;
  /** Progress lines (stage, counts, time). */
  log?: (line: string) => void;
  /**
   * Warnings about the spec or the options (e.g. a filter that matches nothing), as lines, with the
   * warning each line says (repeats of one kind are summed up in one: collapseRepeats); default: `log`.
   */
  warn?: (line: string, diagnostic: Diagnostic) => void;
  /** Reads the previous generation's files (SQLite migrations are carried over); default: from `out`. */
  previous?: PreviousOutput;
}

/** The options that shape the output, with how headers name the spec: what fingerprints cover. */
export function shaping(options: PipelineOptions) {
  const { models, allModels, apiName, filters, coreImport } = options;
  const specLabel = path.relative(path.resolve(options.out), path.resolve(options.spec)).split(path.sep).join('/');
  // compact output is another output of the same inputs (typescript/output-style.ts)
  return {
    specLabel,
    models,
    allModels,
    apiName,
    filters,
    coreImport,
    ...(OUTPUT_STYLE === 'compact' ? { style: OUTPUT_STYLE } : {}),
  };
}

/** The fingerprint of the inputs (write/input-fingerprint.ts), from the spec's bytes as read, else as they are now. */
export function fingerprintOf(options: PipelineOptions, specBytes?: string | Buffer): string | undefined {
  let text = specBytes;
  try {
    text ??= readFileSync(options.spec);
  } catch {
    return undefined;
  }
  return inputFingerprint(text, shaping(options));
}
