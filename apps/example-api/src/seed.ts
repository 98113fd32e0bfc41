import type { Database } from './database';

/** A little data so the example has something to show; only into an empty database. */
export async function seed(db: Database): Promise<boolean> {
  const [{ count }] = await db.query<{ count: number }>('select count(*)::int as count from users');
  if (count > 0) return false;
  await db.transaction(async (tx) => {
    const [ada] = await tx.query<{ id: string }>(
      `insert into users (email, name, role) values ('ada@example.com', 'Ada Lovelace', 'admin') returning id`,
    );
    const [project] = await tx.query<{ id: string }>(
      `insert into projects (name, owner_id, description) values ('Launch', $1, 'Everything for the first release') returning id`,
      [ada.id],
    );
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
