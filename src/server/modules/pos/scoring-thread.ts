import { Worker } from 'node:worker_threads';
import type { PosSettings } from '../../../contracts/pos.js';
import type { CashierContext, CashierCounts, ScoredCashier } from './scoring.js';

/**
 * Scoring runs in a worker thread (score-worker.ts, started through score-worker.mjs). The model is
 * pure computation — a spread estimated by grid search per metric and peer group, twice, then a
 * likelihood ratio per cashier and metric — and takes about 0.3–1 ms per cashier: a day of 100
 * cashiers stalled the event loop 60–125 ms during an import, and a day of a 2,000-store chain
 * (about 20,000 cashiers) would stall it for seconds. One thread per process, started at the first
 * request and stopped after a minute without one; requests queue in it. The thread keeps the process
 * alive only while a request waits for its answer (a CLI import ends when its work does).
 */
export type ScoreRequest = { id: number; rows: CashierCounts[]; settings: PosSettings; contexts: Map<string, CashierContext>; days: number };
export type ScoreAnswer = { id: number; scored: ScoredCashier[] } | { id: number; error: string };

const IDLE_MS = 60_000;
let worker: Worker | null = null;
let nextId = 1;
let idle: NodeJS.Timeout | null = null;
const pending = new Map<number, { resolve: (s: ScoredCashier[]) => void; reject: (e: Error) => void }>();

function stop(err: Error) {
  worker = null;
  for (const p of pending.values()) p.reject(err);
  pending.clear();
}

function thread(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('./score-worker.mjs', import.meta.url), { execArgv: [] });
  w.on('message', (answer: ScoreAnswer) => {
    const p = pending.get(answer.id);
    if (!p) return;
    pending.delete(answer.id);
    if ('error' in answer) p.reject(new Error(`scoring failed: ${answer.error}`));
    else p.resolve(answer.scored);
    if (!pending.size) {
      w.unref();
      idle = setTimeout(() => {
        if (!pending.size && worker === w) {
          worker = null;
          void w.terminate();
        }
      }, IDLE_MS);
      idle.unref();
    }
  });
  w.on('error', (err) => {
    if (worker === w) stop(err);
  });
  w.on('exit', (code) => {
    if (worker === w) stop(new Error(`the scoring thread stopped (exit code ${code})`));
  });
  worker = w;
  return w;
}

/** scoreCashiers in the scoring thread. */
export function scoreOffThread(rows: CashierCounts[], settings: PosSettings, contexts: Map<string, CashierContext>, days: number): Promise<ScoredCashier[]> {
  if (!rows.length) return Promise.resolve([]);
  if (idle) {
    clearTimeout(idle);
    idle = null;
  }
  const w = thread();
  w.ref();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    w.postMessage({ id, rows, settings, contexts, days } satisfies ScoreRequest);
  });
}
