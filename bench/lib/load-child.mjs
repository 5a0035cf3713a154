// The load generator, run in its own Node process (forked by lib/load.ts) so that autocannon
// does not share an event loop with the server it measures. Plain JavaScript on purpose: it is
// started with `node` directly, without the tsx loader.
//
// Protocol (IPC): the parent sends one message { url, headers, connections, warmupSeconds,
// durationSeconds }; the child answers with { ok: true, result } or { ok: false, error } and exits.
import autocannon from 'autocannon';

process.once('message', async (opts) => {
  try {
    const result = await autocannon({
      url: opts.url,
      method: 'GET',
      headers: opts.headers ?? {},
      connections: opts.connections,
      pipelining: 1,
      duration: opts.durationSeconds,
      warmup: { connections: opts.connections, duration: opts.warmupSeconds },
      timeout: 10,
    });
    const pick = (s) => ({ average: s.average, p50: s.p50, p99: s.p99, max: s.max });
    process.send(
      {
        ok: true,
        result: {
          requestsPerSecond: result.requests.average,
          totalRequests: result.requests.total,
          latencyMs: pick(result.latency),
          throughputBytesPerSecond: result.throughput.average,
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([k, v]) => [k, v.count])),
          durationSeconds: result.duration,
        },
      },
      () => process.exit(0),
    );
  } catch (err) {
    process.send({ ok: false, error: String(err?.stack ?? err) }, () => process.exit(1));
  }
});
