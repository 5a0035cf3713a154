import { buildApp } from './app.js';
import { StartupError, loadConfig, type Config } from './config.js';
import { DEMO_SIGN_IN, demoSignInShown } from './modules/access/service.js';
import { seedDemo } from './demo/index.js';
import { hasDemoAdmin } from './demo/workspace.js';
import { closeContext, createContext, createLogger } from './platform/bootstrap.js';

/** Demo data: on the first start of an empty embedded database; on PostgreSQL only when asked. */
export function shouldSeedDemo(config: Config) {
  if (config.demoData === 'off') return false;
  if (config.demoData === 'on') return true;
  return !config.databaseUrl;
}

export async function startServer(config: Config) {
  const log = createLogger(config);
  const ctx = await createContext(config, log);
  log.info({ database: ctx.database.describe, mail: ctx.mailer.mode }, 'database ready');
  let demoSeeded = false;
  if (shouldSeedDemo(config)) {
    const seeded = await seedDemo(ctx);
    // A restart of the demo keeps showing the sign-in; a workspace of real people does not.
    demoSeeded = seeded || (await hasDemoAdmin(ctx));
    if (seeded) log.info('demo workspace loaded');
  }
  const app = await buildApp(ctx, { logger: log, demoSeeded });
  await ctx.jobs.start();
  await app.listen({ port: config.port, host: config.host });
  const address = `http://localhost:${(app.server.address() as { port: number }).port}`;
  if (await demoSignInShown(ctx, demoSeeded)) {
    process.stdout.write(`\n  Tandem is running at ${address}\n  Demo sign-in: ${DEMO_SIGN_IN.email} / ${DEMO_SIGN_IN.password}\n\n`);
  } else {
    process.stdout.write(`\n  Tandem is running at ${address}\n\n`);
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    try {
      await app.close();
      await closeContext(ctx);
      process.exit(0);
    } catch (err) {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  return { app, ctx };
}

const isEntry = import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('/src/server/main.ts');
if (isEntry) {
  try {
    await startServer(loadConfig());
  } catch (err) {
    if (err instanceof StartupError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}
