import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  alignmentSchema,
  BUDGET_KIND_LABELS,
  budgetImportInput,
  budgetLineInput,
  budgetLineListQuery,
  budgetLinePage,
  budgetLinePatch,
  budgetLineSchema,
  priorityInput,
  priorityPatch,
  prioritySchema,
  pulseAnswersInput,
  pulseRoundDetail,
  pulseRoundInput,
  pulseRoundSchema,
} from '../../../contracts/budget.js';
import { sendCsv } from '../../platform/list.js';
import { actorOf, authorize } from '../../platform/policy.js';
import * as service from './service.js';

const pulseReader = async (req: FastifyRequest) => service.assertPulseReader(actorOf(req));
const pulseRespondent = async (req: FastifyRequest) => service.assertPulseRespondent(actorOf(req));
const idParams = z.object({ id: z.string().uuid('is not a valid id') });
const exportQuery = budgetLineListQuery.partial().omit({ cursor: true, limit: true });

export default async function budgetRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  const tags = ['budget'];

  // Hourly in the daytime (UTC): the first run of the day reminds, later runs only catch up a run
  // missed while no instance was up; the claim inside makes every other run a no-op.
  ctx.jobs.register(service.PULSE_REMINDER_JOB, async () => {
    await service.sendPulseReminders(ctx);
  }, { cron: '0 8-18 * * *' });

  r.get('/api/budget/lines', { schema: { tags, querystring: budgetLineListQuery, response: { 200: budgetLinePage } }, preValidation: authorize('budget:read') }, (req) => service.listLines(ctx, actorOf(req), req.query));
  r.get('/api/budget/lines/export', { schema: { tags, querystring: exportQuery }, preValidation: authorize('budget:read') }, async (req, reply) => {
    const rows = await service.exportLines(ctx, actorOf(req), req.query);
    return sendCsv(
      reply,
      `it-budget${req.query.fiscalYear ? `-fy${req.query.fiscalYear}` : ''}.csv`,
      [
        { header: 'ref', value: (x) => x.ref },
        { header: 'fiscal_year', value: (x) => x.fiscalYear },
        { header: 'kind', value: (x) => BUDGET_KIND_LABELS[x.kind] },
        { header: 'title', value: (x) => x.title },
        { header: 'amount', value: (x) => (x.amountCents / 100).toFixed(2) },
        { header: 'vendor', value: (x) => x.vendor },
        { header: 'category', value: (x) => x.category },
        { header: 'owner', value: (x) => x.ownerName },
        { header: 'project', value: (x) => x.projectRef },
        { header: 'priorities', value: (x) => x.tags.map((t) => `${t.priorityName} ${t.sharePercent}%`).join('; ') },
        { header: 'lp_amount', value: (x) => (x.lpCents / 100).toFixed(2) },
      ],
      rows,
    );
  });
  r.post('/api/budget/lines', { schema: { tags, body: budgetLineInput, response: { 201: budgetLineSchema } }, preValidation: authorize('budget:edit') }, async (req, reply) =>
    reply.status(201).send(await service.createLine(ctx, actorOf(req), req.body)),
  );
  r.patch('/api/budget/lines/:id', { schema: { tags, params: idParams, body: budgetLinePatch, response: { 200: budgetLineSchema } }, preValidation: authorize('budget:edit') }, (req) =>
    service.updateLine(ctx, actorOf(req), req.params.id, req.body),
  );
  r.delete('/api/budget/lines/:id', { schema: { tags, params: idParams }, preValidation: authorize('budget:edit') }, async (req, reply) => {
    await service.deleteLine(ctx, actorOf(req), req.params.id);
    return reply.status(204).send();
  });
  r.post('/api/budget/lines/import', { schema: { tags, body: budgetImportInput, response: { 200: z.object({ imported: z.number().int(), totalCents: z.number().int() }) } }, preValidation: authorize('budget:edit') }, (req) =>
    service.importLines(ctx, actorOf(req), req.body),
  );
  r.get('/api/budget/alignment', { schema: { tags, querystring: z.object({ fiscalYear: z.coerce.number().int().min(2000).max(2100).optional() }), response: { 200: alignmentSchema } }, preValidation: authorize('budget:read') }, (req) =>
    service.alignment(ctx, actorOf(req), req.query),
  );
  r.get('/api/budget/priorities', { schema: { tags, querystring: z.object({ all: z.enum(['true', 'false']).optional() }), response: { 200: z.object({ items: z.array(prioritySchema) }) } }, preValidation: pulseReader }, (req) =>
    service.listPriorities(ctx, actorOf(req), { all: req.query.all === 'true' }),
  );
  r.post('/api/budget/priorities', { schema: { tags, body: priorityInput, response: { 201: prioritySchema } }, preValidation: authorize('budget:priorities') }, async (req, reply) =>
    reply.status(201).send(await service.createPriority(ctx, actorOf(req), req.body)),
  );
  r.patch('/api/budget/priorities/:id', { schema: { tags, params: idParams, body: priorityPatch, response: { 200: prioritySchema } }, preValidation: authorize('budget:priorities') }, (req) =>
    service.updatePriority(ctx, actorOf(req), req.params.id, req.body),
  );
  r.get('/api/pulse/rounds', { schema: { tags, response: { 200: z.object({ items: z.array(pulseRoundSchema) }) } }, preValidation: pulseReader }, (req) => service.listRounds(ctx, actorOf(req)));
  r.post('/api/pulse/rounds', { schema: { tags, body: pulseRoundInput, response: { 201: z.object({ id: z.string() }) } }, preValidation: authorize('pulse:manage') }, async (req, reply) =>
    reply.status(201).send(await service.createRound(ctx, actorOf(req), req.body)),
  );
  r.get('/api/pulse/rounds/:id', { schema: { tags, params: idParams, response: { 200: pulseRoundDetail } }, preValidation: pulseReader }, (req) => service.getRound(ctx, actorOf(req), req.params.id));
  r.put('/api/pulse/rounds/:id/answers', { schema: { tags, params: idParams, body: pulseAnswersInput, response: { 200: z.object({ answered: z.number().int() }) } }, preValidation: pulseRespondent }, (req) =>
    service.answerRound(ctx, actorOf(req), req.params.id, req.body),
  );
  r.post('/api/pulse/rounds/:id/remind', { schema: { tags, params: idParams, response: { 200: z.object({ reminded: z.number().int() }) } }, preValidation: authorize('pulse:manage') }, (req) =>
    service.remindRound(ctx, actorOf(req), req.params.id),
  );
}
