import { hashPassword } from './auth/passwords';
import type { Database } from './database';

/** The seeded accounts: Ada (staff) owns the project; Grace is one of its members. */
export const SEED_USERS = [
  { email: 'ada@example.com', name: 'Ada Lovelace', role: 'admin' },
  { email: 'grace@example.com', name: 'Grace Hopper', role: 'member' },
] as const;

/**
 * A little data so the example has something to show; only into an empty database. The seeded
 * users sign in with `password` when one is given; without one they cannot sign in.
 */
export async function seed(db: Database, password?: string): Promise<boolean> {
  const [{ count }] = await db.query<{ count: number }>('select count(*)::int as count from users');
  if (count > 0) return false;
  const hash = password ? await hashPassword(password) : null;
  await db.transaction(async (tx) => {
    const ids: string[] = [];
    for (const { email, name, role } of SEED_USERS) {
      const [user] = await tx.query<{ id: string }>(
        'insert into users (email, name, role) values ($1, $2, $3) returning id',
        [email, name, role],
      );
      if (hash) await tx.query('insert into passwords (user_id, hash) values ($1, $2)', [user.id, hash]);
      ids.push(user.id);
    }
    const [ada, grace] = ids.map((id) => ({ id }));
    const [project] = await tx.query<{ id: string }>(
      `insert into projects (name, owner_id, description) values ('Launch', $1, 'Everything for the first release') returning id`,
      [ada.id],
    );
    await tx.query('insert into project_members (project_id, user_id) values ($1, $2)', [project.id, grace.id]);
    const todos: [string, string, number][] = [
      ['Write the OpenAPI document', 'done', 1],
      ['Generate the client libraries', 'doing', 2],
      ['Ship the web app', 'todo', 3],
    ];
    // Distinct creation times keep the list order (created_at, id) stable across runs.
    for (const [index, [title, status, priority]] of todos.entries()) {
      await tx.query(
        `insert into todos (project_id, title, status, priority, created_at, updated_at)
         values ($1, $2, $3, $4, now() + $5 * interval '1 millisecond', now() + $5 * interval '1 millisecond')`,
        [project.id, title, status, priority, index],
      );
    }
  });
  return true;
}
