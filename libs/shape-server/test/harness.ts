import { isChangeMessage, ShapeStream, type Message, type Row, type ShapeStreamOptions } from '@electric-sql/client';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import type { ShapeServerOptions } from '../src';

type Options = Partial<
  Pick<
    ShapeServerOptions,
    | 'chunkBytes'
    | 'liveTimeoutMs'
    | 'sseTimeoutMs'
    | 'sseKeepAliveMs'
    | 'cacheMaxAge'
    | 'cacheStaleAge'
    | 'schemaCheckMs'
    | 'secret'
  >
>;

/**
 * The development shape server in a process of its own, over embedded PGlite or — when
 * DATABASE_URL is set — the PostgreSQL server, in a schema of the suite's own with an `items`
 * table captured. `sql` runs statements there (one transaction per call). SHAPES_PROFILE=<dir>
 * writes the server process's CPU profile there (`--cpu-prof`).
 */
export async function startHarness(options: Options = {}) {
  const schema = `conformance_${randomBytes(4).toString('hex')}`;
  const child = spawn(
    process.execPath,
    [
      ...(process.env['SHAPES_PROFILE'] ? ['--cpu-prof', '--cpu-prof-dir', process.env['SHAPES_PROFILE']] : []),
      '-r',
      '@swc-node/register',
      path.join(__dirname, 'server-process.ts'),
    ],
    {
      env: { ...process.env, SCHEMA: schema, SHAPE_OPTIONS: JSON.stringify({ liveTimeoutMs: 1_000, ...options }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  const urls = await new Promise<{ shapes: string; admin: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the shape server did not start in 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const line = /^\{.*\}$/m.exec(output);
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line[0]) as { shapes: string; admin: string });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`the shape server exited with ${code}:\n${output}`)));
  });
  const post = async (route: string, body: unknown) => {
    const response = await fetch(`${urls.admin}${route}`, { method: 'POST', body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`${route}: ${await response.text()}`);
    return response.json();
  };
  const table = `${schema}.items`;
  type Statement = string | [string, unknown[]];
  const statementsOf = (statements: Statement[]) =>
    statements.map((s) => (typeof s === 'string' ? { sql: s } : { sql: s[0], params: s[1] }));
  const sql = async <R = Record<string, unknown>>(...statements: Statement[]): Promise<R[]> =>
    (await post('/sql', { statements: statementsOf(statements) })) as R[];
  /** Statements (a migration), then capture of these tables, in one transaction. */
  const migrate = (capture: string[], ...statements: Statement[]) =>
    post('/sql', { statements: statementsOf(statements), capture });
  await sql(`CREATE TABLE ${table} (id integer PRIMARY KEY, title text NOT NULL, status text, doc json, tags jsonb)`);
  await migrate(['items']);
  return {
    schema,
    table,
    url: urls.shapes,
    sql,
    migrate,
    /** A raw request to the shape endpoint. */
    get: (query: Record<string, string>, init?: RequestInit) =>
      fetch(`${urls.shapes}?${new URLSearchParams({ table, ...query })}`, init),
    key: (id: number | string) => `"${schema}"."items"/"${id}"`,
    close: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;

/** Every message a real ShapeStream delivers, and the rows they add up to. */
export function follow(url: string, options: Partial<ShapeStreamOptions> & { params: Record<string, unknown> }) {
  const aborter = new AbortController();
  const stream = new ShapeStream<Row>({
    url,
    signal: aborter.signal,
    backoffOptions: { initialDelay: 20, maxDelay: 200, multiplier: 2, maxRetries: Infinity },
    ...options,
    params: options.params as never,
  });
  const rows = new Map<string, Row>();
  const messages: Message<Row>[] = [];
  const errors: unknown[] = [];
  let upToDate = 0;
  const unsubscribe = stream.subscribe(
    (batch) => {
      for (const message of batch) {
        messages.push(message);
        if (isChangeMessage(message)) {
          if (message.headers.operation === 'delete') rows.delete(message.key);
          else rows.set(message.key, { ...rows.get(message.key), ...message.value });
        } else if (message.headers.control === 'up-to-date') upToDate++;
        else if (message.headers.control === 'must-refetch') rows.clear();
      }
    },
    (error) => errors.push(error),
  );
  return {
    stream,
    rows,
    messages,
    errors,
    changes: () => messages.filter(isChangeMessage),
    controls: () => messages.flatMap((m) => (isChangeMessage(m) ? [] : [m.headers.control])),
    values: () => [...rows.values()],
    upToDate: () => upToDate,
    until: async (check: () => boolean, what: string, ms = 15_000) => {
      const started = Date.now();
      while (!check()) {
        if (errors.length) throw errors[0];
        if (Date.now() - started > ms)
          throw new Error(`timed out waiting for ${what}; rows: ${JSON.stringify([...rows.values()])}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    stop: () => {
      unsubscribe();
      aborter.abort();
    },
  };
}

export type Message_ = {
  headers: Record<string, unknown>;
  key?: string;
  value?: Record<string, unknown>;
  old_value?: Record<string, unknown>;
};

/** A response's JSON body as Electric messages. */
export async function messagesOf(response: Response): Promise<Message_[]> {
  return (await response.json()) as Message_[];
}
