/** Long-polls waiting for a table to change, woken by the change log's NOTIFY. */
export class LiveWaiters {
  private readonly waiting = new Map<string, Set<() => void>>();

  /** Resolves on the next change of `table`, after `timeoutMs`, or when `signal` aborts. */
  wait(table: string, timeoutMs: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const set = this.waiting.get(table) ?? new Set();
      this.waiting.set(table, set);
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal.addEventListener('abort', done);
      set.add(done);
    });
  }

  wake(table: string): void {
    for (const done of [...(this.waiting.get(table) ?? [])]) done();
  }

  wakeAll(): void {
    for (const table of this.waiting.keys()) this.wake(table);
  }
}
