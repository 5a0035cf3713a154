import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { savedViewInput, savedViewList, savedViewListQuery, savedViewPatch, savedViewSchema } from '../../../contracts/views.js';
import { actorOf, authorize } from '../../platform/policy.js';
import * as service from './service.js';

const idParams = z.object({ id: z.string().uuid() });

/** Saved list views: each person's own, on any list (src/web/ui/list.tsx). */
export default async function viewRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const tags = ['views'];
  r.get('/api/views', { schema: { tags, querystring: savedViewListQuery, response: { 200: savedViewList } }, preValidation: authorize('workspace:read') }, (req) =>
    service.listViews(ctx, actorOf(req), req.query.list),
  );
  r.post('/api/views', { schema: { tags, body: savedViewInput, response: { 200: savedViewSchema } }, preValidation: authorize('profile:edit') }, (req) =>
    service.createView(ctx, actorOf(req), req.body),
  );
  r.patch('/api/views/:id', { schema: { tags, params: idParams, body: savedViewPatch, response: { 200: savedViewSchema } }, preValidation: authorize('profile:edit') }, (req) =>
    service.updateView(ctx, actorOf(req), req.params.id, req.body),
  );
  r.delete('/api/views/:id', { schema: { tags, params: idParams, response: { 200: z.object({ ok: z.boolean() }) } }, preValidation: authorize('profile:edit') }, (req) =>
    service.deleteView(ctx, actorOf(req), req.params.id),
  );
}
