import { shapePolicy } from '@sync-patterns/example-api-core/shape-policy';
import { createShapeProxy, toNodeHandler } from '@sync-patterns/runtime/shape-proxy';
import { resetLog } from '@sync-patterns/shape-server';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import { forbidden, principalOf, principalOfHeader, type Principal } from './auth/principal';
import { registerAuthRoutes } from './auth/routes';
import type { Database } from './database';
import { registerMembers } from './members';
import { NotFound, sendProblem } from './problems';
import { registerMetrics } from './metrics';
import { registerTodoActions } from './todo-actions';
import { principal, registerResource, TXID_HEADER } from './resource';
import { RESOURCES } from './resources';

export interface AppOptions {
  db: Database;
  logger?: FastifyServerOptions['logger'];
  /** Origins allowed to call the API from a browser (the example web app); none by default. */
  corsOrigins?: readonly string[];
  /** Tests only: `POST /v1/shape/reset` starts a new change-log generation (clients get 409). */
  shapeResetRoute?: boolean;
  /** Where the change log lives (the database schema the tables are in, when there is one). */
  logSchema?: string;
  /**
   * The shape service behind `/v1/shape`: ElectricSQL (`ELECTRIC_URL`, `ELECTRIC_SECRET`) or the
   * development shape server the example starts on a loopback port (server.ts). Absent: no live route.
   */
  shapes?: { url: string; secret?: string };
}

/** The largest request body the API reads (a todo is well under 1 KiB); larger ones get 413. */
export const BODY_LIMIT = 64 * 1024;

export function buildApp({
  db,
  logger = false,
  corsOrigins = [],
  shapeResetRoute = false,
  logSchema,
  shapes,
}: AppOptions): FastifyInstance {
  // allErrors: a 422 lists every invalid field at once, not just the first.
  // forceCloseConnections: on shutdown, held shape long-polls are cut rather than waited for.
  // Request bodies are schema-checked with additionalProperties: false, and Fastify's ajv removes
  // unknown fields, so only the table's own column names ever reach the SQL.
  const app = Fastify({
    logger,
    forceCloseConnections: true,
    bodyLimit: BODY_LIMIT,
    ajv: { customOptions: { allErrors: true } },
  });
  app.setErrorHandler((error, request, reply) => sendProblem(error, request, reply));
  app.setNotFoundHandler((request, reply) => sendProblem(new NotFound('route'), request, reply));
  if (corsOrigins.length) allowOrigins(app, corsOrigins);
  app.get('/health', async () => ({ ok: true }));
  authenticate(app, db);
  registerAuthRoutes(app, db);
  for (const resource of RESOURCES) registerResource(app, db, resource);
  registerMembers(app, db);
  registerTodoActions(app, db);
  registerMetrics(app, db);
  if (shapes) serveShapes(app, db, shapes, corsOrigins);
  if (shapeResetRoute)
    app.post('/v1/shape/reset', async (request, reply) => {
      if (!principal(request).staff) throw forbidden('Only staff reset the change log');
      return reply.code(204).send(await resetLog(db, logSchema));
    });
  return app;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user, when the request carries a valid bearer token. */
    principal?: Principal;
  }
}

/** Reads the bearer token of every request before its body is validated: a stranger gets 401, never 422. */
function authenticate(app: FastifyInstance, db: Database): void {
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (request) => {
    if (request.method === 'OPTIONS') return;
    request.principal = await principalOf(db, request);
  });
}

/**
 * Live mode's read path, as a production API serves it: the shape proxy in front of the shape
 * service (Electric, or the development shape server). It lets a signed-in user read the tables of
 * the generated shape policy only, pins the columns (never `internal_notes`) and the rows (the
 * todos of their projects; every todo for staff), binding `$user` and `$staff` from the session,
 * and adds the service's secret. The client names a table; nothing else of what it sends decides.
 */
function serveShapes(
  app: FastifyInstance,
  db: Database,
  shapes: NonNullable<AppOptions['shapes']>,
  corsOrigins: readonly string[],
): void {
  const proxy = toNodeHandler(
    createShapeProxy<Principal>({
      policy: shapePolicy,
      electricUrl: shapes.url,
      secret: shapes.secret,
      authenticate: (request) => principalOfHeader(db, request.headers.get('authorization') ?? undefined),
      params: (p) => ({ user: p.userId, staff: p.staff }),
      corsOrigins,
      onError: (error) => app.log.error({ err: error }, 'shape proxy'),
    }),
  );
  // GET for shapes, POST for subset snapshots (Electric's client sends large ones so)
  const serve = (request: FastifyRequest, reply: FastifyReply) => {
    reply.hijack();
    return proxy(request.raw, reply.raw, request.method === 'POST' ? (request.body ?? {}) : undefined);
  };
  app.get('/v1/shape', serve);
  app.post('/v1/shape', serve);
}

// A few lines instead of a plugin: the example only needs to admit its own dev origins.
function allowOrigins(app: FastifyInstance, origins: readonly string[]): void {
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (!origin || !origins.includes(origin)) return;
    reply
      .header('access-control-allow-origin', origin)
      .header('vary', 'origin')
      .header('access-control-expose-headers', `${TXID_HEADER}, etag`);
    if (request.method === 'OPTIONS') {
      reply
        .header('access-control-allow-methods', 'GET,POST,PATCH,DELETE')
        .header(
          'access-control-allow-headers',
          request.headers['access-control-request-headers'] ?? 'content-type, authorization',
        )
        .code(204)
        .send();
    }
  });
}
