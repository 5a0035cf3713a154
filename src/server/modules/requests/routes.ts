import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  assignInput,
  calendarInput,
  calendarParams,
  calendarSchema,
  commentInput,
  installCatalogueInput,
  ledgerQuery,
  ledgerSchema,
  prioritySchema,
  priorityCodeParams,
  priorityPatch,
  requestDetail,
  requestInput,
  requestListQuery,
  requestPage,
  requestPatch,
  requestTypeInput,
  requestTypeList,
  requestTypeListQuery,
  requestTypePatch,
  requestTypeSchema,
  statusChangeInput,
} from '../../../contracts/requests.js';
import { REQUEST_STATUS_LABELS } from '../../../contracts/requests.js';
import { sendCsv } from '../../platform/list.js';
import { actorOf, authorize } from '../../platform/policy.js';
import * as service from './service.js';

/** A request by its id, its reference ("REQ-42") or its number. */
const refParams = z.object({
  id: z.string().regex(/^(?:(?:REQ-)?\d{1,9}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i, 'is not a request id or reference (REQ-42)'),
});
const idParams = z.object({ id: z.string().uuid('is not a valid id') });
const exportQuery = requestListQuery.partial().omit({ cursor: true, limit: true });

export default async function requestRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;

  // --- catalogue and priorities
  r.get('/api/request-priorities', { schema: { tags: ['requests'], response: { 200: z.object({ items: z.array(prioritySchema) }) } }, preValidation: authorize('requests:read') }, (req) =>
    service.listPriorities(ctx, actorOf(req)),
  );
  r.patch('/api/request-priorities/:code', { schema: { tags: ['requests'], params: priorityCodeParams, body: priorityPatch, response: { 200: prioritySchema } }, preValidation: authorize('requests:catalogue') }, (req) =>
    service.updatePriority(ctx, actorOf(req), req.params.code, req.body),
  );
  r.get('/api/request-calendars', { schema: { tags: ['requests'], response: { 200: z.object({ items: z.array(calendarSchema) }) } }, preValidation: authorize('requests:read') }, (req) =>
    service.listCalendars(ctx, actorOf(req)),
  );
  r.put('/api/request-calendars/:departmentId', { schema: { tags: ['requests'], params: calendarParams, body: calendarInput, response: { 200: calendarSchema } }, preValidation: authorize('requests:catalogue') }, (req) =>
    service.setCalendar(ctx, actorOf(req), req.params.departmentId, req.body),
  );
  r.delete('/api/request-calendars/:departmentId', { schema: { tags: ['requests'], params: calendarParams, response: { 200: calendarSchema } }, preValidation: authorize('requests:catalogue') }, (req) =>
    service.clearCalendar(ctx, actorOf(req), req.params.departmentId),
  );
  r.get('/api/request-types', { schema: { tags: ['requests'], querystring: requestTypeListQuery, response: { 200: requestTypeList } }, preValidation: authorize('requests:read') }, (req) =>
    service.listTypes(ctx, actorOf(req), req.query),
  );
  r.post('/api/request-types', { schema: { tags: ['requests'], body: requestTypeInput, response: { 201: requestTypeSchema } }, preValidation: authorize('requests:catalogue') }, async (req, reply) =>
    reply.status(201).send(await service.createType(ctx, actorOf(req), req.body)),
  );
  r.post('/api/request-types/defaults', { schema: { tags: ['requests'], body: installCatalogueInput, response: { 200: z.object({ added: z.number().int() }) } }, preValidation: authorize('requests:catalogue') }, (req) =>
    service.installDefaultCatalogue(ctx, actorOf(req), req.body.departmentId),
  );
  r.patch('/api/request-types/:id', { schema: { tags: ['requests'], params: idParams, body: requestTypePatch, response: { 200: requestTypeSchema } }, preValidation: authorize('requests:catalogue') }, (req) =>
    service.updateType(ctx, actorOf(req), req.params.id, req.body),
  );

  // --- requests
  r.get('/api/requests', { schema: { tags: ['requests'], querystring: requestListQuery, response: { 200: requestPage } }, config: { responseCache: true }, preValidation: authorize('requests:read') }, (req) =>
    service.listRequests(ctx, actorOf(req), req.query),
  );
  r.get('/api/requests/export', { schema: { tags: ['requests'], querystring: exportQuery }, preValidation: authorize('requests:read') }, async (req, reply) => {
    const rows = await service.exportRequests(ctx, actorOf(req), req.query);
    return sendCsv(reply, 'requests.csv', [
      { header: 'ref', value: (x) => x.ref },
      { header: 'title', value: (x) => x.title },
      { header: 'from', value: (x) => x.fromDepartmentName },
      { header: 'to', value: (x) => x.toDepartmentName },
      { header: 'type', value: (x) => x.typeName },
      { header: 'priority', value: (x) => x.priority },
      { header: 'status', value: (x) => REQUEST_STATUS_LABELS[x.status] },
      { header: 'requester', value: (x) => x.requesterName },
      { header: 'assignee', value: (x) => x.assigneeName },
      { header: 'store', value: (x) => x.storeCode },
      { header: 'due_date', value: (x) => x.dueDate },
      { header: 'created_at', value: (x) => x.createdAt },
      { header: 'first_response_at', value: (x) => x.firstResponseAt },
      { header: 'response_minutes', value: (x) => x.responseMinutes },
      { header: 'resolved_at', value: (x) => x.resolvedAt },
      { header: 'resolution_minutes', value: (x) => x.resolutionMinutes },
      { header: 'overdue', value: (x) => (x.overdue ? x.overdueReasons.join(' ') : '') },
      { header: 'close_reason', value: (x) => x.closeReason },
    ], rows);
  });
  r.get('/api/requests/ledger', { schema: { tags: ['requests'], querystring: ledgerQuery, response: { 200: ledgerSchema } }, preValidation: authorize('requests:read') }, (req) =>
    service.ledger(ctx, actorOf(req), req.query),
  );
  r.get('/api/requests/:id', { schema: { tags: ['requests'], params: refParams, response: { 200: requestDetail } }, preValidation: authorize('requests:read') }, (req) =>
    service.getRequest(ctx, actorOf(req), req.params.id),
  );
  r.post('/api/requests', { schema: { tags: ['requests'], body: requestInput, response: { 201: requestDetail } }, preValidation: authorize('requests:create') }, async (req, reply) =>
    reply.status(201).send(await service.createRequest(ctx, actorOf(req), req.body)),
  );
  r.patch('/api/requests/:id', { schema: { tags: ['requests'], params: refParams, body: requestPatch, response: { 200: requestDetail } }, preValidation: authorize('requests:create') }, (req) =>
    service.updateRequest(ctx, actorOf(req), req.params.id, req.body),
  );
  // Accept, start, complete and decline (target department) or cancel (requesting side): the service decides who.
  r.post('/api/requests/:id/status', { schema: { tags: ['requests'], params: refParams, body: statusChangeInput, response: { 200: requestDetail } }, preValidation: authorize('requests:create') }, (req) =>
    service.changeStatus(ctx, actorOf(req), req.params.id, req.body),
  );
  r.post('/api/requests/:id/assign', { schema: { tags: ['requests'], params: refParams, body: assignInput, response: { 200: requestDetail } }, preValidation: authorize('requests:assign') }, (req) =>
    service.assignRequest(ctx, actorOf(req), req.params.id, req.body),
  );
  r.post('/api/requests/:id/comments', { schema: { tags: ['requests'], params: refParams, body: commentInput, response: { 200: requestDetail } }, preValidation: authorize('requests:create') }, (req) =>
    service.addComment(ctx, actorOf(req), req.params.id, req.body),
  );
}
