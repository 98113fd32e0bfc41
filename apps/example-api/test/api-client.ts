import { randomUUID } from 'node:crypto';

export type Headers = Record<string, string>;

/**
 * Calls the example API as a client would, signed in with `auth()`'s headers (a test server's
 * staff account by default); answers carry the write's Postgres txid.
 */
export function apiClient(baseUrl: () => string, auth: () => Headers = () => ({})) {
  async function call(method: string, url: string, body?: unknown, headers: Headers = {}) {
    const response = await fetch(`${baseUrl()}${url}`, {
      method,
      headers: { ...auth(), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      txid: response.headers.get('x-sync-txid'),
      replayed: response.headers.get('idempotent-replayed') === 'true',
      body: text ? JSON.parse(text) : undefined,
    };
  }
  return {
    call,
    async newUser(email = `${randomUUID()}@example.com`) {
      const { status, body } = await call('POST', '/users', { email, name: 'Grace', role: 'member' });
      if (status !== 201) throw new Error(`POST /users answered ${status}`);
      return body as { id: string };
    },
    async newProject(ownerId: string, name = 'P') {
      const { status, body } = await call('POST', '/projects', { name, owner_id: ownerId });
      if (status !== 201) throw new Error(`POST /projects answered ${status}`);
      return body as { id: string; owner_id: string };
    },
  };
}
