import type { FileChange, Tree } from '@nx/devkit';
import { readdirSync, readFileSync, statSync, type Mode } from 'node:fs';
import * as path from 'node:path';

type WriteOptions = NonNullable<FileChange['options']>;
/** A pending write, or null for a pending delete (of a file or a whole folder). */
type Change = { content: Buffer; options?: WriteOptions } | null;

/** @nx/devkit's Tree over the workspace on disk, changes held in memory until flushTree writes them (@nx/devkit exports no FsTree). */
export class WorkspaceTree implements Tree {
  // insertion-ordered, keyed by normalized workspace-relative path
  private readonly changes = new Map<string, Change>();
  /** Folders deleted only because their last entry was (nothing of the disk's left in them): writing into one brings it back. */
  private readonly emptied = new Set<string>();

  constructor(readonly root: string) {}

  read(filePath: string): Buffer | null;
  read(filePath: string, encoding: BufferEncoding): string | null;
  read(filePath: string, encoding?: BufferEncoding): Buffer | string | null {
    const file = this.normalize(filePath);
    const content = this.changes.get(file)?.content ?? (this.gone(file) ? null : this.readDisk(file));
    return content && encoding ? content.toString(encoding) : content;
  }

  write(filePath: string, content: Buffer | string, options?: WriteOptions): void {
    const file = this.normalize(filePath);
    const buffer = Buffer.from(content);
    for (let dir = path.posix.dirname(file); dir !== '.'; dir = path.posix.dirname(dir))
      if (this.emptied.delete(dir)) this.changes.delete(dir);
    // writing back what the disk holds is no change (as in Nx's FsTree): listChanges is what --check calls drift
    if (!options?.mode && !this.gone(path.posix.dirname(file)) && this.readDisk(file)?.equals(buffer))
      this.changes.delete(file);
    else this.changes.set(file, options ? { content: buffer, options } : { content: buffer });
  }

  exists(filePath: string): boolean {
    const file = this.normalize(filePath);
    if (this.changes.get(file) || this.writesUnder(file)) return true;
    return !this.gone(file) && this.onDisk(file);
  }

  delete(filePath: string): void {
    const file = this.normalize(filePath);
    // pending writes inside are dropped with the folder; deletes stay listed, so Nx's project lookups on this tree see each project.json go
    for (const key of this.changes.keys()) if (key.startsWith(`${file}/`)) this.changes.set(key, null);
    this.changes.set(file, null);
    // a folder left empty goes too, as with Nx's FsTree
    const parent = path.posix.dirname(file);
    if (file !== '' && parent !== '.' && this.children(parent).length === 0) {
      this.delete(parent);
      this.emptied.add(parent);
    }
  }

  rename(from: string, to: string): void {
    const source = this.normalize(from);
    const target = this.normalize(to);
    if (source === target) return;
    if (this.isFile(source)) {
      const content = this.read(source);
      if (content) this.write(target, content);
      this.delete(source);
      return;
    }
    for (const child of this.children(source)) this.rename(`${source}/${child}`, `${target}/${child}`);
  }

  isFile(filePath: string): boolean {
    const file = this.normalize(filePath);
    if (this.changes.get(file)) return true;
    if (this.gone(file) || this.writesUnder(file)) return false;
    try {
      return statSync(this.absolute(file)).isFile();
    } catch {
      return false;
    }
  }

  children(dirPath: string): string[] {
    const dir = this.normalize(dirPath);
    const prefix = dir === '' ? '' : `${dir}/`;
    const names = new Set<string>(this.gone(dir) ? [] : this.readDir(dir));
    for (const [key, change] of this.changes)
      if (change && key.startsWith(prefix)) names.add(key.slice(prefix.length).split('/')[0]);
    // a deleted entry is hidden unless something was written inside it since
    return [...names].filter((name) => this.changes.get(prefix + name) !== null || this.writesUnder(prefix + name));
  }

  /** Deletes first, then writes: a folder deleted and written into again is emptied before the new files land. */
  listChanges(): FileChange[] {
    const deletes: FileChange[] = [];
    const writes: FileChange[] = [];
    for (const [file, change] of this.changes) {
      // deleting what never reached the disk is no change
      if (change === null) {
        if (this.onDisk(file)) deletes.push({ path: file, type: 'DELETE', content: null });
        continue;
      }
      writes.push({
        path: file,
        type: this.onDisk(file) ? 'UPDATE' : 'CREATE',
        content: change.content,
        ...(change.options ? { options: change.options } : {}),
      });
    }
    return [...deletes, ...writes];
  }

  changePermissions(filePath: string, mode: Mode): void {
    const file = this.normalize(filePath);
    const change = this.changes.get(file);
    if (change) {
      this.changes.set(file, { content: change.content, options: { mode } });
      return;
    }
    const content = this.isFile(file) ? this.readDisk(file) : null;
    if (!content) throw new Error(`cannot change the permissions of ${file}: no such file`);
    this.changes.set(file, { content, options: { mode } });
  }

  /** Workspace-relative with `/`, as Nx keys paths ("/a", "./a" and "a" are one file); a path leaving the root stays visible as `../…` for confineChanges to refuse. */
  private normalize(file: string): string {
    return path.relative(this.root, path.join(this.root, file)).split(path.sep).join('/');
  }

  /** Deleted in this tree, itself or a folder above it: the disk's copy no longer counts. */
  private gone(file: string): boolean {
    for (let at = file; at !== '' && at !== '.'; at = path.posix.dirname(at))
      if (this.changes.get(at) === null) return true;
    return false;
  }

  private writesUnder(dir: string): boolean {
    const prefix = dir === '' ? '' : `${dir}/`;
    for (const [key, change] of this.changes) if (change && key.startsWith(prefix)) return true;
    return false;
  }

  private absolute(file: string): string {
    return path.join(this.root, file);
  }

  private readDisk(file: string): Buffer | null {
    try {
      return readFileSync(this.absolute(file));
    } catch {
      return null; // missing, or a folder
    }
  }

  private readDir(dir: string): string[] {
    try {
      return readdirSync(this.absolute(dir));
    } catch {
      return [];
    }
  }

  private onDisk(file: string): boolean {
    try {
      const stat = statSync(this.absolute(file));
      return stat.isFile() || stat.isDirectory();
    } catch {
      return false;
    }
  }
}
