import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { WritePlan } from './plan-write';

/** Reads a file of the output directory as text, or undefined when it does not exist. */
export function fileReader(outDir: string): (file: string) => string | undefined {
  return (file) => {
    const full = resolveInside(outDir, file);
    return existsSync(full) ? readFileSync(full, 'utf8') : undefined;
  };
}

/** A generated path can never leave the output directory, whatever names the spec holds. */
export function resolveInside(outDir: string, file: string): string {
  const root = path.resolve(outDir);
  const full = path.resolve(root, file);
  if (full !== root && !full.startsWith(root + path.sep)) throw new Error(`refusing to write outside ${outDir}: ${file}`);
  return full;
}

/**
 * Applies a plan all or nothing: every new content is staged next to its target first, then the
 * targets are swapped in; if anything fails, the files that were replaced are put back and the
 * staged and new files removed, leaving the directory as it was.
 */
export function applyPlan(outDir: string, plan: WritePlan, hooks: { beforeSwap?: (file: string) => void } = {}): void {
  const tag = `.sp-${process.pid}-${Date.now().toString(36)}`;
  const staged: { target: string; temp: string }[] = [];
  const createdDirs: string[] = [];
  const backups: { target: string; backup: string }[] = [];
  const created: string[] = [];
  try {
    for (const file of plan.writes) {
      const target = resolveInside(outDir, file.path);
      const dir = path.dirname(target);
      if (!existsSync(dir)) {
        const first = mkdirSync(dir, { recursive: true });
        if (first) createdDirs.push(first);
      }
      const temp = `${target}${tag}.tmp`;
      writeFileSync(temp, file.content);
      staged.push({ target, temp });
    }
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
  for (const { backup } of backups) rmSync(backup, { force: true });
}
