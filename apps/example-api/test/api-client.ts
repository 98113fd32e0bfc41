import { randomUUID } from 'node:crypto';

/** Calls the example API as a client would; answers carry the write's Postgres txid. */
export function apiClient(baseUrl: () => string) {
  async function call(method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${baseUrl()}${url}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, txid: response.headers.get('x-sync-txid'), replayed: response.headers.get('idempotent-replayed') === 'true', body: text ? JSON.parse(text) : undefined };
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
      return body as { id: string };
    },
  };
}
