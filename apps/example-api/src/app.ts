import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Database } from './database';
import { NotFound, sendProblem } from './problems';
import { registerResource, TXID_HEADER } from './resource';
import { RESOURCES } from './resources';

export interface AppOptions {
  db: Database;
  logger?: FastifyServerOptions['logger'];
  /** Origins allowed to call the API from a browser (the example web app); none by default. */
  corsOrigins?: readonly string[];
}

export function buildApp({ db, logger = false, corsOrigins = [] }: AppOptions): FastifyInstance {
  // allErrors: a 422 lists every invalid field at once, not just the first.
  const app = Fastify({ logger, ajv: { customOptions: { allErrors: true } } });
  app.setErrorHandler((error, request, reply) => sendProblem(error, request, reply));
  app.setNotFoundHandler((request, reply) => sendProblem(new NotFound('route'), request, reply));
  if (corsOrigins.length) allowOrigins(app, corsOrigins);
  app.get('/health', async () => ({ ok: true }));
  for (const resource of RESOURCES) registerResource(app, db, resource);
  return app;
}

// A few lines instead of a plugin: the example only needs to admit its own dev origins.
function allowOrigins(app: FastifyInstance, origins: readonly string[]): void {
  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    if (!origin || !origins.includes(origin)) return;
    reply.header('access-control-allow-origin', origin).header('vary', 'origin').header('access-control-expose-headers', TXID_HEADER);
    if (request.method === 'OPTIONS') {
      reply
        .header('access-control-allow-methods', 'GET,POST,PATCH,DELETE')
        .header('access-control-allow-headers', request.headers['access-control-request-headers'] ?? 'content-type')
        .code(204)
        .send();
    }
  });
}
