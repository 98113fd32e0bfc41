import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

/**
 * A `Request → Response` handler (the shape proxy) as a Node request handler, for Node's http,
 * Express and Fastify (`reply.hijack()` first, then pass `request.raw`, `reply.raw` and the body
 * Fastify has already parsed). Hono and other fetch-style servers take the handler as it is.
 *
 * The answer streams through as it comes (a live request is held open by Electric), and closing
 * the client's connection aborts the request upstream.
 */
export function toNodeHandler(
  handler: (request: Request) => Promise<Response>,
): (request: IncomingMessage, response: ServerResponse, parsedBody?: unknown) => Promise<void> {
  return async (incoming, outgoing, parsedBody) => {
    const aborter = new AbortController();
    outgoing.on('close', () => aborter.abort());
    const headers = new Headers();
    for (const [name, value] of Object.entries(incoming.headers)) {
      if (value === undefined || name.startsWith(':')) continue;
      for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
    }
    const method = incoming.method ?? 'GET';
    const hasBody = method !== 'GET' && method !== 'HEAD';
    // a body a framework has read already (Fastify, Express' json parser) is passed on as JSON
    const body = !hasBody
      ? undefined
      : parsedBody !== undefined
        ? JSON.stringify(parsedBody)
        : (Readable.toWeb(incoming) as ReadableStream<Uint8Array>);
    const host = incoming.headers.host ?? 'localhost';
    const request = new Request(`http://${host}${incoming.url ?? '/'}`, {
      method,
      headers,
      body,
      signal: aborter.signal,
      ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit);
    const response = await handler(request);
    const out: Record<string, string | string[]> = {};
    response.headers.forEach((value, name) => {
      out[name] = value;
    });
    outgoing.writeHead(response.status, response.statusText, out);
    if (!response.body) {
      outgoing.end();
      return;
    }
    outgoing.flushHeaders();
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        outgoing.write(value);
      }
    } catch (error) {
      if (!aborter.signal.aborted) outgoing.destroy(error as Error);
      return;
    }
    outgoing.end();
  };
}
