import type { FastifyInstance } from 'fastify';
import { projectAccess } from './auth/access';
import type { Principal } from './auth/principal';
import type { Database, Queryable } from './database';
import { NotFound } from './problems';
import { principal, write } from './resource';
import * as schemas from './schemas';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const COLUMNS = 'project_id, user_id, created_at';

/** A project's members: they see the project and read and write its todos. Its owner (and staff) add and remove them. */
export function registerMembers(app: FastifyInstance, db: Database): void {
  const project = async (tx: Queryable, p: Principal, id: string, lock = false) => {
    if (!UUID.test(id)) throw new NotFound('project');
    const visible = projectAccess.visible(p, 2);
    const [row] = await tx.query(
      `select id, owner_id from projects where id = $1${visible ? ` and ${visible}` : ''}${lock ? ' for update' : ''}`,
      visible ? [id, p.userId] : [id],
    );
    if (!row) throw new NotFound('project');
    return row;
  };

  app.get('/projects/:id/members', async (request) => {
    const p = principal(request);
    const { id } = request.params as { id: string };
    await project(db, p, id);
    return db.query(`select ${COLUMNS} from project_members where project_id = $1 order by created_at, user_id`, [id]);
  });

  app.post('/projects/:id/members', { schema: { body: schemas.memberCreate } }, async (request, reply) => {
    const p = principal(request);
    const { id } = request.params as { id: string };
    const { user_id } = request.body as { user_id: string };
    return write(db, request, reply, 201, async (tx) => {
      projectAccess.mayChange(p, await project(tx, p, id, true));
      const [row] = await tx.query(
        `insert into project_members (project_id, user_id) values ($1, $2) returning ${COLUMNS}`,
        [id, user_id],
      );
      return row;
    });
  });

  app.delete('/projects/:id/members/:userId', async (request, reply) => {
    const p = principal(request);
    const { id, userId } = request.params as { id: string; userId: string };
    if (!UUID.test(userId)) throw new NotFound('member');
    return write(db, request, reply, 204, async (tx) => {
      const row = await project(tx, p, id, true);
      // a member may leave; only the owner and staff remove others
      if (userId !== p.userId) projectAccess.mayChange(p, row);
      const removed = await tx.query(
        'delete from project_members where project_id = $1 and user_id = $2 returning user_id',
        [id, userId],
      );
      if (!removed.length) throw new NotFound('member');
    });
  });
}
