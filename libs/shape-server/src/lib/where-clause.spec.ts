import { checkOrderBy, checkWhereClause, renumberParams, WhereClauseError } from './where-clause';

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
    [`priority = (SELECT 1)`, /neither a column/],
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
