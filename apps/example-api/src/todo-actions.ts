import type { FastifyInstance } from 'fastify';
import { projectsOf, todoAccess } from './auth/access';
import type { Principal } from './auth/principal';
import type { Database, Queryable } from './database';
import { HttpProblem, NotFound } from './problems';
import { principal, write } from './resource';
import * as schemas from './schemas';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** What the todo actions answer (internal_notes is staff-only: see resources.ts). */
const COLUMNS = 'id, project_id, title, status, priority, due_at, archived, created_at, updated_at, version';

/**
 * Domain actions on todos, beside the todos resource's CRUD: archive one, move one to another
 * project, complete a project's open todos (one transaction, one txid). Each is a write with its
 * txid, and runs once per Idempotency-Key, as every write of the API does.
 */
export function registerTodoActions(app: FastifyInstance, db: Database): void {
  /** The todo with this id if `p` sees it, locked for the write; 404 otherwise. */
  const visibleTodo = async (tx: Queryable, p: Principal, id: string) => {
    if (!UUID.test(id)) throw new NotFound('todo');
    const visible = todoAccess.visible(p, 2);
    const [row] = await tx.query(
      `select id from todos where id = $1${visible ? ` and ${visible}` : ''} for update`,
      visible ? [id, p.userId] : [id],
    );
    if (!row) throw new NotFound('todo');
  };

  app.post('/todos/:id/archive', async (request, reply) => {
    const p = principal(request);
    const { id } = request.params as { id: string };
    return write(db, request, reply, 200, async (tx) => {
      await visibleTodo(tx, p, id);
      const [row] = await tx.query(
        `update todos set archived = true, updated_at = now() where id = $1 returning ${COLUMNS}`,
        [id],
      );
      return row;
    });
  });

  app.post('/todos/:id/move', { schema: { body: schemas.todoMove } }, async (request, reply) => {
    const p = principal(request);
    const { id } = request.params as { id: string };
    const { project_id } = request.body as { project_id: string };
    return write(db, request, reply, 200, async (tx) => {
      await visibleTodo(tx, p, id);
      const [target] = p.staff
        ? await tx.query('select 1 from projects where id = $1', [project_id])
        : await tx.query(`select 1 from projects where id = $2 and id in ${projectsOf(1)}`, [p.userId, project_id]);
      // the same answer as for a project that does not exist: membership is not revealed
      if (!target)
        throw new HttpProblem(422, 'invalid', 'A referenced row does not exist', [
          { path: '/project_id', message: 'no such project' },
        ]);
      const [row] = await tx.query(
        `update todos set project_id = $2, updated_at = now() where id = $1 returning ${COLUMNS}`,
        [id, project_id],
      );
      return row;
    });
  });

  app.post('/projects/:id/todos/complete', async (request, reply) => {
    const p = principal(request);
    const { id } = request.params as { id: string };
    if (!UUID.test(id)) throw new NotFound('project');
    return write(db, request, reply, 200, async (tx) => {
      const [project] = p.staff
        ? await tx.query('select 1 from projects where id = $1', [id])
        : await tx.query(`select 1 from projects where id = $2 and id in ${projectsOf(1)}`, [p.userId, id]);
      if (!project) throw new NotFound('project');
      return tx.query(
        `update todos set status = 'done', updated_at = now()
          where project_id = $1 and status <> 'done' and not archived
          returning ${COLUMNS}`,
        [id],
      );
    });
  });
}
