import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { projectsOf } from './auth/access';
import type { Database } from './database';
import { principal } from './resource';

/**
 * The example's cache-mode endpoint: todo counts per project, computed in SQL on every request,
 * with an ETag over the result so an unchanged answer is a 304 without a body.
 */
export function registerMetrics(app: FastifyInstance, db: Database): void {
  app.get('/metrics/todo-counts', async (request, reply) => {
    // the counts of the projects this user sees, nothing of the others'
    const p = principal(request);
    const visible = p.staff ? undefined : `p.id in ${projectsOf(1)}`;
    const rows = await db.query<{
      project_id: string;
      project_name: string;
      total: number;
      todo: number;
      doing: number;
      done: number;
    }>(
      `SELECT p.id AS project_id, p.name AS project_name,
              count(t.id)::int AS total,
              (count(t.id) FILTER (WHERE t.status = 'todo'))::int AS todo,
              (count(t.id) FILTER (WHERE t.status = 'doing'))::int AS doing,
              (count(t.id) FILTER (WHERE t.status = 'done'))::int AS done
         FROM projects p LEFT JOIN todos t ON t.project_id = p.id AND NOT t.archived
        ${visible ? `WHERE ${visible}` : ''}
        GROUP BY p.id, p.name
        ORDER BY p.name, p.id`,
      visible ? [p.userId] : [],
    );
    const body = JSON.stringify(rows);
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    reply.header('etag', etag);
    const asked = request.headers['if-none-match'];
    if (typeof asked === 'string' && asked.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag))
      return reply.code(304).send();
    return reply.type('application/json').send(body);
  });
}
