import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  IDEA_CATEGORY_LABELS,
  IDEA_STATE_LABELS,
  ideaCommentInput,
  ideaDetailSchema,
  ideaIdParams,
  ideaInput,
  ideaListQuery,
  ideaOwnerInput,
  ideaPage,
  ideaSchema,
  ideaSimilarQuery,
  ideaSimilarSchema,
  ideaStateChange,
  ideaStatsSchema,
  ideaVoteResult,
} from '../../../contracts/ideas.js';
import { sendCsv } from '../../platform/list.js';
import { actorOf, authorize } from '../../platform/policy.js';
import * as service from './service.js';

const exportQuery = ideaListQuery.omit({ cursor: true, limit: true });

export default async function ideasRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const tags = ['ideas'];

  r.get('/api/ideas', { schema: { tags, querystring: ideaListQuery, response: { 200: ideaPage } }, config: { responseCache: true }, preValidation: authorize('ideas:read') }, (req) =>
    service.listIdeas(ctx, actorOf(req), req.query),
  );
  r.get('/api/ideas/export', { schema: { tags, querystring: exportQuery }, preValidation: authorize('ideas:read') }, async (req, reply) => {
    const rows = await service.exportIdeas(ctx, actorOf(req), req.query);
    return sendCsv(reply, 'ideas.csv', [
      { header: 'ref', value: (i) => i.ref },
      { header: 'title', value: (i) => i.title },
      { header: 'category', value: (i) => IDEA_CATEGORY_LABELS[i.category] },
      { header: 'state', value: (i) => IDEA_STATE_LABELS[i.state] },
      { header: 'store', value: (i) => i.storeCode ?? 'HQ' },
      { header: 'department', value: (i) => i.departmentName ?? (i.anonymous ? 'Anonymous' : '') },
      { header: 'author', value: (i) => i.author?.name ?? 'Anonymous' },
      { header: 'anonymous', value: (i) => i.anonymous },
      { header: 'owner', value: (i) => i.owner?.name ?? '' },
      { header: 'votes', value: (i) => i.votes },
      { header: 'comments', value: (i) => i.comments },
      { header: 'decline_reason', value: (i) => i.declineReason ?? '' },
      { header: 'duplicate_of', value: (i) => i.duplicateOf?.ref ?? '' },
      { header: 'created_at', value: (i) => i.createdAt },
      { header: 'last_activity_at', value: (i) => i.lastActivityAt },
      { header: 'description', value: (i) => i.description },
    ], rows);
  });
  r.get('/api/ideas/similar', { schema: { tags, querystring: ideaSimilarQuery, response: { 200: ideaSimilarSchema } }, preValidation: authorize('ideas:read') }, (req) =>
    service.similarIdeas(ctx, actorOf(req), req.query),
  );
  r.get('/api/ideas/stats', { schema: { tags, response: { 200: ideaStatsSchema } }, preValidation: authorize('ideas:read') }, (req) =>
    service.ideaStats(ctx, actorOf(req)),
  );
  r.get('/api/ideas/:id', { schema: { tags, params: ideaIdParams, response: { 200: ideaDetailSchema } }, preValidation: authorize('ideas:read') }, (req) =>
    service.getIdea(ctx, actorOf(req), req.params.id),
  );
  r.post('/api/ideas', { schema: { tags, body: ideaInput, response: { 201: ideaSchema } }, preValidation: authorize('ideas:submit') }, async (req, reply) =>
    reply.status(201).send(await service.submitIdea(ctx, actorOf(req), req.body)),
  );
  r.post('/api/ideas/:id/vote', { schema: { tags, params: ideaIdParams, response: { 200: ideaVoteResult } }, preValidation: authorize('ideas:vote') }, (req) =>
    service.toggleVote(ctx, actorOf(req), req.params.id),
  );
  r.post('/api/ideas/:id/comments', { schema: { tags, params: ideaIdParams, body: ideaCommentInput, response: { 201: ideaSchema } }, preValidation: authorize('ideas:comment') }, async (req, reply) =>
    reply.status(201).send(await service.addComment(ctx, actorOf(req), req.params.id, req.body)),
  );
  r.post('/api/ideas/:id/take', { schema: { tags, params: ideaIdParams, response: { 200: ideaSchema } }, preValidation: authorize('ideas:own') }, (req) =>
    service.takeOwnership(ctx, actorOf(req), req.params.id),
  );
  r.post('/api/ideas/:id/owner', { schema: { tags, params: ideaIdParams, body: ideaOwnerInput, response: { 200: ideaSchema } }, preValidation: authorize('ideas:assign') }, (req) =>
    service.assignOwner(ctx, actorOf(req), req.params.id, req.body.ownerId),
  );
  r.post('/api/ideas/:id/state', { schema: { tags, params: ideaIdParams, body: ideaStateChange, response: { 200: ideaSchema } }, preValidation: authorize('ideas:progress') }, (req) =>
    service.changeState(ctx, actorOf(req), req.params.id, req.body),
  );
}
