import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  departmentInput,
  departmentListQuery,
  departmentPage,
  departmentPatch,
  departmentSchema,
  importResult,
  personCreate,
  personListQuery,
  personPage,
  personPatch,
  personSchema,
  storeInput,
  storeListQuery,
  storePage,
  storePatch,
  storeSchema,
} from '../../../contracts/people.js';
import { sendCsv } from '../../platform/list.js';
import { actorOf, authorize } from '../../platform/policy.js';
import * as people from './service.js';

const idParams = z.object({ id: z.string().uuid('is not a valid id') });
const exportQuery = <T extends z.ZodObject>(q: T) => q.partial().omit({ cursor: true, limit: true } as never);
const csvBody = z.string({ error: 'send the CSV file as the request body with content-type text/csv' });

export default async function peopleRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;

  // --- departments
  r.get('/api/departments', { schema: { tags: ['departments'], querystring: departmentListQuery, response: { 200: departmentPage } }, config: { responseCache: true }, preValidation: authorize('workspace:read') }, (req) =>
    people.listDepartments(ctx, actorOf(req), req.query),
  );
  r.get('/api/departments/export', { schema: { tags: ['departments'], querystring: exportQuery(departmentListQuery) }, preValidation: authorize('workspace:read') }, async (req, reply) => {
    const rows = await people.exportDepartments(ctx, actorOf(req), req.query);
    return sendCsv(reply, 'departments.csv', [
      { header: 'code', value: (d) => d.code },
      { header: 'name', value: (d) => d.name },
      { header: 'kind', value: (d) => d.kind },
      { header: 'description', value: (d) => d.description },
      { header: 'active', value: (d) => d.active },
      { header: 'people', value: (d) => d.peopleCount },
    ], rows);
  });
  r.get('/api/departments/:id', { schema: { tags: ['departments'], params: idParams, response: { 200: departmentSchema } }, preValidation: authorize('workspace:read') }, (req) =>
    people.getDepartment(ctx, actorOf(req), req.params.id),
  );
  r.post('/api/departments', { schema: { tags: ['departments'], body: departmentInput, response: { 201: departmentSchema } }, preValidation: authorize('departments:manage') }, async (req, reply) =>
    reply.status(201).send(await people.createDepartment(ctx, actorOf(req), req.body)),
  );
  r.patch('/api/departments/:id', { schema: { tags: ['departments'], params: idParams, body: departmentPatch, response: { 200: departmentSchema } }, preValidation: authorize('departments:manage') }, (req) =>
    people.updateDepartment(ctx, actorOf(req), req.params.id, req.body),
  );

  // --- stores
  r.get('/api/stores', { schema: { tags: ['stores'], querystring: storeListQuery, response: { 200: storePage } }, config: { responseCache: true }, preValidation: authorize('workspace:read') }, (req) =>
    people.listStores(ctx, actorOf(req), req.query),
  );
  r.get('/api/stores/export', { schema: { tags: ['stores'], querystring: exportQuery(storeListQuery) }, preValidation: authorize('workspace:read') }, async (req, reply) => {
    const rows = await people.exportStores(ctx, actorOf(req), req.query);
    return sendCsv(reply, 'stores.csv', [
      { header: 'code', value: (s) => s.code },
      { header: 'name', value: (s) => s.name },
      { header: 'region', value: (s) => s.region },
      { header: 'district', value: (s) => s.district },
      { header: 'timezone', value: (s) => s.timezone },
      { header: 'uplink_mbps', value: (s) => s.uplinkMbps },
      { header: 'active', value: (s) => s.active },
    ], rows);
  });
  r.post('/api/stores/import', { schema: { tags: ['stores'], body: csvBody, response: { 200: importResult } }, preValidation: authorize('stores:manage') }, (req) =>
    people.importStores(ctx, actorOf(req), req.body),
  );
  r.get('/api/stores/:id', { schema: { tags: ['stores'], params: idParams, response: { 200: storeSchema } }, preValidation: authorize('workspace:read') }, (req) =>
    people.getStore(ctx, actorOf(req), req.params.id),
  );
  r.post('/api/stores', { schema: { tags: ['stores'], body: storeInput, response: { 201: storeSchema } }, preValidation: authorize('stores:manage') }, async (req, reply) =>
    reply.status(201).send(await people.createStore(ctx, actorOf(req), req.body)),
  );
  r.patch('/api/stores/:id', { schema: { tags: ['stores'], params: idParams, body: storePatch, response: { 200: storeSchema } }, preValidation: authorize('stores:manage') }, (req) =>
    people.updateStore(ctx, actorOf(req), req.params.id, req.body),
  );

  // --- people
  r.get('/api/people', { schema: { tags: ['people'], querystring: personListQuery, response: { 200: personPage } }, config: { responseCache: true }, preValidation: authorize('people:read') }, (req) =>
    people.listPeople(ctx, actorOf(req), req.query),
  );
  r.get('/api/people/export', { schema: { tags: ['people'], querystring: exportQuery(personListQuery) }, preValidation: authorize('people:read') }, async (req, reply) => {
    const rows = await people.exportPeople(ctx, actorOf(req), req.query);
    return sendCsv(reply, 'people.csv', [
      { header: 'name', value: (p) => p.name },
      { header: 'email', value: (p) => p.email },
      { header: 'title', value: (p) => p.title },
      { header: 'role', value: (p) => p.role },
      { header: 'department', value: (p) => p.departmentName },
      { header: 'store', value: (p) => p.storeCode ?? 'HQ' },
      { header: 'status', value: (p) => p.status },
      { header: 'last_sign_in_at', value: (p) => p.lastSignInAt },
    ], rows);
  });
  r.post('/api/people/import', { schema: { tags: ['people'], body: csvBody, response: { 200: importResult } }, preValidation: authorize('people:manage') }, (req) =>
    people.importPeople(ctx, actorOf(req), req.body),
  );
  r.get('/api/people/:id', { schema: { tags: ['people'], params: idParams, response: { 200: personSchema } }, preValidation: authorize('workspace:read') }, (req) =>
    people.getPerson(ctx, actorOf(req), req.params.id),
  );
  r.post('/api/people', { schema: { tags: ['people'], body: personCreate, response: { 201: personSchema } }, preValidation: authorize('people:manage') }, async (req, reply) =>
    reply.status(201).send(await people.createPerson(ctx, actorOf(req), req.body)),
  );
  r.patch('/api/people/:id', { schema: { tags: ['people'], params: idParams, body: personPatch, response: { 200: personSchema } }, preValidation: authorize('people:manage') }, (req) =>
    people.updatePerson(ctx, actorOf(req), req.params.id, req.body),
  );
  r.post('/api/people/:id/deactivate', { schema: { tags: ['people'], params: idParams, response: { 200: personSchema } }, preValidation: authorize('people:manage') }, (req) =>
    people.setPersonActive(ctx, actorOf(req), req.params.id, false),
  );
  r.post('/api/people/:id/reactivate', { schema: { tags: ['people'], params: idParams, response: { 200: personSchema } }, preValidation: authorize('people:manage') }, (req) =>
    people.setPersonActive(ctx, actorOf(req), req.params.id, true),
  );
  r.post('/api/people/:id/invite', { schema: { tags: ['people'], params: idParams }, preValidation: authorize('people:manage') }, async (req, reply) => {
    await people.resendInvitation(ctx, actorOf(req), req.params.id);
    return reply.status(204).send();
  });
}
