import { checkOrderBy, checkWhereClause, renumberParams, subqueryTables, WhereClauseError } from './where-clause';

const columns = new Set(['id', 'status', 'priority', 'Title']);

describe('where clauses the development shape server accepts', () => {
  it.each([
    `status = 'done'`,
    `priority >= 3 AND (status <> 'done' OR status IS NULL)`,
    `status IN ('todo', 'doing') AND NOT priority BETWEEN 1 AND 2`,
    `id = $1 OR id = ANY($2::uuid[])`,
    `"Title" ILIKE '%it''s%'`,
    // what Electric's client writes for TanStack DB's expressions
    `(LOWER("status") = $1) AND (COALESCE("priority", $2) >= $3) AND ("id" = ANY($4))`,
  ])('accepts %s', (where) => expect(() => checkWhereClause(where, columns)).not.toThrow());

  it.each([
    [`status = 'x'; DROP TABLE todos`, /unexpected text/],
    [`pg_sleep(10) IS NULL`, /neither a column/],
    [`priority = (SELECT 1)`, /a sub-query selects one column/],
    [`priority = SELECT 1`, /only supported as a sub-query/],
    [`id IN (SELECT id FROM secrets)`, /sub-query table "secrets" does not exist or is not served/],
    [`id IN (SELECT id FROM members; DROP TABLE x)`, /unexpected text/],
    [`"secret" = 1`, /not a column/],
    [`id = 1 -- comment`, /comments are not supported/],
    [`status = md5(status)`, /neither a column|function calls/],
    [`pg_read_file('/etc/passwd') IS NULL`, /neither a column|function calls/],
    [`status = 'x') OR (priority = 1`, /closes a parenthesis that was not opened/],
    [`(status = 'x'`, /not closed/],
  ])('refuses %s', (where, message) => {
    expect(() => checkWhereClause(where, columns)).toThrow(WhereClauseError);
    expect(() => checkWhereClause(where, columns)).toThrow(message);
  });
});

describe('sub-queries', () => {
  const tables = new Map([['members', { columns: new Set(['id', 'user_id', 'role']), sql: '"app"."members"' }]]);
  it('check their columns against their own table, and run on the schema-qualified table', () => {
    const checked = checkWhereClause(
      `priority > 1 AND id IN (SELECT id FROM members WHERE user_id = $1 AND id IN (SELECT id FROM members WHERE role = 'x')) OR id = $2`,
      columns,
      'where',
      tables,
    );
    expect(checked.sql).toBe(
      `priority > 1 AND id IN (SELECT id FROM "app"."members" WHERE user_id = $1 AND id IN (SELECT id FROM "app"."members" WHERE role = 'x')) OR id = $2`,
    );
    expect(checked.subqueries).toEqual([
      `SELECT id FROM "app"."members" WHERE user_id = $1 AND id IN (SELECT id FROM "app"."members" WHERE role = 'x')`,
      `SELECT id FROM "app"."members" WHERE role = 'x'`,
    ]);
  });
  it.each([`id IN (SELECT id FROM members WHERE user_id = $1)`, `id NOT IN (SELECT "id" FROM "members")`])(
    'accepts %s',
    (where) => expect(() => checkWhereClause(where, columns, 'where', tables)).not.toThrow(),
  );
  it.each([
    [`id IN (SELECT id FROM members WHERE priority = 1)`, /"priority" is neither a column/],
    [`id IN (SELECT password FROM members)`, /"password" is not a column of members/],
    [`id IN (SELECT id FROM other.members)`, /unexpected text/],
    [`id IN (SELECT id, role FROM members)`, /selects one column/],
    [`id IN (SELECT id FROM members ORDER BY id)`, /goes on with WHERE or ends/],
    [`id IN (SELECT id FROM members) OR role = 1`, /"role" is neither a column/],
    [`id IN (SELECT id FROM members WHERE (user_id = 1)) AND user_id = 2`, /"user_id" is neither a column/],
  ])('keep each table to its own columns: %s', (where, message) => {
    expect(() => checkWhereClause(where, columns, 'where', tables)).toThrow(message);
  });
  it('are found by their tables before the check', () => {
    expect(subqueryTables(`a IN (SELECT b FROM members WHERE c IN (SELECT d FROM "Teams"))`)).toEqual([
      'members',
      'Teams',
    ]);
  });
});

describe('a subset order_by', () => {
  it('is written again from its parts', () => {
    expect(checkOrderBy(`"Title" desc nulls last, priority`, columns, 't', 'subset.order_by')).toBe(
      't."Title" DESC NULLS LAST, t."priority"',
    );
  });
  it.each([`priority; DROP TABLE x`, `secret`, `priority, (SELECT 1)`, ``])('refuses %s', (orderBy) => {
    expect(() => checkOrderBy(orderBy, columns, 't', 'subset.order_by')).toThrow(WhereClauseError);
  });
});

describe('renumbered parameters', () => {
  it('shift $n outside literals and quoted names', () => {
    expect(renumberParams(`a = $1 AND b = '$1' AND "$2" = $2`, 3)).toBe(`a = $4 AND b = '$1' AND "$2" = $5`);
  });
});
