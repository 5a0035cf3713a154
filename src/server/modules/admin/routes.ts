import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditListQuery, auditPage, mailDetailSchema, mailListQuery, mailPage } from '../../../contracts/admin.js';
import { sendCsv } from '../../platform/list.js';
import { actorOf, authorize } from '../../platform/policy.js';
import { moduleAccessMatrix, moduleAccessPatch } from '../../../contracts/scope.js';
import * as admin from './service.js';
import * as scope from './scope.js';

export default async function adminRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;

  r.get('/api/audit', { schema: { tags: ['audit'], querystring: auditListQuery, response: { 200: auditPage } }, preValidation: authorize('audit:read') }, (req) =>
    admin.listAudit(ctx, actorOf(req), req.query),
  );
  r.get('/api/audit/export', { schema: { tags: ['audit'], querystring: auditListQuery.partial().omit({ cursor: true, limit: true }) }, preValidation: authorize('audit:read') }, async (req, reply) => {
    const rows = await admin.exportAudit(ctx, actorOf(req), req.query);
    return sendCsv(reply, 'audit.csv', [
      { header: 'at', value: (e) => e.at },
      { header: 'actor', value: (e) => e.actorName },
      { header: 'actor_id', value: (e) => e.actorId },
      { header: 'action', value: (e) => e.action },
      { header: 'entity', value: (e) => e.entity },
      { header: 'entity_id', value: (e) => e.entityId },
      { header: 'summary', value: (e) => e.summary },
      { header: 'before', value: (e) => (e.before == null ? '' : JSON.stringify(e.before)) },
      { header: 'after', value: (e) => (e.after == null ? '' : JSON.stringify(e.after)) },
      { header: 'ip', value: (e) => e.ip },
    ], rows);
  });
  r.get('/api/outbox', { schema: { tags: ['mail'], querystring: mailListQuery, response: { 200: mailPage } }, preValidation: authorize('outbox:read') }, (req) =>
    admin.listMail(ctx, actorOf(req), req.query),
  );
  r.get('/api/outbox/:id', { schema: { tags: ['mail'], params: z.object({ id: z.string().uuid() }), response: { 200: mailDetailSchema } }, preValidation: authorize('outbox:read') }, (req) =>
    admin.getMail(ctx, actorOf(req), req.params.id),
  );

  // Scope: which department reads or works in which module. Everyone reads the matrix; admins change it.
  r.get('/api/module-access', { schema: { tags: ['scope'], response: { 200: moduleAccessMatrix } }, preValidation: authorize('workspace:read') }, (req) => scope.moduleAccessMatrix(ctx, actorOf(req)));
  r.patch('/api/module-access', { schema: { tags: ['scope'], body: moduleAccessPatch, response: { 200: moduleAccessMatrix } }, preValidation: authorize('scope:manage') }, (req) =>
    scope.setModuleAccess(ctx, actorOf(req), req.body),
  );
}
