import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  actionInput,
  actionListQuery,
  actionPage,
  actionPatch,
  actionSchema,
  attendanceInput,
  decisionInput,
  itemInput,
  itemPatch,
  occurrenceDetail,
  occurrencePatch,
  orderInput,
  seriesDetail,
  seriesInput,
  seriesListQuery,
  seriesPage,
  seriesPatch,
  suggestionKeyInput,
  suggestionList,
} from '../../../contracts/meetings.js';
import { sendCsv } from '../../platform/list.js';
import { actorOf, authorize } from '../../platform/policy.js';
import * as service from './service.js';

const idParams = z.object({ id: z.string().uuid('is not a valid id') });
const seriesExportQuery = seriesListQuery.partial().omit({ cursor: true, limit: true });
const actionExportQuery = actionListQuery.partial().omit({ cursor: true, limit: true });

export default async function meetingRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const tags = ['meetings'];

  ctx.jobs.register(service.GENERATE_JOB, async () => {
    await service.generateOccurrences(ctx);
  }, { cron: '17 * * * *' });

  // --- series
  r.get('/api/meetings/series', { schema: { tags, querystring: seriesListQuery, response: { 200: seriesPage } }, preValidation: authorize('meetings:read') }, (req) => service.listSeries(ctx, actorOf(req), req.query));
  r.get('/api/meetings/series/export', { schema: { tags, querystring: seriesExportQuery }, preValidation: authorize('meetings:read') }, async (req, reply) => {
    const rows = await service.exportSeries(ctx, actorOf(req), req.query);
    return sendCsv(reply, 'meeting-series.csv', [
      { header: 'ref', value: (x) => x.ref },
      { header: 'title', value: (x) => x.title },
      { header: 'cadence', value: (x) => x.cadenceLabel },
      { header: 'time', value: (x) => x.localTime },
      { header: 'time_zone', value: (x) => x.timezone },
      { header: 'chair', value: (x) => x.chair.name },
      { header: 'note_taker', value: (x) => x.noteTaker.name },
      { header: 'departments', value: (x) => x.departments.join('; ') },
      { header: 'attendees', value: (x) => x.attendeeCount },
      { header: 'next_meeting', value: (x) => x.nextOccurrence?.localStart ?? '' },
      { header: 'open_actions', value: (x) => x.openActions },
      { header: 'overdue_actions', value: (x) => x.overdueActions },
      { header: 'status', value: (x) => x.status },
    ], rows);
  });
  r.post('/api/meetings/series', { schema: { tags, body: seriesInput, response: { 201: seriesDetail } }, preValidation: authorize('meetings:manage') }, async (req, reply) =>
    reply.status(201).send(await service.createSeries(ctx, actorOf(req), req.body)),
  );
  r.get('/api/meetings/series/:id', { schema: { tags, params: idParams, response: { 200: seriesDetail } }, preValidation: authorize('meetings:read') }, (req) => service.getSeries(ctx, actorOf(req), req.params.id));
  r.patch('/api/meetings/series/:id', { schema: { tags, params: idParams, body: seriesPatch, response: { 200: seriesDetail } }, preValidation: authorize('meetings:contribute') }, (req) =>
    service.updateSeries(ctx, actorOf(req), req.params.id, req.body),
  );
  r.get('/api/meetings/series/:id/calendar.ics', { schema: { tags, params: idParams }, preValidation: authorize('meetings:read') }, async (req, reply) => {
    const ics = await service.seriesIcs(ctx, actorOf(req), req.params.id);
    return reply.header('content-type', 'text/calendar; charset=utf-8').header('content-disposition', `attachment; filename="${ics.filename}"`).send(ics.content);
  });

  // --- occurrences
  r.get('/api/meetings/occurrences/:id', { schema: { tags, params: idParams, response: { 200: occurrenceDetail } }, preValidation: authorize('meetings:read') }, (req) => service.getOccurrence(ctx, actorOf(req), req.params.id));
  r.patch('/api/meetings/occurrences/:id', { schema: { tags, params: idParams, body: occurrencePatch, response: { 200: occurrenceDetail } }, preValidation: authorize('meetings:contribute') }, (req) =>
    service.updateOccurrence(ctx, actorOf(req), req.params.id, req.body),
  );
  r.get('/api/meetings/occurrences/:id/suggestions', { schema: { tags, params: idParams, response: { 200: suggestionList } }, preValidation: authorize('meetings:read') }, (req) =>
    service.suggestions(ctx, actorOf(req), req.params.id),
  );
  r.post('/api/meetings/occurrences/:id/suggestions/accept', { schema: { tags, params: idParams, body: suggestionKeyInput, response: { 200: occurrenceDetail } }, preValidation: authorize('meetings:contribute') }, (req) =>
    service.acceptSuggestion(ctx, actorOf(req), req.params.id, req.body.key),
  );
  r.post('/api/meetings/occurrences/:id/suggestions/dismiss', { schema: { tags, params: idParams, body: suggestionKeyInput, response: { 200: z.object({ ok: z.boolean() }) } }, preValidation: authorize('meetings:contribute') }, (req) =>
    service.dismissSuggestion(ctx, actorOf(req), req.params.id, req.body.key),
  );
  r.post('/api/meetings/occurrences/:id/items', { schema: { tags, params: idParams, body: itemInput, response: { 201: occurrenceDetail } }, preValidation: authorize('meetings:contribute') }, async (req, reply) => {
    await service.addItem(ctx, actorOf(req), req.params.id, req.body);
    return reply.status(201).send(await service.getOccurrence(ctx, actorOf(req), req.params.id));
  });
  r.put('/api/meetings/occurrences/:id/order', { schema: { tags, params: idParams, body: orderInput, response: { 200: occurrenceDetail } }, preValidation: authorize('meetings:contribute') }, (req) =>
    service.orderItems(ctx, actorOf(req), req.params.id, req.body.itemIds),
  );
  r.post('/api/meetings/occurrences/:id/decisions', { schema: { tags, params: idParams, body: decisionInput, response: { 201: occurrenceDetail } }, preValidation: authorize('meetings:contribute') }, async (req, reply) =>
    reply.status(201).send(await service.addDecision(ctx, actorOf(req), req.params.id, req.body)),
  );
  r.post('/api/meetings/occurrences/:id/actions', { schema: { tags, params: idParams, body: actionInput, response: { 201: occurrenceDetail } }, preValidation: authorize('meetings:contribute') }, async (req, reply) =>
    reply.status(201).send(await service.addAction(ctx, actorOf(req), req.params.id, req.body)),
  );
  r.put('/api/meetings/occurrences/:id/attendance', { schema: { tags, params: idParams, body: attendanceInput, response: { 200: occurrenceDetail } }, preValidation: authorize('meetings:contribute') }, (req) =>
    service.setAttendance(ctx, actorOf(req), req.params.id, req.body),
  );
  r.post('/api/meetings/occurrences/:id/follow-up', { schema: { tags, params: idParams, response: { 200: occurrenceDetail } }, preValidation: authorize('meetings:contribute') }, (req) =>
    service.sendFollowUp(ctx, actorOf(req), req.params.id),
  );

  // --- agenda items
  r.patch('/api/meetings/items/:id', { schema: { tags, params: idParams, body: itemPatch, response: { 200: occurrenceDetail } }, preValidation: authorize('meetings:contribute') }, async (req) => {
    const occurrenceId = await service.updateItem(ctx, actorOf(req), req.params.id, req.body);
    return service.getOccurrence(ctx, actorOf(req), occurrenceId);
  });
  r.delete('/api/meetings/items/:id', { schema: { tags, params: idParams, response: { 200: occurrenceDetail } }, preValidation: authorize('meetings:contribute') }, async (req) => {
    const occurrenceId = await service.deleteItem(ctx, actorOf(req), req.params.id);
    return service.getOccurrence(ctx, actorOf(req), occurrenceId);
  });

  // --- actions
  r.get('/api/meetings/actions', { schema: { tags, querystring: actionListQuery, response: { 200: actionPage } }, preValidation: authorize('meetings:read') }, (req) => service.listActions(ctx, actorOf(req), req.query));
  r.get('/api/meetings/actions/export', { schema: { tags, querystring: actionExportQuery }, preValidation: authorize('meetings:read') }, async (req, reply) => {
    const rows = await service.exportActions(ctx, actorOf(req), req.query);
    return sendCsv(reply, 'meeting-actions.csv', [
      { header: 'ref', value: (x) => x.ref },
      { header: 'title', value: (x) => x.title },
      { header: 'owner', value: (x) => x.owner.name },
      { header: 'due_date', value: (x) => x.dueDate },
      { header: 'status', value: (x) => (x.status === 'open' && x.overdue ? 'overdue' : x.status) },
      { header: 'series', value: (x) => x.seriesTitle },
      { header: 'meeting', value: (x) => x.occurrenceDate },
      { header: 'done_at', value: (x) => x.doneAt ?? '' },
    ], rows);
  });
  r.patch('/api/meetings/actions/:id', { schema: { tags, params: idParams, body: actionPatch, response: { 200: actionSchema } }, preValidation: authorize('meetings:contribute') }, (req) =>
    service.updateAction(ctx, actorOf(req), req.params.id, req.body),
  );
}
