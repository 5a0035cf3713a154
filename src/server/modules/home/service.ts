import { and, desc, eq, inArray, ne, notInArray, or, sql, type SQL } from 'drizzle-orm';
import { MODULE_KEYS, type ModuleKey } from '../../../contracts/policy.js';
import type { Home } from '../../../contracts/home.js';
import type { AppContext } from '../../platform/context.js';
import { homeContributors, registerHomeContributor, type HomeAction, type HomeContributor, type HomeFigure } from '../../platform/home.js';
import { can, type Actor } from '../../platform/policy.js';
import { auditLog, departments, people, stores } from '../../platform/schema.js';
import { isChainWide, moduleAccess } from '../../platform/scope.js';

// The registry lives in the platform; re-exported for modules that registered here before.
export { registerHomeContributor, type HomeAction, type HomeContributor, type HomeFigure };

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
    // Head counts are an administrator's figure; everyone else gets figures about their work.
    const [counts] = await ctx.db
      .select({ people: sql<number>`(select count(*)::int from people where active)`, stores: sql<number>`(select count(*)::int from stores where active)` })
      .from(sql`(select 1) as one`);
    figures.push({ label: 'People', value: Number(counts.people), unit: 'count', window: 'active now', href: '/people' }, { label: 'Stores', value: Number(counts.stores), unit: 'count', window: 'active now', href: '/stores' });
  }
  const [me] = await ctx.db.select({ title: people.title }).from(people).where(eq(people.id, actor.id));
  if (me && !me.title) actions.push({ kind: 'profile', label: 'Add your job title', detail: 'Colleagues in other departments see it next to your name', href: '/profile', due: null });
  return { actions, figures };
};

/** Audit entities belong to modules by name: `pos_exception` → pos, `request` → requests, `idea` → ideas. */
export function moduleOfEntity(entity: string): ModuleKey | null {
  const head = entity.split('_')[0];
  for (const m of MODULE_KEYS) if (m === head || m === `${head}s`) return m;
  return null;
}

const WORKSPACE_ENTITIES = ['person', 'store', 'department', 'module_access', 'workspace'];
/** Never in the feed: sign-ins, reads of restricted records, passwords and personal API tokens. */
const QUIET_ACTIONS = ['sign_in', 'read', 'password'];

/**
 * The activity feed: what others did, from the audit trail, limited to the modules the person may
 * read. People attached to stores see the open modules' activity (ideas) only, because store-bound
 * records' audit entries do not carry a store to scope by.
 */
function activityScope(actor: Actor): SQL | undefined {
  // Restricted (sealed) cases never appear in anyone's feed, admins included.
  if (actor.role === 'admin') return notInArray(auditLog.entity, ['api_token', 'sealed_case']);
  const readable = MODULE_KEYS.filter((m) => moduleAccess(actor, m) !== 'none');
  const chainModules = isChainWide(actor) ? readable : readable.filter((m) => m === 'ideas');
  const entityLike = chainModules.map((m) => sql`${auditLog.entity} ~ ${`^${m.replace(/s$/, '')}s?(_|$)`}`);
  const parts: SQL[] = [...entityLike];
  if (can(actor, 'people:read') && isChainWide(actor)) parts.push(inArray(auditLog.entity, WORKSPACE_ENTITIES));
  return parts.length ? or(...parts) : sql`false`;
}

export async function home(ctx: AppContext, actor: Actor): Promise<Home> {
  const [profile] = await ctx.db
    .select({ title: people.title, departmentName: departments.name, storeName: stores.name })
    .from(people)
    .leftJoin(departments, eq(departments.id, people.departmentId))
    .leftJoin(stores, eq(stores.id, people.storeId))
    .where(eq(people.id, actor.id));
  const parts = await Promise.all([workspaceContributor, ...homeContributors()].map((c) => c(ctx, actor)));
  const byDepartment = await ctx.db
    .select({ name: departments.name, kind: departments.kind, people: sql<number>`count(${people.id})::int` })
    .from(departments)
    .leftJoin(people, and(eq(people.departmentId, departments.id), eq(people.active, true)))
    .where(eq(departments.active, true))
    .groupBy(departments.id, departments.name, departments.kind)
    .orderBy(departments.name);
  const recent = await ctx.db
    .select({ at: auditLog.at, summary: auditLog.summary, actorName: auditLog.actorName })
    .from(auditLog)
    .where(and(notInArray(auditLog.action, QUIET_ACTIONS), or(ne(auditLog.actorId, actor.id), sql`${auditLog.actorId} is null`), activityScope(actor)))
    .orderBy(desc(auditLog.at))
    .limit(10);
  return {
    greeting: greetingFor(actor.name),
    person: { name: actor.name, title: profile?.title ?? '', departmentName: profile?.departmentName ?? null, storeName: profile?.storeName ?? null, role: actor.role },
    actions: parts.flatMap((p) => p.actions ?? []),
    figures: parts.flatMap((p) => p.figures ?? []).map((f) => ({ ...f, unit: f.unit ?? 'count' })),
    lists: parts.flatMap((p) => p.lists ?? []),
    departments: byDepartment.map((d) => ({ ...d, people: Number(d.people) })),
    recent: recent.map((r) => ({ ...r, at: r.at.toISOString() })),
  };
}
