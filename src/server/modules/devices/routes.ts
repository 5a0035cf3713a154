import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {

  DEVICE_TYPES,
  FINDING_RULE_LABELS,
  FINDING_STATE_LABELS,
  confirmHostInput,
  dashboardSchema,
  deviceInput,
  deviceListQuery,
  deviceModelInput,
  deviceModelPatch,
  deviceModelSchema,
  devicePage,
  devicePatch,
  deviceSchema,
  findingAcceptInput,
  findingListQuery,
  findingPage,
  findingPatch,
  findingResolveInput,
  findingSchema,
  importResult,
  planInput,
  planListQuery,
  planPatch,
  planSchema,
  policyPatch,
  policySchema,
  scanInput,
  scanListQuery,
  scanPage,
  scanSchema,
  storeNetworkSchema,
} from '../../../contracts/devices.js';
import { sendCsv } from '../../platform/list.js';
import { actorOf, authorize } from '../../platform/policy.js';
import * as plans from './plans.js';
import { planPdf } from './plan-pdf.js';
import * as service from './service.js';

const idParams = z.object({ id: z.string().uuid('is not a valid id') });
const findingParams = z.object({
  id: z.string().regex(/^(?:(?:FND-)?\d{1,9}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i, 'is not a finding id or reference (FND-12)'),
});
const hostParams = z.object({ id: z.string().uuid(), hostId: z.string().uuid() });
const deviceExportQuery = deviceListQuery.partial().omit({ cursor: true, limit: true });
const findingExportQuery = findingListQuery.partial().omit({ cursor: true, limit: true });
const csvBody = z.string().min(1, 'the file is empty');
const SCAN_BODY_LIMIT = 16 * 1024 * 1024;
const tags = ['devices'];

export default async function deviceRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  // Nightly posture run: "not seen" ages in, acceptances expire. pg-boss claims it once across instances.
  ctx.jobs.register('devices.posture', async () => {
    await service.nightlyRecompute(ctx);
  }, { cron: '20 2 * * *' });

  // --- inventory
  r.get('/api/devices', { schema: { tags, querystring: deviceListQuery, response: { 200: devicePage } }, config: { responseCache: true }, preValidation: authorize('devices:read') }, (req) => service.listDevices(ctx, actorOf(req), req.query));
  r.get('/api/devices/export', { schema: { tags, querystring: deviceExportQuery }, preValidation: authorize('devices:read') }, async (req, reply) => {
    const rows = await service.exportDevices(ctx, actorOf(req), req.query);
    return sendCsv(reply, 'devices.csv', [
      { header: 'store', value: (d) => d.storeCode },
      { header: 'type', value: (d) => d.type },
      { header: 'name', value: (d) => d.name },
      { header: 'vendor', value: (d) => d.vendor },
      { header: 'model', value: (d) => d.model },
      { header: 'serial', value: (d) => d.serial },
      { header: 'ip', value: (d) => d.ip },
      { header: 'mac', value: (d) => d.mac },
      { header: 'hostname', value: (d) => d.hostname },
      { header: 'vlan', value: (d) => d.vlan },
      { header: 'firmware', value: (d) => d.firmware },
      { header: 'default_credentials_changed', value: (d) => d.defaultCredentialsChanged },
      { header: 'poe_class', value: (d) => d.poeClass },
      { header: 'poe_budget_w', value: (d) => d.poeBudgetW },
      { header: 'stream_resolution', value: (d) => d.streamResolution },
      { header: 'stream_codec', value: (d) => d.streamCodec },
      { header: 'stream_fps', value: (d) => d.streamFps },
      { header: 'retention_days', value: (d) => d.retentionDays },
      { header: 'install_date', value: (d) => d.installDate },
      { header: 'location', value: (d) => d.location },
      { header: 'covered_registers', value: (d) => d.coveredRegisters.join(';') },
      { header: 'notes', value: (d) => d.notes },
      { header: 'last_seen_at', value: (d) => d.lastSeenAt },
      { header: 'open_findings', value: (d) => d.openFindings },
    ], rows);
  });
  r.post('/api/devices/import', { schema: { tags, body: csvBody, response: { 200: importResult } }, preValidation: authorize('devices:manage') }, (req) => service.importDevices(ctx, actorOf(req), req.body));
  r.get('/api/devices/:id', { schema: { tags, params: idParams, response: { 200: deviceSchema } }, preValidation: authorize('devices:read') }, (req) => service.getDevice(ctx, actorOf(req), req.params.id));
  r.post('/api/devices', { schema: { tags, body: deviceInput, response: { 201: deviceSchema } }, preValidation: authorize('devices:manage') }, async (req, reply) =>
    reply.status(201).send(await service.createDevice(ctx, actorOf(req), req.body)),
  );
  r.patch('/api/devices/:id', { schema: { tags, params: idParams, body: devicePatch, response: { 200: deviceSchema } }, preValidation: authorize('devices:manage') }, (req) => service.updateDevice(ctx, actorOf(req), req.params.id, req.body));

  // --- network scans (nmap -oX)
  // A scan of a large store's subnets with service detection runs to megabytes of XML.
  r.post('/api/device-scans', { bodyLimit: SCAN_BODY_LIMIT, schema: { tags, body: scanInput, response: { 201: scanSchema } }, preValidation: authorize('devices:manage') }, async (req, reply) =>
    reply.status(201).send(await service.importScan(ctx, actorOf(req), req.body)),
  );
  r.get('/api/device-scans', { schema: { tags, querystring: scanListQuery, response: { 200: scanPage } }, preValidation: authorize('devices:read') }, (req) => service.listScans(ctx, actorOf(req), req.query));
  r.get('/api/device-scans/:id', { schema: { tags, params: idParams, response: { 200: scanSchema } }, preValidation: authorize('devices:read') }, (req) => service.getScan(ctx, actorOf(req), req.params.id));
  r.post('/api/device-scans/:id/hosts/:hostId/confirm', { schema: { tags, params: hostParams, body: confirmHostInput, response: { 200: deviceSchema } }, preValidation: authorize('devices:manage') }, (req) =>
    service.confirmHost(ctx, actorOf(req), req.params.id, req.params.hostId, req.body),
  );
  r.post('/api/device-scans/:id/hosts/:hostId/dismiss', { schema: { tags, params: hostParams, response: { 200: scanSchema } }, preValidation: authorize('devices:manage') }, (req) =>
    service.dismissHost(ctx, actorOf(req), req.params.id, req.params.hostId),
  );

  // --- model catalogue and policy
  r.get('/api/device-models', { schema: { tags, querystring: z.object({ q: z.string().trim().max(100).optional(), type: z.enum(DEVICE_TYPES).optional() }), response: { 200: z.object({ items: z.array(deviceModelSchema) }) } }, preValidation: authorize('devices:read') }, (req) =>
    service.listModels(ctx, actorOf(req), req.query),
  );
  r.get('/api/device-models/export', { schema: { tags }, preValidation: authorize('devices:read') }, async (req, reply) => {
    const { items } = await service.listModels(ctx, actorOf(req));
    return sendCsv(reply, 'device-models.csv', [
      { header: 'vendor', value: (m) => m.vendor },
      { header: 'model', value: (m) => m.model },
      { header: 'type', value: (m) => m.type },
      { header: 'latest_firmware', value: (m) => m.latestFirmware },
      { header: 'end_of_support', value: (m) => m.endOfSupport },
      { header: 'advisories', value: (m) => m.advisories.join(';') },
      { header: 'notes', value: (m) => m.notes },
      { header: 'devices', value: (m) => m.devices },
    ], items);
  });
  r.post('/api/device-models', { schema: { tags, body: deviceModelInput, response: { 201: deviceModelSchema } }, preValidation: authorize('devices:catalogue') }, async (req, reply) =>
    reply.status(201).send(await service.createModel(ctx, actorOf(req), req.body)),
  );
  r.patch('/api/device-models/:id', { schema: { tags, params: idParams, body: deviceModelPatch, response: { 200: deviceModelSchema } }, preValidation: authorize('devices:catalogue') }, (req) =>
    service.updateModel(ctx, actorOf(req), req.params.id, req.body),
  );
  r.post('/api/device-models/import', { schema: { tags, body: csvBody, response: { 200: importResult } }, preValidation: authorize('devices:catalogue') }, (req) => service.importModels(ctx, actorOf(req), req.body));
  r.get('/api/device-policy', { schema: { tags, response: { 200: policySchema } }, preValidation: authorize('devices:read') }, (req) => service.getPolicy(ctx, actorOf(req)));
  r.patch('/api/device-policy', { schema: { tags, body: policyPatch, response: { 200: policySchema } }, preValidation: authorize('devices:policy') }, (req) => service.updatePolicy(ctx, actorOf(req), req.body));

  // --- findings
  r.get('/api/device-findings', { schema: { tags, querystring: findingListQuery, response: { 200: findingPage } }, config: { responseCache: true }, preValidation: authorize('devices:read') }, (req) => service.listFindings(ctx, actorOf(req), req.query));
  r.get('/api/device-findings/export', { schema: { tags, querystring: findingExportQuery }, preValidation: authorize('devices:read') }, async (req, reply) => {
    const rows = await service.exportFindings(ctx, actorOf(req), req.query);
    return sendCsv(reply, 'device-findings.csv', [
      { header: 'ref', value: (f) => f.ref },
      { header: 'store', value: (f) => f.storeCode },
      { header: 'device', value: (f) => f.deviceName },
      { header: 'rule', value: (f) => FINDING_RULE_LABELS[f.rule] },
      { header: 'severity', value: (f) => f.severity },
      { header: 'state', value: (f) => FINDING_STATE_LABELS[f.state] },
      { header: 'detail', value: (f) => f.detail },
      { header: 'owner_department', value: (f) => f.ownerDepartmentName },
      { header: 'owner', value: (f) => f.ownerName },
      { header: 'due_date', value: (f) => f.dueDate },
      { header: 'opened_at', value: (f) => f.openedAt },
      { header: 'age_days', value: (f) => f.ageDays },
      { header: 'accepted_until', value: (f) => f.acceptedUntil },
      { header: 'accept_reason', value: (f) => f.acceptReason },
      { header: 'approver', value: (f) => f.acceptedByName },
      { header: 'resolved_at', value: (f) => f.resolvedAt },
      { header: 'resolution', value: (f) => f.resolution },
    ], rows);
  });
  r.get('/api/device-findings/dashboard', { schema: { tags, querystring: z.object({ storeId: z.string().uuid().optional(), days: z.coerce.number().int().min(7).max(365).optional() }), response: { 200: dashboardSchema } }, preValidation: authorize('devices:read') }, (req) =>
    service.dashboard(ctx, actorOf(req), req.query),
  );
  r.get('/api/device-findings/:id', { schema: { tags, params: findingParams, response: { 200: findingSchema } }, preValidation: authorize('devices:read') }, (req) => service.getFinding(ctx, actorOf(req), req.params.id));
  r.patch('/api/device-findings/:id', { schema: { tags, params: findingParams, body: findingPatch, response: { 200: findingSchema } }, preValidation: authorize('devices:findings') }, (req) =>
    service.updateFinding(ctx, actorOf(req), req.params.id, req.body),
  );
  r.post('/api/device-findings/:id/resolve', { schema: { tags, params: findingParams, body: findingResolveInput, response: { 200: findingSchema } }, preValidation: authorize('devices:findings') }, (req) =>
    service.resolveFinding(ctx, actorOf(req), req.params.id, req.body),
  );
  r.post('/api/device-findings/:id/accept', { schema: { tags, params: findingParams, body: findingAcceptInput, response: { 200: findingSchema } }, preValidation: authorize('devices:accept-risk') }, (req) =>
    service.acceptRisk(ctx, actorOf(req), req.params.id, req.body),
  );
  r.post('/api/device-findings/:id/reopen', { schema: { tags, params: findingParams, response: { 200: findingSchema } }, preValidation: authorize('devices:findings') }, (req) => service.reopenFinding(ctx, actorOf(req), req.params.id));

  // --- camera plans
  r.get('/api/camera-plans', { schema: { tags, querystring: planListQuery, response: { 200: z.object({ items: z.array(planSchema) }) } }, preValidation: authorize('devices:read') }, (req) => plans.listPlans(ctx, actorOf(req), req.query));
  r.get('/api/camera-plans/network/:id', { schema: { tags, params: idParams, response: { 200: storeNetworkSchema } }, preValidation: authorize('devices:read') }, (req) => plans.getStoreNetwork(ctx, actorOf(req), req.params.id));
  r.get('/api/camera-plans/:id', { schema: { tags, params: idParams, response: { 200: planSchema } }, preValidation: authorize('devices:read') }, (req) => plans.getPlan(ctx, actorOf(req), req.params.id));
  r.get('/api/camera-plans/:id/export', { schema: { tags, params: idParams }, preValidation: authorize('devices:read') }, async (req, reply) => {
    const plan = await plans.getPlan(ctx, actorOf(req), req.params.id);
    const slug = `${plan.storeCode}-${plan.name}`.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
    return sendCsv(reply, `camera-plan-${slug}.csv`, plans.PLAN_CSV_COLUMNS.map((c) => ({ header: c, value: (row: Record<string, string | number>) => row[c] })), plans.planCsvRows(plan));
  });
  r.get('/api/camera-plans/:id/pdf', { schema: { tags, params: idParams }, preValidation: authorize('devices:read') }, async (req, reply) => {
    const plan = await plans.getPlan(ctx, actorOf(req), req.params.id);
    const slug = `${plan.storeCode}-${plan.name}`.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="camera-plan-${slug}.pdf"`).send(await planPdf(plan));
  });
  r.post('/api/camera-plans', { schema: { tags, body: planInput, response: { 201: planSchema } }, preValidation: authorize('devices:plan') }, async (req, reply) =>
    reply.status(201).send(await plans.createPlan(ctx, actorOf(req), req.body)),
  );
  r.patch('/api/camera-plans/:id', { schema: { tags, params: idParams, body: planPatch, response: { 200: planSchema } }, preValidation: authorize('devices:plan') }, (req) => plans.updatePlan(ctx, actorOf(req), req.params.id, req.body));
  r.delete('/api/camera-plans/:id', { schema: { tags, params: idParams }, preValidation: authorize('devices:plan') }, async (req, reply) => {
    await plans.deletePlan(ctx, actorOf(req), req.params.id);
    return reply.status(204).send();
  });
}

