import { loggable, toProblem } from '../src/problems';

/** A database error as drivers throw it: the SQL, its parameters and the row's values attached. */
function databaseError(code: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), {
    code,
    query: 'insert into users (email, name) values ($1, $2)',
    params: ['ada@example.com', 'Ada'],
    ...extra,
  });
}

describe('problems', () => {
  it('keeps the SQL, its parameters and stored values out of a failure’s log line', () => {
    const error = databaseError('XX000', 'internal error', {
      detail: 'Failing row contains (ada@example.com, Ada)',
      where: 'SQL statement "…"',
    });
    const line = JSON.stringify(loggable(error));
    expect(line).toContain('XX000');
    expect(line).not.toMatch(/ada@example\.com|insert into|params|Failing row/);
  });

  it('names the column of a duplicate, never the stored value', () => {
    const answer = toProblem(
      databaseError('23505', 'duplicate key value violates unique constraint "users_email_key"', {
        detail: 'Key (email)=(ada@example.com) already exists.',
      }),
    );
    expect(answer).toEqual({
      status: 409,
      body: {
        error: 'conflict',
        message: 'A row with this key already exists',
        details: [{ path: '/email', message: 'is already taken' }],
      },
    });
  });

  it('answers data exceptions (class 22) with 422', () => {
    for (const code of ['22021', '22003', '22P02', '22007', '22001'])
      expect([code, toProblem(databaseError(code, `invalid input value "secret"`)).status]).toEqual([code, 422]);
    expect(
      JSON.stringify(toProblem(databaseError('22P02', 'invalid input syntax for type uuid: "secret"')).body),
    ).not.toContain('secret');
  });
});
