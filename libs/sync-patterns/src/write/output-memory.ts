import type { KeptSpec } from '../incremental/patched-spec';
import { bytesOf, type KnownBytes } from './file-bytes';
import { hashContent } from './manifest';
import { fileReader, outputStat } from './write-files';
import type { WritePlan } from './plan-write';

/**
 * What a long-running generator (`--watch`) knows of its output folder between runs: each file's
 * content and hash as it last read or wrote it, with the file's size and modification time then.
 * A file whose size and time are unchanged is taken from memory (a thousand files are not read and
 * hashed again on every save); any other — edited, replaced, touched — is read from disk, so a
 * hand edit is seen as in a fresh run.
 */
export class OutputMemory {
  private readonly files = new Map<
    string,
    { content: string; hash?: string; size: number; mtimeMs: number; bytes?: Buffer }
  >();
  /** This run's stat of each file: the reader, the incremental emit and the run's record all ask. */
  private readonly stats = new Map<string, [number, number] | undefined>();
  /** The last run's record (incremental/incremental-state.ts) and document, for the next run in this process. */
  private kept: KeptSpec | undefined;
  /** Writing that record to disk (for a later process) waits until the run has answered. */
  private pending: (() => void) | undefined;

  /**
   * `acrossRuns` false: for one run only (every file read once, its hash worked out once, stat'ed
   * only where the run asks); nothing is kept for a next run.
   */
  constructor(
    private readonly outDir: string,
    readonly acrossRuns = true,
  ) {}

  /** Keeps a run's record and document for the next run here; `write` puts the record on disk once the run is over. */
  keep(kept: KeptSpec, write: () => void): void {
    this.kept = kept;
    const first = this.pending === undefined;
    this.pending = write;
    if (first) setImmediate(() => this.flush());
  }

  /** What the last run here kept, when its record describes the output with this fingerprint. */
  keptFor(fingerprint: string): KeptSpec | undefined {
    return this.kept?.state.state.fingerprint === fingerprint ? this.kept : undefined;
  }

  /** Writes the kept record now (before the process ends). */
  flush(): void {
    const write = this.pending;
    this.pending = undefined;
    write?.();
  }

  /** A reader of the output folder, for one run. */
  reader(): (file: string) => string | undefined {
    this.stats.clear();
    const disk = fileReader(this.outDir);
    if (!this.acrossRuns) {
      return (file) => {
        const known = this.files.get(file);
        if (known) return known.content;
        const content = disk(file);
        if (content !== undefined) this.files.set(file, { content, size: -1, mtimeMs: -1 });
        return content;
      };
    }
    // looked at once per run: the incremental emit and the plan read the same files
    const seen = new Set<string>();
    return (file) => {
      const known = this.files.get(file);
      if (known && seen.has(file)) return known.content;
      seen.add(file);
      const stat = this.stat(file);
      if (!stat) {
        this.files.delete(file);
        return undefined;
      }
      const [size, mtimeMs] = stat;
      if (known && known.size === size && known.mtimeMs === mtimeMs) return known.content;
      const content = disk(file);
      if (content === undefined) this.files.delete(file);
      else this.files.set(file, { content, size, mtimeMs });
      return content;
    };
  }

  /** sha256 of a file's content as read through `reader`, worked out once. */
  hashOf(file: string, content: string): string {
    const known = this.files.get(file);
    if (known && known.content === content) return (known.hash ??= hashContent(content));
    return hashContent(content);
  }

  /** A large file's text and bytes as this process last wrote them (a basis to encode its next version from). */
  knownBytes(file: string): KnownBytes | undefined {
    const known = this.files.get(file);
    return known?.bytes && { content: known.content, bytes: known.bytes };
  }

  /** After a plan was applied: what it wrote and deleted. */
  applied(plan: WritePlan): void {
    for (const file of plan.writes) this.stats.delete(file.path);
    for (const file of plan.deletes) this.stats.delete(file);
    if (!this.acrossRuns) return;
    for (const file of plan.writes) {
      const stat = this.stat(file.path);
      const written = bytesOf(file);
      const bytes = typeof written === 'string' ? undefined : written;
      if (stat)
        this.files.set(file.path, {
          content: file.content,
          hash: plan.hashes[file.path],
          size: stat[0],
          mtimeMs: stat[1],
          bytes,
        });
    }
    for (const file of plan.deletes) this.files.delete(file);
  }

  /** Size and modification time of an output file (undefined when missing), taken once per run until the run writes it. */
  stat(file: string): [number, number] | undefined {
    if (!this.stats.has(file)) this.stats.set(file, outputStat(this.outDir, file));
    return this.stats.get(file);
  }
}
