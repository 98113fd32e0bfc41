import { createHash } from 'node:crypto';
import type { Diagnostic } from '../spec/diagnostics';

/**
 * The record of what the generator last wrote: a content hash per file. A file whose bytes still
 * match its hash is ours to replace; one that does not was edited by hand and is kept.
 */
export interface Manifest {
  version: 1;
  files: Record<string, string>;
  /** What the files were generated from (see input-fingerprint.ts), the models and the spec's warnings (as shown: collapseRepeats). */
  inputs?: { fingerprint: string; models: string[]; warnings: Diagnostic[] };
}

export const MANIFEST_PATH = '.sync-patterns/manifest.json';

export function hashContent(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

export function parseManifest(text: string | undefined): Manifest | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Manifest;
    return value && value.version === 1 && typeof value.files === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}

export function serializeManifest(files: Record<string, string>, inputs?: Manifest['inputs']): string {
  const sorted: Record<string, string> = {};
  for (const key of Object.keys(files).sort()) sorted[key] = files[key];
  return JSON.stringify({ version: 1, files: sorted, ...(inputs ? { inputs } : {}) }, null, 2) + '\n';
}
