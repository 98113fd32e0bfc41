import type { Database } from './database';
import { SESSIONS_TABLE } from './auth/principal';
import { IDEMPOTENCY_TABLE } from './idempotency';

/**
 * The example's tables. Each migration runs once, in order, recorded in `schema_migrations`, so a
 * persisted database (PGlite dataDir or a server) is upgraded rather than recreated.
 */
const MIGRATIONS: readonly string[] = [
  `create table users (
     id uuid primary key default gen_random_uuid(),
     email text not null unique,
     name text not null check (length(name) between 1 and 120),
     role text not null check (role in ('member', 'admin')),
     created_at timestamptz not null default now()
   );
   create table projects (
     id uuid primary key default gen_random_uuid(),
     name text not null check (length(name) between 1 and 200),
     owner_id uuid not null references users (id) on delete cascade,
     description text,
     archived boolean not null default false,
     created_at timestamptz not null default now()
   );
   create table todos (
     id uuid primary key default gen_random_uuid(),
     project_id uuid not null references projects (id) on delete cascade,
     title text not null check (length(title) between 1 and 200),
     status text not null check (status in ('todo', 'doing', 'done')),
     priority integer not null check (priority between 1 and 5),
     due_at timestamptz,
     internal_notes text,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now()
   );
   create index todos_project_id on todos (project_id);
   create index projects_owner_id on projects (owner_id);`,
  IDEMPOTENCY_TABLE,
  SESSIONS_TABLE,
  // archiving is a domain action (POST /todos/{id}/archive), not a field clients write
  `alter table todos add column archived boolean not null default false`,
  // every write bumps a row's version: clients send the version their write was based on as
  // If-Match, and a write based on a version the row moved on from is answered 412
  `alter table projects add column version integer not null default 1;
   alter table todos add column version integer not null default 1;
   create function bump_version() returns trigger language plpgsql as $$ begin new.version := old.version + 1; return new; end $$;
   create trigger projects_version before update on projects for each row execute function bump_version();
   create trigger todos_version before update on todos for each row execute function bump_version();`,
];

/** Applies the pending migrations, each in its own transaction; returns how many ran. */
export async function migrate(db: Database): Promise<number> {
  await db.query(
    'create table if not exists schema_migrations (version integer primary key, applied_at timestamptz not null default now())',
  );
  const done = new Set(
    (await db.query<{ version: number }>('select version from schema_migrations')).map((r) => r.version),
  );
  let applied = 0;
  for (const [index, sql] of MIGRATIONS.entries()) {
    const version = index + 1;
    if (done.has(version)) continue;
    await db.transaction(async (tx) => {
      for (const statement of sql
        .split(/;\s*(?:\n|$)/)
        .map((s) => s.trim())
        .filter(Boolean))
        await tx.query(statement);
      await tx.query('insert into schema_migrations (version) values ($1)', [version]);
    });
    applied++;
  }
  return applied;
}
