import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  certificationInput,
  certificationListQuery,
  certificationPage,
  certificationSchema,
  confirmInput,
  coverageSchema,
  heatmapQuery,
  heatmapSchema,
  mySkillsSchema,
  pairingList,
  pairingQuery,
  personIdParams,
  ratingListQuery,
  ratingPage,
  ratingSchema,
  reflectionInput,
  selfRatingInput,
  sessionCancelInput,
  sessionDetailSchema,
  sessionIdParams,
  sessionInput,
  sessionListQuery,
  sessionPage,
  sessionPatch,
  sessionRespondInput,
  skillInput,
  skillList,
  skillPatch,
  skillSchema,
  targetInput,
  targetList,
  targetSchema,
} from '../../../contracts/training.js';
import { sendCsv } from '../../platform/list.js';
import { actorOf, authorize } from '../../platform/policy.js';
import * as service from './service.js';

export const CERTIFICATION_REMINDER_JOB = 'training.certification-reminders';

export default async function trainingRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const tags = ['cross-training'];

  // Daily at 07:00 UTC; the claim inside makes a second instance's run a no-op.
  ctx.jobs.register(CERTIFICATION_REMINDER_JOB, async () => {
    await service.sendCertificationReminders(ctx);
  }, { cron: '0 7 * * *' });

  // --- catalogue ---
  r.get('/api/training/skills', { schema: { tags, response: { 200: skillList } }, preValidation: authorize('training:read') }, (req) => service.listSkills(ctx, actorOf(req)));
  r.post('/api/training/skills', { schema: { tags, body: skillInput, response: { 201: skillSchema } }, preValidation: authorize('training:catalogue') }, async (req, reply) =>
    reply.status(201).send(await service.createSkill(ctx, actorOf(req), req.body)),
  );
  r.patch('/api/training/skills/:id', { schema: { tags, params: personIdParams, body: skillPatch, response: { 200: skillSchema } }, preValidation: authorize('training:catalogue') }, (req) =>
    service.updateSkill(ctx, actorOf(req), req.params.id, req.body),
  );
  r.get('/api/training/targets', { schema: { tags, response: { 200: targetList } }, preValidation: authorize('training:read') }, (req) => service.listTargets(ctx, actorOf(req)));
  r.put('/api/training/targets', { schema: { tags, body: targetInput, response: { 200: targetSchema } }, preValidation: authorize('training:catalogue') }, (req) =>
    service.setTarget(ctx, actorOf(req), req.body),
  );
  r.delete('/api/training/targets/:id', { schema: { tags, params: personIdParams }, preValidation: authorize('training:catalogue') }, async (req, reply) => {
    await service.deleteTarget(ctx, actorOf(req), req.params.id);
    return reply.status(204).send();
  });

  // --- ratings ---
  r.get('/api/training/me', { schema: { tags, response: { 200: mySkillsSchema } }, preValidation: authorize('training:read') }, (req) => service.mySkills(ctx, actorOf(req)));
  r.put('/api/training/me/ratings', { schema: { tags, body: selfRatingInput, response: { 200: mySkillsSchema } }, preValidation: authorize('training:rate') }, (req) =>
    service.rateSelf(ctx, actorOf(req), req.body),
  );
  r.get('/api/training/ratings', { schema: { tags, querystring: ratingListQuery, response: { 200: ratingPage } }, preValidation: authorize('training:read') }, (req) =>
    service.listRatings(ctx, actorOf(req), req.query),
  );
  r.get('/api/training/ratings/export', { schema: { tags, querystring: ratingListQuery.omit({ cursor: true, limit: true }) }, preValidation: authorize('training:read') }, async (req, reply) =>
    sendCsv(reply, 'skill-ratings.csv', [
      { header: 'person', value: (x) => x.personName },
      { header: 'department', value: (x) => x.departmentName ?? '' },
      { header: 'skill', value: (x) => x.skillName },
      { header: 'self_level', value: (x) => x.selfLevel },
      { header: 'confirmed_level', value: (x) => x.confirmedLevel ?? '' },
      { header: 'status', value: (x) => x.status },
      { header: 'target', value: (x) => x.target ?? '' },
      { header: 'confirmed_by', value: (x) => x.confirmedBy ?? '' },
      { header: 'note', value: (x) => x.note ?? '' },
      { header: 'self_rated_at', value: (x) => x.selfRatedAt },
      { header: 'confirmed_at', value: (x) => x.confirmedAt ?? '' },
    ], await service.exportRatings(ctx, actorOf(req), req.query)),
  );
  r.post('/api/training/ratings/confirm', { schema: { tags, body: confirmInput, response: { 200: ratingSchema } }, preValidation: authorize('training:confirm') }, (req) =>
    service.confirmRating(ctx, actorOf(req), req.body),
  );

  // --- certifications ---
  r.get('/api/training/certifications', { schema: { tags, querystring: certificationListQuery, response: { 200: certificationPage } }, preValidation: authorize('training:read') }, (req) =>
    service.listCertifications(ctx, actorOf(req), req.query),
  );
  r.get('/api/training/certifications/export', { schema: { tags, querystring: certificationListQuery.omit({ cursor: true, limit: true }) }, preValidation: authorize('training:read') }, async (req, reply) =>
    sendCsv(reply, 'certifications.csv', [
      { header: 'person', value: (x) => x.personName },
      { header: 'certification', value: (x) => x.name },
      { header: 'issuer', value: (x) => x.issuer },
      { header: 'issued_on', value: (x) => x.issuedOn ?? '' },
      { header: 'expires_on', value: (x) => x.expiresOn ?? '' },
      { header: 'days_left', value: (x) => x.daysLeft ?? '' },
      { header: 'reminded_at', value: (x) => x.remindedAt ?? '' },
    ], await service.exportCertifications(ctx, actorOf(req), req.query)),
  );
  r.post('/api/training/certifications', { schema: { tags, body: certificationInput, response: { 201: certificationSchema } }, preValidation: authorize('training:rate') }, async (req, reply) =>
    reply.status(201).send(await service.addCertification(ctx, actorOf(req), req.body)),
  );
  r.delete('/api/training/certifications/:id', { schema: { tags, params: personIdParams }, preValidation: authorize('training:rate') }, async (req, reply) => {
    await service.deleteCertification(ctx, actorOf(req), req.params.id);
    return reply.status(204).send();
  });

  // --- matrix, pairings, coverage ---
  r.get('/api/training/heatmap', { schema: { tags, querystring: heatmapQuery, response: { 200: heatmapSchema } }, preValidation: authorize('training:read') }, (req) =>
    service.heatmap(ctx, actorOf(req), req.query),
  );
  r.get('/api/training/pairings', { schema: { tags, querystring: pairingQuery, response: { 200: pairingList } }, preValidation: authorize('training:plan') }, (req) =>
    service.pairings(ctx, actorOf(req), req.query),
  );
  r.get('/api/training/coverage', { schema: { tags, response: { 200: coverageSchema } }, preValidation: authorize('training:read') }, (req) => service.coverage(ctx, actorOf(req)));

  // --- sessions ---
  r.get('/api/training/sessions', { schema: { tags, querystring: sessionListQuery, response: { 200: sessionPage } }, preValidation: authorize('training:read') }, (req) =>
    service.listSessions(ctx, actorOf(req), req.query),
  );
  r.get('/api/training/sessions/export', { schema: { tags, querystring: sessionListQuery.omit({ cursor: true, limit: true }) }, preValidation: authorize('training:read') }, async (req, reply) =>
    sendCsv(reply, 'shadowing-sessions.csv', [
      { header: 'ref', value: (s) => s.ref },
      { header: 'phase', value: (s) => s.phase },
      { header: 'host', value: (s) => s.host.name },
      { header: 'host_department', value: (s) => s.host.departmentName ?? '' },
      { header: 'guests', value: (s) => s.guests.map((g) => `${g.name} (${g.response})`).join('; ') },
      { header: 'local_start', value: (s) => s.localStart },
      { header: 'timezone', value: (s) => s.timezone },
      { header: 'duration_minutes', value: (s) => s.durationMinutes },
      { header: 'place', value: (s) => s.placeName },
      { header: 'skills', value: (s) => s.skills.map((k) => k.name).join('; ') },
      { header: 'goals', value: (s) => s.goals },
      { header: 'reflections', value: (s) => s.reflections },
    ], await service.exportSessions(ctx, actorOf(req), req.query)),
  );
  r.get('/api/training/sessions/:id', { schema: { tags, params: sessionIdParams, response: { 200: sessionDetailSchema } }, preValidation: authorize('training:read') }, (req) =>
    service.getSession(ctx, actorOf(req), req.params.id),
  );
  r.post('/api/training/sessions', { schema: { tags, body: sessionInput, response: { 201: sessionDetailSchema } }, preValidation: authorize('training:shadow') }, async (req, reply) =>
    reply.status(201).send(await service.proposeSession(ctx, actorOf(req), req.body)),
  );
  r.patch('/api/training/sessions/:id', { schema: { tags, params: sessionIdParams, body: sessionPatch, response: { 200: sessionDetailSchema } }, preValidation: authorize('training:shadow') }, (req) =>
    service.updateSession(ctx, actorOf(req), req.params.id, req.body),
  );
  r.post('/api/training/sessions/:id/cancel', { schema: { tags, params: sessionIdParams, body: sessionCancelInput, response: { 200: sessionDetailSchema } }, preValidation: authorize('training:shadow') }, (req) =>
    service.cancelSession(ctx, actorOf(req), req.params.id, req.body.reason),
  );
  r.post('/api/training/sessions/:id/respond', { schema: { tags, params: sessionIdParams, body: sessionRespondInput, response: { 200: sessionDetailSchema } }, preValidation: authorize('training:shadow') }, (req) =>
    service.respondToSession(ctx, actorOf(req), req.params.id, req.body.response),
  );
  r.post('/api/training/sessions/:id/reflection', { schema: { tags, params: sessionIdParams, body: reflectionInput, response: { 201: sessionDetailSchema } }, preValidation: authorize('training:shadow') }, async (req, reply) =>
    reply.status(201).send(await service.reflect(ctx, actorOf(req), req.params.id, req.body)),
  );
}
