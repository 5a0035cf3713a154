import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { apiTokenCreate, apiTokenCreated, apiTokenSchema, invitationAccept, invitationInfo, meSchema, profilePatch, publicConfigSchema } from '../../../contracts/access.js';
import { acceptInvitation, getInvitation } from '../../platform/invitations.js';
import { actorOf, authorize } from '../../platform/policy.js';
import { limitRate } from '../../platform/rate-limit.js';
import * as access from './service.js';

const tokenParams = z.object({ token: z.string().min(10).max(200) });

export default async function accessRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;

  r.get('/api/public/config', { config: { public: true }, schema: { tags: ['access'], response: { 200: publicConfigSchema } } }, () =>
    access.publicConfig(ctx, app.demoSeeded),
  );
  r.get('/api/invitations/:token', { config: { public: true }, schema: { tags: ['access'], params: tokenParams, response: { 200: invitationInfo } } }, (req) =>
    getInvitation(ctx, req.params.token),
  );
  r.post(
    '/api/invitations/:token/accept',
    { config: { public: true }, schema: { tags: ['access'], params: tokenParams, body: invitationAccept } },
    async (req, reply) => {
      // Signed-out and each try may hash a password: 10 a minute per address.
      await limitRate(ctx.db, `invitation-accept:${req.ip}`, 10, 60);
      await acceptInvitation(ctx, req.params.token, req.body.password, req.ip);
      return reply.status(204).send();
    },
  );

  r.get('/api/me', { schema: { tags: ['access'], response: { 200: meSchema } } }, (req) => access.me(ctx, actorOf(req)));
  r.patch('/api/me', { schema: { tags: ['access'], body: profilePatch, response: { 200: meSchema } }, preValidation: authorize('profile:edit') }, (req) =>
    access.updateProfile(ctx, actorOf(req), req.body),
  );

  r.get('/api/tokens', { schema: { tags: ['access'], response: { 200: z.array(apiTokenSchema) } }, preValidation: authorize('tokens:use') }, (req) =>
    access.listTokens(ctx, actorOf(req)),
  );
  r.post('/api/tokens', { schema: { tags: ['access'], body: apiTokenCreate, response: { 201: apiTokenCreated } }, preValidation: authorize('tokens:use') }, async (req, reply) =>
    reply.status(201).send(await access.createToken(ctx, actorOf(req), req.body)),
  );
  r.delete('/api/tokens/:id', { schema: { tags: ['access'], params: z.object({ id: z.string().uuid() }) }, preValidation: authorize('tokens:use') }, async (req, reply) => {
    await access.revokeToken(ctx, actorOf(req), req.params.id);
    return reply.status(204).send();
  });
}
