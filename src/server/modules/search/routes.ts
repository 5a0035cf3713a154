import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { searchQuery, searchResultSchema } from '../../../contracts/search.js';
import { actorOf, authorize } from '../../platform/policy.js';
import { searchAll } from '../../platform/search.js';

/** Global search: every registered provider answers with what this person may see. */
export default async function searchRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/search', { schema: { tags: ['search'], querystring: searchQuery, response: { 200: searchResultSchema } }, preValidation: authorize('workspace:read') }, (req) =>
    searchAll(app.ctx, actorOf(req), req.query.q, req.query.limit),
  );
}
