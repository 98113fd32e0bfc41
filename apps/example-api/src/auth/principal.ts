import { createHash, randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Queryable } from '../database';
import { HttpProblem } from '../problems';

/**
 * Who is asking: the user a bearer token was issued to, and whether they are staff (role `admin`).
 * One principal for every route — REST and shapes alike — read from the database on each request,
 * so a role change or a deleted user takes effect at once.
 */
export interface Principal {
  userId: string;
  staff: boolean;
}

/** How long a session token lasts. */
export const SESSION_DAYS = 30;

/**
 * Sessions, password hashes and project members. Hashes live in a table of their own, never in
 * `users`: that table is synced, and its change log keeps whole rows.
 */
export const SESSIONS_TABLE = `create table sessions (
     token_hash text primary key,
     user_id uuid not null references users (id) on delete cascade,
     created_at timestamptz not null default now(),
     expires_at timestamptz not null
   );
   create index sessions_user_id on sessions (user_id);
   create table passwords (
     user_id uuid primary key references users (id) on delete cascade,
     hash text not null
   );
   create table project_members (
     project_id uuid not null references projects (id) on delete cascade,
     user_id uuid not null references users (id) on delete cascade,
     created_at timestamptz not null default now(),
     primary key (project_id, user_id)
   );
   create index project_members_user_id on project_members (user_id);`;

/** Only a hash is stored: a leaked sessions table gives no usable token. */
const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export async function openSession(db: Queryable, userId: string): Promise<{ token: string; expires_at: string }> {
  const token = randomBytes(32).toString('base64url');
  const [row] = await db.query<{ expires_at: Date }>(
    `insert into sessions (token_hash, user_id, expires_at) values ($1, $2, now() + $3 * interval '1 day') returning expires_at`,
    [hashToken(token), userId, SESSION_DAYS],
  );
  return { token, expires_at: new Date(row.expires_at).toISOString() };
}

export async function closeSession(db: Queryable, token: string): Promise<void> {
  await db.query('delete from sessions where token_hash = $1', [hashToken(token)]);
}

/** The bearer token of a request: `undefined` when there is none, 401 when the header is malformed. */
export function bearerToken(request: FastifyRequest): string | undefined {
  return tokenOf(request.headers.authorization);
}

function tokenOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(header);
  if (!match) throw unauthenticated('The Authorization header must be "Bearer <token>"');
  return match[1];
}

/** The request's principal, or undefined when it carries no token; 401 for an unknown or expired one. */
export async function principalOf(db: Queryable, request: FastifyRequest): Promise<Principal | undefined> {
  return principalOfHeader(db, request.headers.authorization);
}

/** The principal an `Authorization` header names (the shape proxy reads it from a fetch Request). */
export async function principalOfHeader(db: Queryable, header: string | undefined): Promise<Principal | undefined> {
  const token = tokenOf(header);
  if (token === undefined) return undefined;
  const [row] = await db.query<{ id: string; role: string }>(
    'select u.id, u.role from sessions s join users u on u.id = s.user_id where s.token_hash = $1 and s.expires_at > now()',
    [hashToken(token)],
  );
  if (!row) throw unauthenticated('This session is unknown or has expired: sign in again');
  return { userId: row.id, staff: row.role === 'admin' };
}

export function unauthenticated(
  message = 'Sign in first: send "Authorization: Bearer <token>" (POST /sessions gives one)',
): HttpProblem {
  return new HttpProblem(401, 'unauthenticated', message);
}

export function forbidden(message: string): HttpProblem {
  return new HttpProblem(403, 'forbidden', message);
}
