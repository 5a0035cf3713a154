import { Transform } from 'node:stream';
import { and, eq, inArray, sql } from 'drizzle-orm';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import { uuidv7 } from 'uuidv7';
import { editionRef, type NewsletterCadence } from '../../../contracts/newsletter.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import type { DbOrTx, DedicatedConnection } from '../../platform/db.js';
import { countInWindow } from '../../platform/rate-limit.js';
import { SYSTEM_ACTOR } from '../../platform/policy.js';
import { mailMessages } from '../../platform/schema.js';
import { PREFERENCES_PLACEHOLDER, renderEdition, type RenderedEdition } from './render.js';
import { newsletterEditions, newsletterRecipients } from './schema.js';
import { audienceSql, renderableEdition, rowsOf } from './service.js';
import { settingsRow, signWithKey } from './tokens.js';

/**
 * Sending an edition (docs/newsletter.md):
 * 1. A due scheduled edition becomes `sending` and its recipients are written, in one transaction,
 *    claimed with FOR UPDATE SKIP LOCKED (two instances never start it twice).
 * 2. Workers claim recipients in batches (FOR UPDATE SKIP LOCKED): each row is marked `sending`
 *    with a lease before its message goes to the SMTP server. The statement that marks it `sent` is
 *    written to the database in the same tick as the end-of-data mark that makes the SMTP server keep
 *    the message (the commit gate below), so a worker killed at any moment has either done both or
 *    neither: a `sending` row's message was discarded by the server with the dropped connection, and
 *    once its lease runs out another worker sends it; a `sent` row is never sent again. (Waiting for
 *    either side's answer before the other would open a window of a network round trip in which a
 *    kill loses the message or sends it twice; see docs/newsletter.md.)
 * 3. Failures retry with backoff; a permanent refusal of the address (5xx) is a bounce.
 */
export const MAX_ATTEMPTS = 5;
const LEASE_SECONDS = 120;
const BATCH = 50;
const CONCURRENCY = 8;
/** Connections that record messages as sent (each carries one statement at a time). */
const WRITER_CONNECTIONS = 4;
/** Retry after 30 s, 2 min, 8 min, 32 min. */
export const backoffSeconds = (attempts: number) => 30 * 4 ** Math.max(0, attempts - 1);

export interface OutgoingMessage extends SendMailOptions {
  to: string;
  messageId: string;
}
/**
 * Records a recipient as sent, in one of two ways:
 * - `beforeFinal(final)`: writes the statement to the database, then runs `final` (the step that
 *   makes the server keep the message: SMTP's end-of-data mark) in the same tick; resolves once the
 *   database has answered;
 * - `inTransaction(tx)`: inside the delivery's own transaction, when the delivery is a database write.
 */
export interface Commit {
  beforeFinal(final: () => void): Promise<void>;
  inTransaction(tx: DbOrTx): Promise<void>;
}
/** Delivers one message, recording it with `commit`; resolves once the server accepted it. */
export type Deliver = (message: OutgoingMessage, commit: Commit) => Promise<unknown>;

/**
 * Holds back the end of each message for `commit.beforeFinal`: a nodemailer stream plugin, so the
 * SMTP client writes the end-of-data mark ("\r\n.\r\n") right after the statement that marks the
 * recipient sent. If that statement cannot be sent, the message ends in an error and the client
 * drops it without the mark.
 */
export function gateMessagesOnCommit(transport: Transporter) {
  transport.use('stream', (mail, done) => {
    const commit = (mail.data as { commit?: Commit }).commit;
    if (commit) {
      mail.message.transform(
        () =>
          new Transform({
            transform: (chunk, _enc, next) => next(null, chunk),
            flush: (finish) => {
              let finished = false;
              commit
                .beforeFinal(() => {
                  finished = true;
                  finish();
                })
                // Failures after the mark are the sender's to handle once the server has answered.
                .catch((err: Error) => finished || finish(err));
            },
          }),
      );
    }
    done();
  });
  return transport;
}

/** SMTP delivery through a nodemailer transport gated by `gateMessagesOnCommit` (above). */
export const smtpDelivery =
  (transport: Transporter, from: string): Deliver =>
  (m, commit) =>
    transport.sendMail({ from, ...m, commit } as SendMailOptions);

export interface SenderOptions {
  /** Who this worker is (lease owner); any unique text. */
  workerId?: string;
  /** Overrides delivery (tests that stop a worker half-way). */
  deliver?: Deliver;
  /** Stop after this many claimed batches (tests); default: until nothing is due. */
  maxBatches?: number;
  batchSize?: number;
  concurrency?: number;
}

export interface SenderStats {
  started: number;
  sent: number;
  failed: number;
  bounced: number;
  retried: number;
}

/** Starts every due scheduled edition: writes its recipients (resolved in SQL) and marks it sending. */
export async function startDueEditions(ctx: AppContext): Promise<number> {
  let started = 0;
  for (;;) {
    const id = await ctx.db.transaction(async (tx) => {
      const due = rowsOf<{ id: string; number: number; cadence: NewsletterCadence; audience: unknown }>(
        await tx.execute(sql`select id, number, cadence, audience from newsletter_editions where status = 'scheduled' and scheduled_at <= now() order by scheduled_at limit 1 for update skip locked`),
      )[0];
      if (!due) return null;
      const audience = typeof due.audience === 'string' ? JSON.parse(due.audience) : due.audience;
      const domain = new URL(ctx.config.publicUrl).hostname || 'tandem';
      const inserted = rowsOf<{ n: number }>(
        await tx.execute(sql`
          with audience as (${audienceSql(audience, due.cadence)}),
          ins as (
            insert into newsletter_recipients (id, edition_id, email, name, person_id, message_id)
            select g.id, ${due.id}, g.email, g.name, g.person_id, '<nl-' || g.id::text || '@' || ${domain} || '>'
              from (select gen_random_uuid() as id, a.* from audience a) g
            on conflict (edition_id, email) do nothing
            returning 1)
          select count(*)::int as n from ins`),
      )[0]!;
      const n = Number(inserted.n);
      await tx
        .update(newsletterEditions)
        .set(n === 0 ? { status: 'sent', sendStartedAt: new Date(), sentAt: new Date(), recipientCount: 0 } : { status: 'sending', sendStartedAt: new Date(), recipientCount: n })
        .where(eq(newsletterEditions.id, due.id));
      await recordAudit(tx, SYSTEM_ACTOR, { action: 'update', entity: 'newsletter_edition', entityId: due.id, summary: `Started sending ${editionRef(due.number)} to ${n} recipients` });
      return due.id;
    });
    if (!id) return started;
    started++;
  }
}

interface Claimed {
  id: string;
  edition_id: string;
  email: string;
  name: string;
  message_id: string;
  attempts: number;
}

async function claimBatch(ctx: AppContext, workerId: string, size: number): Promise<Claimed[]> {
  const result = await ctx.db.execute(sql`
    update newsletter_recipients
       set status = 'sending', locked_until = now() + make_interval(secs => ${LEASE_SECONDS}), locked_by = ${workerId}, attempts = attempts + 1, updated_at = now()
     where id in (
       select r.id from newsletter_recipients r
         join newsletter_editions e on e.id = r.edition_id
        where e.status = 'sending'
          and ((r.status = 'queued' and r.next_attempt_at <= now()) or (r.status = 'sending' and r.locked_until < now()))
        order by r.next_attempt_at, r.id
        limit ${size}
        for update of r skip locked)
    returning id, edition_id, email, name, message_id, attempts`);
  return rowsOf<Claimed>(result).map((r) => ({ ...r, attempts: Number(r.attempts) }));
}

/** Marks editions whose every recipient is done (sent, failed or bounced) as sent. */
export async function finishEditions(ctx: AppContext) {
  await ctx.db.execute(sql`
    update newsletter_editions e set status = 'sent', sent_at = now(), updated_at = now()
     where e.status = 'sending'
       and not exists (select 1 from newsletter_recipients r where r.edition_id = e.id and r.status in ('queued', 'sending'))`);
}

function smtpDeliver(ctx: AppContext, concurrency: number): { deliver: Deliver; close(): void; server: string } {
  const smtpUrl = ctx.config.smtpUrl;
  if (smtpUrl) {
    const transport = gateMessagesOnCommit(nodemailer.createTransport({ ...parseSmtpUrl(smtpUrl), pool: true, maxConnections: concurrency, maxMessages: 500 }));
    return { deliver: smtpDelivery(transport, ctx.config.mailFrom), close: () => transport.close(), server: new URL(smtpUrl).host };
  }
  // Without SMTP the workspace keeps mail in the admins' outbox (platform/mail.ts); so does the newsletter.
  return {
    server: 'outbox',
    close() {},
    async deliver(m, commit) {
      let html = String(m.html ?? '');
      for (const a of (m.attachments ?? []) as { cid?: string; content?: Buffer }[]) {
        if (a.cid && a.content) html = html.split(`cid:${a.cid}`).join(`data:image/png;base64,${a.content.toString('base64')}`);
      }
      // The message and its recipient's `sent` are one transaction: no crash can split them.
      await ctx.db.transaction(async (tx) => {
        await commit.inTransaction(tx);
        await tx.insert(mailMessages).values({
          id: uuidv7(),
          toAddress: m.to,
          subject: String(m.subject ?? ''),
          html,
          text: String(m.text ?? ''),
          kind: 'newsletter',
          status: 'outbox',
          headers: (m.headers as Record<string, string>) ?? null,
        });
      });
    },
  };
}

function parseSmtpUrl(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || (u.protocol === 'smtps:' ? 465 : 25)),
    secure: u.protocol === 'smtps:',
    auth: u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : undefined,
    tls: { rejectUnauthorized: u.searchParams.get('tls.rejectUnauthorized') !== 'false' },
    ignoreTLS: u.searchParams.get('ignoreTLS') === 'true',
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Marks recipients sent over connections of their own, one statement per connection at a time, so
 * that each statement is on its way to the database when `final` runs (see `Commit.beforeFinal`).
 */
class SentWriter {
  private readonly idle: DedicatedConnection[];
  private readonly waiting: ((conn: DedicatedConnection) => void)[] = [];
  private constructor(
    private readonly conns: DedicatedConnection[],
    private readonly workerId: string,
  ) {
    this.idle = [...conns];
  }

  static async open(ctx: AppContext, workerId: string, connections: number) {
    const conns: DedicatedConnection[] = [];
    try {
      for (let i = 0; i < connections; i++) conns.push(await ctx.database.dedicated());
    } catch (err) {
      await Promise.all(conns.map((c) => c.close()));
      throw err;
    }
    return new SentWriter(conns, workerId);
  }

  async markSentThen(id: string, final: () => void): Promise<void> {
    const conn = this.idle.pop() ?? (await new Promise<DedicatedConnection>((resolve) => this.waiting.push(resolve)));
    try {
      const { result } = await conn.dispatch<{ id: string }>(
        `update newsletter_recipients set status = 'sent', sent_at = now(), locked_until = null, last_error = null, updated_at = now()
          where id = $1 and status = 'sending' and locked_by = $2 returning id`,
        [id, this.workerId],
      );
      final();
      if (!(await result).rows.length) throw new LeaseLost();
    } finally {
      const next = this.waiting.shift();
      if (next) next(conn);
      else this.idle.push(conn);
    }
  }

  close() {
    return Promise.all(this.conns.map((c) => c.close()));
  }
}

class LeaseLost extends Error {
  constructor() {
    super('the recipient was taken over by another worker after its lease ran out');
  }
}

/**
 * The SMTP server's per-second budget, counted in the database so that every worker on every
 * instance shares it. A worker reserves a few slots per round trip (a tenth of the rate, at most 25)
 * and spends them within the same second; slots left unspent when the second ends are simply lost.
 */
class RateBudget {
  private left = 0;
  private second = 0;
  private queue: Promise<void> = Promise.resolve();
  constructor(
    private readonly ctx: AppContext,
    private readonly key: string,
    private readonly perSecond: number,
  ) {}

  take(): Promise<void> {
    const next = this.queue.then(() => this.reserve());
    this.queue = next.catch(() => {});
    return next;
  }

  private async reserve() {
    for (;;) {
      const now = Math.floor(Date.now() / 1000);
      if (now !== this.second) {
        this.second = now;
        this.left = 0;
      }
      if (this.left > 0) {
        this.left--;
        return;
      }
      const want = Math.max(1, Math.min(25, Math.ceil(this.perSecond / 10)));
      const { count } = await countInWindow(this.ctx.db, this.key, 1, want);
      const granted = Math.max(0, Math.min(want, this.perSecond - (count - want)));
      if (granted > 0) {
        this.left = granted - 1;
        return;
      }
      await sleep(1000 - (Date.now() % 1000) + 5);
    }
  }
}

/**
 * Sends what is due until nothing is left (or `maxBatches`): the background job and the CLI run this;
 * several at once (other instances, other workers) share the work through the claims.
 */
export async function runSender(ctx: AppContext, options: SenderOptions = {}): Promise<SenderStats> {
  const workerId = options.workerId ?? `worker-${uuidv7()}`;
  const stats: SenderStats = { started: await startDueEditions(ctx), sent: 0, failed: 0, bounced: 0, retried: 0 };
  const concurrency = options.concurrency ?? CONCURRENCY;
  const smtp = smtpDeliver(ctx, concurrency);
  const deliver = options.deliver ?? smtp.deliver;
  const settings = await settingsRow(ctx.db);
  const rendered = new Map<string, RenderedEdition>();
  const budget = new RateBudget(ctx, `newsletter-smtp:${smtp.server}`, settings.ratePerSecond);
  const publicUrl = ctx.config.publicUrl;
  const markSent = async (tx: DbOrTx, id: string) => {
    const done = await tx
      .update(newsletterRecipients)
      .set({ status: 'sent', sentAt: new Date(), lockedUntil: null, lastError: null, updatedAt: new Date() })
      .where(and(eq(newsletterRecipients.id, id), eq(newsletterRecipients.status, 'sending'), eq(newsletterRecipients.lockedBy, workerId)))
      .returning({ id: newsletterRecipients.id });
    if (!done.length) throw new LeaseLost();
  };
  const writer = await SentWriter.open(ctx, workerId, Math.min(concurrency, WRITER_CONNECTIONS));
  try {
    for (let batch = 0; options.maxBatches === undefined || batch < options.maxBatches; batch++) {
      const claimed = await claimBatch(ctx, workerId, options.batchSize ?? BATCH);
      if (!claimed.length) break;
      const queue = [...claimed];
      const work = async () => {
        for (let r = queue.shift(); r; r = queue.shift()) {
          let edition = rendered.get(r.edition_id);
          if (!edition) {
            const [row] = await ctx.db.select().from(newsletterEditions).where(eq(newsletterEditions.id, r.edition_id));
            edition = await renderEdition(renderableEdition(row!), { imageMode: 'cid', archiveUrl: `${publicUrl}/newsletter/archive/${row!.id}` });
            rendered.set(r.edition_id, edition);
          }
          const token = encodeURIComponent(signWithKey(settings.signingKey, 'prefs', r.email));
          const prefsUrl = `${publicUrl}/newsletter/preferences?token=${token}`;
          const unsubscribeUrl = `${publicUrl}/api/newsletter/unsubscribe?token=${token}`;
          await budget.take();
          let commitment: Promise<void> | undefined;
          const commit: Commit = {
            inTransaction: (tx) => (commitment = markSent(tx, r.id)),
            beforeFinal: (final) => (commitment = writer.markSentThen(r.id, final)),
          };
          const committed = async () => {
            if (!commitment) return false;
            for (let attempt = 1; ; attempt++) {
              try {
                await commitment;
                return true;
              } catch (err) {
                // Only a stall past the lease (two minutes) lets another worker take the row; it is
                // that worker's now, and this copy went out all the same.
                if (err instanceof LeaseLost) return true;
                if (attempt >= 3) throw err;
                await sleep(500 * attempt);
                commitment = markSent(ctx.db, r.id);
              }
            }
          };
          try {
            await deliver(
              {
              to: r.name ? `"${r.name.replace(/["\\]/g, '')}" <${r.email}>` : r.email,
              subject: edition.subject,
              html: edition.html.split(PREFERENCES_PLACEHOLDER).join(prefsUrl),
              text: edition.text.split(PREFERENCES_PLACEHOLDER).join(prefsUrl),
              messageId: r.message_id,
              headers: {
                // RFC 2369 and RFC 8058: mail clients offer "Unsubscribe", which POSTs List-Unsubscribe=One-Click to the URL.
                'List-Unsubscribe': `<${unsubscribeUrl}>`,
                'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
                'List-Id': `Security & IT newsletter <newsletter.${new URL(publicUrl).hostname || 'tandem'}>`,
                Precedence: 'bulk',
              },
              attachments: edition.images.map((i) => ({ cid: i.cid, filename: i.filename, content: i.content, contentType: 'image/png', contentDisposition: 'inline' as const })),
              },
              commit,
            );
            if (!(await committed())) throw new Error('the delivery finished without recording the recipient as sent');
            stats.sent++;
          } catch (err) {
            const e = err as Error & { responseCode?: number; code?: string };
            if ((await committed().catch(() => false)) && !e.responseCode) {
              // The connection broke after the end-of-data mark went out: the server most likely kept
              // the message. Sending it again could deliver it twice, so it stays sent, with the doubt noted.
              await ctx.db
                .update(newsletterRecipients)
                .set({ lastError: `no answer after the message was complete: ${(e.message ?? String(err)).slice(0, 400)}` })
                .where(and(eq(newsletterRecipients.id, r.id), eq(newsletterRecipients.status, 'sent')));
              stats.sent++;
              continue;
            }
            const refused = e.code === 'EENVELOPE' && (e.responseCode ?? 0) >= 500;
            const status = refused ? 'bounced' : r.attempts >= MAX_ATTEMPTS ? 'failed' : 'queued';
            await ctx.db
              .update(newsletterRecipients)
              .set({
                status,
                lastError: (e.message ?? String(err)).slice(0, 500),
                lockedUntil: null,
                nextAttemptAt: new Date(Date.now() + backoffSeconds(r.attempts) * 1000),
                bouncedAt: refused ? new Date() : null,
                updatedAt: new Date(),
              })
              // After the commit the row says `sent`; the server's refusal that followed takes it back.
              .where(and(eq(newsletterRecipients.id, r.id), inArray(newsletterRecipients.status, ['sending', 'sent']), eq(newsletterRecipients.lockedBy, workerId)));
            if (status === 'bounced') stats.bounced++;
            else if (status === 'failed') stats.failed++;
            else stats.retried++;
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, claimed.length) }, work));
      await finishEditions(ctx);
    }
    await finishEditions(ctx);
  } finally {
    smtp.close();
    await writer.close();
  }
  return stats;
}

/** Registers the background job: every minute, and kicked when an edition is scheduled. */
export function registerNewsletterJob(ctx: AppContext) {
  ctx.jobs.register(
    'newsletter.send',
    async () => {
      await runSender(ctx);
    },
    { cron: '* * * * *' },
  );
}
