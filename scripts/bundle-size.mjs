// Measures the JavaScript a page of the built web app loads before it can be used: opens the page
// in Chromium, records every script it fetches, and sums their brotli sizes (the .br files the
// build writes, else compressed here at quality 11). Fails when the sign-in page exceeds the budget.
//
//   node scripts/bundle-size.mjs                 # /sign-in, served from dist/web by this script
//   node scripts/bundle-size.mjs /sign-in /ideas/new --url http://localhost:3000   # a running server
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from '@playwright/test';

const BUDGET_BYTES = 200_000; // initial JS, brotli-compressed
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dist = process.env.WEB_DIST ?? path.join(root, 'dist/web');

const args = process.argv.slice(2);
const urlIndex = args.indexOf('--url');
const baseArg = urlIndex >= 0 ? args.splice(urlIndex, 2)[1] : undefined;
const pages = args.length ? args : ['/sign-in'];

if (!fs.existsSync(path.join(dist, 'index.html'))) {
  console.error('No build in dist/web: run `npx vite build` first.');
  process.exit(2);
}

/** dist/web as the server serves it: files, index.html for app addresses, 401 for the API. */
function serveDist() {
  const types = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html', '.svg': 'image/svg+xml' };
  const server = http.createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (pathname.startsWith('/api/')) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"code":"unauthenticated","message":"Sign in"}}');
      return;
    }
    const file = path.join(dist, pathname);
    const target = file.startsWith(dist) && fs.existsSync(file) && fs.statSync(file).isFile() ? file : path.join(dist, 'index.html');
    res.writeHead(200, { 'content-type': types[path.extname(target)] ?? 'application/octet-stream' }).end(fs.readFileSync(target));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const brotliSize = (file) => {
  if (fs.existsSync(`${file}.br`)) return fs.statSync(`${file}.br`).size;
  return zlib.brotliCompressSync(fs.readFileSync(file), { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
};
const kb = (n) => `${(n / 1000).toFixed(1)} KB`;

const server = baseArg ? undefined : await serveDist();
const base = baseArg ?? `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
let failed = false;
try {
  for (const page of pages) {
    const context = await browser.newContext();
    const tab = await context.newPage();
    const scripts = new Set();
    tab.on('response', (r) => {
      if (r.request().resourceType() === 'script') scripts.add(new URL(r.url()).pathname);
    });
    await tab.goto(base + page);
    await tab.waitForLoadState('networkidle');
    let raw = 0;
    let br = 0;
    console.log(`\n${page}: JavaScript loaded`);
    for (const p of [...scripts].sort()) {
      const file = path.join(dist, p);
      if (!fs.existsSync(file)) continue;
      const size = fs.statSync(file).size;
      const b = brotliSize(file);
      raw += size;
      br += b;
      console.log(`  ${p.padEnd(48)} ${kb(size).padStart(10)}  brotli ${kb(b).padStart(9)}`);
    }
    const over = page === '/sign-in' && br > BUDGET_BYTES;
    failed ||= over;
    console.log(`  ${'total'.padEnd(48)} ${kb(raw).padStart(10)}  brotli ${kb(br).padStart(9)}${page === '/sign-in' ? `  (budget ${kb(BUDGET_BYTES)}${over ? ', OVER' : ''})` : ''}`);
    await context.close();
  }
} finally {
  await browser.close();
  server?.close();
}
process.exit(failed ? 1 : 0);
