import type { Queryable } from '../database';
import { HttpProblem } from '../problems';
import { forbidden, type Principal } from './principal';

/**
 * Who may see and change which rows. Staff (role `admin`) see and change everything; everyone else
 * sees the projects they own or are a member of, those projects' todos, and the users who share a
 * project with them. Rows a principal cannot see answer 404 (their existence is not revealed); rows
 * they see but may not change answer 403.
 */
export interface Access {
  /** A SQL condition on the table's columns limiting the rows this principal sees; `$n` is their user id. Undefined: every row. */
  visible(principal: Principal, n: number): string | undefined;
  /** Refuses (throws) a create this principal may not make. */
  mayCreate(tx: Queryable, principal: Principal, body: Record<string, unknown>): Promise<void>;
  /** Refuses (throws) a change of a row this principal sees but may not change. */
  mayChange(principal: Principal, row: Record<string, unknown>): void;
}

/** The ids of the projects a user owns or is a member of, as a SQL subquery on parameter `$n`. */
export const projectsOf = (n: number): string =>
  `(select id from projects where owner_id = $${n} union select project_id from project_members where user_id = $${n})`;

export const userAccess: Access = {
  visible: (p, n) =>
    p.staff
      ? undefined
      : `(id = $${n} or id in (select owner_id from projects where id in ${projectsOf(n)} union select user_id from project_members where project_id in ${projectsOf(n)}))`,
  async mayCreate(_tx, p) {
    if (!p.staff) throw forbidden('Only staff create users; sign up with POST /accounts');
  },
  mayChange(p, row) {
    if (!p.staff && row['id'] !== p.userId) throw forbidden('Only this user and staff change this user');
  },
};

export const projectAccess: Access = {
  visible: (p, n) => (p.staff ? undefined : `id in ${projectsOf(n)}`),
  async mayCreate(_tx, p, body) {
    if (!p.staff && body['owner_id'] !== p.userId)
      throw forbidden('A project is created with yourself as its owner (owner_id)');
  },
  mayChange(p, row) {
    if (!p.staff && row['owner_id'] !== p.userId)
      throw forbidden("Only the project's owner and staff change or delete it");
  },
};

export const todoAccess: Access = {
  visible: (p, n) => (p.staff ? undefined : `project_id in ${projectsOf(n)}`),
  async mayCreate(tx, p, body) {
    if (p.staff) return;
    const [member] = await tx.query(`select 1 from projects where id = $2 and id in ${projectsOf(1)}`, [
      p.userId,
      body['project_id'],
    ]);
    // the same answer as for a project that does not exist: membership is not revealed
    if (!member)
      throw new HttpProblem(422, 'invalid', 'A referenced row does not exist', [
        { path: '/project_id', message: 'no such project' },
      ]);
  },
  mayChange() {
    // every member of the project changes its todos
  },
};
