import { eq, inArray, sql } from 'drizzle-orm';
import nodemailer, { type Transporter } from 'nodemailer';
import { uuidv7 } from 'uuidv7';
import type { Db, DbOrTx } from './db.js';
import { mailMessages } from './schema.js';

export interface MailInput {
  to: string;
  subject: string;
  /** Paragraphs of the message; rendered to HTML and plain text alike. */
  paragraphs: string[];
  action?: { label: string; url: string };
  kind: string;
  relatedPersonId?: string;
}

/**
 * Mail provider, chosen by configuration: SMTP when SMTP_URL is set, otherwise the in-app outbox
 * (messages are kept with status "outbox" and shown to admins instead of being sent).
 */
export interface Mailer {
  mode: 'smtp' | 'outbox';
  /** Stores the message in the caller's transaction; delivery happens after commit. */
  queue(tx: DbOrTx, input: MailInput): Promise<string>;
  /** Sends every queued message (SMTP mode); returns how many were sent and failed. */
  deliverQueued(db: Db): Promise<{ sent: number; failed: number }>;
  close(): void;
}

const MAX_ATTEMPTS = 5;
/** A claim older than this belongs to a sender that died: the message is taken over. */
export const CLAIM_LEASE_SECONDS = 300;

export function escapeHtml(value: string) {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function renderMail(input: MailInput) {
  const paragraphs = input.paragraphs.map((p) => `<p style="margin:0 0 14px">${escapeHtml(p)}</p>`).join('');
  const button = input.action
    ? `<p style="margin:20px 0"><a href="${escapeHtml(input.action.url)}" style="background:#1c7ed6;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none;display:inline-block">${escapeHtml(input.action.label)}</a></p><p style="font-size:12px;color:#666">Or open this link: ${escapeHtml(input.action.url)}</p>`
    : '';
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(input.subject)}</title></head><body style="margin:0;background:#f4f6f8;font-family:Arial,Helvetica,sans-serif;color:#222"><table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center" style="padding:24px"><table role="presentation" width="560" cellpadding="0" cellspacing="0" style="background:#fff;border-radius:8px;padding:24px"><tr><td><div style="font-weight:bold;font-size:18px;color:#1c7ed6;margin-bottom:16px">Tandem</div>${paragraphs}${button}<p style="font-size:12px;color:#888;margin-top:24px">Tandem — loss prevention, security and IT, working as one team.</p></td></tr></table></td></tr></table></body></html>`;
  const text = [...input.paragraphs, ...(input.action ? [`${input.action.label}: ${input.action.url}`] : []), '', '— Tandem'].join('\n\n');
  return { html, text };
}

export function createMailer(options: {
  smtpUrl?: string;
  from: string;
  /** Called after a message is stored for SMTP delivery, so the caller can schedule a send. */
  onQueued?: () => void;
}): Mailer {
  const transport: Transporter | undefined = options.smtpUrl ? nodemailer.createTransport(options.smtpUrl) : undefined;
  return {
    mode: transport ? 'smtp' : 'outbox',
    async queue(tx, input) {
      const id = uuidv7();
      const { html, text } = renderMail(input);
      await tx.insert(mailMessages).values({
        id,
        toAddress: input.to,
        subject: input.subject,
        html,
        text,
        kind: input.kind,
        status: transport ? 'queued' : 'outbox',
        relatedPersonId: input.relatedPersonId ?? null,
      });
      if (transport) options.onQueued?.();
      return id;
    },
    async deliverQueued(db) {
      if (!transport) return { sent: 0, failed: 0 };
      // Claim before sending: with several instances each message goes to exactly one sender.
      // SKIP LOCKED lets concurrent senders take disjoint sets; the claim (status "sending" with
      // claimed_at) is a lease, so the messages of a sender that died mid-batch are retried later.
      const claimed = await db.execute<{ id: string }>(sql`
        update mail_messages set status = 'sending', claimed_at = now()
         where id in (
           select id from mail_messages
            where attempts < ${MAX_ATTEMPTS}
              and (status in ('queued', 'retry') or (status = 'sending' and claimed_at < now() - make_interval(secs => ${CLAIM_LEASE_SECONDS})))
            order by created_at
            limit 100
            for update skip locked)
        returning id`);
      const ids = (claimed as unknown as { rows: Array<{ id: string }> }).rows.map((r) => r.id);
      const pending = ids.length ? (await db.select().from(mailMessages).where(inArray(mailMessages.id, ids))).sort((a, b) => +a.createdAt - +b.createdAt) : [];
      let sent = 0;
      let failed = 0;
      for (const message of pending) {
        try {
          await transport.sendMail({
            from: options.from,
            to: message.toAddress,
            subject: message.subject,
            html: message.html,
            text: message.text,
            headers: message.headers ?? undefined,
          });
          await db.update(mailMessages).set({ status: 'sent', sentAt: new Date(), claimedAt: null, attempts: message.attempts + 1, lastError: null }).where(eq(mailMessages.id, message.id));
          sent++;
        } catch (err) {
          const attempts = message.attempts + 1;
          await db
            .update(mailMessages)
            .set({ status: attempts >= MAX_ATTEMPTS ? 'failed' : 'retry', claimedAt: null, attempts, lastError: (err as Error).message.slice(0, 500) })
            .where(eq(mailMessages.id, message.id));
          failed++;
        }
      }
      return { sent, failed };
    },
    close() {
      transport?.close();
    },
  };
}
