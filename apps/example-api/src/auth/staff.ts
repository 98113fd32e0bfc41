import type { Queryable } from '../database';
import { hashPassword } from './passwords';

/**
 * The first staff account of a fresh deployment (STAFF_EMAIL / STAFF_PASSWORD): made, or made
 * staff with this password, at start-up. Sign-up only ever makes members, so without it nobody
 * could grant a role.
 */
export async function ensureStaff(db: Queryable, email: string, password: string): Promise<void> {
  const [user] = await db.query<{ id: string }>(
    `insert into users (email, name, role) values ($1, 'Staff', 'admin') on conflict (email) do update set role = 'admin' returning id`,
    [email],
  );
  await db.query(
    'insert into passwords (user_id, hash) values ($1, $2) on conflict (user_id) do update set hash = excluded.hash',
    [user.id, await hashPassword(password)],
  );
}
