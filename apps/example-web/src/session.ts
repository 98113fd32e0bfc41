import { discardLocalData, pendingWritesHere } from './local-database';

/**
 * The signed-in user's session: a bearer token from the example API's POST /sessions, kept in
 * localStorage so a reload (offline too) stays signed in. Every request of the generated client
 * reads it through `authHeaders` (configureExampleApi's `headers` function).
 */
export interface Session {
  token: string;
  user: { id: string; name: string; email: string; role: string };
}

const KEY = 'sync-patterns-example:session';

export function currentSession(): Session | undefined {
  try {
    const value = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Session | null;
    return value?.token ? value : undefined;
  } catch {
    return undefined;
  }
}

export function authHeaders(): Record<string, string> {
  const session = currentSession();
  return session ? { authorization: `Bearer ${session.token}` } : {};
}

/** Signs in; the API's reason when it refuses. */
export async function signIn(email: string, password: string): Promise<Session> {
  const response = await fetch('/api/sessions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = (await response.json().catch(() => ({}))) as Partial<Session> & { message?: string };
  if (!response.ok || !body.token || !body.user) throw new Error(body.message ?? `Sign-in failed (${response.status})`);
  const session = { token: body.token, user: body.user };
  localStorage.setItem(KEY, JSON.stringify(session));
  return session;
}

/**
 * Signs out: the token is revoked on the server and this browser's copy of the user's data is
 * dropped (rows, waiting writes), so the next user of the browser sees nothing of theirs. Changes
 * not synced yet would be lost: the user is asked first, and staying signed in keeps them.
 */
export async function signOut(): Promise<void> {
  const waiting = await pendingWritesHere();
  if (
    waiting > 0 &&
    !confirm(
      `${waiting} change${waiting > 1 ? 's' : ''} made here ${waiting > 1 ? 'are' : 'is'} not synced yet. Sign out and drop ${waiting > 1 ? 'them' : 'it'}?`,
    )
  )
    return;
  await fetch('/api/sessions/current', { method: 'DELETE', headers: authHeaders() }).catch(() => undefined);
  await forget();
}

/**
 * Drops the session and the user's local data without asking the server (a token it no longer
 * knows: the writes waiting could not be sent with it either).
 */
export async function forget(): Promise<void> {
  const user = currentSession()?.user.id;
  localStorage.removeItem(KEY);
  sessionStorage.clear();
  await discardLocalData(user);
  location.reload();
}
