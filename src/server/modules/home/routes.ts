import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { homeSchema } from '../../../contracts/home.js';
import { actorOf, authorize } from '../../platform/policy.js';
import { home } from './service.js';

export default async function homeRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/api/home', { schema: { tags: ['home'], response: { 200: homeSchema } }, preValidation: authorize('workspace:read') }, (req) => home(app.ctx, actorOf(req)));
}
