import { parentPort } from 'node:worker_threads';
import { scoreCashiers } from './scoring.js';
import type { ScoreAnswer, ScoreRequest } from './scoring-thread.js';

/** The scoring thread (see scoring-thread.ts): scores each request and answers with its id. */
const port = parentPort!;
port.on('message', (req: ScoreRequest) => {
  let answer: ScoreAnswer;
  try {
    answer = { id: req.id, scored: scoreCashiers(req.rows, req.settings, req.contexts, req.days) };
  } catch (err) {
    answer = { id: req.id, error: (err as Error).message };
  }
  port.postMessage(answer);
});
