import { follow, messagesOf, startHarness, type Harness } from './harness';

/**
 * Shapes whose where reads other tables (Electric's sub-queries): a user's todos are those of the
 * projects they are a member of. Rows move in and out of the shape as memberships change — here
 * the shape ends and its clients refetch it (409), which the real client follows to the new rows.
 */
describe('sub-queries in where', () => {
  let h: Harness;
  let members: string;
  beforeAll(async () => {
    h = await startHarness({ schemaCheckMs: 300 });
    members = `${h.schema}.members`;
    await h.migrate(
      ['members'],
      `CREATE TABLE ${members} (project text NOT NULL, person text NOT NULL, PRIMARY KEY (project, person))`,
    );
    // items.status holds the project here
    await h.sql(
      `INSERT INTO ${h.table} (id, title, status) VALUES (1, 'a1', 'a'), (2, 'a2', 'a'), (3, 'b1', 'b'), (4, 'c1', 'c')`,
      `INSERT INTO ${members} (project, person) VALUES ('a', 'ada'), ('b', 'bob')`,
    );
  });
  afterAll(() => h.close());

  const mine = (person: string) => ({
    table: h.table,
    where: 'status IN (SELECT project FROM members WHERE person = $1)',
    params: { '1': person },
  });
  const titles = (rows: Iterable<Record<string, unknown>>) => [...rows].map((r) => r['title']).sort();

  it('serves each user the rows their memberships give, and moves rows in and out as they change', async () => {
    const ada = follow(h.url, { params: mine('ada') });
    const bob = follow(h.url, { params: mine('bob') });
    try {
      await ada.until(() => ada.upToDate() > 0, 'ada up to date');
      await bob.until(() => bob.upToDate() > 0, 'bob up to date');
      expect(titles(ada.values())).toEqual(['a1', 'a2']);
      expect(titles(bob.values())).toEqual(['b1']);
      // a change of a row in the shape arrives as a change
      await h.sql(`UPDATE ${h.table} SET title = 'a2!' WHERE id = 2`);
      await ada.until(() => titles(ada.values()).includes('a2!'), 'the update');
      // ada joins project c: its row moves in; bob's shape is not touched
      const bobControls = bob.controls().length;
      await h.sql(`INSERT INTO ${members} (project, person) VALUES ('c', 'ada')`);
      await ada.until(() => titles(ada.values()).join() === 'a1,a2!,c1', 'c1 moving in');
      expect(ada.controls()).toContain('must-refetch');
      // ada leaves project a: its rows move out
      await h.sql(`DELETE FROM ${members} WHERE project = 'a' AND person = 'ada'`);
      await ada.until(() => titles(ada.values()).join() === 'c1', 'a1 and a2 moving out');
      // a row moved into a project by an update follows its membership
      await h.sql(`UPDATE ${h.table} SET status = 'c' WHERE id = 3`);
      await ada.until(() => titles(ada.values()).join() === 'b1,c1', 'b1 moving in with its project');
      await bob.until(() => bob.rows.size === 0, 'b1 moving out of bob');
      expect(bob.controls().slice(bobControls)).not.toContain('must-refetch');
    } finally {
      ada.stop();
      bob.stop();
    }
  });

  it('ends a held live request when a membership changes, and not when an unrelated one does', async () => {
    const first = await h.get({ offset: '-1', ...flat(mine('dan')) });
    const handle = first.headers.get('electric-handle')!;
    const caughtUp = await h.get({ offset: first.headers.get('electric-offset')!, handle, ...flat(mine('dan')) });
    const offset = caughtUp.headers.get('electric-offset')!;
    const live = h.get({ offset, handle, live: 'true', ...flat(mine('dan')) });
    await new Promise((r) => setTimeout(r, 100));
    await h.sql(`INSERT INTO ${members} (project, person) VALUES ('b', 'eve')`); // not dan's
    await h.sql(`INSERT INTO ${members} (project, person) VALUES ('c', 'dan')`);
    const answer = await live;
    // woken by the first, still current; the next live request meets the second
    const next = answer.status === 409 ? answer : await h.get({ offset, handle, live: 'true', ...flat(mine('dan')) });
    expect(next.status).toBe(409);
    expect((await messagesOf(next))[0].headers).toEqual({ control: 'must-refetch' });
    expect(next.headers.get('electric-handle')).not.toBe(handle);
  });

  it('refuses sub-queries of tables that are not served, and columns they do not have', async () => {
    await h.sql(`CREATE TABLE ${h.schema}.secrets (id text PRIMARY KEY, person text)`);
    for (const [where, message] of [
      ['status IN (SELECT id FROM secrets)', 'sub-query table "secrets" does not exist or is not served'],
      ['status IN (SELECT password FROM members)', '"password" is not a column of members'],
      ['status IN (SELECT project FROM members WHERE title = $1)', '"title" is neither a column'],
    ]) {
      const response = await h.get({ offset: '-1', where, 'params[1]': 'x' });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { errors: { where: string[] } }).errors.where[0]).toContain(message);
    }
  });
});

function flat(shape: { where: string; params: Record<string, string> }): Record<string, string> {
  return {
    where: shape.where,
    ...Object.fromEntries(Object.entries(shape.params).map(([n, v]) => [`params[${n}]`, v])),
  };
}
