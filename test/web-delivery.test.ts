import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/app.js';
import { IMMUTABLE, REVALIDATE } from '../src/server/platform/web.js';
import { createTestApp, ROLE_EMAILS, signIn, type TestApp } from './context.js';
import { seedDemo } from '../src/server/demo/index.js';

/** index.html's own inline script (the real one picks the shell to draw and starts the first requests). */
const INLINE = `\n      document.documentElement.setAttribute('data-shell', 'app');\n    `;

/** A built web app as `vite build` writes it: index.html, hashed assets with .br and .gz twins. */
function fakeBuild() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-web-'));
  fs.mkdirSync(path.join(root, 'assets'));
  const js = `export const answer = ${JSON.stringify('tandem '.repeat(400))};\n`;
  fs.writeFileSync(path.join(root, 'index.html'), `<!doctype html><html><head><script>${INLINE}</script><script type="module" src="/assets/index-Ab12Cd34.js"></script></head><body><div id="root"></div></body></html>`);
  fs.writeFileSync(path.join(root, 'assets/index-Ab12Cd34.js'), js);
  fs.writeFileSync(path.join(root, 'assets/index-Ab12Cd34.js.br'), zlib.brotliCompressSync(js));
  fs.writeFileSync(path.join(root, 'assets/index-Ab12Cd34.js.gz'), zlib.gzipSync(js));
  return { root, js };
}

describe('web delivery: compression and caching', () => {
  let t: TestApp;
  let app: FastifyInstance;
  let build: ReturnType<typeof fakeBuild>;
  let cookie: string;

  beforeAll(async () => {
    t = await createTestApp();
    await seedDemo(t.ctx, { pos: false });
    build = fakeBuild();
    app = await buildApp(t.ctx, { logger: false, serveWeb: true, webRoot: build.root });
    await app.ready();
    cookie = await signIn(app, ROLE_EMAILS.admin);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await t?.close();
    fs.rmSync(build.root, { recursive: true, force: true });
  });

  it('sends hashed assets brotli-compressed from the build, cached for a year', async () => {
    const res = await app.inject({ method: 'GET', url: '/assets/index-Ab12Cd34.js', headers: { 'accept-encoding': 'br, gzip' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['cache-control']).toBe(IMMUTABLE);
    expect(String(res.headers['vary'])).toMatch(/accept-encoding/i);
    expect(String(res.headers['content-type'])).toMatch(/javascript/);
    expect(zlib.brotliDecompressSync(res.rawPayload).toString()).toBe(build.js);
  });

  it('sends gzip to a client that only takes gzip, and the plain file to one that takes neither', async () => {
    const gz = await app.inject({ method: 'GET', url: '/assets/index-Ab12Cd34.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.rawPayload).toString()).toBe(build.js);
    const plain = await app.inject({ method: 'GET', url: '/assets/index-Ab12Cd34.js', headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(build.js);
    expect(plain.headers['cache-control']).toBe(IMMUTABLE);
  });

  it('revalidates index.html on every load, at / and at any app address', async () => {
    for (const url of ['/', '/ideas/new', '/sign-in']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe(REVALIDATE);
      expect(res.body, url).toContain('<div id="root">');
    }
  });

  it('compresses API answers with brotli or gzip, as the client asks', async () => {
    const br = await app.inject({ method: 'GET', url: '/api/people?limit=50', headers: { cookie, 'accept-encoding': 'br, gzip' } });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    const people = JSON.parse(zlib.brotliDecompressSync(br.rawPayload).toString());
    expect(people.items.length).toBeGreaterThan(10);
    expect(br.rawPayload.length).toBeLessThan(JSON.stringify(people).length / 2);

    const gz = await app.inject({ method: 'GET', url: '/api/people?limit=50', headers: { cookie, 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(zlib.gunzipSync(gz.rawPayload).toString())).toEqual(people);

    const plain = await app.inject({ method: 'GET', url: '/api/people?limit=50', headers: { cookie } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.json()).toEqual(people);
  });

  it('lets index.html run its own inline script, by its hash, and no other', async () => {
    const res = await app.inject({ method: 'GET', url: '/sign-in' });
    const csp = String(res.headers['content-security-policy']);
    const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src '))!;
    const hash = crypto.createHash('sha256').update(INLINE, 'utf8').digest('base64');
    expect(scriptSrc.trim().split(/\s+/).slice(1)).toEqual(["'self'", `'sha256-${hash}'`]);
    expect(scriptSrc).not.toContain('unsafe-inline');
  });
});
