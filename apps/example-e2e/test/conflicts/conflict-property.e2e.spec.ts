import { closeLiveCollections } from '@sync-patterns/runtime/live';
import { QueryClient } from '@tanstack/react-query';
import fc from 'fast-check';
import { startTestServer, type TestServer } from '../../../example-api/src/testing';
import { deviceNetwork, librariesOf, type DeviceNetwork } from './conflict-clients';

/**
 * field-merge (Todo: title client, the other fields server) and backend-wins under random
 * interleavings: three clients of the example API edit one todo's fields, going offline and back
 * at random. Each run's final server row, the row every client converges to, and the writes listed
 * as conflicts must equal a reference model of the strategy run over the same steps: no write lost
 * (each is applied or listed), none applied twice (the version counts them).
 *
 * The steps run one at a time, so the order writes reach the API is known: an online client's edit
 * settles before the next step, and a client coming back online drains its outbox first. Fixed seed:
 * the same interleavings on every run.
 */
const CLIENTS = ['a', 'b', 'c'] as const;
type ClientName = (typeof CLIENTS)[number];
const FIELDS = { title: ['Alpha', 'Beta', 'Gamma'], status: ['todo', 'doing', 'done'], priority: [1, 2] } as const;
type Field = keyof typeof FIELDS;
type Fields = { title: string; status: string; priority: number; version: number };
/** The same-field rule of each field: Todo's x-sync says `title: client`; the others are the server's. */
const RULES: Record<Field, 'client' | 'server'> = { title: 'client', status: 'server', priority: 'server' };

type Step =
  | { kind: 'edit'; client: ClientName; field: Field; value: string | number }
  | { kind: 'offline'; client: ClientName }
  | { kind: 'online'; client: ClientName };

const edit: fc.Arbitrary<Step> = fc.constantFrom(...(Object.keys(FIELDS) as Field[])).chain((field) =>
  fc.record({
    kind: fc.constant('edit' as const),
    client: fc.constantFrom(...CLIENTS),
    field: fc.constant(field),
    value: fc.constantFrom<string | number>(...FIELDS[field]),
  }),
);
const toggle = (kind: 'offline' | 'online'): fc.Arbitrary<Step> =>
  fc.record({ kind: fc.constant(kind), client: fc.constantFrom(...CLIENTS) });
// offline spells are what make writes stale: going offline is drawn more often than coming back
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: edit },
  { weight: 3, arbitrary: toggle('offline') },
  { weight: 1, arbitrary: toggle('online') },
);

type Strategy = 'field-merge' | 'backend-wins';

/** The reference model: the server's row, each client's view and waiting writes, the writes listed as conflicts. */
class Model {
  server: Fields;
  refused = 0;
  /** Stale writes that changed a field the server had changed too, to another value: the rules decide. */
  clashes = 0;
  readonly clients = new Map<
    ClientName,
    {
      online: boolean;
      view: Fields;
      queue: { base: Fields; changes: Partial<Fields> }[];
      /** Its applied writes' answers, by the version each was sent on. */
      answers: Map<number, Fields>;
    }
  >();

  constructor(
    private readonly strategy: Strategy,
    start: Fields,
  ) {
    this.server = { ...start };
    for (const name of CLIENTS)
      this.clients.set(name, { online: true, view: { ...start }, queue: [], answers: new Map() });
  }

  /** An edit; false when it changes nothing the client sees (no write is made then). */
  edit(name: ClientName, field: Field, value: string | number): boolean {
    const client = this.clients.get(name)!;
    if (client.online) client.view = { ...this.server }; // it waited for the server's row before editing
    if (client.view[field] === value) return false;
    client.queue.push({ base: { ...client.view }, changes: { [field]: value } });
    client.view = { ...client.view, [field]: value };
    if (client.online) this.drain(name);
    return true;
  }

  /**
   * The client's waiting writes reach the API in order. A write based on the version one of this
   * client's applied writes was sent on follows that write's answer (the runtime's AnsweredRows);
   * it is stale when what it is then based on is not the server's version.
   */
  drain(name: ClientName): void {
    const client = this.clients.get(name)!;
    for (const write of client.queue.splice(0)) {
      let base = write.base;
      let advanced = false;
      while (client.answers.has(base.version)) {
        base = client.answers.get(base.version)!;
        advanced = true;
      }
      const stale = base.version !== this.server.version;
      if (stale && this.strategy === 'backend-wins') {
        this.refused++; // listed, the server's row stands
        continue;
      }
      // field-merge sends nothing when the answer it follows already holds every change
      const held =
        this.strategy === 'field-merge' &&
        advanced &&
        Object.entries(write.changes).every(([field, value]) => base[field as Field] === value);
      const changes = stale ? this.merge(base, write.changes) : held ? {} : write.changes;
      if (!Object.keys(changes).length) continue; // nothing applied: nothing follows from it
      const sentOn = this.server.version;
      this.server = { ...this.server, ...changes, version: this.server.version + 1 };
      client.answers.set(sentOn, { ...this.server });
    }
    client.view = { ...this.server };
  }

  /** field-merge on a 412: what is sent again (the merge's differences from the server's row). */
  private merge(base: Fields, changes: Partial<Fields>): Partial<Fields> {
    const send: Partial<Fields> = {};
    for (const [field, mine] of Object.entries(changes) as [Field, string | number][]) {
      const theirs = this.server[field];
      if (theirs !== base[field] && theirs !== mine) this.clashes++;
      const merged = theirs === base[field] || RULES[field] === 'client' ? mine : theirs;
      if (merged !== theirs) Object.assign(send, { [field]: merged });
    }
    return send;
  }

  setOnline(name: ClientName, online: boolean): void {
    const client = this.clients.get(name)!;
    // it leaves with the server's row (the run waits for that), and comes back by sending what waits
    if (!online && client.online) client.view = { ...this.server };
    client.online = online;
    if (online) this.drain(name);
  }
}

let server: TestServer;
let projectId: string;
type Device = { network: DeviceNetwork; queryClient: QueryClient; libs: ReturnType<typeof librariesOf> };
const clients = new Map<ClientName, Device>();

beforeAll(async () => {
  server = await startTestServer();
  const owner = await api('POST', '/users', { email: 'property@example.com', name: 'P', role: 'member' });
  projectId = String((await api('POST', '/projects', { name: 'Property', owner_id: owner['id'] }))['id']);
}, 120_000);
afterAll(() => server?.close());

/** The three clients of one strategy: each its own copy of the generated code, network and QueryClient. */
async function startClients(strategy: Strategy): Promise<void> {
  for (const { queryClient } of clients.values()) closeLiveCollections(queryClient);
  clients.clear();
  for (const name of CLIENTS) {
    const network = deviceNetwork();
    const libs = librariesOf(strategy, name);
    libs.core.configureExampleApi({ baseUrl: server.url, headers: server.staff.headers, fetch: network.fetch });
    const queryClient = new QueryClient();
    await libs.todo.todoCollection(queryClient).toArrayWhenReady();
    clients.set(name, { network, queryClient, libs });
  }
}

async function api(method: string, url: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.url}${url}`, {
    method,
    headers: { ...server.staff.headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await response.json()) as Record<string, unknown>;
}

const fieldsOf = (row: Record<string, unknown> | undefined): Fields | undefined =>
  row && {
    title: row['title'] as string,
    status: row['status'] as string,
    priority: row['priority'] as number,
    version: row['version'] as number,
  };

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The client's collection shows the server's row and has nothing waiting. */
async function converged(name: ClientName, id: string): Promise<void> {
  const { libs, queryClient } = clients.get(name)!;
  const collection = libs.todo.todoCollection(queryClient);
  const status = libs.todo.todoLiveStatus(queryClient);
  await until(`${name} converges`, async () => {
    const onServer = fieldsOf(await api('GET', `/todos/${id}`));
    return status.pendingWrites === 0 && JSON.stringify(fieldsOf(collection.get(id))) === JSON.stringify(onServer);
  });
}

/** The writes of row `id` each client lists as conflicts. */
const listed = (id: string) =>
  [...clients.values()].flatMap(({ libs, queryClient }) =>
    libs.todo.todoLiveStatus(queryClient).refusedWrites.filter((w) => w.key === id),
  );

async function run(strategy: Strategy, id: string, steps: Step[]): Promise<{ model: Model; server: Fields }> {
  const model = new Model(strategy, { title: 'Start', status: 'todo', priority: 1, version: 1 });
  for (const name of CLIENTS) await converged(name, id);
  for (const s of steps) {
    const client = clients.get(s.client)!;
    const online = model.clients.get(s.client)!.online;
    if (s.kind === 'offline') {
      if (!online) continue;
      await converged(s.client, id); // its view when it leaves is the server's row
      model.setOnline(s.client, false);
      client.network.offline = true;
    } else if (s.kind === 'online') {
      if (online) continue;
      model.setOnline(s.client, true);
      client.network.offline = false;
      await converged(s.client, id); // its outbox drained, and the stream caught up
    } else {
      if (online) await converged(s.client, id); // an online edit is based on the server's row
      if (!model.edit(s.client, s.field, s.value)) continue;
      const collection = client.libs.todo.todoCollection(client.queryClient);
      const write = collection.update(id, (draft) => void Object.assign(draft, { [s.field]: s.value }));
      write.isPersisted.promise.catch(() => undefined); // an offline write is settled by the drain
      if (online) {
        await write.isPersisted.promise;
        await converged(s.client, id);
      }
    }
  }
  // everyone back online: every waiting write drains, in the order the clients come back
  for (const name of CLIENTS)
    if (!model.clients.get(name)!.online) {
      model.setOnline(name, true);
      clients.get(name)!.network.offline = false;
      await converged(name, id);
    }
  for (const name of CLIENTS) await converged(name, id);
  const server = fieldsOf(await api('GET', `/todos/${id}`))!;
  // every write not applied is listed, each a stale conflict with the rows to decide on; the user keeps the server's
  const conflicts = listed(id);
  expect(conflicts.map((w) => w.refusal.conflict?.reason)).toEqual(conflicts.map(() => 'stale'));
  expect(conflicts).toHaveLength(model.refused);
  for (const write of conflicts) await write.discard();
  return { model, server };
}

describe.each(['field-merge', 'backend-wins'] as const)(
  '%s under random interleavings of three clients, some offline',
  (strategy) => {
    beforeAll(() => startClients(strategy), 60_000);
    afterAll(() => {
      for (const { queryClient } of clients.values()) closeLiveCollections(queryClient);
    });

    it('ends where the reference model ends: on the server and on every client, each write applied once or listed', async () => {
      let refused = 0;
      let clashes = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 6, maxLength: 16 }), async (steps) => {
          const todo = await api('POST', '/todos', {
            id: crypto.randomUUID(),
            project_id: projectId,
            title: 'Start',
            status: 'todo',
            priority: 1,
            due_at: null,
          });
          const id = String(todo['id']);
          const { model, server: onServer } = await run(strategy, id, steps);
          refused += model.refused;
          clashes += model.clashes;
          expect(onServer).toEqual(model.server);
          for (const name of CLIENTS) {
            const { libs, queryClient } = clients.get(name)!;
            expect(fieldsOf(libs.todo.todoCollection(queryClient).get(id))).toEqual(model.server);
          }
        }),
        { seed: 20261207, numRuns: 30, endOnFailure: true },
      );
      // the interleavings did meet the strategy: stale writes merged and sent again, or listed
      const writes = [...clients.values()].flatMap(({ network }) => network.writes);
      expect(writes.filter((w) => w.status === 412).length).toBeGreaterThan(3);
      expect(writes.every((w) => w.status === 200 || w.status === 412)).toBe(true);
      if (strategy === 'backend-wins') expect(refused).toBeGreaterThan(3);
      else expect(clashes).toBeGreaterThan(3);
    }, 600_000);
  },
);
