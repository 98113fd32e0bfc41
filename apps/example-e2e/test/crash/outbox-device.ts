/**
 * One run of an app on a "device", as its own process so a test can SIGKILL it anywhere: the
 * committed generated client (Todo in live mode), a SQLite file, the real example API. It makes
 * the writes it is told to, printing `made <title>` once each is durable (in the outbox, or
 * already confirmed into the local table), then waits for its outbox to drain and prints what it
 * ends with as one `result <json>` line.
 *
 * Faults, per run (device-network.ts): the shape stream answering late (`shapeLagMs`: writes get
 * ahead of it), writes that cannot reach the API (`writesDown`), and from the n-th write on answers
 * that never come (`hangWritesFrom`: the API did the write, the device never hears of it).
 */
import { configureExampleApi } from '@sync-patterns/example-api-core';
import { todoCollection, todoLiveStatus, todoRowFromInput, type Todo } from '@sync-patterns/example-api-todo';
import { waitUntil } from '@sync-patterns/runtime';
import { betterSqlite3Driver } from '@sync-patterns/runtime/sqlite';
import { QueryClient } from '@tanstack/react-query';
import Database from 'better-sqlite3';
import { faultyDeviceNetwork, type NetworkFaults } from './device-network';

export interface DevicePlan extends NetworkFaults {
  apiUrl: string;
  /** The signed-in user's headers (`Authorization: Bearer …`), sent with every request, shapes too. */
  headers: Record<string, string>;
  dbFile: string;
  projectId: string;
  /** Writes in order: a todo made with its first title (unless it exists), then renamed to each of the others. */
  todos: { id: string; titles: string[]; existing?: boolean }[];
  /**
   * Makes no write after this many (printing `paused`) while the outbox goes on draining: a test
   * that kills the device then knows exactly which writes were made.
   */
  pauseAfter?: number;
}

const plan = JSON.parse(process.argv[2]) as DevicePlan;

async function main() {
  const database = new Database(plan.dbFile);
  configureExampleApi({
    baseUrl: plan.apiUrl,
    headers: plan.headers,
    fetch: faultyDeviceNetwork(plan),
    localDatabase: betterSqlite3Driver(database),
  });
  const queryClient = new QueryClient();
  const collection = todoCollection(queryClient);
  const status = todoLiveStatus(queryClient);
  await collection.toArrayWhenReady();

  const durable = (title: string) => {
    const needle = `%${JSON.stringify(title)}%`;
    const queued = database.prepare(`SELECT 1 FROM sync_patterns_outbox WHERE body LIKE ?`).get(needle);
    const saved = database.prepare(`SELECT 1 FROM todos WHERE title = ?`).get(title);
    return queued !== undefined || saved !== undefined;
  };
  let count = 0;
  const made = async (title: string) => {
    console.log(`made ${title}`);
    if (++count !== plan.pauseAfter) return;
    console.log('paused');
    await new Promise(() => undefined);
  };
  for (const todo of plan.todos) {
    const first = todo.existing ? undefined : todo.titles[0];
    const renames = todo.existing ? todo.titles : todo.titles.slice(1);
    if (first !== undefined) {
      const row = await todoRowFromInput({
        id: todo.id,
        project_id: plan.projectId,
        title: first,
        status: 'todo',
        priority: 1,
        due_at: null,
      });
      collection.insert(row).isPersisted.promise.catch(() => undefined);
      await waitUntil(() => durable(first), 60_000);
      await made(first);
    } else await waitUntil(() => collection.has(todo.id), 60_000);
    for (const title of renames) {
      collection
        .update(todo.id, (draft: Todo) => void (draft.title = title))
        .isPersisted.promise.catch(() => undefined);
      await waitUntil(() => durable(title), 60_000);
      await made(title);
    }
  }
  console.log('all made');

  // drained: nothing in flight in the outbox (the table is the truth), and the status agrees
  const inFlight = () =>
    (database.prepare(`SELECT count(*) AS n FROM sync_patterns_outbox WHERE state <> 'refused'`).get() as { n: number })
      .n;
  await waitUntil(() => inFlight() === 0 && status.pendingWrites === 0, 120_000).catch((error: Error) => {
    const outbox = database.prepare(`SELECT seq, op, key, state, txid, refusal FROM sync_patterns_outbox`).all();
    throw new Error(
      `${error.message}: ${JSON.stringify({ outbox, pendingWrites: status.pendingWrites, status: status.status, error: status.error?.message })}`,
    );
  });
  const refusedInStore = (
    database.prepare(`SELECT count(*) AS n FROM sync_patterns_outbox WHERE state = 'refused'`).get() as { n: number }
  ).n;
  const rows = collection.toArray
    .filter((t) => t.project_id === plan.projectId)
    .map((t) => ({ id: t.id, title: t.title }))
    .sort((a, b) => a.id.localeCompare(b.id));
  const result = {
    rows,
    refused: status.refusedWrites.map((w) => ({ op: w.op, key: w.key, refusal: w.refusal })),
    refusedInStore,
    pendingWrites: status.pendingWrites,
  };
  console.log(`result ${JSON.stringify(result)}`);
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
