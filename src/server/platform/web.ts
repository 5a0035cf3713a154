import compress from '@fastify/compress';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import crypto from 'node:crypto';
import fs from 'node:fs';
import zlib from 'node:zlib';

/** Built files under /assets carry a content hash in their name: a new build means a new name. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html (and any other unhashed file) is checked with the server on every load. */
export const REVALIDATE = 'no-cache';

/**
 * The Content-Security-Policy sources ('sha256-…') that let the built index.html run its own inline
 * scripts and nothing else: the one that picks the colour scheme and the shell to draw and starts the
 * first requests before the app's files arrive. Read when the server starts, like the rest of the build.
 */
export function inlineScriptHashes(indexHtmlPath: string): string[] {
  const html = fs.readFileSync(indexHtmlPath, 'utf8');
  return [...html.matchAll(/<script\b(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)]
    .filter((m) => m[1]!.trim() !== '')
    .map((m) => `'sha256-${crypto.createHash('sha256').update(m[1]!, 'utf8').digest('base64')}'`);
}

/**
 * Compressed responses: brotli or gzip by the client's Accept-Encoding, for the API (JSON, CSV)
 * and anything else over 1 KB. Register before the routes.
 */
// API answers are compressed on every request, so the fastest levels: a 50-row list (27 KB of
// JSON) takes 0.9 ms at brotli quality 1 (4.9 KB) against 2.8 ms at quality 4 (4.0 KB), and
// 0.4 ms at gzip level 1 (4.7 KB) against 1.0 ms at level 6 (4.5 KB) (docs/performance.md).
// Built assets are compressed once, at build time, at the highest levels.
export const COMPRESSION = {
  threshold: 1024,
  brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1 } },
  zlibOptions: { level: 1 },
};

export async function registerCompression(app: FastifyInstance) {
  await app.register(compress, { global: true, encodings: ['br', 'gzip'], ...COMPRESSION });
}

/**
 * The encoding to answer in for an Accept-Encoding header, as the compression plugin chooses it:
 * brotli or gzip by the client's weights (brotli on a tie), none when neither is acceptable.
 */
export function preferredEncoding(acceptEncoding: string | string[] | undefined): 'br' | 'gzip' | undefined {
  if (!acceptEncoding) return undefined;
  let best: 'br' | 'gzip' | undefined;
  let bestQ = 0;
  for (const part of String(acceptEncoding).split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!(q > 0)) continue;
    const encoding = name === 'br' ? 'br' : name === 'gzip' || name === '*' ? (name === '*' ? 'br' : 'gzip') : undefined;
    if (encoding && (q > bestQ || (q === bestQ && encoding === 'br'))) {
      best = encoding;
      bestQ = q;
    }
  }
  return best;
}

/** Compresses a finished answer with the same settings as the compression plugin. */
export function compressAnswer(body: Buffer, encoding: 'br' | 'gzip'): Buffer {
  return encoding === 'br' ? zlib.brotliCompressSync(body, COMPRESSION.brotliOptions) : zlib.gzipSync(body, COMPRESSION.zlibOptions);
}

/**
 * The built web app (dist/web): the .br/.gz twins written at build time are sent as they are
 * (preCompressed), hashed assets are cached for a year, index.html is revalidated on every load.
 */
export async function registerWebApp(app: FastifyInstance, root: string) {
  await app.register(fastifyStatic, {
    root,
    wildcard: false,
    index: ['index.html'],
    preCompressed: true,
    cacheControl: false,
    setHeaders: (reply, filePath) => {
      reply.header('cache-control', /[\\/]assets[\\/]/.test(filePath) ? IMMUTABLE : REVALIDATE);
    },
  });
}
