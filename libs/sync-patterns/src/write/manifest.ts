import { createHash } from 'node:crypto';
import type { Diagnostic } from '../openapi/diagnostics';
import { pointer } from '../openapi/json-pointer';
import { OutputError } from './output-error';

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

/**
 * The manifest's record, checked entry by entry: it lives in the output folder, where anyone who can
 * commit to it can edit it, and its paths lead writes and deletes (with --prune). Undefined when
 * there is none; one that is not what sync-patterns writes is refused with an OutputError naming
 * the entry (`where`: the output folder, for the message).
 */
export function parseManifest(text: string | undefined, where = 'the output folder'): Manifest | undefined {
  if (text === undefined || text === '') return undefined;
  const refuse = (pointer: string, problem: string) =>
    new OutputError(
      `${where}/${MANIFEST_PATH}${pointer ? ` ${printable(pointer)}` : ''}: ${problem}, so nothing was written`,
      'the manifest records what sync-patterns wrote; it was edited or damaged: restore it from version control, or delete it (files that then differ from what the spec gives are kept as hand edits until --force, and none is pruned)',
    );
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw refuse('', `not valid JSON (${(error as Error).message})`);
  }
  if (!isRecord(value)) throw refuse('', 'not a JSON object');
  if (value['version'] !== 1)
    throw refuse('#/version', `version ${JSON.stringify(value['version'])} is not one this sync-patterns reads (1)`);
  const files = value['files'];
  if (!isRecord(files)) throw refuse('#/files', 'not an object of paths and hashes');
  // no prototype: an entry named `constructor` or `__proto__` is an entry like any other
  const checked: Record<string, string> = Object.create(null);
  for (const [file, hash] of Object.entries(files)) {
    const problem = pathProblem(file);
    if (problem) throw refuse(pointer('files', file), `${JSON.stringify(file)} ${problem}`);
    if (typeof hash !== 'string')
      throw refuse(pointer('files', file), `the hash of ${JSON.stringify(file)} is not a string`);
    checked[file] = hash;
  }
  const inputs = value['inputs'];
  if (inputs !== undefined && !isInputs(inputs))
    throw refuse('#/inputs', 'not the record of a run (fingerprint, models, warnings)');
  return {
    version: 1,
    files: checked,
    ...(inputs !== undefined
      ? { inputs: { ...inputs, models: inputs.models ?? [], warnings: inputs.warnings ?? [] } }
      : {}),
  };
}

/** Why a manifest path is not one of a file the generator writes inside the output folder, or undefined. */
function pathProblem(file: string): string | undefined {
  if (file === '' || file.startsWith('/') || /^[A-Za-z]:/.test(file)) return 'is not a relative path';
  if (file.includes('\\') || file.includes('\0')) return 'holds a backslash or a NUL';
  const segments = file.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..'))
    return 'is not a plain path inside the output folder (an empty, `.` or `..` part)';
  if (segments[0] === '.sync-patterns') return "names sync-patterns' own folder, where no generated file lives";
  return undefined;
}

function isInputs(value: unknown): value is { fingerprint: string; models?: string[]; warnings?: Diagnostic[] } {
  if (!isRecord(value) || typeof value['fingerprint'] !== 'string') return false;
  const { models, warnings } = value;
  // (older manifests have no models or warnings)
  return (
    (models === undefined || (Array.isArray(models) && models.every((m) => typeof m === 'string'))) &&
    (warnings === undefined ||
      (Array.isArray(warnings) && warnings.every((w) => isRecord(w) && typeof w['message'] === 'string')))
  );
}

/** Control characters escaped: an entry's name reaches the terminal. */
const printable = (text: string) =>
  text.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

export function serializeManifest(files: Record<string, string>, inputs?: Manifest['inputs']): string {
  const sorted: Record<string, string> = {};
  for (const key of Object.keys(files).sort()) sorted[key] = files[key];
  return JSON.stringify({ version: 1, files: sorted, ...(inputs ? { inputs } : {}) }, null, 2) + '\n';
}
