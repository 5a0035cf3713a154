import { eq, sql } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { resolveActor } from '../../platform/identity.js';
import { SYSTEM_ACTOR } from '../../platform/policy.js';
import { people } from '../people/schema.js';
import { newsletterEditions, newsletterSubscribers } from './schema.js';
import { audienceSql, createEdition, lastFullPeriod, rowsOf, updateEdition } from './service.js';
import { uuidv7 } from 'uuidv7';

/**
 * Demo newsletter: last month's edition, sent to the security and IT departments (its recipients
 * recorded as delivered; no mail leaves a demo), and this week's draft waiting for the editor.
 * A few readers from outside those departments opted in; one unsubscribed.
 */
export async function seedNewsletterDemo(ctx: AppContext) {
  const [priya] = await ctx.db.select({ id: people.id }).from(people).where(eq(people.email, 'priya.natarajan@meridian.example'));
  const [marcus] = await ctx.db.select({ id: people.id }).from(people).where(eq(people.email, 'marcus.chen@meridian.example'));
  const editor = (priya && (await resolveActor(ctx.db, priya.id, 'session'))) || SYSTEM_ACTOR;
  const itEditor = (marcus && (await resolveActor(ctx.db, marcus.id, 'session'))) || SYSTEM_ACTOR;

  const readers = await ctx.db
    .select({ id: people.id, email: people.email, name: people.name })
    .from(people)
    .where(sql`${people.role} in ('staff', 'lead') and ${people.storeId} is not null and ${people.active}`)
    .limit(4);
  const now = new Date();
  if (readers.length) {
    await ctx.db.insert(newsletterSubscribers).values(
      readers.map((r, i) => ({
        id: uuidv7(),
        email: r.email.toLowerCase(),
        name: r.name,
        personId: r.id,
        optIn: true,
        status: i === readers.length - 1 && readers.length > 1 ? 'unsubscribed' : 'active',
        frequency: i === 1 ? 'monthly' : 'all',
        confirmedAt: now,
        unsubscribedAt: i === readers.length - 1 && readers.length > 1 ? now : null,
      })),
    ).onConflictDoNothing();
  }

  const month = lastFullPeriod('monthly', now);
  const sent = await createEdition(ctx, editor, { cadence: 'monthly', periodOf: month.from.toISOString() });
  await updateEdition(ctx, editor, sent.id, {
    editorNote:
      'Welcome to the first monthly edition. Everything below was drafted by Tandem from the month’s work across loss prevention, security operations and IT — we only trimmed and added a word. Tell us what you would like to read next month.',
  });
  // Sent on the morning of the month's second day after its end, or a minute ago when that is still
  // to come (a demo loaded on the 1st or 2nd): never in the future.
  const sentAt = new Date(Math.min(month.to.getTime() + 2 * 86_400_000 + 9 * 3_600_000, now.getTime() - 60_000));
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(newsletterEditions).where(eq(newsletterEditions.id, sent.id));
    const inserted = rowsOf<{ n: number }>(
      await tx.execute(sql`
        with audience as (${audienceSql(row!.audience, 'monthly')}),
        ins as (
          insert into newsletter_recipients (id, edition_id, email, name, person_id, status, attempts, message_id, sent_at, created_at, updated_at)
          select g.id, ${sent.id}, g.email, g.name, g.person_id, 'sent', 1, '<nl-' || g.id::text || '@demo.tandem>', ${sentAt}, ${sentAt}, ${sentAt}
            from (select gen_random_uuid() as id, a.* from audience a) g
          returning 1)
        select count(*)::int as n from ins`),
    )[0]!;
    await tx
      .update(newsletterEditions)
      .set({ status: 'sent', scheduledAt: sentAt, sendStartedAt: sentAt, sentAt, recipientCount: Number(inserted.n), updatedAt: sentAt })
      .where(eq(newsletterEditions.id, sent.id));
    await recordAudit(tx, SYSTEM_ACTOR, { action: 'import', entity: 'newsletter_edition', entityId: sent.id, summary: `Demo newsletter loaded: a sent monthly edition (${inserted.n} recipients) and a weekly draft` });
  });

  const draft = await createEdition(ctx, itEditor, { cadence: 'weekly', periodOf: new Date(now.getTime() - 7 * 86_400_000).toISOString() });
  await updateEdition(ctx, itEditor, draft.id, { editorNote: 'A short one this week: the numbers, two ideas worth a vote, and what we learned shadowing each other.' });
}
