/**
 * One run of an app on a "device" for a push-mode model, as its own process so a test can SIGKILL
 * it anywhere: the committed generated client (Project in push mode, TanStack Query mutations), a
 * SQLite file as its local database (the outbox), the real example API. It creates each project
 * and renames it, printing `made <name>` once each write is durable (in the outbox, or answered),
 * then waits for the outbox to drain and prints the owner's projects as the API lists them to the
 * device, as one `result <json>` line.
 *
 * The server chooses a project's id: renames made before a create's answer name the draft key, and
 * must follow the create to its saved key — across a kill too. Faults: `writesDown`, `hangWritesFrom`.
 */
import { configureExampleApi } from '@sync-patterns/example-api-core';
import {
  projectBinding,
  projectCreateMutationOptions,
  projectListQueryOptions,
  projectUpdateMutationOptions,
  selectProjects,
} from '@sync-patterns/example-api-project';
import { pushOutboxOf, toSyncError, waitUntil } from '@sync-patterns/runtime';
import { betterSqlite3Driver } from '@sync-patterns/runtime/sqlite';
import { MutationObserver, QueryClient } from '@tanstack/react-query';
import Database from 'better-sqlite3';
import { faultyDeviceNetwork, type NetworkFaults } from './device-network';

export interface PushDevicePlan extends Omit<NetworkFaults, 'shapeLagMs'> {
  apiUrl: string;
  /** The signed-in user's headers (`Authorization: Bearer …`), sent with every request. */
  headers: Record<string, string>;
  dbFile: string;
  ownerId: string;
  /** Writes in order: a project created with its first name, then renamed to each of the others. */
  projects: { names: string[] }[];
  /** Makes no write after this many (printing `paused`) while the outbox goes on sending. */
  pauseAfter?: number;
}

const plan = JSON.parse(process.argv[2]) as PushDevicePlan;

async function main() {
  const database = new Database(plan.dbFile);
  configureExampleApi({
    baseUrl: plan.apiUrl,
    headers: plan.headers,
    fetch: faultyDeviceNetwork(plan),
    localDatabase: betterSqlite3Driver(database),
  });
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  // a read the API cannot answer yet (it may be restarting) is tried again, as an app's refetch would
  const list = () =>
    queryClient.fetchQuery({
      ...projectListQueryOptions({ owner_id: plan.ownerId, limit: 100 }),
      staleTime: 0,
      retry: (failures, error) => failures < 150 && toSyncError(error).kind === 'network',
      retryDelay: 200,
    });
  // the model's first use: what a previous run left is sent first (the read waits for its first try)
  await list();
  const outbox = pushOutboxOf(queryClient, projectBinding)!;

  const answered = new Set<string>();
  const durable = (name: string) =>
    answered.has(name) ||
    database.prepare(`SELECT 1 FROM sync_patterns_outbox WHERE body LIKE ?`).get(`%${JSON.stringify(name)}%`) !==
      undefined;
  let count = 0;
  const made = async (name: string) => {
    await waitUntil(() => durable(name), 60_000);
    console.log(`made ${name}`);
    if (++count !== plan.pauseAfter) return;
    console.log('paused');
    await new Promise(() => undefined);
  };
  for (const project of plan.projects) {
    const [first, ...renames] = project.names;
    const create = new MutationObserver(queryClient, projectCreateMutationOptions(queryClient));
    create.mutate({ name: first, owner_id: plan.ownerId, description: null, archived: false }).then(
      () => answered.add(first),
      () => undefined,
    );
    // the row's key until the server names it: the draft the create shows
    await waitUntil(() => create.getCurrentResult().context?.draftId !== undefined, 60_000);
    const id = create.getCurrentResult().context!.draftId as string;
    await made(first);
    for (const name of renames) {
      const update = new MutationObserver(queryClient, projectUpdateMutationOptions(queryClient));
      update.mutate({ id, patch: { name } }).then(
        () => answered.add(name),
        () => undefined,
      );
      await made(name);
    }
  }
  console.log('all made');

  const inFlight = () =>
    (
      database
        .prepare(
          `SELECT count(*) AS n FROM sync_patterns_outbox WHERE scope = 'example-api/project' AND state <> 'refused'`,
        )
        .get() as { n: number }
    ).n;
  await waitUntil(() => inFlight() === 0 && outbox.status.pendingWrites === 0, 120_000).catch((error: Error) => {
    const entries = database.prepare(`SELECT seq, op, key, state, request, refusal FROM sync_patterns_outbox`).all();
    throw new Error(`${error.message}: ${JSON.stringify({ entries, pendingWrites: outbox.status.pendingWrites })}`);
  });
  const refusedInStore = (
    database.prepare(`SELECT count(*) AS n FROM sync_patterns_outbox WHERE state = 'refused'`).get() as { n: number }
  ).n;
  const names = selectProjects(await list())
    .map((p) => p.name)
    .sort();
  const result = {
    names,
    refused: outbox.status.refusedWrites.map((w) => ({ op: w.op, key: w.key, refusal: w.refusal })),
    refusedInStore,
    pendingWrites: outbox.status.pendingWrites,
  };
  console.log(`result ${JSON.stringify(result)}`);
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
