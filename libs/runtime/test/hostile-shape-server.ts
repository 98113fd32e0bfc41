import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A shape server under an attacker's control, for tests: a real HTTP server on 127.0.0.1 speaking
 * Electric's Shape API (handle and offset headers, schema, up-to-date, long-polled live requests)
 * to the real `@electric-sql/client`, but answering with whatever messages the test scripts.
 * Answer n carries the messages of the n-th `send` (the first, the snapshot, is sent before the
 * client starts; it answers offset -1 or `now`); a live request waits for the next `send`, or ends
 * empty after `longPollMs`, as Electric's do.
 */
export interface HostileShapeServer {
  /** The shape endpoint (`…/v1/shape`). */
  readonly url: string;
  /** Every request, oldest first. */
  readonly requests: readonly URL[];
  /** The messages of the next answer (an up-to-date is added). */
  send(messages: readonly object[]): void;
  close(): Promise<void>;
}

/** An Electric change message; `key` is the row's primary key. */
export const change = (
  operation: 'insert' | 'update' | 'delete',
  key: string,
  value: object,
  headers: object = {},
) => ({
  key: `"public"."todos"/"${key}"`,
  value,
  headers: { operation, ...headers },
});

export async function startHostileShapeServer(options: {
  schema: object;
  longPollMs?: number;
}): Promise<HostileShapeServer> {
  const handle = 'hostile-1';
  const answers: object[][] = [];
  const requests: URL[] = [];
  let wake = new Set<() => void>();
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    requests.push(url);
    const offset = url.searchParams.get('offset') ?? '-1';
    const live = url.searchParams.get('live') === 'true';
    const initial = offset === '-1' || offset === 'now';
    const from = initial ? 0 : Number.parseInt(offset, 10) + 1;
    const reply = () => {
      const served = from < answers.length ? from : from - 1;
      response.writeHead(200, {
        'content-type': 'application/json',
        'electric-handle': handle,
        'electric-offset': `${Math.max(served, 0)}_0`,
        'electric-up-to-date': '',
        ...(live
          ? { 'electric-cursor': String(answers.length) }
          : { 'electric-schema': JSON.stringify(options.schema) }),
      });
      response.end(
        JSON.stringify([...(from < answers.length ? answers[from] : []), { headers: { control: 'up-to-date' } }]),
      );
    };
    if (!initial && (url.searchParams.get('handle') !== handle || !Number.isSafeInteger(from))) {
      response
        .writeHead(409, { 'content-type': 'application/json', 'electric-handle': handle })
        .end('[{"headers":{"control":"must-refetch"}}]');
    } else if (from < answers.length || !live) reply();
    else {
      // long poll: the next scripted answer, or an empty one after a while
      const done = () => {
        clearTimeout(timer);
        wake.delete(done);
        if (!response.writableEnded) reply();
      };
      const timer = setTimeout(done, options.longPollMs ?? 50);
      wake.add(done);
      request.on('close', () => (clearTimeout(timer), wake.delete(done)));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/shape`,
    requests,
    send(messages) {
      answers.push([...messages]);
      const waiting = wake;
      wake = new Set();
      for (const resume of waiting) resume();
    },
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
