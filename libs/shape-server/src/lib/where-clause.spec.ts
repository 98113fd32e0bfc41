import { checkWhereClause, WhereClauseError } from './where-clause';

const columns = new Set(['id', 'status', 'priority', 'Title']);

describe('where clauses the development shape server accepts', () => {
  it.each([
    `status = 'done'`,
    `priority >= 3 AND (status <> 'done' OR status IS NULL)`,
    `status IN ('todo', 'doing') AND NOT priority BETWEEN 1 AND 2`,
    `id = $1 OR id = ANY($2::uuid[])`,
    `"Title" ILIKE '%it''s%'`,
  ])('accepts %s', (where) => expect(() => checkWhereClause(where, columns)).not.toThrow());

  it.each([
    [`status = 'x'; DROP TABLE todos`, /unexpected text/],
    [`pg_sleep(10) IS NULL`, /neither a column/],
    [`priority = (SELECT 1)`, /neither a column/],
    [`"secret" = 1`, /not a column/],
    [`id = 1 -- comment`, /comments are not supported/],
    [`status = lower(status)`, /neither a column|function calls/],
    [`status = 'x') OR (priority = 1`, /closes a parenthesis that was not opened/],
    [`(status = 'x'`, /not closed/],
  ])('refuses %s', (where, message) => {
    expect(() => checkWhereClause(where, columns)).toThrow(WhereClauseError);
    expect(() => checkWhereClause(where, columns)).toThrow(message);
  });
});
