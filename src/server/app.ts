import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import helmet from 'helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { AppContext } from './platform/context.js';
import { SERVER_BODY_LIMIT, registerErrorHandler } from './platform/errors.js';
import { registerHttpAuth } from './platform/http-auth.js';
import { registerResponseCache, type ResponseCache } from './platform/response-cache.js';
import { registerInputGuards } from './platform/input.js';
import { inlineScriptHashes, registerCompression, registerWebApp } from './platform/web.js';
import accessRoutes from './modules/access/routes.js';
import adminRoutes from './modules/admin/routes.js';
import homeRoutes from './modules/home/routes.js';
import peopleRoutes from './modules/people/routes.js';
import requestRoutes from './modules/requests/routes.js';
import ideasRoutes from './modules/ideas/routes.js';
import { registerImportFolder } from './modules/pos/folder.js';
import { registerPartitionJobs } from './modules/pos/partitions.js';
import posRoutes from './modules/pos/routes.js';
import trainingRoutes from './modules/training/routes.js';
import notificationRoutes from './modules/notifications/routes.js';
import searchRoutes from './modules/search/routes.js';
import deviceRoutes from './modules/devices/routes.js';
import casesRoutes from './modules/cases/routes.js';
import meetingRoutes from './modules/meetings/routes.js';
import projectRoutes from './modules/projects/routes.js';
import budgetRoutes from './modules/budget/routes.js';
import newsletterRoutes from './modules/newsletter/routes.js';
import viewRoutes from './modules/views/routes.js';

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
    demoSeeded: boolean;
    /** Kept list answers (undefined when RESPONSE_CACHE_MS=0). */
    responseCache: ResponseCache | undefined;
    /** Every API route as "METHOD /url", for the authorization test and the docs. */
    apiRoutes: string[];
  }
}

export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/web');

export interface BuildOptions {
  logger?: Logger | boolean;
  demoSeeded?: boolean;
  /** Serve the built web app (dist/web) from this process. */
  serveWeb?: boolean;
  /** Where the built web app is (default dist/web). */
  webRoot?: string;
}

/** Builds the HTTP application: platform plugins first, then each module's routes. */
export async function buildApp(ctx: AppContext, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: typeof options.logger === 'object' ? options.logger : undefined,
    logger: typeof options.logger === 'boolean' ? options.logger : undefined,
    trustProxy: process.env.TRUST_PROXY === 'true',
    bodyLimit: SERVER_BODY_LIMIT,
  }) as unknown as FastifyInstance;
  app.decorate('ctx', ctx);
  app.decorate('demoSeeded', options.demoSeeded ?? false);
  app.decorate('apiRoutes', [] as string[]);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/') || route.url.startsWith('/api/docs') || route.url.startsWith('/api/auth/')) return;
    for (const method of ([] as string[]).concat(route.method)) if (method !== 'HEAD') app.apiRoutes.push(`${method} ${route.url}`);
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Imports take text/csv only: text/plain is what a cross-site HTML form can send.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser(['text/csv'], { parseAs: 'string' }, (_req, body, done) => done(null, body));
  const webRoot = options.webRoot ?? WEB_DIST;
  const serveWeb = options.serveWeb !== false && fs.existsSync(path.join(webRoot, 'index.html'));
  registerErrorHandler(app, { spaFallback: serveWeb });
  registerInputGuards(app);

  const https = ctx.config.publicUrl.startsWith('https://');
  // Security headers on every answer. The helmet middleware is built once: @fastify/helmet built it
  // again for every request (its CSP parsed each time: 5 % of a cached list answer's CPU).
  const securityHeaders = helmet({
    // No inline script but the built index.html's own, allowed by its hash (it draws the page's shell
    // and starts the first requests before the app's files arrive); the OpenAPI page loads files only.
    // Styles: Mantine writes its CSS variables into <style> elements at run time, and Swagger UI
    // sets style attributes, so style-src needs 'unsafe-inline' (docs/decisions.md).
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", ...(serveWeb ? inlineScriptHashes(path.join(webRoot, 'index.html')) : [])],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
    // HSTS only where the public address is https: on plain http it would be ignored at best and
    // lock a misconfigured host out at worst.
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: false } : false,
  });
  app.addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, (err) => done(err as Error | undefined)));

  // Before compression: answers are kept as the JSON the route produced.
  app.decorate('responseCache', registerResponseCache(app, ctx));
  await registerCompression(app);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Tandem API', version: '1', description: 'Loss prevention, security and IT workspace. Authenticate with the session cookie or `Authorization: Bearer <API token>`.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  // No validator badge: it would load an image from validator.swagger.io, outside the CSP.
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { validatorUrl: null } });

  app.get('/healthz', { schema: { hide: true } }, async () => {
    await ctx.database.query('select 1');
    return { status: 'ok', database: ctx.database.kind };
  });

  await registerHttpAuth(app, ctx);
  await app.register(accessRoutes);
  await app.register(homeRoutes);
  await app.register(peopleRoutes);
  await app.register(requestRoutes);
  await app.register(ideasRoutes);
  await app.register(posRoutes);
  registerImportFolder(ctx);
  registerPartitionJobs(ctx);
  await app.register(trainingRoutes);
  await app.register(deviceRoutes);
  await app.register(casesRoutes);
  await app.register(meetingRoutes);
  await app.register(projectRoutes);
  await app.register(budgetRoutes);
  await app.register(adminRoutes);
  await app.register(notificationRoutes);
  await app.register(searchRoutes);
  await app.register(newsletterRoutes);
  await app.register(viewRoutes);

  if (serveWeb) await registerWebApp(app, webRoot);
  return app;
}
