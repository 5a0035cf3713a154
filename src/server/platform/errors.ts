import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { Problem } from '../../contracts/errors.js';

/** JSON bodies: forms and API calls are small; file uploads have their own content types and limits. */
export const JSON_BODY_LIMIT = 1024 * 1024;
/** The server's limit for other bodies; a route that needs larger JSON (a network scan) sets its own `bodyLimit`. */
export const SERVER_BODY_LIMIT = 20 * 1024 * 1024;

/** The one error type of Tandem: a stable code, an HTTP status and a message a person can act on. */
export class AppError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    public readonly problems?: Problem[],
    public readonly total?: number,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new AppError(404, 'not_found', `${what} not found`);
export const forbidden = (message = 'You do not have permission to do this') => new AppError(403, 'forbidden', message);
export const unauthorized = () => new AppError(401, 'unauthorized', 'Sign in to continue');
export const invalid = (field: string, message: string) =>
  new AppError(400, 'invalid', `${field}: ${message}`, [{ field, message }]);
export const conflict = (field: string, message: string) =>
  new AppError(409, 'conflict', `${field}: ${message}`, [{ field, message }]);

const CONNECTION_LOST_MESSAGES = /Connection terminated|not queryable|terminating connection|ECONNREFUSED|ECONNRESET|EPIPE|Connection ended|timeout exceeded when trying to connect|the database system is (starting up|shutting down)/i;

/**
 * True when the database connection was lost (server restart, failover, an administrator ending the
 * session, network): the request failed as a whole and nothing was committed, so it is a 503 that
 * the client may retry, not a 500.
 */
export function isConnectionLost(err: unknown): boolean {
  for (let e = err as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    const code = typeof e.code === 'string' ? e.code : '';
    if (code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === 'ECONNREFUSED' || code === 'ECONNRESET') return true;
    if (typeof e.message === 'string' && CONNECTION_LOST_MESSAGES.test(e.message)) return true;
  }
  return false;
}

export const databaseUnavailable = () =>
  new AppError(503, 'database_unavailable', 'The database connection was lost; nothing was saved. Try again in a moment.');

/** Postgres unique violations become a 409 naming the field, so the form can show it. */
export function fromDatabaseError(err: unknown): AppError | undefined {
  if (isConnectionLost(err)) return databaseUnavailable();
  const e = err as { code?: string; constraint?: string; cause?: { code?: string; constraint?: string } };
  const code = e.code ?? e.cause?.code;
  const constraint = e.constraint ?? e.cause?.constraint ?? '';
  if (code === '23505') {
    const field = constraint.replace(/_key$/, '').split('_').slice(1).join('_') || 'value';
    return new AppError(409, 'conflict', `${field}: already in use`, [{ field, message: 'already in use' }]);
  }
  if (code === '23503') return new AppError(400, 'invalid_reference', 'A referenced record does not exist');
  // Class 22 (data exception: a date or number out of range, text the database cannot store) is
  // bad input that got past validation; a 400, never a 500. Contracts should catch it first.
  if (typeof code === 'string' && code.startsWith('22')) {
    return new AppError(400, 'invalid', 'A value is out of range or not valid for its field', [{ field: 'request', message: 'a value is out of range or not valid' }]);
  }
  return undefined;
}

export function registerErrorHandler(app: FastifyInstance, options: { spaFallback?: boolean } = {}) {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const problems: Problem[] = err.validation.map((v) => {
        const params = v.params as { issue?: { path?: (string | number)[] } } | undefined;
        const pathParts = params?.issue?.path ?? v.instancePath.split('/').filter(Boolean);
        const field = pathParts.join('.') || err.validationContext || 'request';
        return { field, message: v.message ?? 'is invalid' };
      });
      return reply.status(400).send({
        error: { code: 'invalid', message: problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems },
      });
    }
    const appError = err instanceof AppError ? err : fromDatabaseError(err);
    if (appError) {
      if (appError.status >= 500) request.log.warn({ err }, appError.message);
      return reply.status(appError.status).send({
        error: { code: appError.code, message: appError.message, problems: appError.problems, total: appError.total },
      });
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const routeLimit = request.routeOptions.bodyLimit ?? SERVER_BODY_LIMIT;
      const json = String(request.headers['content-type'] ?? '').includes('json');
      const limit = json && routeLimit === SERVER_BODY_LIMIT ? JSON_BODY_LIMIT : routeLimit;
      return reply.status(413).send({ error: { code: 'too_large', message: `body: larger than ${Math.round(limit / 1024)} KB`, problems: [{ field: 'body', message: 'too large' }] } });
    }
    if (err.statusCode && err.statusCode < 500) {
      return reply.status(err.statusCode).send({ error: { code: err.code ?? 'bad_request', message: err.message } });
    }
    request.log.error({ err }, 'request failed');
    // 5xx: never leak internals to the client.
    return reply.status(500).send({ error: { code: 'internal', message: 'Something went wrong on our side. It has been logged.' } });
  });
  app.setNotFoundHandler((request, reply) => {
    // Client-side routes of the web app: any GET outside /api that is not a file gets the app shell.
    const pathname = request.url.split('?')[0];
    if (options.spaFallback && request.method === 'GET' && !pathname.startsWith('/api/') && !/\.[a-z0-9]+$/i.test(pathname)) {
      return reply.type('text/html').sendFile('index.html');
    }
    reply.status(404).send({ error: { code: 'not_found', message: `No route ${request.method} ${request.url.split('?')[0]}` } });
  });
}
