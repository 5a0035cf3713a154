// Lighthouse performance (mobile, simulated slow 4G and 4x CPU) of sign-in, home and the idea
// form, with Debian's Chromium. Needs a running server with the demo workspace:
//   npm start            (or PORT=… DEMO_DATA=auto npx tsx src/server/main.ts)
//   npm run lighthouse -- http://localhost:3000
// A/B comparison: several servers (e.g. this build and an older one), measured alternately, N runs
// each, medians printed at the end with the load average seen during the runs:
//   npm run lighthouse -- --runs 3 http://localhost:3001 http://localhost:3002
//   options: --runs N (default 1), --pages sign-in,home,idea-form, --keep (print the JSON folder)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const [, value] = args.splice(i, 2);
  return value;
};
const runs = Number(option('--runs', '1'));
const onlyPages = option('--pages', undefined)?.split(',');
const keep = args.includes('--keep') ? (args.splice(args.indexOf('--keep'), 1), true) : false;
const bases = (args.length ? args : ['http://localhost:3000']).map((b) => b.replace(/\/$/, ''));
const email = process.env.LIGHTHOUSE_EMAIL ?? 'lily.evans@meridian.example';
const password = process.env.LIGHTHOUSE_PASSWORD ?? 'tandem-demo-2026';
// The flags Debian's Chromium needs here: headless, no sandbox (root), no background requests
// (there is no internet, and they would compete with the page).
const chromeFlags = process.env.LIGHTHOUSE_CHROME_FLAGS ?? '--headless --no-sandbox --disable-background-networking';

async function signIn(base) {
  const res = await fetch(`${base}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`sign-in as ${email} at ${base} failed: ${res.status}`);
  return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}
const cookies = {};
for (const base of bases) cookies[base] = await signIn(base);

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-lighthouse-'));
const pages = [
  { name: 'sign-in', path: '/sign-in', signedIn: false },
  { name: 'home', path: '/', signedIn: true },
  { name: 'idea-form', path: '/ideas/new', signedIn: true },
].filter((p) => !onlyPages || onlyPages.includes(p.name));

const metrics = ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift', 'speed-index'];
const short = { 'first-contentful-paint': 'FCP', 'largest-contentful-paint': 'LCP', 'total-blocking-time': 'TBT', 'cumulative-layout-shift': 'CLS', 'speed-index': 'SI' };
function lighthouse(base, page, file) {
  execFileSync(
    process.execPath,
    [
      path.resolve('node_modules/lighthouse/cli/index.js'),
      base + page.path,
      '--only-categories=performance',
      `--chrome-flags=${chromeFlags}`,
      '--output=json',
      `--output-path=${file}`,
      '--quiet',
      ...(page.signedIn ? [`--extra-headers=${JSON.stringify({ Cookie: cookies[base] })}`] : []),
    ],
    { stdio: 'inherit', env: { ...process.env, CHROME_PATH: process.env.CHROME_PATH ?? '/usr/bin/chromium' } },
  );
}

/** results[page][base] = [{ score, FCP, … }] */
const results = {};
const loads = [];
for (let run = 1; run <= runs; run++) {
  for (const page of pages) {
    for (const base of bases) {
      const file = path.join(out, `${page.name}-${bases.indexOf(base)}-${run}.json`);
      loads.push(os.loadavg()[0]);
      // Lighthouse now and then fails to record the trace on a busy machine (NO_NAVSTART): try again.
      for (let attempt = 1; ; attempt++) {
        try {
          lighthouse(base, page, file);
          break;
        } catch (e) {
          if (attempt === 3) throw e;
          console.log(`(${page.name} at ${base} failed, trying again)`);
        }
      }
      const r = JSON.parse(fs.readFileSync(file, 'utf8'));
      const row = { score: Math.round((r.categories.performance.score ?? 0) * 100) };
      for (const m of metrics) row[short[m]] = r.audits[m]?.numericValue ?? NaN;
      ((results[page.name] ??= {})[base] ??= []).push(row);
      const fmt = (k) => (k === 'CLS' ? row[k].toFixed(3) : `${Math.round(row[k])} ms`);
      console.log(
        `run ${run} ${page.name.padEnd(9)} ${base.padEnd(24)} performance ${String(row.score).padStart(3)}  ${Object.values(short).map((k) => `${k} ${fmt(k)}`).join('  ')}  load ${os.loadavg()[0].toFixed(2)}`,
      );
    }
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
if (runs > 1 || bases.length > 1) {
  console.log(`\nmedians of ${runs} run(s); load average (1 min) during the runs ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}, median ${median(loads).toFixed(1)}`);
  for (const page of pages) {
    for (const base of bases) {
      const rows = results[page.name][base];
      const m = (k) => median(rows.map((r) => r[k]));
      console.log(
        `${page.name.padEnd(9)} ${base.padEnd(24)} performance ${String(m('score')).padStart(4)} (${rows.map((r) => r.score).join(', ')})  FCP ${Math.round(m('FCP'))} ms  LCP ${Math.round(m('LCP'))} ms  TBT ${Math.round(m('TBT'))} ms (${rows.map((r) => Math.round(r.TBT)).join(', ')})  CLS ${m('CLS').toFixed(3)}  SI ${Math.round(m('SI'))} ms`,
      );
    }
  }
}
if (keep) console.log(`\nreports: ${out}`);
else fs.rmSync(out, { recursive: true, force: true });
