import { encodeBody, type BodyEncoding } from '../client/sync-client';
/**
 * An in-memory stand-in for an HTTP API, for the tests sync-patterns generates (and your own):
 * pass `fake.fetch` to the client's `configure({ fetch })`, queue answers, inspect requests.
 * Answers can be held back to observe optimistic state before the "server" replies.
 */
export interface FakeRequest {
  method: string;
  /** Path and query as sent, without the base URL, e.g. `/todos?status=done`. */
  url: string;
  path: string;
  body: unknown;
  headers: Record<string, string>;
}

/** A body, or a function computing it from the request (to echo a client-generated key, say). */
export type FakeBody = ((request: FakeRequest) => unknown) | object | string | number | boolean | null;

export interface FakeAnswer {
  status: number;
  body?: FakeBody;
  headers?: Record<string, string>;
}

export interface HeldAnswer {
  /** Sends the held answer; the request it answers may already be waiting for it. */
  release(): void;
  /** Resolves once a request has taken this answer. */
  readonly taken: Promise<FakeRequest>;
}

export interface FakeApi {
  fetch: typeof fetch;
  readonly requests: readonly FakeRequest[];
  /** Queues the answer to the next request. */
  answer(status: number, body?: FakeBody, headers?: Record<string, string>): void;
  /** Queues an answer that is sent only when released. */
  hold(status: number, body?: FakeBody, headers?: Record<string, string>): HeldAnswer;
  /** Forgets queued answers and recorded requests. */
  reset(): void;
}

interface Queued {
  answer: FakeAnswer;
  gate?: Promise<void>;
  onTaken?: (request: FakeRequest) => void;
}

export function createFakeApi(): FakeApi {
  let queue: Queued[] = [];
  let requests: FakeRequest[] = [];

  const fakeFetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(
      typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
      'http://fake.invalid',
    );
    const request: FakeRequest = {
      method: (init.method ?? 'GET').toUpperCase(),
      url: url.pathname + url.search,
      path: url.pathname,
      headers: Object.fromEntries(new Headers(init.headers).entries()),
      body: undefined,
    };
    request.body = parseBody(init.body, request.headers['content-type']);
    requests.push(request);
    const next = queue.shift();
    if (!next) {
      return json(501, {
        error: 'no_answer',
        message: `The fake API has no answer queued for ${request.method} ${request.url}`,
      });
    }
    next.onTaken?.(request);
    if (next.gate) await abortable(next.gate, init.signal);
    const { status, body, headers } = next.answer;
    return json(status, typeof body === 'function' ? (body as (r: FakeRequest) => unknown)(request) : body, headers);
  };

  return {
    fetch: fakeFetch as typeof fetch,
    get requests() {
      return requests;
    },
    answer(status, body, headers) {
      queue.push({ answer: { status, body, headers } });
    },
    hold(status, body, headers) {
      let release!: () => void;
      let onTaken!: (request: FakeRequest) => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const taken = new Promise<FakeRequest>((resolve) => (onTaken = resolve));
      queue.push({ answer: { status, body, headers }, gate, onTaken });
      return { release, taken };
    },
    reset() {
      queue = [];
      requests = [];
    },
  };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  const empty = body === undefined || status === 204 || status === 205;
  return new Response(empty ? null : JSON.stringify(body), {
    status,
    headers: { ...(empty ? {} : { 'content-type': 'application/json' }), ...headers },
  });
}

/** The body as the API would read it: JSON parsed, a form's and a multipart body's fields as an object. */
function parseBody(body: BodyInit | null | undefined, type = ''): unknown {
  if (body instanceof FormData) return Object.fromEntries(body.entries());
  if (typeof body !== 'string') return body ?? undefined;
  if (/^application\/x-www-form-urlencoded\b/i.test(type))
    return Object.fromEntries(new URLSearchParams(body).entries());
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

function abortable(gate: Promise<void>, signal: AbortSignal | null | undefined): Promise<void> {
  if (!signal) return gate;
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason ?? new DOMException('Aborted', 'AbortError'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    gate.then(resolve, reject);
  });
}

/** Polls until `check` holds (or throws after `timeoutMs`): for state that settles a few ticks later. */
export async function waitUntil(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms: ${check.toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/**
 * What the fake API records as the body of a request that sent `value` with `encoding`: the value
 * itself for JSON; a form's or a multipart body's fields as text (what a test compares a non-JSON
 * request's body with).
 */
export function sentBody(value: unknown, encoding: BodyEncoding = 'json'): unknown {
  const headers: Record<string, string> = {};
  return parseBody(encodeBody({ body: value, bodyEncoding: encoding }, headers) ?? null, headers['content-type']);
}
