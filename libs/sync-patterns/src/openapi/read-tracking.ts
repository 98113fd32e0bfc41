/**
 * Which component schemas a piece of work reads, for the incremental run: a model library is made
 * again only when a schema it read changed. Every read of another schema's content goes through
 * resolvePointer (deref, objectShape, samples), which reports here. Work whose result is kept for
 * the whole document (the discriminator scan, the validator names) runs `untracked`: it reads
 * everything, and what it finds does not change when a schema that nothing else reads does.
 */
let recorder: Set<string> | undefined;

export function recordingReads<T>(work: () => T): { result: T; reads: Set<string> } {
  const outer = recorder;
  const reads = new Set<string>();
  recorder = reads;
  try {
    return { result: work(), reads };
  } finally {
    recorder = outer;
    if (outer) reads.forEach((name) => outer.add(name));
  }
}

export function untracked<T>(work: () => T): T {
  const outer = recorder;
  recorder = undefined;
  try {
    return work();
  } finally {
    recorder = outer;
  }
}

/**
 * `compute()` once per key, and its reads again on every later call: work kept across models (a
 * response's shape, asked by each model that response could list) still counts as read by each.
 */
export function keptWithReads<K extends object, T>(memo: WeakMap<K, { value: T; reads: Set<string> }>, key: K, compute: () => T): T {
  let kept = memo.get(key);
  if (kept === undefined) {
    const { result, reads } = recordingReads(compute);
    memo.set(key, (kept = { value: result, reads }));
  } else if (recorder !== undefined) for (const name of kept.reads) recorder.add(name);
  return kept.value;
}

/** Called with a resolved pointer's segments. */
export function noteRead(segments: readonly string[]): void {
  if (recorder !== undefined && segments.length > 2 && segments[0] === 'components' && segments[1] === 'schemas') recorder.add(segments[2]);
}
