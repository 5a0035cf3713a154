import { and, desc, eq, sql } from 'drizzle-orm';
import type { Home } from '../../../contracts/home.js';
import type { AppContext } from '../../platform/context.js';
import { can, type Actor } from '../../platform/policy.js';
import { auditLog } from '../../platform/schema.js';
import { departments, people, stores } from '../people/schema.js';

export type HomeAction = Home['actions'][number];
export type HomeFigure = Home['figures'][number];

/**
 * Modules add what needs a person's attention to "My work" by registering a contributor;
 * home knows no module's internals.
 */
export type HomeContributor = (ctx: AppContext, actor: Actor) => Promise<{ actions?: HomeAction[]; figures?: HomeFigure[] }>;

const contributors: HomeContributor[] = [];
export function registerHomeContributor(contributor: HomeContributor) {
  contributors.push(contributor);
}

function greetingFor(name: string, now = new Date()) {
  const hour = now.getHours();
  const part = hour < 12 ? 'Good morning' : hour < 18 ? 'Good afternoon' : 'Good evening';
  return `${part}, ${name.split(' ')[0]}`;
}

/** The foundation's own contribution: pending invitations for admins, an incomplete profile for anyone. */
const workspaceContributor: HomeContributor = async (ctx, actor) => {
  const actions: HomeAction[] = [];
  const figures: HomeFigure[] = [];
  if (can(actor, 'people:manage')) {
    const [pending] = await ctx.db
      .select({ n: sql<number>`count(*)::int` })
      .from(people)
      .where(and(eq(people.active, true), sql`not exists (select 1 from accounts a where a.person_id = "people"."id")`));
    const n = Number(pending?.n ?? 0);
    if (n > 0) actions.push({ kind: 'invitation', label: `${n} invitation${n === 1 ? '' : 's'} not yet accepted`, detail: 'Resend the link or check the address', href: '/people?status=invited', due: null });
  }
  const [me] = await ctx.db.select({ title: people.title }).from(people).where(eq(people.id, actor.id));
  if (me && !me.title) actions.push({ kind: 'profile', label: 'Add your job title', detail: 'Colleagues in other departments see it next to your name', href: '/profile', due: null });
  if (can(actor, 'people:read')) {
    const [counts] = await ctx.db
      .select({ people: sql<number>`(select count(*)::int from people where active)`, stores: sql<number>`(select count(*)::int from stores where active)` })
      .from(sql`(select 1) as one`);
    figures.push({ label: 'People', value: Number(counts.people), href: '/people' }, { label: 'Stores', value: Number(counts.stores), href: '/stores' });
  }
  return { actions, figures };
};

export async function home(ctx: AppContext, actor: Actor): Promise<Home> {
  const [profile] = await ctx.db
    .select({ title: people.title, departmentName: departments.name, storeName: stores.name })
    .from(people)
    .leftJoin(departments, eq(departments.id, people.departmentId))
    .leftJoin(stores, eq(stores.id, people.storeId))
    .where(eq(people.id, actor.id));
  const parts = await Promise.all([workspaceContributor, ...contributors].map((c) => c(ctx, actor)));
  const byDepartment = await ctx.db
    .select({ name: departments.name, kind: departments.kind, people: sql<number>`count(${people.id})::int` })
    .from(departments)
    .leftJoin(people, and(eq(people.departmentId, departments.id), eq(people.active, true)))
    .where(eq(departments.active, true))
    .groupBy(departments.id, departments.name, departments.kind)
    .orderBy(departments.name);
  // Admins see the workspace's latest changes; everyone else sees their own.
  const recent = await ctx.db
    .select({ at: auditLog.at, summary: auditLog.summary, actorName: auditLog.actorName })
    .from(auditLog)
    .where(can(actor, 'audit:read') ? undefined : eq(auditLog.actorId, actor.id))
    .orderBy(desc(auditLog.at))
    .limit(8);
  return {
    greeting: greetingFor(actor.name),
    person: { name: actor.name, title: profile?.title ?? '', departmentName: profile?.departmentName ?? null, storeName: profile?.storeName ?? null, role: actor.role },
    actions: parts.flatMap((p) => p.actions ?? []),
    figures: parts.flatMap((p) => p.figures ?? []),
    departments: byDepartment.map((d) => ({ ...d, people: Number(d.people) })),
    recent: recent.map((r) => ({ ...r, at: r.at.toISOString() })),
  };
}
