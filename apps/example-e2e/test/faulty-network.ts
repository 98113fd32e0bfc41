/**
 * Node's fetch with faults a test switches on: the network down, the API answering a server error
 * before it sees a write, a write's answer lost after the API did it, a shape response delivered
 * twice. Records every write that reached the wire, with its Idempotency-Key.
 */
export interface WriteAttempt {
  method: string;
  path: string;
  idempotencyKey: string | null;
  outcome: 'sent' | 'answered 500' | 'answer lost' | 'network down';
  replayed: boolean;
}

export function faultyNetwork() {
  const faults = {
    /** Every request fails as with no network. */
    down: false,
    /** The next N writes get a 500 from a gateway and never reach the API. */
    serverErrors: 0,
    /** The next N writes reach the API, then their answer is lost (the connection drops). */
    lostAnswers: 0,
    /** The next shape response that carries changes is delivered twice. */
    duplicateShapeResponses: 0,
  };
  const writes: WriteAttempt[] = [];
  /** The headers of every shape request and of every API request, in order. */
  const headers = { shapes: [] as Headers[], api: [] as Headers[] };
  /** Shape responses delivered a second time. */
  const delivered = { twice: 0 };
  let replay: { body: string; status: number; headers: Headers } | undefined;

  const network: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const attempt = (outcome: WriteAttempt['outcome'], replayed = false) =>
      request.method !== 'GET' &&
      writes.push({
        method: request.method,
        path: url.pathname,
        idempotencyKey: request.headers.get('idempotency-key'),
        outcome,
        replayed,
      });
    if (faults.down) {
      attempt('network down');
      throw new TypeError('fetch failed');
    }
    (url.pathname.endsWith('/v1/shape') ? headers.shapes : headers.api).push(request.headers);
    if (url.pathname.endsWith('/v1/shape')) {
      if (replay) {
        const again = replay;
        replay = undefined;
        delivered.twice++;
        return new Response(again.body, { status: again.status, headers: again.headers });
      }
      const response = await fetch(input, init);
      if (!faults.duplicateShapeResponses || !response.ok) return response;
      const body = await response.text();
      if (/"operation"/.test(body)) {
        faults.duplicateShapeResponses--;
        replay = { body, status: response.status, headers: response.headers };
      }
      return new Response(body, { status: response.status, headers: response.headers });
    }
    if (request.method !== 'GET' && faults.serverErrors > 0) {
      faults.serverErrors--;
      attempt('answered 500');
      return new Response(JSON.stringify({ error: 'internal', message: 'injected' }), {
        status: 500,
        headers: { 'content-type': 'application/json' },
      });
    }
    const response = await fetch(input, init);
    if (request.method !== 'GET' && faults.lostAnswers > 0) {
      faults.lostAnswers--;
      attempt('answer lost');
      await response.arrayBuffer();
      throw new TypeError('fetch failed: the connection was reset');
    }
    attempt('sent', response.headers.get('idempotent-replayed') === 'true');
    return response;
  };
  return { fetch: network, faults, writes, delivered, headers };
}
