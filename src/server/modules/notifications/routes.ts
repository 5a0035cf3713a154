import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notificationListQuery, notificationPage, preferencesInput, preferencesSchema, unreadCountSchema, webhookInput, webhookList, webhookSchema } from '../../../contracts/notifications.js';
import { actorOf, authorize } from '../../platform/policy.js';
import * as service from './service.js';

const idParams = z.object({ id: z.string().uuid() });

export default async function notificationRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const tags = ['notifications'];

  r.get('/api/notifications', { schema: { tags, querystring: notificationListQuery, response: { 200: notificationPage } }, preValidation: authorize('workspace:read') }, (req) =>
    service.listNotifications(ctx, actorOf(req), req.query),
  );
  r.get('/api/notifications/unread-count', { schema: { tags, response: { 200: unreadCountSchema } }, preValidation: authorize('workspace:read') }, (req) => service.unreadCount(ctx, actorOf(req)));
  r.post('/api/notifications/:id/read', { schema: { tags, params: idParams, response: { 200: unreadCountSchema } }, preValidation: authorize('profile:edit') }, (req) =>
    service.markRead(ctx, actorOf(req), req.params.id),
  );
  r.post('/api/notifications/read-all', { schema: { tags, response: { 200: unreadCountSchema } }, preValidation: authorize('profile:edit') }, (req) => service.markAllRead(ctx, actorOf(req)));
  r.get('/api/notifications/preferences', { schema: { tags, response: { 200: preferencesSchema } }, preValidation: authorize('workspace:read') }, (req) => service.getPreferences(ctx, actorOf(req)));
  r.put('/api/notifications/preferences', { schema: { tags, body: preferencesInput, response: { 200: preferencesSchema } }, preValidation: authorize('profile:edit') }, (req) =>
    service.updatePreferences(ctx, actorOf(req), req.body),
  );
  r.get('/api/notifications/webhooks', { schema: { tags, response: { 200: webhookList } }, preValidation: authorize('workspace:read') }, (req) => service.listWebhooks(ctx, actorOf(req)));
  r.put('/api/notifications/webhooks', { schema: { tags, body: webhookInput, response: { 200: webhookSchema } }, preValidation: authorize('profile:edit') }, (req) =>
    service.saveWebhook(ctx, actorOf(req), req.body),
  );
  r.delete('/api/notifications/webhooks/:id', { schema: { tags, params: idParams, response: { 200: z.object({ ok: z.boolean() }) } }, preValidation: authorize('profile:edit') }, (req) =>
    service.deleteWebhook(ctx, actorOf(req), req.params.id),
  );
}
