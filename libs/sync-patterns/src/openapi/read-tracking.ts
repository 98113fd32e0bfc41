/**
 * Which component schemas a piece of work reads, for reuse across runs (incremental/): a model
 * library is made again only when a schema it read changed. Every read of another schema's content
 * goes through resolvePointer (deref, objectShape, samples), which tells the recorder of the document
 * it reads. A recorder belongs to one document, so two runs in one process (two Nx api projects,
 * a test beside a watch) never count each other's reads. Binding and emitting never ask what was
 * read: only the reuse layer does, by running work inside `recorder.recording`.
 */
export class ReadRecorder {
  /** Where reads go now: the innermost `recording`, or nowhere. */
  private current: Set<string> | undefined;

  /** The recorder of a document, made on first use. */
  static of(document: object): ReadRecorder {
    let recorder = recorders.get(document);
    if (!recorder) recorders.set(document, (recorder = new ReadRecorder()));
    return recorder;
  }

  /** `work()`, and the schemas it read (which also count as read by any recording around this one). */
  recording<T>(work: () => T): { result: T; reads: Set<string> } {
    const outer = this.current;
    const reads = new Set<string>();
    this.current = reads;
    try {
      return { result: work(), reads };
    } finally {
      this.current = outer;
      if (outer) reads.forEach((name) => outer.add(name));
    }
  }

  /**
   * Work whose result is kept for the whole document (the discriminator scan, the validator names):
   * it reads everything, and what it finds does not change when a schema that nothing else reads does.
   */
  untracked<T>(work: () => T): T {
    const outer = this.current;
    this.current = undefined;
    try {
      return work();
    } finally {
      this.current = outer;
    }
  }

  /** A resolved pointer's segments. */
  note(segments: readonly string[]): void {
    if (this.current !== undefined && segments.length > 2 && segments[0] === 'components' && segments[1] === 'schemas')
      this.current.add(segments[2]);
  }

  replay(reads: ReadonlySet<string>): void {
    if (this.current !== undefined) for (const name of reads) this.current.add(name);
  }
}

const recorders = new WeakMap<object, ReadRecorder>();

/** Called by resolvePointer: a read of `document` at `segments`. */
export function noteRead(document: unknown, segments: readonly string[]): void {
  if (typeof document === 'object' && document !== null) recorders.get(document)?.note(segments);
}

/** ReadRecorder.untracked on `document`'s recorder. */
export function untracked<T>(document: object, work: () => T): T {
  const recorder = recorders.get(document);
  return recorder ? recorder.untracked(work) : work();
}

/**
 * `compute()` once per key, and its reads again on every later call: work kept across models (a
 * response's shape, asked by each model that response could list) still counts as read by each.
 */
export function keptWithReads<K extends object, T>(
  document: object,
  memo: WeakMap<K, { value: T; reads: Set<string> }>,
  key: K,
  compute: () => T,
): T {
  const recorder = ReadRecorder.of(document);
  let kept = memo.get(key);
  if (kept === undefined) {
    const { result, reads } = recorder.recording(compute);
    memo.set(key, (kept = { value: result, reads }));
  } else recorder.replay(kept.reads);
  return kept.value;
}
