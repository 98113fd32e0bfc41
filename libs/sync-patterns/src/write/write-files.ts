import { existsSync, lstatSync, readFileSync, renameSync, rmSync, statSync, type Stats } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { bytesOf } from './file-bytes';
import { OutputError } from './output-error';
import type { WritePlan } from './plan-write';

/** Reads a file of the output directory as text, or undefined when it does not exist. */
export function fileReader(outDir: string): (file: string) => string | undefined {
  return (file) => {
    const full = resolveInside(outDir, file);
    let info: Stats;
    try {
      info = statSync(full);
    } catch {
      return undefined;
    }
    // a folder (or a device…) where the manifest or the plan expects a file
    if (!info.isFile()) {
      throw new OutputError(
        `${path.relative(process.cwd(), full) || full} is not a file, where sync-patterns expects one it wrote`,
        'move it out of the output folder, or remove its entry from the manifest (.sync-patterns/manifest.json) if it was edited',
      );
    }
    return readFileSync(full, 'utf8');
  };
}

/** Size and modification time of an output file, undefined when it is missing. */
export function outputStat(outDir: string, file: string): [number, number] | undefined {
  try {
    const { size, mtimeMs } = statSync(resolveInside(outDir, file));
    return [size, mtimeMs];
  } catch {
    return undefined;
  }
}

/**
 * A generated path can never leave the output directory, whatever names the spec or a tampered
 * manifest hold: by its text, and on disk — no directory on the way from the output folder to it,
 * and not the file itself, may be a symlink, which would lead a write, a read or a prune anywhere.
 * (The output folder itself may be one: the user chose it.) `label` names the folder in messages.
 */
export function resolveInside(outDir: string, file: string, label = 'the output folder'): string {
  const root = path.resolve(outDir);
  const full = path.resolve(root, file);
  if (full !== root && !full.startsWith(root + path.sep)) {
    throw new OutputError(
      `refusing to write outside ${outDir}: ${file}`,
      'a generated path never leaves --out: remove the entry from the manifest (.sync-patterns/manifest.json) if it was edited',
    );
  }
  for (let at = full; at !== root; at = path.dirname(at)) {
    let link = false;
    try {
      link = lstatSync(at).isSymbolicLink();
    } catch {
      continue; // not there yet: written as a plain file or folder
    }
    if (link) {
      throw new OutputError(
        `refusing to follow a symlink inside ${label}: ${path.relative(process.cwd(), at) || at}`,
        `generated files and folders are never links; remove the link (sync-patterns writes the real files in its place)`,
      );
    }
  }
  return full;
}

/**
 * File operations in flight at once. A generation writes hundreds of small files; one at a time,
 * each waits for the disk (Stripe: 0.85 s of a 2 s run on this machine's disk), while a few in
 * flight overlap those waits (libuv runs four at a time).
 */
const IN_FLIGHT = 16;

async function eachLimited<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  const worker = async () => {
    while (next < items.length && !failures.length) {
      const item = items[next++];
      await work(item).catch((error: unknown) => void failures.push(error));
    }
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, items.length) }, worker));
  if (failures.length) throw failures[0];
}

/**
 * Applies a plan all or nothing. Into a directory that does not exist yet, the whole tree is
 * written beside it and renamed into place at once. Otherwise every new content is staged next to
 * its target first, then the targets are swapped in; if anything fails, the files that were
 * replaced are put back and the staged and new files removed, leaving the directory as it was.
 */
export async function applyPlan(
  outDir: string,
  plan: WritePlan,
  hooks: { beforeSwap?: (file: string) => void } = {},
): Promise<void> {
  const tag = `.sp-${process.pid}-${Date.now().toString(36)}`;
  const root = path.resolve(outDir);
  if (!existsSync(root) && !plan.deletes.length && !hooks.beforeSwap) return writeFresh(root, plan, tag);
  const staged: { target: string; temp: string }[] = [];
  const createdDirs: string[] = [];
  const backups: { target: string; backup: string }[] = [];
  const created: string[] = [];
  try {
    const targets = plan.writes.map((file) => ({ target: resolveInside(outDir, file.path), content: bytesOf(file) }));
    for (const dir of [...new Set(targets.map((t) => path.dirname(t.target)))].sort()) {
      if (existsSync(dir)) continue;
      const first = await mkdir(dir, { recursive: true });
      if (first) createdDirs.push(first);
    }
    await eachLimited(targets, async ({ target, content }) => {
      const temp = `${target}${tag}.tmp`;
      staged.push({ target, temp });
      await writeFile(temp, content);
    });
    for (const file of plan.deletes) {
      const target = resolveInside(outDir, file);
      const backup = `${target}${tag}.bak`;
      renameSync(target, backup);
      backups.push({ target, backup });
    }
    for (const { target, temp } of staged) {
      hooks.beforeSwap?.(target);
      if (existsSync(target)) {
        const backup = `${target}${tag}.bak`;
        renameSync(target, backup);
        backups.push({ target, backup });
      } else {
        created.push(target);
      }
      renameSync(temp, target);
    }
  } catch (error) {
    for (const { temp } of staged) rmSync(temp, { force: true });
    for (const target of created) rmSync(target, { force: true });
    for (const { target, backup } of backups.reverse()) if (existsSync(backup)) renameSync(backup, target);
    for (const dir of createdDirs.reverse()) rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  await eachLimited(backups, ({ backup }) => rm(backup, { force: true }));
}

/** A new output directory: written whole beside its place, then renamed there in one step. */
async function writeFresh(root: string, plan: WritePlan, tag: string): Promise<void> {
  const staging = `${root}${tag}`;
  const parentCreated = await mkdir(path.dirname(root), { recursive: true });
  try {
    const targets = plan.writes.map((file) => ({
      target: path.join(staging, path.relative(root, resolveInside(root, file.path))),
      content: bytesOf(file),
    }));
    for (const dir of [...new Set(targets.map((t) => path.dirname(t.target)))].sort())
      await mkdir(dir, { recursive: true });
    await eachLimited(targets, ({ target, content }) => writeFile(target, content));
    await rename(staging, root);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (parentCreated) rmSync(parentCreated, { recursive: true, force: true });
    throw error;
  }
}
