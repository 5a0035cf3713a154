// Lighthouse performance (mobile, simulated slow 4G and 4x CPU) of sign-in, home and the idea
// form, with Debian's Chromium. Needs a running server with the demo workspace:
//   npm start            (or PORT=… DEMO_DATA=auto npx tsx src/server/main.ts)
//   npm run lighthouse -- http://localhost:3000
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const base = (process.argv[2] ?? 'http://localhost:3000').replace(/\/$/, '');
const email = process.env.LIGHTHOUSE_EMAIL ?? 'lily.evans@meridian.example';
const password = process.env.LIGHTHOUSE_PASSWORD ?? 'tandem-demo-2026';

const res = await fetch(`${base}/api/auth/sign-in/email`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', origin: base },
  body: JSON.stringify({ email, password }),
});
if (!res.ok) throw new Error(`sign-in as ${email} failed: ${res.status}`);
const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-lighthouse-'));
const pages = [
  { name: 'sign-in', path: '/sign-in', signedIn: false },
  { name: 'home', path: '/', signedIn: true },
  { name: 'idea form', path: '/ideas/new', signedIn: true },
];
for (const page of pages) {
  const file = path.join(out, `${page.name.replace(/\W+/g, '-')}.json`);
  execFileSync(
    process.execPath,
    [
      path.resolve('node_modules/lighthouse/cli/index.js'),
      base + page.path,
      '--only-categories=performance',
      '--chrome-flags=--headless=new --no-sandbox --disable-gpu',
      '--output=json',
      `--output-path=${file}`,
      '--quiet',
      ...(page.signedIn ? [`--extra-headers=${JSON.stringify({ Cookie: cookie })}`] : []),
    ],
    { stdio: 'inherit', env: { ...process.env, CHROME_PATH: process.env.CHROME_PATH ?? '/usr/bin/chromium' } },
  );
  const r = JSON.parse(fs.readFileSync(file, 'utf8'));
  const a = (k) => r.audits[k]?.displayValue ?? '–';
  console.log(
    `${page.name.padEnd(10)} performance ${String(Math.round((r.categories.performance.score ?? 0) * 100)).padStart(3)}  FCP ${a('first-contentful-paint')}  LCP ${a('largest-contentful-paint')}  TBT ${a('total-blocking-time')}  CLS ${a('cumulative-layout-shift')}  SI ${a('speed-index')}`,
  );
}
