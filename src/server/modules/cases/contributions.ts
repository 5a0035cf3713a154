import { sql } from 'drizzle-orm';
import { CASE_OUTCOME_LABELS, INCIDENT_STATUS_LABELS, INCIDENT_TYPE_LABELS, incidentRef, type CaseOutcome, type IncidentStatus, type IncidentType } from '../../../contracts/cases.js';
import { registerAgendaSuggester } from '../../platform/agenda.js';
import { registerHomeContributor, type HomeAction, type HomeFigure, type HomeList } from '../../platform/home.js';
import { registerNewsletterContributor, type NewsletterSection } from '../../platform/newsletter-sections.js';
import { can } from '../../platform/policy.js';
import { registerSearchProvider } from '../../platform/search.js';
import { caseCounts, myOpenTasks } from './service.js';
import { caseVisibleSql, incidentVisibleSql, rows } from './visibility.js';

const money = (cents: number) => `$${Math.round(cents / 100).toLocaleString('en-US')}`;

// ---------------------------------------------------------------- search: CASE- and INC- references and words

registerSearchProvider({
  kind: 'cases',
  label: 'Cases',
  order: 15,
  async search(ctx, actor, terms, limit) {
    if (!can(actor, 'cases:read')) return [];
    const m = /^case-?(\d{0,4})(?:-(\d{0,4}))?$/i.exec(terms.text);
    let match;
    if (m) {
      const pattern = `CASE-${m[1]}${m[2] !== undefined ? `-${m[2]}` : ''}%`;
      match = sql`c.ref like ${pattern}`;
    } else if (terms.words.length) {
      match = sql.join(
        terms.words.map((w) => sql`(c.ref ilike ${`%${w}%`} or c.title ilike ${`%${w}%`} or c.subject_name ilike ${`%${w}%`})`),
        sql` and `,
      );
    } else return [];
    const list = await rows<{ id: string; ref: string; title: string; status: string; sealed: boolean; store: string | null }>(
      ctx.db,
      sql`select c.id, c.ref, c.title, c.status, c.sealed, s.code as store from cases c left join stores s on s.id = c.store_id
           where ${match} and ${caseVisibleSql(actor, 'c')} order by c.created_at desc limit ${limit}`,
    );
    return list.map((c) => ({ id: c.id, ref: c.ref, title: c.title, subtitle: [c.store ?? 'HQ', c.status.replace('_', ' '), c.sealed ? 'restricted' : null].filter(Boolean).join(' · '), link: `/cases/${c.ref}` }));
  },
});

registerSearchProvider({
  kind: 'incidents',
  label: 'Incidents',
  order: 16,
  async search(ctx, actor, terms, limit) {
    if (!can(actor, 'incidents:read')) return [];
    const ref = terms.ref('INC');
    const query = terms.tsquery && !ref?.prefixed ? sql`to_tsvector('simple', i.narrative || ' ' || i.people_involved || ' ' || i.police_report) @@ to_tsquery('simple', ${terms.tsquery})` : null;
    const refMatch = ref ? (ref.digits ? sql`i.number::text like ${`${ref.digits}%`}` : sql`true`) : null;
    if (!query && !refMatch) return [];
    const match = query && refMatch ? sql`(${refMatch} or ${query})` : (query ?? refMatch)!;
    const list = await rows<{ id: string; number: number; type: IncidentType; narrative: string; store: string | null; status: string }>(
      ctx.db,
      sql`select i.id, i.number, i.type, i.narrative, s.code as store, i.status from incidents i left join stores s on s.id = i.store_id
           where ${match} and ${incidentVisibleSql(actor, 'i')} order by i.created_at desc limit ${limit}`,
    );
    return list.map((i) => ({
      id: i.id,
      ref: incidentRef(i.number),
      title: `${INCIDENT_TYPE_LABELS[i.type]}: ${i.narrative.slice(0, 80)}`,
      subtitle: `${i.store ?? 'HQ'} · ${INCIDENT_STATUS_LABELS[i.status as IncidentStatus]}`,
      link: `/incidents/${i.number}`,
    }));
  },
});

// ---------------------------------------------------------------- home

registerHomeContributor(async (ctx, actor) => {
  const actions: HomeAction[] = [];
  const figures: HomeFigure[] = [];
  const lists: HomeList[] = [];
  if (can(actor, 'cases:read')) {
    const counts = await caseCounts(ctx, actor);
    figures.push({ label: 'Open cases', value: counts.open, window: 'now', href: '/cases?status=active' });
    if (counts.mine) figures.push({ label: 'My open cases', value: counts.mine, window: 'now', href: '/cases?mine=true' });
    for (const t of await myOpenTasks(ctx, actor)) {
      actions.push({ kind: 'case task', label: `${t.ref}: ${t.title}`, detail: 'Case task', href: `/cases/${t.ref}`, due: t.due_date });
    }
    const mine = await rows<{ ref: string; title: string; status: string; store: string | null }>(
      ctx.db,
      sql`select c.ref, c.title, c.status, s.code as store from cases c left join stores s on s.id = c.store_id
           where c.status <> 'closed' and (c.lead_id = ${actor.id}::uuid or exists (select 1 from case_members m where m.case_id = c.id and m.person_id = ${actor.id}::uuid))
             and ${caseVisibleSql(actor, 'c')} order by c.updated_at desc limit 5`,
    );
    lists.push({ key: 'cases:mine', title: 'My open cases', window: 'now', items: mine.map((c) => ({ label: `${c.ref} ${c.title}`, detail: c.store ?? 'HQ', href: `/cases/${c.ref}`, badge: c.status === 'on_hold' ? 'on hold' : null })), empty: 'No open cases of yours.', action: { label: 'All cases', href: '/cases' } });
  }
  if (can(actor, 'cases:triage')) {
    const [n] = await rows<{ n: number }>(ctx.db, sql`select count(*)::int as n from incidents i where i.status = 'new' and ${incidentVisibleSql(actor, 'i')}`);
    if (Number(n?.n)) actions.push({ kind: 'triage', label: `${n.n} new incident${Number(n.n) === 1 ? '' : 's'} to triage`, detail: 'Incidents', href: '/incidents?status=new', due: null });
  }
  if (can(actor, 'incidents:report')) {
    actions.push({ kind: 'incident', label: 'Report an incident', detail: 'A loss, theft or damage: takes a minute', href: '/incidents/new', due: null });
    const my = await rows<{ number: number; type: IncidentType; status: string; case_ref: string | null }>(
      ctx.db,
      sql`select i.number, i.type, i.status, null as case_ref from incidents i where i.reporter_id = ${actor.id}::uuid order by i.created_at desc limit 5`,
    );
    lists.push({ key: 'incidents:mine', title: 'My incident reports', window: null, items: my.map((i) => ({ label: `${incidentRef(i.number)} ${INCIDENT_TYPE_LABELS[i.type]}`, detail: INCIDENT_STATUS_LABELS[i.status as IncidentStatus], href: `/incidents/${i.number}`, badge: null })), empty: 'You have not reported an incident.', action: { label: 'Report an incident', href: '/incidents/new' } });
  }
  return { actions, figures, lists };
});

// ---------------------------------------------------------------- meeting agenda: counts only for restricted cases

registerAgendaSuggester({
  kind: 'cases',
  label: 'Cases',
  async suggest(ctx, actor, window) {
    if (!can(actor, 'cases:read')) return [];
    const counts = await caseCounts(ctx, actor);
    const [fresh] = await rows<{ n: number; loss: number }>(
      ctx.db,
      sql`select count(*)::int as n, coalesce(sum(i.estimated_loss_cents), 0)::float8 as loss from incidents i
           where i.created_at >= ${window.from.toISOString()}::timestamptz and i.created_at < ${window.to.toISOString()}::timestamptz and ${incidentVisibleSql(actor, 'i')}`,
    );
    const out = [];
    if (counts.open) {
      out.push({
        key: 'cases:open',
        title: 'Open investigations',
        why: `${counts.open} open case${counts.open === 1 ? '' : 's'}${counts.sealed ? `, ${counts.sealed} of them restricted (count only)` : ''}`,
        link: '/cases?status=active',
        minutes: 10,
        weight: 40 + Math.min(counts.open, 20),
      });
    }
    if (Number(fresh?.n)) {
      out.push({ key: `incidents:${window.from.toISOString().slice(0, 10)}`, title: 'Incidents since the last meeting', why: `${fresh.n} incident${Number(fresh.n) === 1 ? '' : 's'} reported, ${money(Number(fresh.loss))} estimated loss`, link: '/incidents', minutes: 5, weight: 30 });
    }
    return out;
  },
});

// ---------------------------------------------------------------- newsletter: closed cases, redacted; restricted cases never

registerNewsletterContributor({
  kind: 'cases',
  label: 'Cases',
  order: 20,
  async draft(ctx, period) {
    const closed = await rows<{ type: IncidentType; outcome: CaseOutcome; store: string | null; region: string | null; loss: number; recovered: number }>(
      ctx.db,
      sql`select c.type, c.outcome, s.code as store, s.region, c.loss_cents::float8 as loss, (c.recovery_cents + c.restitution_cents)::float8 as recovered
            from cases c left join stores s on s.id = c.store_id
           where not c.sealed and c.status = 'closed' and c.closed_at >= ${period.from.toISOString()}::timestamptz and c.closed_at < ${period.to.toISOString()}::timestamptz
           order by c.closed_at`,
    );
    const sections: NewsletterSection[] = [];
    if (closed.length) {
      const loss = closed.reduce((s, c) => s + Number(c.loss), 0);
      const recovered = closed.reduce((s, c) => s + Number(c.recovered), 0);
      sections.push({
        key: 'cases:closed',
        title: 'Cases closed',
        blocks: [
          { type: 'figures', items: [{ label: 'Cases closed', value: String(closed.length) }, { label: 'Loss in these cases', value: money(loss) }, { label: 'Recovered and restitution', value: money(recovered) }] },
          // Redacted: no subject, no title, no names; the region rather than the store.
          { type: 'items', items: closed.map((c) => ({ title: `${INCIDENT_TYPE_LABELS[c.type]}, ${c.region ?? 'head office'}`, text: `${CASE_OUTCOME_LABELS[c.outcome]}; loss ${money(Number(c.loss))}, recovered ${money(Number(c.recovered))}.` })) },
        ],
      });
    }
    return sections;
  },
});
