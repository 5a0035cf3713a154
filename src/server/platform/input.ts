import type { FastifyInstance } from 'fastify';
import { AppError, JSON_BODY_LIMIT, invalid } from './errors.js';

/** Deeper than any request Tandem takes; parsing and walking deeper input only costs CPU. */
export const JSON_MAX_DEPTH = 32;

/**
 * How deep arrays and objects nest in JSON text, stopping as soon as `max` is passed: one linear
 * pass over the characters, before JSON.parse, so a 1 MB `[[[[…` costs microseconds, not seconds.
 */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > max) return true;
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth--;
  }
  return false;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The first string (value or key) PostgreSQL cannot store as text or that is not valid Unicode:
 * NUL characters and lone UTF-16 surrogates. Returns the field's dotted path and the problem.
 */
export function badText(value: unknown, path: string[] = [], depth = 0): { field: string; message: string } | undefined {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) return { field: path.join('.') || 'body', message: 'must not contain NUL characters' };
    if (LONE_SURROGATE.test(value)) return { field: path.join('.') || 'body', message: 'is not valid Unicode text (lone surrogate)' };
    return undefined;
  }
  if (!value || typeof value !== 'object' || depth > JSON_MAX_DEPTH) return undefined;
  for (const [k, v] of Object.entries(value)) {
    const keyProblem = badText(k, path, depth + 1);
    if (keyProblem) return { field: [...path, keyProblem.field === 'body' ? '(key)' : k].join('.'), message: keyProblem.message };
    const problem = badText(v, [...path, k], depth + 1);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * JSON bodies capped in size (413) and nesting (400), and text fields, queries and route
 * parameters free of NUL and lone surrogates (400 naming the field) — for every route, the auth
 * library's included, so malformed input is refused at the edge instead of failing in the database.
 */
export function registerInputGuards(app: FastifyInstance) {
  const defaultJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: JSON_BODY_LIMIT }, (request, body, done) => {
    const text = body as string;
    if (text.trim() === '') return done(null, undefined);
    if (jsonDepthExceeds(text, JSON_MAX_DEPTH)) return done(invalid('body', `JSON nested deeper than ${JSON_MAX_DEPTH} levels`), undefined);
    defaultJson(request, text, (err, parsed) => {
      if (err) return done(new AppError(400, 'invalid_json', 'body: not valid JSON', [{ field: 'body', message: 'not valid JSON' }]), undefined);
      const problem = badText(parsed);
      if (problem) return done(invalid(problem.field, problem.message), undefined);
      done(null, parsed);
    });
  });
  app.addHook('preValidation', async (request) => {
    const problem = badText(request.query) ?? badText(request.params);
    if (problem) throw invalid(problem.field, problem.message);
  });
}
