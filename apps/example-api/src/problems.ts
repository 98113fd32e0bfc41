import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

/** The JSON error body every 4xx/5xx answer carries (`Problem` in openapi.yaml). */
export interface Problem {
  error: string;
  message: string;
  details?: { path: string; message: string }[];
}

export class NotFound extends Error {
  constructor(what: string) {
    super(`No ${what} with this id`);
  }
}

/** A write based on a version the row has moved on from: answered 412 with the row as it stands. */
export class PreconditionFailed extends Error {
  constructor(readonly row: Record<string, unknown>) {
    super('The row changed since the version in If-Match');
  }
}

/** An answer with a status and error code of its own (bad headers, reused idempotency keys). */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Problem['details'],
  ) {
    super(message);
  }
}

interface PostgresError {
  code?: string;
  detail?: string;
  constraint?: string;
}

/** Maps validation, Postgres constraint and unexpected errors to a status and a Problem body (a 412: the current row). */
export function toProblem(error: unknown): { status: number; body: Problem | Record<string, unknown> } {
  if (error instanceof PreconditionFailed) return { status: 412, body: error.row };
  if (error instanceof NotFound) return { status: 404, body: { error: 'not_found', message: error.message } };
  if (error instanceof HttpProblem)
    return {
      status: error.status,
      body: { error: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) },
    };
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const details = fastifyError.validation.map((v) => ({
      path:
        v.instancePath || (typeof v.params?.['missingProperty'] === 'string' ? `/${v.params['missingProperty']}` : '/'),
      message: v.message ?? 'is invalid',
    }));
    return {
      status: 422,
      body: { error: 'invalid', message: `Invalid ${fastifyError.validationContext ?? 'request'}`, details },
    };
  }
  // Postgres' own detail (`Key (email)=(ada@…) already exists`) holds stored data: only the column
  // name is passed on, never a value.
  const pg = error as PostgresError;
  const column = /Key \(([a-z_, ]+)\)/.exec(pg.detail ?? '')?.[1];
  const about = (message: string) =>
    column ? { details: column.split(', ').map((name) => ({ path: `/${name}`, message })) } : {};
  switch (pg.code) {
    case '23505':
      return {
        status: 409,
        body: { error: 'conflict', message: 'A row with this key already exists', ...about('is already taken') },
      };
    case '23503':
      return {
        status: 422,
        body: { error: 'invalid', message: 'A referenced row does not exist', ...about('refers to no existing row') },
      };
    case '23514':
      return { status: 422, body: { error: 'invalid', message: 'A value is out of range or malformed' } };
  }
  // class 22, data exceptions: the input was wrong (a NUL byte, a number out of range, a bad date)
  if (typeof pg.code === 'string' && pg.code.startsWith('22'))
    return { status: 422, body: { error: 'invalid', message: 'A value is out of range or malformed' } };
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode < 500) {
    return {
      status: fastifyError.statusCode,
      body: { error: fastifyError.code ?? 'bad_request', message: fastifyError.message },
    };
  }
  return { status: 500, body: { error: 'internal', message: 'The server failed; see its log' } };
}

export function sendProblem(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { status, body } = toProblem(error);
  if (status >= 500) request.log.error({ err: loggable(error) }, 'request failed');
  return reply.code(status).type('application/json').send(body);
}

/**
 * What a failure's log line keeps: its kind, code, message and stack — never the SQL's parameters,
 * the row's values (Postgres' `detail`) or the query text that database drivers attach to errors.
 */
export function loggable(error: unknown): { type: string; code?: string; message: string; stack?: string } {
  if (!(error instanceof Error)) return { type: typeof error, message: 'a non-Error value was thrown' };
  const code = (error as PostgresError).code;
  return {
    type: error.constructor.name,
    ...(typeof code === 'string' ? { code } : {}),
    message: error.message,
    stack: error.stack,
  };
}
