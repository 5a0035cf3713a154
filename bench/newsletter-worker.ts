// One newsletter sender process for bench/newsletter.ts: sends what is due, then exits.
import { pino } from 'pino';
import { loadConfig } from '../src/server/config.js';
import { closeContext, createContext } from '../src/server/platform/bootstrap.js';
import { runSender } from '../src/server/modules/newsletter/sender.js';

const config = loadConfig(process.env, {});
const ctx = await createContext(config, pino({ level: 'silent' }));
await runSender(ctx, { workerId: `bench-${process.pid}` });
await closeContext(ctx);
process.exit(0);
