import { eq, sql } from 'drizzle-orm';
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
  /** A calendar invitation (.ics): sent as the text/calendar part mail clients offer to add or update. */
  icalEvent?: IcalEvent;
}

export interface IcalEvent {
  method: 'REQUEST' | 'CANCEL';
  filename: string;
  content: string;
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

export function escapeHtml(value: string) {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * Links that act for a person (invitation, password reset) with their secret part replaced:
 * once a message has left for the person's mailbox, nobody else needs the secret — not the
 * admins reading the outbox, not a database backup.
 */
export function maskSecretLinks(content: string) {
  return content.replace(/(\/invite\/inv_)[A-Za-z0-9_-]+/g, '$1…').replace(/(reset-password\?token=)[A-Za-z0-9_%-]+/g, '$1…');
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
        icalEvent: input.icalEvent ?? null,
      });
      if (transport) options.onQueued?.();
      return id;
    },
    async deliverQueued(db) {
      if (!transport) return { sent: 0, failed: 0 };
      // Claim: one statement marks up to 100 due messages as being sent by this worker; another instance
      // skips them. A worker that dies mid-send leaves a lock that expires, and the message is tried again.
      const claimed = (await db.execute(sql`
        update mail_messages set status = 'sending', locked_until = now() + interval '5 minutes'
         where id in (
           select id from mail_messages
            where (status in ('queued', 'retry') and attempts < ${MAX_ATTEMPTS}) or (status = 'sending' and locked_until < now())
            order by created_at limit 100
            for update skip locked)
        returning id, to_address, subject, html, text, headers, ical_event, attempts`)) as unknown as {
        rows: Array<{ id: string; to_address: string; subject: string; html: string; text: string; headers: Record<string, string> | string | null; ical_event: IcalEvent | string | null; attempts: number }>;
      };
      const pending = claimed.rows.map((r) => ({
        id: r.id,
        toAddress: r.to_address,
        subject: r.subject,
        html: r.html,
        text: r.text,
        headers: (typeof r.headers === 'string' ? JSON.parse(r.headers) : r.headers) as Record<string, string> | null,
        icalEvent: (typeof r.ical_event === 'string' ? JSON.parse(r.ical_event) : r.ical_event) as IcalEvent | null,
        attempts: Number(r.attempts),
      }));
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
            icalEvent: message.icalEvent ?? undefined,
          });
          await db
            .update(mailMessages)
            .set({ status: 'sent', sentAt: new Date(), attempts: message.attempts + 1, lastError: null, lockedUntil: null, html: maskSecretLinks(message.html), text: maskSecretLinks(message.text) })
            .where(eq(mailMessages.id, message.id));
          sent++;
        } catch (err) {
          const attempts = message.attempts + 1;
          await db
            .update(mailMessages)
            .set({ status: attempts >= MAX_ATTEMPTS ? 'failed' : 'retry', attempts, lastError: (err as Error).message.slice(0, 500), lockedUntil: null })
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
