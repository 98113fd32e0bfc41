/**
 * Live requests waiting for a table to change, woken by the change log's NOTIFY. Each table has a
 * count of the changes seen: a reader notes it before reading the log, and a wait from that count
 * returns at once if a change came in between (no wake-up is lost while nobody was waiting).
 */
export class LiveWaiters {
  private readonly waiting = new Map<string, Set<(woken: boolean) => void>>();
  private readonly seen = new Map<string, number>();

  /** The table's change count, to note before reading the log. */
  version(table: string): number {
    return this.seen.get(table) ?? 0;
  }

  /**
   * Resolves true on the next change of `table` (at once if one came since `since`), false after
   * `timeoutMs` or when `signal` aborts.
   */
  wait(table: string, timeoutMs: number, signal: AbortSignal, since?: number): Promise<boolean> {
    if (since !== undefined && this.version(table) !== since) return Promise.resolve(true);
    return new Promise((resolve) => {
      const set = this.waiting.get(table) ?? new Set();
      this.waiting.set(table, set);
      const done = (woken: boolean) => {
        clearTimeout(timer);
        set.delete(done);
        signal.removeEventListener('abort', aborted);
        resolve(woken);
      };
      const aborted = () => done(false);
      const timer = setTimeout(() => done(false), timeoutMs);
      signal.addEventListener('abort', aborted);
      set.add(done);
    });
  }

  wake(table: string): void {
    this.seen.set(table, this.version(table) + 1);
    for (const done of [...(this.waiting.get(table) ?? [])]) done(true);
  }

  /** Answers every waiting request (the server is closing). */
  wakeAll(): void {
    for (const table of this.waiting.keys()) for (const done of [...this.waiting.get(table)!]) done(true);
  }
}
