import type { GeneratedFile } from '../emit/file-set';
import { bytesOf, type KnownBytes } from './file-bytes';
import { MANIFEST_PATH, hashContent, parseManifest, serializeManifest, type Manifest } from './manifest';

/** What applying a file set would do, decided before anything is touched. */
export interface WritePlan {
  create: GeneratedFile[];
  update: GeneratedFile[];
  unchanged: string[];
  /** Generated before, no longer generated, untouched since: deleted only with `prune`. */
  stale: string[];
  /** Files whose bytes differ from what the generator last wrote: hand edits (or files it never wrote). */
  handEdited: string[];
  /** The files to write, manifest included, when the plan is applied. */
  writes: GeneratedFile[];
  deletes: string[];
  /** The manifest's hashes after the plan (the file's own, or what was generated where it was edited). */
  hashes: Record<string, string>;
  /** The manifest's text after the plan, and the inputs it records. */
  manifest: string;
  inputs?: Manifest['inputs'];
}

export interface PlanOptions {
  /** The output folder, as messages name it (a manifest that is not one sync-patterns wrote is refused). */
  where?: string;
  /** Overwrite hand-edited files. */
  force?: boolean;
  /** Delete files the generator wrote before but no longer produces (all of them, or those the function picks). */
  prune?: boolean | ((path: string) => boolean);
  /**
   * Paths left exactly as they are: not written, not deleted, not reported, their manifest entries
   * kept. How one library is regenerated while another (held for hand edits, or not asked for) is not.
   */
  frozen?: (path: string) => boolean;
  /** Recorded in the manifest: what this file set was generated from (the CLI's fast up-to-date check). */
  inputs?: Manifest['inputs'];
  /** sha256 of a file's current content, where the caller has worked it out already; default: hashed here. */
  hashOf?: (path: string, content: string) => string;
  /** A file's earlier text and bytes, where the caller keeps them: a large file is then encoded only where it changed. */
  known?: (path: string) => KnownBytes | undefined;
}

/**
 * Compares the new file set with what is on disk (read through `read`, which returns undefined for
 * a missing file). Pure apart from those reads, so the filesystem writer and the Nx Tree writer
 * share it.
 */
export function planWrite(
  files: GeneratedFile[],
  read: (path: string) => string | undefined,
  options: PlanOptions = {},
): WritePlan {
  const manifest = parseManifest(read(MANIFEST_PATH), options.where);
  const previous = manifest?.files ?? {};
  const hashes: Record<string, string> = {};
  const plan: WritePlan = {
    create: [],
    update: [],
    unchanged: [],
    stale: [],
    handEdited: [],
    writes: [],
    deletes: [],
    hashes,
    manifest: '',
    ...(options.inputs ? { inputs: options.inputs } : {}),
  };
  const hashOf = options.hashOf ?? ((_: string, content: string) => hashContent(content));
  const produced = new Set<string>();

  const frozen = options.frozen ?? (() => false);
  for (const file of files) {
    if (frozen(file.path)) continue;
    produced.add(file.path);
    if (file.onDisk && file.hash !== undefined && previous[file.path] === file.hash) {
      plan.unchanged.push(file.path);
      hashes[file.path] = file.hash;
      continue;
    }
    const hash = file.hash ?? hashContent(bytesOf(file, options.known?.(file.path)));
    const current = read(file.path);
    if (file.appendOnly && current !== undefined) {
      // written once and never again (a migration may have run on devices); an edit is still reported
      const edited = previous[file.path] !== undefined && previous[file.path] !== hashContent(current);
      if (edited && !options.force) {
        plan.handEdited.push(file.path);
        hashes[file.path] = previous[file.path];
      } else {
        plan.unchanged.push(file.path);
        hashes[file.path] = hashContent(current);
      }
    } else if (current === undefined) {
      plan.create.push(file);
      hashes[file.path] = hash;
    } else if (current === file.content) {
      plan.unchanged.push(file.path);
      hashes[file.path] = hash;
    } else if (previous[file.path] === hashOf(file.path, current) || options.force) {
      plan.update.push(file);
      hashes[file.path] = hash;
    } else {
      plan.handEdited.push(file.path);
      // keep remembering what we generated, so the edit stays visible on the next run too
      if (previous[file.path]) hashes[file.path] = previous[file.path];
    }
  }
  for (const path of Object.keys(previous).sort()) {
    if (produced.has(path)) continue;
    if (frozen(path)) {
      hashes[path] = previous[path];
      continue;
    }
    const current = read(path);
    if (current === undefined) continue;
    if (hashContent(current) !== previous[path] && !options.force) {
      plan.handEdited.push(path);
      hashes[path] = previous[path];
    } else if (options.prune === true || (typeof options.prune === 'function' && options.prune(path))) {
      plan.deletes.push(path);
    } else {
      plan.stale.push(path);
      hashes[path] = previous[path];
    }
  }
  plan.writes = [...plan.create, ...plan.update];
  plan.manifest = serializeManifest(hashes, options.inputs);
  if (read(MANIFEST_PATH) !== plan.manifest) plan.writes.push({ path: MANIFEST_PATH, content: plan.manifest });
  return plan;
}

/** True when applying the plan would change nothing on disk. */
export function isNoop(plan: WritePlan): boolean {
  return plan.writes.length === 0 && plan.deletes.length === 0;
}
