import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  archiveQuery,
  audienceSizeSchema,
  bounceInput,
  bounceResult,
  editionIdParams,
  editionListQuery,
  editionPage,
  editionSchema,
  editionUpdateInput,
  newEditionInput,
  newsletterSettingsSchema,
  preferencesInput,
  preferencesSchema,
  previewSchema,
  progressSchema,
  RECIPIENT_STATUS_LABELS,
  recipientListQuery,
  recipientPage,
  scheduleInput,
  settingsInput,
  SUBSCRIBER_STATUS_LABELS,
  subscriberInput,
  subscriberListQuery,
  subscriberPage,
  subscriberSchema,
  tokenQuery,
} from '../../../contracts/newsletter.js';
import { sendCsv } from '../../platform/list.js';
import { actorOf, authorize } from '../../platform/policy.js';
import { registerNewsletterJob } from './sender.js';
import * as service from './service.js';

const archivedSchema = editionSchema.merge(previewSchema);

export default async function newsletterRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const tags = ['newsletter'];
  registerNewsletterJob(ctx);
  // RFC 8058 one-click unsubscribe posts `List-Unsubscribe=One-Click` as a form (this plugin's routes only).
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_req, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );

  // Editions (editors)
  r.get('/api/newsletter/editions', { schema: { tags, querystring: editionListQuery, response: { 200: editionPage } }, preValidation: authorize('newsletter:edit') }, (req) =>
    service.listEditions(ctx, actorOf(req), req.query),
  );
  r.post('/api/newsletter/editions', { schema: { tags, body: newEditionInput, response: { 201: editionSchema } }, preValidation: authorize('newsletter:edit') }, async (req, reply) =>
    reply.status(201).send(await service.createEdition(ctx, actorOf(req), req.body)),
  );
  r.get('/api/newsletter/editions/:id', { schema: { tags, params: editionIdParams, response: { 200: editionSchema } }, preValidation: authorize('newsletter:edit') }, (req) =>
    service.getEdition(ctx, actorOf(req), req.params.id),
  );
  r.patch('/api/newsletter/editions/:id', { schema: { tags, params: editionIdParams, body: editionUpdateInput, response: { 200: editionSchema } }, preValidation: authorize('newsletter:edit') }, (req) =>
    service.updateEdition(ctx, actorOf(req), req.params.id, req.body),
  );
  r.post('/api/newsletter/editions/:id/redraft', { schema: { tags, params: editionIdParams, response: { 200: editionSchema } }, preValidation: authorize('newsletter:edit') }, (req) =>
    service.redraftEdition(ctx, actorOf(req), req.params.id),
  );
  r.get('/api/newsletter/editions/:id/preview', { schema: { tags, params: editionIdParams, response: { 200: previewSchema } }, preValidation: authorize('newsletter:edit') }, (req) =>
    service.previewEdition(ctx, actorOf(req), req.params.id),
  );
  r.get('/api/newsletter/editions/:id/audience', { schema: { tags, params: editionIdParams, response: { 200: audienceSizeSchema } }, preValidation: authorize('newsletter:edit') }, (req) =>
    service.audienceSize(ctx, actorOf(req), req.params.id),
  );
  r.post('/api/newsletter/editions/:id/schedule', { schema: { tags, params: editionIdParams, body: scheduleInput, response: { 200: editionSchema } }, preValidation: authorize('newsletter:edit') }, (req) =>
    service.scheduleEdition(ctx, actorOf(req), req.params.id, req.body),
  );
  r.post('/api/newsletter/editions/:id/unschedule', { schema: { tags, params: editionIdParams, response: { 200: editionSchema } }, preValidation: authorize('newsletter:edit') }, (req) =>
    service.unscheduleEdition(ctx, actorOf(req), req.params.id),
  );
  r.get('/api/newsletter/editions/:id/progress', { schema: { tags, params: editionIdParams, response: { 200: progressSchema } }, preValidation: authorize('newsletter:edit') }, (req) =>
    service.sendProgress(ctx, actorOf(req), req.params.id),
  );
  r.get('/api/newsletter/editions/:id/recipients', { schema: { tags, params: editionIdParams, querystring: recipientListQuery, response: { 200: recipientPage } }, preValidation: authorize('newsletter:edit') }, (req) =>
    service.listRecipients(ctx, actorOf(req), req.params.id, req.query),
  );
  r.get('/api/newsletter/editions/:id/recipients/export', { schema: { tags, params: editionIdParams, querystring: recipientListQuery.omit({ cursor: true, limit: true }) }, preValidation: authorize('newsletter:edit') }, async (req, reply) => {
    const rows = await service.exportRecipients(ctx, actorOf(req), req.params.id, req.query);
    return sendCsv(reply, 'recipients.csv', [
      { header: 'email', value: (x) => x.email },
      { header: 'name', value: (x) => x.name },
      { header: 'status', value: (x) => RECIPIENT_STATUS_LABELS[x.status as keyof typeof RECIPIENT_STATUS_LABELS] },
      { header: 'attempts', value: (x) => x.attempts },
      { header: 'sent_at', value: (x) => x.sentAt ?? '' },
      { header: 'last_error', value: (x) => x.lastError ?? '' },
    ], rows);
  });

  // Archive (everyone); a public link only when an admin enables it
  r.get('/api/newsletter/archive', { schema: { tags, querystring: archiveQuery, response: { 200: editionPage } }, preValidation: authorize('newsletter:read') }, (req) =>
    service.listArchive(ctx, actorOf(req), req.query),
  );
  r.get('/api/newsletter/archive/:id', { schema: { tags, params: editionIdParams, response: { 200: archivedSchema } }, preValidation: authorize('newsletter:read') }, (req) =>
    service.getArchived(ctx, actorOf(req), req.params.id),
  );
  r.get('/api/newsletter/public/:id', { config: { public: true }, schema: { tags, params: editionIdParams, response: { 200: archivedSchema } } }, (req) =>
    service.getArchived(ctx, undefined, req.params.id, { publicLink: true }),
  );

  // Subscribers
  r.get('/api/newsletter/subscribers', { schema: { tags, querystring: subscriberListQuery, response: { 200: subscriberPage } }, preValidation: authorize('newsletter:edit') }, (req) =>
    service.listSubscribers(ctx, actorOf(req), req.query),
  );
  r.get('/api/newsletter/subscribers/export', { schema: { tags, querystring: subscriberListQuery.omit({ cursor: true, limit: true }) }, preValidation: authorize('newsletter:edit') }, async (req, reply) => {
    const rows = await service.exportSubscribers(ctx, actorOf(req), req.query);
    return sendCsv(reply, 'newsletter-subscribers.csv', [
      { header: 'email', value: (x) => x.email },
      { header: 'name', value: (x) => x.name },
      { header: 'status', value: (x) => SUBSCRIBER_STATUS_LABELS[x.status] },
      { header: 'opt_in', value: (x) => x.optIn },
      { header: 'frequency', value: (x) => x.frequency },
      { header: 'confirmed_at', value: (x) => x.confirmedAt ?? '' },
      { header: 'updated_at', value: (x) => x.updatedAt },
    ], rows);
  });
  r.post('/api/newsletter/subscribers', { schema: { tags, body: subscriberInput, response: { 201: subscriberSchema } }, preValidation: authorize('newsletter:edit') }, async (req, reply) =>
    reply.status(201).send(await service.addSubscriber(ctx, actorOf(req), req.body)),
  );
  r.post('/api/newsletter/subscribe', { schema: { tags, response: { 200: subscriberSchema } }, preValidation: authorize('profile:edit') }, (req) => service.subscribeMe(ctx, actorOf(req)));

  // Readers' own links (signed token, no sign-in)
  r.post('/api/newsletter/confirm', { config: { public: true }, schema: { tags, body: tokenQuery, response: { 200: preferencesSchema } } }, (req) =>
    service.confirmSubscription(ctx, req.body.token),
  );
  r.get('/api/newsletter/preferences', { config: { public: true }, schema: { tags, querystring: tokenQuery, response: { 200: preferencesSchema } } }, (req) =>
    service.getPreferences(ctx, req.query.token),
  );
  r.post('/api/newsletter/preferences', { config: { public: true }, schema: { tags, body: preferencesInput, response: { 200: preferencesSchema } } }, (req) =>
    service.changePreferences(ctx, req.body),
  );
  // RFC 8058: the mail client POSTs here (List-Unsubscribe=One-Click); a GET (older clients, a pasted link) opens the preferences page.
  r.post(
    '/api/newsletter/unsubscribe',
    { config: { public: true }, schema: { tags, querystring: tokenQuery, body: z.record(z.string(), z.unknown()).optional(), response: { 200: preferencesSchema } } },
    (req) => service.changePreferences(ctx, { token: req.query.token, action: 'unsubscribe' }),
  );
  r.get('/api/newsletter/unsubscribe', { config: { public: true }, schema: { tags, querystring: tokenQuery } }, async (req, reply) => {
    await service.getPreferences(ctx, req.query.token);
    return reply.redirect(`/newsletter/preferences?token=${encodeURIComponent(req.query.token)}`, 303);
  });

  // Bounces: the mail server's delivery status notification, or the address and Message-ID (docs/newsletter.md)
  r.post('/api/newsletter/bounces', { schema: { tags, body: bounceInput, response: { 200: bounceResult } }, preValidation: authorize('newsletter:edit') }, (req) =>
    service.recordBounce(ctx, actorOf(req), req.body),
  );

  r.get('/api/newsletter/settings', { schema: { tags, response: { 200: newsletterSettingsSchema } }, preValidation: authorize('newsletter:read') }, (req) => service.getSettings(ctx, actorOf(req)));
  r.patch('/api/newsletter/settings', { schema: { tags, body: settingsInput, response: { 200: newsletterSettingsSchema } }, preValidation: authorize('newsletter:settings') }, (req) =>
    service.updateSettings(ctx, actorOf(req), req.body),
  );
}
