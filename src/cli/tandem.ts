import fs from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { pino } from 'pino';
import { eq } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { StartupError, loadConfig } from '../server/config.js';
import { startServer } from '../server/main.js';
import { closeContext, createContext } from '../server/platform/bootstrap.js';
import type { AppContext } from '../server/platform/context.js';
import { AppError } from '../server/platform/errors.js';
import { SYSTEM_ACTOR } from '../server/platform/policy.js';
import { recordAudit } from '../server/platform/audit.js';
import { accounts } from '../server/platform/schema.js';
import { departments, people } from '../server/modules/people/schema.js';
import { importPeople, importStores } from '../server/modules/people/service.js';
import { seedDemo } from '../server/demo/index.js';
import { DEMO_STORES } from '../server/demo/workspace.js';
import { formatFromFilename, runningImport, startImport } from '../server/modules/pos/importer.js';
import { generatePosCsv } from '../server/modules/pos/generator.js';
import { demoStartDay } from '../server/modules/pos/demo.js';
import type { PosFormat } from '../contracts/pos.js';
import { DEMO_SIGN_IN } from '../server/modules/access/service.js';
import { MIN_PASSWORD_LENGTH, passwordProblem } from '../server/platform/passwords.js';

/** Opens the configured database (migrated) without jobs, runs `fn`, closes. */
async function withContext<T>(fn: (ctx: AppContext) => Promise<T>): Promise<T> {
  const config = loadConfig({ ...process.env, JOBS: 'off' });
  const ctx = await createContext(config, pino({ level: 'warn' }), { tool: true });
  try {
    return await fn(ctx);
  } finally {
    await closeContext(ctx);
  }
}

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

const program = new Command('tandem').description('Tandem: the shared workspace of loss prevention, security and IT');

program
  .command('serve')
  .description('start the web server (same as npm start)')
  .action(async () => {
    await startServer(loadConfig());
  });

program
  .command('migrate')
  .description('apply database migrations and exit')
  .action(async () => {
    await withContext(async (ctx) => process.stdout.write(`Migrations applied to ${ctx.database.describe}\n`));
  });

program
  .command('seed')
  .description('load demo data into an empty workspace')
  .option('--demo', 'the demo retailer: departments, 12 stores, about 60 people')
  .action(async (opts: { demo?: boolean }) => {
    if (!opts.demo) fail('Say what to seed: tandem seed --demo');
    await withContext(async (ctx) => {
      const seeded = await seedDemo(ctx);
      if (!seeded) fail('The workspace already has people; demo data is only loaded into an empty one.');
      process.stdout.write(`Demo workspace loaded. Sign in as ${DEMO_SIGN_IN.email} / ${DEMO_SIGN_IN.password}\n`);
    });
  });

const user = program.command('user').description('manage people who sign in');
user
  .command('create')
  .description('create a person with a password (e.g. the first admin)')
  .requiredOption('--email <email>', 'email address (sign-in name)')
  .requiredOption('--name <name>', 'full name')
  .option('--password <password>', `password (at least ${MIN_PASSWORD_LENGTH} characters); default: read TANDEM_PASSWORD`)
  .option('--admin', 'give the admin role')
  .option('--role <role>', 'admin, lead, member, staff or viewer', 'member')
  .option('--department <code>', 'department code; created as "Administration" if none exists')
  .action(async (opts: { email: string; name: string; password?: string; admin?: boolean; role: string; department?: string }) => {
    const password = opts.password ?? process.env.TANDEM_PASSWORD;
    if (!password) fail(`--password: is required (at least ${MIN_PASSWORD_LENGTH} characters, not easy to guess)`);
    const problem = passwordProblem(password, [opts.email, opts.name]);
    if (problem) fail(`--password: ${problem}`);
    const role = opts.admin ? 'admin' : opts.role;
    if (!['admin', 'lead', 'member', 'staff', 'viewer'].includes(role)) fail(`--role: must be one of admin, lead, member, staff, viewer`);
    const email = opts.email.trim().toLowerCase();
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) fail('--email: is not a valid email address');
    await withContext(async (ctx) => {
      const hash = await (await ctx.auth.$context).password.hash(password);
      await ctx.db.transaction(async (tx) => {
        const [clash] = await tx.select({ id: people.id }).from(people).where(eq(people.email, email));
        if (clash) fail(`--email: ${email} already exists`);
        let [dept] = opts.department
          ? await tx.select().from(departments).where(eq(departments.code, opts.department.toUpperCase()))
          : await tx.select().from(departments).limit(1);
        if (!dept && opts.department) fail(`--department: no department with code ${opts.department}`);
        if (!dept) [dept] = await tx.insert(departments).values({ id: uuidv7(), code: 'ADMIN', name: 'Administration', kind: 'custom' }).returning();
        const id = uuidv7();
        await tx.insert(people).values({ id, name: opts.name, email, role, departmentId: dept.id, emailVerified: true });
        await tx.insert(accounts).values({ id: uuidv7(), accountId: id, providerId: 'credential', userId: id, password: hash });
        await recordAudit(tx, SYSTEM_ACTOR, { action: 'create', entity: 'person', entityId: id, summary: `Created ${opts.name} <${email}> as ${role} from the command line` });
      });
      process.stdout.write(`Created ${role} ${opts.name} <${email}>\n`);
    });
  });

program
  .command('import')
  .description('import a file: stores or people (CSV, all or nothing), or pos (POS transactions: CSV, NDJSON or POSLog XML, streamed)')
  .argument('<kind>', 'stores, people or pos', (v) => {
    if (v !== 'stores' && v !== 'people' && v !== 'pos') throw new InvalidArgumentError('must be "stores", "people" or "pos"');
    return v;
  })
  .argument('<file>', 'the file (POS: .csv, .ndjson/.jsonl or .xml)')
  .option('--skip-invalid', 'pos: import the valid rows and skip the invalid ones (default: all or nothing)')
  .option('--format <format>', 'pos: csv, ndjson or poslog (default: from the file name)')
  .action(async (kind: 'stores' | 'people' | 'pos', file: string, opts: { skipInvalid?: boolean; format?: string }) => {
    if (!fs.existsSync(file)) fail(`${file}: no such file`);
    if (kind === 'pos') {
      const format = (opts.format ?? formatFromFilename(file)) as PosFormat | undefined;
      if (!format || !['csv', 'ndjson', 'poslog'].includes(format)) fail('--format: say csv, ndjson or poslog (the file name does not tell)');
      await withContext(async (ctx) => {
        const size = fs.statSync(file).size;
        const tty = process.stderr.isTTY;
        const job = startImport(ctx, SYSTEM_ACTOR, fs.createReadStream(file, { highWaterMark: 1 << 20 }), {
          source: 'cli',
          format: format!,
          filename: path.basename(file),
          skipInvalid: Boolean(opts.skipInvalid),
          bytesTotal: size,
          reopen: () => fs.createReadStream(file, { highWaterMark: 1 << 20 }),
        });
        const timer = setInterval(() => {
          const p = runningImport(job.id);
          if (!p) return;
          const line = `${p.message}: ${Math.round((p.bytesRead / Math.max(size, 1)) * 100)}% (${p.rowsRead} rows)`;
          process.stderr.write(tty ? `\r${line}   ` : `${line}\n`);
        }, tty ? 500 : 2000);
        try {
          const result = await job.done;
          if (tty) process.stderr.write('\n');
          process.stdout.write(`${file}: ${result.message} in ${((result.durationMs ?? 0) / 1000).toFixed(1)} s\n`);
          for (const p of result.errors) process.stdout.write(`  line ${p.line ?? '?'}${p.field ? ` ${p.field}` : ''}: ${p.message}\n`);
          if (result.unknownStores.length) process.stdout.write(`  unknown store codes: ${result.unknownStores.join(', ')}\n`);
        } catch (err) {
          if (tty) process.stderr.write('\n');
          if (err instanceof AppError) {
            const lines = (err.problems ?? []).map((p) => `  line ${p.line ?? '?'}${p.field ? ` ${p.field}` : ''}: ${p.message}`);
            fail(`${file}: ${err.message}\n${lines.join('\n')}${err.total && err.total > lines.length ? `\n  … ${err.total - lines.length} more` : ''}`);
          }
          throw err;
        } finally {
          clearInterval(timer);
        }
      });
      return;
    }
    const text = fs.readFileSync(file, 'utf8');
    await withContext(async (ctx) => {
      try {
        const result = kind === 'stores' ? await importStores(ctx, SYSTEM_ACTOR, text) : await importPeople(ctx, SYSTEM_ACTOR, text);
        process.stdout.write(`${file}: ${result.lines} lines, ${result.created} created, ${result.updated} updated\n`);
      } catch (err) {
        if (err instanceof AppError) {
          const lines = (err.problems ?? []).map((p) => `  line ${p.line ?? '?'}${p.field ? ` ${p.field}` : ''}: ${p.message}`);
          fail(`${file}: ${err.message}\n${lines.join('\n')}`);
        }
        throw err;
      }
    });
  });

const demo = program.command('demo').description('generate demo files');
demo
  .command('pos')
  .description('write deterministic POS transactions (Tandem CSV) for the 12 demo stores, with planted dishonest cashiers')
  .option('--rows <n>', 'about how many transactions', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of 1 or more');
    return n;
  }, 45000)
  .option('--days <n>', 'business days', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 366) throw new InvalidArgumentError('must be a whole number from 1 to 366');
    return n;
  }, 28)
  .option('--start <date>', 'first business day YYYY-MM-DD (default: four weeks before this week)')
  .requiredOption('--out <file>', 'where to write the CSV')
  .action(async (opts: { rows: number; days: number; start?: string; out: string }) => {
    if (opts.start && !/^\d{4}-\d{2}-\d{2}$/.test(opts.start)) fail('--start: must be a date YYYY-MM-DD');
    const out = fs.createWriteStream(opts.out);
    let lines = -1;
    for (const chunk of generatePosCsv({ stores: DEMO_STORES, rows: opts.rows, days: opts.days, startDay: opts.start ?? demoStartDay() })) {
      for (let i = chunk.indexOf('\n'); i >= 0; i = chunk.indexOf('\n', i + 1)) lines++;
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    process.stdout.write(`${opts.out}: ${lines} transactions\n`);
  });

const newsletter = program.command('newsletter').description('the Security & IT newsletter (M9)');
newsletter
  .command('draft')
  .description('draft an edition from the period\'s work in every module (the last full week or month)')
  .option('--cadence <cadence>', 'weekly or monthly', 'monthly')
  .option('--period-of <date>', 'any day inside the wanted period (YYYY-MM-DD)')
  .action(async (opts: { cadence: string; periodOf?: string }) => {
    if (opts.cadence !== 'weekly' && opts.cadence !== 'monthly') fail('--cadence: must be weekly or monthly');
    if (opts.periodOf && !/^\d{4}-\d{2}-\d{2}$/.test(opts.periodOf)) fail('--period-of: must be a date YYYY-MM-DD');
    await withContext(async (ctx) => {
      const { createEdition } = await import('../server/modules/newsletter/service.js');
      await import('../server/app.js');
      const e = await createEdition(ctx, SYSTEM_ACTOR, { cadence: opts.cadence as 'weekly' | 'monthly', periodOf: opts.periodOf });
      process.stdout.write(`${e.ref} drafted (${e.sections.length} sections): ${ctx.config.publicUrl}/newsletter/editions/${e.id}\n`);
    });
  });
newsletter
  .command('send')
  .description('send every scheduled edition that is due, then exit (the server does this every minute)')
  .option('--concurrency <n>', 'messages in flight at once (default 8)', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('must be a whole number from 1 to 64');
    return n;
  })
  .action(async (opts: { concurrency?: number }) => {
    await withContext(async (ctx) => {
      const { runSender } = await import('../server/modules/newsletter/sender.js');
      const s = await runSender(ctx, { workerId: `cli-${process.pid}`, concurrency: opts.concurrency });
      process.stdout.write(`Editions started: ${s.started}; sent ${s.sent}, retrying ${s.retried}, bounced ${s.bounced}, failed ${s.failed}\n`);
    });
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof StartupError) fail(err.message);
  throw err;
}
