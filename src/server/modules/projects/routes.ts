import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  checklistTick,
  linkInput,
  milestonesInput,
  PROJECT_STAGE_LABELS,
  PROJECT_TYPE_LABELS,
  projectDetail,
  projectInput,
  projectListQuery,
  projectPage,
  projectPatch,
  signoffInput,
  stageChangeInput,
  storesInput,
  templateList,
  templatePut,
  templateSchema,
} from '../../../contracts/projects.js';
import { sendCsv } from '../../platform/list.js';
import { actorOf, authorize } from '../../platform/policy.js';
import * as service from './service.js';

/** A project by its id, its reference ("PRJ-4") or its number. */
const refParams = z.object({
  id: z.string().regex(/^(?:(?:PRJ-)?\d{1,9}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i, 'is not a project id or reference (PRJ-4)'),
});
const idParams = z.object({ id: z.string().uuid('is not a valid id') });
const exportQuery = projectListQuery.partial().omit({ cursor: true, limit: true });

export default async function projectRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const tags = ['projects'];

  r.get('/api/projects', { schema: { tags, querystring: projectListQuery, response: { 200: projectPage } }, config: { responseCache: true }, preValidation: authorize('projects:read') }, (req) => service.listProjects(ctx, actorOf(req), req.query));
  r.get('/api/projects/export', { schema: { tags, querystring: exportQuery }, preValidation: authorize('projects:read') }, async (req, reply) => {
    const rows = await service.exportProjects(ctx, actorOf(req), req.query);
    return sendCsv(
      reply,
      'projects.csv',
      [
        { header: 'ref', value: (x) => x.ref },
        { header: 'title', value: (x) => x.title },
        { header: 'type', value: (x) => PROJECT_TYPE_LABELS[x.type] },
        { header: 'stage', value: (x) => PROJECT_STAGE_LABELS[x.stage] },
        { header: 'owner', value: (x) => x.ownerName },
        { header: 'it_contact', value: (x) => x.itContactName },
        { header: 'stores_done', value: (x) => x.storesDone },
        { header: 'stores_total', value: (x) => x.storesTotal },
        { header: 'estimated_cost', value: (x) => (x.estimatedCostCents == null ? '' : (x.estimatedCostCents / 100).toFixed(2)) },
        { header: 'target_date', value: (x) => x.targetDate },
        { header: 'stage_since', value: (x) => x.stageSince },
        { header: 'updated_at', value: (x) => x.updatedAt },
      ],
      rows,
    );
  });
  r.post('/api/projects', { schema: { tags, body: projectInput, response: { 201: projectDetail } }, preValidation: authorize('projects:propose') }, async (req, reply) =>
    reply.status(201).send(await service.createProject(ctx, actorOf(req), req.body)),
  );
  r.get('/api/projects/:id', { schema: { tags, params: refParams, response: { 200: projectDetail } }, preValidation: authorize('projects:read') }, (req) => service.getProject(ctx, actorOf(req), req.params.id));
  r.patch('/api/projects/:id', { schema: { tags, params: refParams, body: projectPatch, response: { 200: projectDetail } }, preValidation: authorize('projects:manage') }, (req) =>
    service.updateProject(ctx, actorOf(req), req.params.id, req.body),
  );
  r.post('/api/projects/:id/stage', { schema: { tags, params: refParams, body: stageChangeInput, response: { 200: projectDetail } }, preValidation: authorize('projects:manage') }, (req) =>
    service.changeStage(ctx, actorOf(req), req.params.id, req.body),
  );
  r.post('/api/projects/:id/signoffs', { schema: { tags, params: refParams, body: signoffInput, response: { 200: projectDetail } }, preValidation: authorize('projects:signoff') }, (req) =>
    service.signoff(ctx, actorOf(req), req.params.id, req.body),
  );
  r.post('/api/projects/:id/checklist', { schema: { tags, params: refParams, body: checklistTick, response: { 200: projectDetail } }, preValidation: authorize('projects:manage') }, (req) =>
    service.tickChecklist(ctx, actorOf(req), req.params.id, req.body),
  );
  r.put('/api/projects/:id/milestones', { schema: { tags, params: refParams, body: milestonesInput, response: { 200: projectDetail } }, preValidation: authorize('projects:manage') }, (req) =>
    service.setMilestones(ctx, actorOf(req), req.params.id, req.body),
  );
  r.put('/api/projects/:id/stores', { schema: { tags, params: refParams, body: storesInput, response: { 200: projectDetail } }, preValidation: authorize('projects:manage') }, (req) =>
    service.setStores(ctx, actorOf(req), req.params.id, req.body),
  );
  r.post('/api/projects/:id/links', { schema: { tags, params: refParams, body: linkInput, response: { 200: projectDetail } }, preValidation: authorize('projects:manage') }, (req) =>
    service.addLink(ctx, actorOf(req), req.params.id, req.body),
  );
  r.delete('/api/project-links/:id', { schema: { tags, params: idParams, response: { 200: projectDetail } }, preValidation: authorize('projects:manage') }, (req) => service.removeLink(ctx, actorOf(req), req.params.id));
  r.get('/api/project-templates', { schema: { tags, response: { 200: templateList } }, preValidation: authorize('projects:read') }, (req) => service.listTemplates(ctx, actorOf(req)));
  r.put('/api/project-templates', { schema: { tags, body: templatePut, response: { 200: templateSchema } }, preValidation: authorize('projects:templates') }, (req) => service.putTemplate(ctx, actorOf(req), req.body));
}
