/**
 * Answers that stay right while a table has not changed, shared by the requests that ask for the
 * same thing: the table's schema, and a read of a shape's log from an offset. When a change wakes a
 * hundred clients of one shape at the same offset, the log is read once, not a hundred times (as
 * Electric collapses identical requests).
 *
 * An entry is kept with the table's change count (`LiveWaiters.version`) as it was when the work
 * started, and used while the count is the same; a schema is also re-read after `maxAgeMs`, since
 * an ALTER or DROP that no write follows sends no notification.
 */
export class ReadCache {
  private readonly entries = new Map<string, { version: number; at: number; value: Promise<unknown> }>();

  constructor(
    private readonly versionOf: (table: string) => number,
    private readonly maxAgeMs = 5_000,
    private readonly maxEntries = 5_000,
  ) {}

  get<T>(key: string, table: string, load: () => Promise<T>): Promise<T> {
    const version = this.versionOf(table);
    const entry = this.entries.get(key);
    if (entry && entry.version === version && Date.now() - entry.at < this.maxAgeMs) return entry.value as Promise<T>;
    const value = load();
    this.entries.set(key, { version, at: Date.now(), value });
    value.catch(() => this.entries.delete(key));
    if (this.entries.size > this.maxEntries) this.prune();
    return value;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  /** Drops the entries that can no longer be used, then the oldest, down to three quarters. */
  private prune(): void {
    const now = Date.now();
    for (const [key, entry] of this.entries) if (now - entry.at >= this.maxAgeMs) this.entries.delete(key);
    for (const key of this.entries.keys()) {
      if (this.entries.size <= (this.maxEntries * 3) / 4) break;
      this.entries.delete(key);
    }
  }
}
