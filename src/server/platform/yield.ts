/**
 * A turn of the event loop: timers and I/O run before the caller goes on. Work chained by promises
 * alone runs as one task, and on PGlite every statement runs on this thread.
 */
export const yieldNow = () => new Promise<void>((resolve) => setImmediate(resolve));
