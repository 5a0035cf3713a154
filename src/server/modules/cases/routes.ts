import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CASE_OUTCOME_LABELS,
  CASE_STATUS_LABELS,
  INCIDENT_STATUS_LABELS,
  INCIDENT_TYPE_LABELS,
  caseDetailSchema,
  caseInput,
  caseLinkInput,
  caseListQuery,
  casePage,
  casePatch,
  caseSettingsInput,
  caseSettingsSchema,
  custodyInput,
  downloadQuery,
  evidenceLinkInput,
  evidenceSchema,
  evidenceUploadQuery,
  incidentDetailSchema,
  incidentInput,
  incidentListQuery,
  incidentMessageInput,
  incidentPage,
  incidentTriageInput,
  memberInput,
  memberRemoveInput,
  noteInput,
  taskInput,
  taskPatch,
  tipCodeParams,
  tipConfigSchema,
  tipCreated,
  tipInput,
  tipMessageInput,
  tipThreadSchema,
  videoExportReceipt,
  videoExportUploadQuery,
  videoRequestInput,
  videoRequestResult,
} from '../../../contracts/cases.js';
import { NRF_CAUSE_LABELS, NRF_SOURCE, shrinkQuery, shrinkSchema } from '../../../contracts/shrink.js';
import { AppError } from '../../platform/errors.js';
import { sendCsv } from '../../platform/list.js';
import { actorOf, assertCan, authorize } from '../../platform/policy.js';
import { fileTooLarge, hashBlob, readBlob, spoolHashed, type HashedFile } from './files.js';
import * as incidents from './incidents.js';
import { caseReportPdf, reportFilename } from './report-pdf.js';
import * as service from './service.js';
import { shrinkDashboard } from './shrink.js';
import './contributions.js';

const idParams = z.object({ id: z.string().min(1).max(60) });
const incidentFileQuery = z.object({ filename: z.string().trim().min(1, 'is required').max(255), contentType: z.string().trim().max(200).optional() });

/** A file name safe in a Content-Disposition header (the full name in filename*). */
function disposition(filename: string) {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export default async function casesRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;
  // Read per request, so a changed configuration applies to the next upload.
  const limitsNow = () => ({ maxBytes: ctx.config.evidenceMaxBytes ?? 2 * 1024 ** 3, idleSeconds: ctx.config.posUpload.idleSeconds, tmpDir: ctx.config.posUpload.tmpDir });

  // Files arrive as the raw request body (application/octet-stream), streamed to disk, never read whole.
  app.addContentTypeParser('application/octet-stream', { bodyLimit: Number.MAX_SAFE_INTEGER }, (_req, payload, done) => done(null, payload));

  /** Spools the upload (hashing it) after the permission check; 413 names the limit. */
  const receive = async (req: FastifyRequest): Promise<HashedFile> => {
    const limits = limitsNow();
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limits.maxBytes) throw fileTooLarge(limits.maxBytes);
    const body = req.body as Readable | undefined;
    if (!body || typeof (body as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] !== 'function') {
      throw new AppError(400, 'invalid', 'body: send the file as the request body (content-type application/octet-stream)', [{ field: 'body', message: 'send the file as the request body' }]);
    }
    return spoolHashed(body, limits);
  };
  const uploadOptions = { bodyLimit: Number.MAX_SAFE_INTEGER };

  const sendBlob = (reply: FastifyReply, f: { blobId: string; filename: string; contentType: string; sizeBytes: number; sha256: string }) => {
    reply.header('content-type', f.contentType || 'application/octet-stream');
    reply.header('content-length', String(f.sizeBytes));
    reply.header('content-disposition', disposition(f.filename));
    reply.header('x-content-sha256', f.sha256);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('cache-control', 'private, no-store');
    return reply.send(Readable.from(readBlob(ctx.db, f.blobId)));
  };

  // ---------------------------------------------------------------- incidents
  const tags = ['incidents'];
  const incidentExport = incidentListQuery.omit({ cursor: true, limit: true }).partial();
  r.get('/api/incidents', { schema: { tags, querystring: incidentListQuery, response: { 200: incidentPage } }, config: { responseCache: true }, preValidation: authorize('incidents:read') }, (req) =>
    incidents.listIncidents(ctx, actorOf(req), req.query),
  );
  r.get('/api/incidents/export', { schema: { tags, querystring: incidentExport }, preValidation: authorize('incidents:read') }, async (req, reply) => {
    const list = await incidents.exportIncidents(ctx, actorOf(req), req.query);
    return sendCsv(reply, 'incidents.csv', [
      { header: 'ref', value: (i) => i.ref },
      { header: 'occurred_at', value: (i) => i.occurredAt },
      { header: 'store', value: (i) => i.storeCode ?? 'HQ' },
      { header: 'type', value: (i) => INCIDENT_TYPE_LABELS[i.type] },
      { header: 'source', value: (i) => i.source },
      { header: 'status', value: (i) => INCIDENT_STATUS_LABELS[i.status] },
      { header: 'estimated_loss', value: (i) => (i.estimatedLossCents / 100).toFixed(2) },
      { header: 'recovered', value: (i) => (i.recoveredCents / 100).toFixed(2) },
      { header: 'reporter', value: (i) => i.reporterName ?? '' },
      { header: 'police_report', value: (i) => i.policeReport },
      { header: 'case', value: (i) => i.caseRef ?? '' },
      { header: 'duplicate_of', value: (i) => i.duplicateOfRef ?? '' },
      { header: 'close_reason', value: (i) => i.closeReason ?? '' },
      { header: 'narrative', value: (i) => i.narrative },
      { header: 'people_involved', value: (i) => i.peopleInvolved },
    ], list);
  });
  // The shrink dashboard: everyone who reads incidents, each with their own scope (see shrink.ts).
  r.get('/api/incidents/shrink', { schema: { tags, querystring: shrinkQuery, response: { 200: shrinkSchema } }, preValidation: authorize('incidents:read') }, (req) =>
    shrinkDashboard(ctx, actorOf(req), req.query),
  );
  r.get('/api/incidents/shrink/export', { schema: { tags, querystring: shrinkQuery }, preValidation: authorize('incidents:read') }, async (req, reply) => {
    const s = await shrinkDashboard(ctx, actorOf(req), req.query);
    const money = (c: number) => (c / 100).toFixed(2);
    type Line = { section: string; key: string; label: string; lost: string; recovered: string; count: number | string; share: string; reference: string };
    const line = (section: string, key: string, label: string, a: { lostCents: number; recoveredCents: number; count: number }): Line => ({
      section, key, label, lost: money(a.lostCents), recovered: money(a.recoveredCents), count: a.count,
      share: s.totals.lostCents > 0 ? ((a.lostCents / s.totals.lostCents) * 100).toFixed(1) : '', reference: '',
    });
    const lines: Line[] = [
      line('total', 'all', `Since ${s.since.slice(0, 10)}`, s.totals),
      ...s.byCause.map((c) => line('cause', c.type, INCIDENT_TYPE_LABELS[c.type], c)),
      ...s.byStore.map((c) => line('store', c.storeCode ?? 'HQ', c.storeName ?? 'No store (HQ)', c)),
      ...s.byMonth.map((c) => line('month', c.month, c.month, c)),
      ...s.nrf.map((n) => ({ section: 'nrf_cause', key: n.cause, label: NRF_CAUSE_LABELS[n.cause], lost: money(n.lostCents), recovered: '', count: '', share: n.chainShare == null ? '' : n.chainShare.toFixed(1), reference: `${n.nrfShare} (${NRF_SOURCE})` })),
      { section: 'cases', key: 'open', label: 'Open cases', lost: '', recovered: '', count: s.cases.open, share: '', reference: '' },
      { section: 'cases', key: 'on_hold', label: 'Cases on hold', lost: '', recovered: '', count: s.cases.onHold, share: '', reference: '' },
      { section: 'cases', key: 'closed', label: 'Closed cases', lost: '', recovered: '', count: s.cases.closed, share: '', reference: '' },
      { section: 'cases', key: 'avg_days_to_close', label: 'Average days to close', lost: '', recovered: '', count: s.cases.avgDaysToClose ?? '', share: '', reference: '' },
    ];
    return sendCsv(reply, 'shrink.csv', [
      { header: 'section', value: (l: Line) => l.section },
      { header: 'key', value: (l: Line) => l.key },
      { header: 'label', value: (l: Line) => l.label },
      { header: 'lost', value: (l: Line) => l.lost },
      { header: 'recovered', value: (l: Line) => l.recovered },
      { header: 'count', value: (l: Line) => l.count },
      { header: 'share_of_loss_percent', value: (l: Line) => l.share },
      { header: 'nrf_share_percent', value: (l: Line) => l.reference },
    ], lines);
  });
  r.get('/api/incidents/:id', { schema: { tags, params: idParams, response: { 200: incidentDetailSchema } }, preValidation: authorize('incidents:read') }, (req) =>
    incidents.getIncident(ctx, actorOf(req), req.params.id),
  );
  r.post('/api/incidents', { schema: { tags, body: incidentInput, response: { 201: incidentDetailSchema } }, preValidation: authorize('incidents:report') }, async (req, reply) =>
    reply.status(201).send(await incidents.reportIncident(ctx, actorOf(req), req.body)),
  );
  r.post(
    '/api/incidents/:id/files',
    { ...uploadOptions, schema: { tags, params: idParams, querystring: incidentFileQuery, response: { 201: incidentDetailSchema } }, preValidation: authorize('incidents:report') },
    async (req, reply) => {
      const file = await receive(req);
      try {
        return reply.status(201).send(await incidents.attachIncidentFile(ctx, actorOf(req), req.params.id, file, { filename: req.query.filename, contentType: req.query.contentType || 'application/octet-stream' }));
      } finally {
        file.remove();
      }
    },
  );
  r.get('/api/incident-files/:id', { schema: { tags, params: idParams }, preValidation: authorize('incidents:read') }, async (req, reply) => {
    const f = await incidents.incidentFileFor(ctx, actorOf(req), req.params.id);
    return sendBlob(reply, { ...f, sizeBytes: Number(f.sizeBytes) });
  });
  r.post('/api/incidents/:id/triage', { schema: { tags, params: idParams, body: incidentTriageInput, response: { 200: incidentDetailSchema } }, preValidation: authorize('cases:triage') }, (req) =>
    incidents.triageIncident(ctx, actorOf(req), req.params.id, req.body),
  );
  r.post('/api/incidents/:id/messages', { schema: { tags, params: idParams, body: incidentMessageInput, response: { 201: incidentDetailSchema } }, preValidation: authorize('incidents:report') }, async (req, reply) =>
    reply.status(201).send(await incidents.addIncidentMessage(ctx, actorOf(req), req.params.id, req.body.body)),
  );

  // ---------------------------------------------------------------- anonymous tips (no account; nothing identifying is stored)
  const tipTags = ['tips'];
  r.get('/api/public/tips', { config: { public: true }, schema: { tags: tipTags, response: { 200: tipConfigSchema } } }, () => incidents.tipConfig(ctx));
  r.post('/api/public/tips', { config: { public: true }, schema: { tags: tipTags, body: tipInput, response: { 201: tipCreated } } }, async (req, reply) =>
    reply.status(201).send(await incidents.submitTip(ctx, req.body, req.ip)),
  );
  r.get('/api/public/tips/:token', { config: { public: true }, schema: { tags: tipTags, params: tipCodeParams, response: { 200: tipThreadSchema } } }, (req) =>
    incidents.tipThread(ctx, req.params.token, req.ip),
  );
  r.post('/api/public/tips/:token/messages', { config: { public: true }, schema: { tags: tipTags, params: tipCodeParams, body: tipMessageInput, response: { 201: tipThreadSchema } } }, async (req, reply) =>
    reply.status(201).send(await incidents.addTipMessage(ctx, req.params.token, req.body.body, req.ip)),
  );

  // ---------------------------------------------------------------- cases
  const caseTags = ['cases'];
  const caseQuery = caseListQuery.extend({ exceptionId: z.string().uuid().optional() });
  const caseExport = caseListQuery.omit({ cursor: true, limit: true }).partial();
  r.get('/api/cases', { schema: { tags: caseTags, querystring: caseQuery, response: { 200: casePage } }, config: { responseCache: true }, preValidation: authorize('cases:read') }, (req) =>
    service.listCases(ctx, actorOf(req), req.query),
  );
  r.get('/api/cases/export', { schema: { tags: caseTags, querystring: caseExport }, preValidation: authorize('cases:read') }, async (req, reply) => {
    const list = await service.exportCases(ctx, actorOf(req), req.query);
    return sendCsv(reply, 'cases.csv', [
      { header: 'ref', value: (c) => c.ref },
      { header: 'title', value: (c) => c.title },
      { header: 'type', value: (c) => INCIDENT_TYPE_LABELS[c.type] },
      { header: 'restricted', value: (c) => c.sealed },
      { header: 'status', value: (c) => CASE_STATUS_LABELS[c.status] },
      { header: 'outcome', value: (c) => (c.outcome ? CASE_OUTCOME_LABELS[c.outcome] : '') },
      { header: 'store', value: (c) => c.storeCode ?? 'HQ' },
      { header: 'lead', value: (c) => c.leadName },
      { header: 'subject', value: (c) => c.subjectName },
      { header: 'loss', value: (c) => (c.lossCents / 100).toFixed(2) },
      { header: 'recovered', value: (c) => (c.recoveryCents / 100).toFixed(2) },
      { header: 'restitution', value: (c) => (c.restitutionCents / 100).toFixed(2) },
      { header: 'police_referral', value: (c) => c.policeReferralDate ?? '' },
      { header: 'hr_referral', value: (c) => c.hrReferralDate ?? '' },
      { header: 'opened_at', value: (c) => c.createdAt },
      { header: 'closed_at', value: (c) => c.closedAt ?? '' },
    ], list);
  });
  r.get('/api/cases/:id', { schema: { tags: caseTags, params: idParams, response: { 200: caseDetailSchema } }, preValidation: authorize('cases:read') }, (req) =>
    service.getCase(ctx, actorOf(req), req.params.id),
  );
  r.get('/api/cases/:id/report.pdf', { schema: { tags: caseTags, params: idParams }, preValidation: authorize('cases:read') }, async (req, reply) => {
    const actor = actorOf(req);
    const detail = await service.exportCaseReport(ctx, actor, req.params.id);
    const pdf = await caseReportPdf(detail, actor.name);
    reply.header('content-type', 'application/pdf');
    reply.header('content-disposition', disposition(reportFilename(detail.ref)));
    reply.header('cache-control', 'private, no-store');
    return reply.send(pdf);
  });
  r.post('/api/cases', { schema: { tags: caseTags, body: caseInput, response: { 201: caseDetailSchema } }, preValidation: authorize('cases:work') }, async (req, reply) =>
    reply.status(201).send(await service.openCase(ctx, actorOf(req), req.body)),
  );
  r.patch('/api/cases/:id', { schema: { tags: caseTags, params: idParams, body: casePatch, response: { 200: caseDetailSchema } }, preValidation: authorize('cases:work') }, (req) =>
    service.updateCase(ctx, actorOf(req), req.params.id, req.body),
  );
  r.post('/api/cases/:id/members', { schema: { tags: caseTags, params: idParams, body: memberInput, response: { 200: caseDetailSchema } }, preValidation: authorize('cases:work') }, (req) =>
    service.addMember(ctx, actorOf(req), req.params.id, req.body),
  );
  r.post('/api/cases/:id/members/remove', { schema: { tags: caseTags, params: idParams, body: memberRemoveInput, response: { 200: caseDetailSchema.nullable() } }, preValidation: authorize('cases:work') }, (req) =>
    service.removeMember(ctx, actorOf(req), req.params.id, req.body.personId),
  );
  r.post('/api/cases/:id/tasks', { schema: { tags: caseTags, params: idParams, body: taskInput, response: { 201: caseDetailSchema } }, preValidation: authorize('cases:work') }, async (req, reply) =>
    reply.status(201).send(await service.addTask(ctx, actorOf(req), req.params.id, req.body)),
  );
  r.patch('/api/case-tasks/:id', { schema: { tags: caseTags, params: idParams, body: taskPatch, response: { 200: caseDetailSchema } }, preValidation: authorize('cases:work') }, (req) =>
    service.updateTask(ctx, actorOf(req), req.params.id, req.body),
  );
  r.post('/api/cases/:id/notes', { schema: { tags: caseTags, params: idParams, body: noteInput, response: { 201: caseDetailSchema } }, preValidation: authorize('cases:work') }, async (req, reply) =>
    reply.status(201).send(await service.addNote(ctx, actorOf(req), req.params.id, req.body.body)),
  );
  r.post('/api/cases/:id/links', { schema: { tags: caseTags, params: idParams, body: caseLinkInput, response: { 200: caseDetailSchema } }, preValidation: authorize('cases:work') }, (req) =>
    service.addLinks(ctx, actorOf(req), req.params.id, req.body),
  );
  r.post(
    '/api/cases/:id/evidence',
    { ...uploadOptions, schema: { tags: caseTags, params: idParams, querystring: evidenceUploadQuery, response: { 201: evidenceSchema } }, preValidation: authorize('cases:work') },
    async (req, reply) => {
      const file = await receive(req);
      try {
        const q = req.query;
        return reply.status(201).send(await service.uploadEvidence(ctx, actorOf(req), req.params.id, file, { filename: q.filename, contentType: q.contentType || 'application/octet-stream', title: q.title, description: q.description, source: q.source }));
      } finally {
        file.remove();
      }
    },
  );
  r.post('/api/cases/:id/evidence-links', { schema: { tags: caseTags, params: idParams, body: evidenceLinkInput, response: { 201: evidenceSchema } }, preValidation: authorize('cases:work') }, async (req, reply) =>
    reply.status(201).send(await service.addEvidenceLink(ctx, actorOf(req), req.params.id, req.body)),
  );
  r.get('/api/case-evidence/:id/download', { schema: { tags: caseTags, params: idParams, querystring: downloadQuery }, preValidation: authorize('cases:read') }, async (req, reply) => {
    const f = await service.beginDownload(ctx, actorOf(req), req.params.id, req.query.reason, (blobId) => hashBlob(ctx.db, blobId));
    return sendBlob(reply, f);
  });
  r.post('/api/case-evidence/:id/custody', { schema: { tags: caseTags, params: idParams, body: custodyInput, response: { 201: evidenceSchema } }, preValidation: authorize('cases:work') }, async (req, reply) =>
    reply.status(201).send(await service.recordCustody(ctx, actorOf(req), req.params.id, req.body)),
  );
  r.post('/api/video-requests', { schema: { tags: caseTags, body: videoRequestInput, response: { 201: videoRequestResult } }, preValidation: authorize('cases:work') }, async (req, reply) =>
    reply.status(201).send(await service.requestVideoExport(ctx, actorOf(req), req.body)),
  );
  // IT delivers a case's video export on the request: it lands on the case as evidence (no case access given).
  r.post(
    '/api/requests/:id/video-export',
    { ...uploadOptions, schema: { tags: caseTags, params: idParams, querystring: videoExportUploadQuery, response: { 201: videoExportReceipt } }, preValidation: authorize('requests:create') },
    async (req, reply) => {
      const file = await receive(req);
      try {
        return reply.status(201).send(await service.receiveVideoExport(ctx, actorOf(req), req.params.id, file, { filename: req.query.filename, contentType: req.query.contentType || 'application/octet-stream' }));
      } finally {
        file.remove();
      }
    },
  );
  r.get('/api/case-settings', { schema: { tags: caseTags, response: { 200: caseSettingsSchema } }, preValidation: authorize('cases:read') }, (req) => service.getSettings(ctx, actorOf(req)));
  r.put('/api/case-settings', { schema: { tags: caseTags, body: caseSettingsInput, response: { 200: caseSettingsSchema } }, preValidation: authorize('cases:settings') }, (req) => {
    assertCan(actorOf(req), 'cases:settings');
    return service.updateSettings(ctx, actorOf(req), req.body);
  });
}
