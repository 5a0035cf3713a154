import fs from 'node:fs';
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  BANDS,
  cashierDashboardSchema,
  cashierSchema,
  chainDashboardSchema,
  dateRangeQuery,
  exceptionDetailSchema,
  exceptionListQuery,
  exceptionPage,
  exceptionPatch,
  importListQuery,
  importPage,
  importQuery,
  importSchema,
  noteInput,
  scoreListQuery,
  cashierScoreSchema,
  settingsPatch,
  settingsResponse,
  storeDashboardQuery,
  storeDashboardSchema,
  transactionListQuery,
  transactionPage,
  transactionSchema,
  videoConfigInput,
  videoConfigSchema,
  exceptionBulkInput,
  exceptionBulkResult,
  nextExceptionSchema,
  operatorImportResult,
  operatorSchema,
  outcomesSchema,
  queueQuery,
  queueSchema,
  rankingQuery,
  rankingSchema,
  registerInput,
  registerParams,
  registerSchema,
  type PosFormat,
} from '../../../contracts/pos.js';
import { pageOf } from '../../../contracts/list.js';
import { AppError } from '../../platform/errors.js';
import { sendCsv } from '../../platform/list.js';
import { actorOf, assertCan, authorize } from '../../platform/policy.js';
import { formatFromContentType, startImport, type ImportSource } from './importer.js';
import * as detection from './detection.js';
import * as pos from './service.js';
import { spoolUpload, tooLarge } from './spool.js';

const idParams = z.object({ id: z.uuid({ error: 'is not a valid id' }) });
const txnParams = z.object({ id: z.string().regex(/^\d{1,15}$/, 'is not a transaction id') });
const RAW_TYPES = ['text/csv', 'application/x-ndjson', 'application/ndjson', 'application/jsonl', 'application/xml', 'text/xml'];

function importFormat(req: FastifyRequest, explicit?: PosFormat): PosFormat {
  const format = explicit ?? formatFromContentType(req.headers['content-type']);
  if (!format) throw new AppError(415, 'unsupported_media_type', 'content-type: send text/csv, application/x-ndjson or application/xml (POSLog)', [{ field: 'content-type', message: 'must be text/csv, application/x-ndjson or application/xml' }]);
  return format;
}

export default async function posRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const ctx = app.ctx;

  // POS files are streamed, never read whole: in this plugin the raw types arrive as the request stream.
  app.removeContentTypeParser(['text/csv']);
  app.addContentTypeParser(RAW_TYPES, (_req, payload, done) => done(null, payload));

  /**
   * The body is written to a temporary file first (limit and idle timeout from the configuration),
   * then the import is queued and reads that file: no database session is held while a client sends.
   */
  const begin = async (req: FastifyRequest, source: ImportSource, query: z.infer<typeof importQuery>) => {
    const actor = actorOf(req);
    assertCan(actor, 'pos:import');
    const format = importFormat(req, query.format);
    const body = req.body as Readable | undefined;
    if (!body || typeof (body as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] !== 'function') {
      throw new AppError(400, 'invalid', 'body: send the file as the request body', [{ field: 'body', message: 'send the file as the request body' }]);
    }
    const limits = ctx.config.posUpload;
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limits.maxBytes) throw tooLarge(limits.maxBytes);
    const file = await spoolUpload(body, limits);
    try {
      const job = startImport(ctx, actor, fs.createReadStream(file.path, { highWaterMark: 1 << 20 }), {
        source,
        format,
        filename: query.filename ?? '',
        skipInvalid: query.skipInvalid,
        bytesTotal: file.bytes,
        reopen: () => fs.createReadStream(file.path, { highWaterMark: 1 << 20 }),
      });
      void job.done.finally(file.remove).catch(() => {});
      return job;
    } catch (err) {
      file.remove();
      throw err;
    }
  };

  // --- imports
  r.post('/api/pos/imports', { schema: { tags: ['pos'], querystring: importQuery, response: { 200: importSchema, 202: importSchema } }, preValidation: authorize('pos:import') }, async (req, reply) => {
    const job = await begin(req, 'upload', req.query);
    if (req.query.wait) return reply.status(200).send(await job.done);
    return reply.status(202).send(await pos.getImport(ctx, actorOf(req), job.id));
  });
  r.get('/api/pos/imports', { schema: { tags: ['pos'], querystring: importListQuery, response: { 200: importPage } }, preValidation: authorize('pos:read') }, (req) =>
    pos.listImports(ctx, actorOf(req), req.query),
  );
  r.get('/api/pos/imports/:id', { schema: { tags: ['pos'], params: idParams, response: { 200: importSchema } }, preValidation: authorize('pos:read') }, (req) =>
    pos.getImport(ctx, actorOf(req), req.params.id),
  );
  r.post('/api/pos/batches', { schema: { tags: ['pos'], querystring: importQuery.omit({ wait: true }), response: { 200: importSchema } }, preValidation: authorize('pos:import') }, async (req) =>
    (await begin(req, 'api', { ...req.query, wait: true })).done,
  );

  // --- settings
  r.get('/api/pos/settings', { schema: { tags: ['pos'], response: { 200: settingsResponse } }, preValidation: authorize('pos:read') }, (req) => pos.getSettings(ctx, actorOf(req)));
  r.patch('/api/pos/settings', { schema: { tags: ['pos'], body: settingsPatch, response: { 200: settingsResponse } }, preValidation: authorize('pos:settings') }, (req) =>
    pos.updateSettings(ctx, actorOf(req), req.body),
  );

  // --- exception queue
  // `band` (low/watch/high by the current thresholds) filters cashier-period exceptions by score.
  const exceptionQuery = exceptionListQuery.extend({ band: z.enum(BANDS).optional() });
  const exportQuery = exceptionQuery.partial().omit({ cursor: true, limit: true });
  r.get('/api/pos/exceptions', { schema: { tags: ['pos'], querystring: exceptionQuery, response: { 200: exceptionPage } }, config: { responseCache: true }, preValidation: authorize('pos:read') }, (req) =>
    pos.listExceptions(ctx, actorOf(req), req.query),
  );
  r.get('/api/pos/exceptions/export', { schema: { tags: ['pos'], querystring: exportQuery }, preValidation: authorize('pos:read') }, async (req, reply) => {
    const rows = await pos.exportExceptions(ctx, actorOf(req), req.query);
    return sendCsv(reply, 'pos-exceptions.csv', [
      { header: 'ref', value: (e) => e.ref },
      { header: 'occurred_at', value: (e) => e.occurredAt },
      { header: 'store', value: (e) => e.storeCode },
      { header: 'cashier_id', value: (e) => e.cashierCode },
      { header: 'cashier_name', value: (e) => e.cashierName },
      { header: 'kind', value: (e) => e.kind },
      { header: 'rules', value: (e) => e.rules.join(' ') },
      { header: 'score', value: (e) => e.score },
      { header: 'amount', value: (e) => (e.amountCents == null ? '' : (e.amountCents / 100).toFixed(2)) },
      { header: 'summary', value: (e) => e.summary },
      { header: 'status', value: (e) => e.status },
      { header: 'dismiss_reason', value: (e) => e.dismissReason },
      { header: 'assignee', value: (e) => e.assigneeName },
      { header: 'video_url', value: (e) => e.videoUrl },
    ], rows);
  });
  r.get('/api/pos/queue', { schema: { tags: ['pos'], querystring: queueQuery, response: { 200: queueSchema } }, preValidation: authorize('pos:read') }, (req) =>
    detection.exceptionQueue(ctx, actorOf(req), req.query),
  );
  r.post('/api/pos/exceptions/bulk', { schema: { tags: ['pos'], body: exceptionBulkInput, response: { 200: exceptionBulkResult } }, preValidation: authorize('pos:review') }, (req) =>
    detection.bulkUpdateExceptions(ctx, actorOf(req), req.body),
  );
  r.get('/api/pos/exceptions/:id/next', { schema: { tags: ['pos'], params: idParams, response: { 200: nextExceptionSchema } }, preValidation: authorize('pos:read') }, (req) =>
    detection.nextException(ctx, actorOf(req), req.params.id),
  );
  r.get('/api/pos/outcomes', { schema: { tags: ['pos'], querystring: dateRangeQuery, response: { 200: outcomesSchema } }, preValidation: authorize('pos:read') }, (req) =>
    detection.outcomes(ctx, actorOf(req), req.query),
  );
  r.get('/api/pos/exceptions/:id', { schema: { tags: ['pos'], params: idParams, response: { 200: exceptionDetailSchema } }, preValidation: authorize('pos:read') }, (req) =>
    pos.getException(ctx, actorOf(req), req.params.id),
  );
  r.patch('/api/pos/exceptions/:id', { schema: { tags: ['pos'], params: idParams, body: exceptionPatch, response: { 200: exceptionDetailSchema } }, preValidation: authorize('pos:review') }, (req) =>
    pos.updateException(ctx, actorOf(req), req.params.id, req.body),
  );
  r.post('/api/pos/exceptions/:id/notes', { schema: { tags: ['pos'], params: idParams, body: noteInput, response: { 201: exceptionDetailSchema } }, preValidation: authorize('pos:review') }, async (req, reply) =>
    reply.status(201).send(await pos.addExceptionNote(ctx, actorOf(req), req.params.id, req.body.body)),
  );

  // --- scores and dashboards
  r.get('/api/pos/scores', { schema: { tags: ['pos'], querystring: scoreListQuery, response: { 200: pageOf(cashierScoreSchema) } }, preValidation: authorize('pos:read') }, (req) =>
    pos.listScores(ctx, actorOf(req), req.query),
  );
  r.get('/api/pos/ranking', { schema: { tags: ['pos'], querystring: rankingQuery, response: { 200: rankingSchema } }, preValidation: authorize('pos:read') }, (req) =>
    detection.rankCashiers(ctx, actorOf(req), req.query),
  );
  r.get('/api/pos/operators', { schema: { tags: ['pos'], querystring: z.object({ storeId: z.uuid({ error: 'is not a valid id' }).optional() }), response: { 200: z.array(operatorSchema) } }, preValidation: authorize('pos:read') }, (req) =>
    detection.listOperators(ctx, actorOf(req), req.query.storeId),
  );
  // The POS operator list (CSV, small): read whole, with a size limit.
  r.post('/api/pos/operators/import', { schema: { tags: ['pos'], response: { 200: operatorImportResult } }, preValidation: authorize('pos:settings') }, async (req) => {
    const body = req.body as AsyncIterable<Buffer> | undefined;
    if (!body || typeof (body as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] !== 'function') {
      throw new AppError(415, 'unsupported_media_type', 'content-type: send the operator list as text/csv', [{ field: 'content-type', message: 'must be text/csv' }]);
    }
    const parts: Buffer[] = [];
    let size = 0;
    for await (const chunk of body) {
      size += chunk.length;
      if (size > 5 * 1024 * 1024) throw new AppError(413, 'too_large', 'body: the operator list is limited to 5 MB', [{ field: 'body', message: 'at most 5 MB' }]);
      parts.push(Buffer.from(chunk));
    }
    return detection.importOperators(ctx, actorOf(req), Buffer.concat(parts).toString('utf8'));
  });
  r.get('/api/pos/registers', { schema: { tags: ['pos'], response: { 200: z.array(registerSchema) } }, preValidation: authorize('pos:read') }, (req) => detection.listRegisters(ctx, actorOf(req)));
  r.put('/api/pos/stores/:id/registers/:register', { schema: { tags: ['pos'], params: registerParams, body: registerInput, response: { 200: registerSchema } }, preValidation: authorize('pos:settings') }, (req) =>
    detection.setRegisterType(ctx, actorOf(req), req.params.id, req.params.register, req.body.type),
  );
  r.get('/api/pos/dashboard', { schema: { tags: ['pos'], querystring: dateRangeQuery, response: { 200: chainDashboardSchema } }, preValidation: authorize('pos:read') }, (req) =>
    pos.chainDashboard(ctx, actorOf(req), req.query),
  );
  r.get('/api/pos/stores/:id/dashboard', { schema: { tags: ['pos'], params: idParams, querystring: storeDashboardQuery, response: { 200: storeDashboardSchema } }, preValidation: authorize('pos:read') }, (req) =>
    pos.storeDashboard(ctx, actorOf(req), req.params.id, req.query),
  );
  r.get('/api/pos/stores/:id/cashiers', { schema: { tags: ['pos'], params: idParams, response: { 200: z.array(cashierSchema) } }, preValidation: authorize('pos:read') }, (req) =>
    pos.listCashiers(ctx, actorOf(req), req.params.id),
  );
  r.get('/api/pos/cashiers/:id', { schema: { tags: ['pos'], params: idParams, querystring: dateRangeQuery, response: { 200: cashierDashboardSchema } }, preValidation: authorize('pos:read') }, (req) =>
    pos.cashierDashboard(ctx, actorOf(req), req.params.id, req.query),
  );
  r.get('/api/pos/cashiers/:id/transactions', { schema: { tags: ['pos'], params: idParams, querystring: transactionListQuery, response: { 200: transactionPage } }, preValidation: authorize('pos:read') }, (req) =>
    pos.listCashierTransactions(ctx, actorOf(req), req.params.id, req.query),
  );
  r.get('/api/pos/transactions/:id', { schema: { tags: ['pos'], params: txnParams, response: { 200: transactionSchema } }, preValidation: authorize('pos:read') }, (req) =>
    pos.getTransaction(ctx, actorOf(req), req.params.id),
  );

  // --- video
  r.get('/api/pos/stores/:id/video', { schema: { tags: ['pos'], params: idParams, response: { 200: videoConfigSchema } }, preValidation: authorize('pos:read') }, (req) =>
    pos.getVideoConfig(ctx, actorOf(req), req.params.id),
  );
  r.put('/api/pos/stores/:id/video', { schema: { tags: ['pos'], params: idParams, body: videoConfigInput, response: { 200: videoConfigSchema } }, preValidation: authorize('pos:video') }, (req) =>
    pos.setVideoConfig(ctx, actorOf(req), req.params.id, req.body),
  );
}
