// The yardstick every bench is expressed against: a bare Fastify instance with one JSON route,
// no logging, no plugins — what this machine and Node version can do at best over HTTP.
import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';

export async function startReferenceServer() {
  const app = Fastify({ logger: false });
  app.get('/', async () => ({ hello: 'world' }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => app.close() };
}
