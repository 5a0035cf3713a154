// Entry of the POS scoring thread: TypeScript through tsx's loader (in the worker's own module
// graph), whatever runs the main thread (tsx, vitest).
import { register } from 'tsx/esm/api';

register();
await import('./score-worker.ts');
