import { and, eq, gt, isNull } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { recordAudit } from './audit.js';
import { hashSecret, newSecret } from './auth.js';
import type { AppContext } from './context.js';
import type { DbOrTx } from './db.js';
import { AppError, invalid } from './errors.js';
import { passwordProblem } from './passwords.js';
import type { Actor } from './policy.js';
import { accounts, invitations, people } from './schema.js';

const INVITATION_DAYS = 14;

/** Creates an invitation link for a person and queues the email, inside the caller's transaction. */
export async function inviteInTx(ctx: AppContext, tx: DbOrTx, actor: Actor, person: { id: string; name: string; email: string }) {
  const { secret, hash } = newSecret('inv');
  const expiresAt = new Date(Date.now() + INVITATION_DAYS * 24 * 3600 * 1000);
  await tx.insert(invitations).values({ id: uuidv7(), personId: person.id, tokenHash: hash, invitedBy: actor.via === 'system' ? null : actor.id, expiresAt });
  const url = `${ctx.config.publicUrl}/invite/${secret}`;
  await ctx.mailer.queue(tx, {
    to: person.email,
    subject: `${actor.name} invited you to Tandem`,
    kind: 'invitation',
    relatedPersonId: person.id,
    paragraphs: [
      `Hello ${person.name},`,
      `${actor.name} invited you to Tandem, the shared workspace of loss prevention, security and IT.`,
      `Choose your password with the link below to sign in. The link is valid for ${INVITATION_DAYS} days and works once.`,
    ],
    action: { label: 'Accept the invitation', url },
  });
  await recordAudit(tx, actor, { action: 'invite', entity: 'person', entityId: person.id, summary: `Invited ${person.name} <${person.email}>` });
  return { url, expiresAt };
}

async function findOpenInvitation(db: DbOrTx, token: string) {
  const [row] = await db
    .select({ id: invitations.id, personId: invitations.personId, expiresAt: invitations.expiresAt, name: people.name, email: people.email, active: people.active })
    .from(invitations)
    .innerJoin(people, eq(people.id, invitations.personId))
    .where(and(eq(invitations.tokenHash, hashSecret(token)), isNull(invitations.acceptedAt), gt(invitations.expiresAt, new Date())));
  if (!row || !row.active) throw new AppError(404, 'invitation_invalid', 'This invitation link is invalid, used or expired');
  return row;
}

export async function getInvitation(ctx: AppContext, token: string) {
  const row = await findOpenInvitation(ctx.db, token);
  return { name: row.name, email: row.email, expiresAt: row.expiresAt.toISOString() };
}

/** Sets the invited person's password (hashed by the auth library) and closes every open invitation of theirs. */
export async function acceptInvitation(ctx: AppContext, token: string, password: string, ip?: string) {
  // The token first: a bogus link costs one indexed lookup, never a password estimate or a scrypt hash.
  const open = await findOpenInvitation(ctx.db, token);
  const problem = passwordProblem(password, [open.name, open.email]);
  if (problem) throw invalid('password', problem);
  const authContext = await ctx.auth.$context;
  const hashed = await authContext.password.hash(password);
  await ctx.db.transaction(async (tx) => {
    // Again inside the transaction: two accepts of one link race, only one finds it open.
    const row = await findOpenInvitation(tx, token);
    const [existing] = await tx
      .select({ id: accounts.id })
      .from(accounts)
      .where(and(eq(accounts.userId, row.personId), eq(accounts.providerId, 'credential')));
    if (existing) await tx.update(accounts).set({ password: hashed, updatedAt: new Date() }).where(eq(accounts.id, existing.id));
    else await tx.insert(accounts).values({ id: uuidv7(), accountId: row.personId, providerId: 'credential', userId: row.personId, password: hashed });
    await tx.update(invitations).set({ acceptedAt: new Date() }).where(and(eq(invitations.personId, row.personId), isNull(invitations.acceptedAt)));
    await tx.update(people).set({ emailVerified: true, updatedAt: new Date() }).where(eq(people.id, row.personId));
    await recordAudit(tx, { id: row.personId, name: row.name, ip }, {
      action: 'password',
      entity: 'person',
      entityId: row.personId,
      summary: `${row.name} accepted the invitation and set a password`,
    });
  });
}
