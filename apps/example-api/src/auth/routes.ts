import type { FastifyInstance } from 'fastify';
import type { Database } from '../database';
import { HttpProblem } from '../problems';
import { principal } from '../resource';
import * as schemas from '../schemas';
import { hashPassword, verifyPassword } from './passwords';
import { bearerToken, closeSession, openSession } from './principal';

const USER_COLUMNS = 'id, email, name, role, created_at';

/**
 * Sign-up, sign-in and sign-out. Sign-up makes a `member` (roles are never self-assigned: staff
 * grant them with PATCH /users/{id}); sign-in answers a bearer token for `Authorization: Bearer …`.
 */
export function registerAuthRoutes(app: FastifyInstance, db: Database): void {
  app.post('/accounts', { schema: { body: schemas.accountCreate } }, async (request, reply) => {
    const { email, name, password } = request.body as { email: string; name: string; password: string };
    const hash = await hashPassword(password);
    const session = await db.transaction(async (tx) => {
      const [user] = await tx.query<{ id: string }>(
        `insert into users (email, name, role) values ($1, $2, 'member') returning ${USER_COLUMNS}`,
        [email, name],
      );
      await tx.query('insert into passwords (user_id, hash) values ($1, $2)', [user.id, hash]);
      return { ...(await openSession(tx, user.id)), user };
    });
    return reply.code(201).send(session);
  });

  app.post('/sessions', { schema: { body: schemas.credentials } }, async (request, reply) => {
    const { email, password } = request.body as { email: string; password: string };
    const [user] = await db.query<{ id: string }>(`select ${USER_COLUMNS} from users where email = $1`, [email]);
    const [stored] = user
      ? await db.query<{ hash: string }>('select hash from passwords where user_id = $1', [user.id])
      : [];
    // verified even without a user or password, so every failure takes as long and reads the same
    if (!(await verifyPassword(password, stored?.hash)) || !user)
      throw new HttpProblem(401, 'unauthenticated', 'Wrong email or password');
    return reply.code(201).send({ ...(await openSession(db, user.id)), user });
  });

  app.get('/sessions/current', async (request) => {
    const { userId } = principal(request);
    const [user] = await db.query(`select ${USER_COLUMNS} from users where id = $1`, [userId]);
    return { user };
  });

  app.delete('/sessions/current', async (request, reply) => {
    principal(request);
    await closeSession(db, bearerToken(request) ?? '');
    return reply.code(204).send();
  });
}
