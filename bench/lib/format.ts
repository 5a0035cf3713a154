import os from 'node:os';
import type { LoadResult, LoadSettings } from './load.js';

export const machine = () => `node ${process.version}, ${os.availableParallelism()} cores`;

export const settingsLine = (s: LoadSettings, mode: string) =>
  `load: ${mode}, ${s.connections} connections, ${s.warmupSeconds} s warm-up + ${s.durationSeconds} s measured, each side`;

const ms = (v: number) => (v < 100 ? v.toFixed(1) : v.toFixed(0));
const rps = (v: number) => Math.round(v).toString();

/** Rows of `label  description  N req/s  p50 X ms  p99 X ms`, columns aligned. */
export function table(rows: { label: string; what: string; r: LoadResult }[]): string {
  const cells = rows.map(({ label, what, r }) => [label, what, `${rps(r.requestsPerSecond)} req/s`, `p50 ${ms(r.latencyMs.p50)} ms`, `p99 ${ms(r.latencyMs.p99)} ms`]);
  const widths = cells[0].map((_, i) => Math.max(...cells.map((c) => c[i].length)));
  return cells.map((c) => c.map((v, i) => (i === 2 ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  ').trimEnd()).join('\n');
}

export function ratio(target: LoadResult, reference: LoadResult): string {
  const r = target.requestsPerSecond / reference.requestsPerSecond;
  const inverse = r > 0 ? ` (1/${(1 / r).toFixed(1)})` : '';
  return `${r.toFixed(3)} of the reference${inverse}`;
}
