import { sql } from 'drizzle-orm';
import { registerNewsletterContributor, type NewsletterSection } from '../../platform/newsletter-sections.js';
import { fmtInt, rowsFor } from '../newsletter/contributor-sql.js';

/**
 * Cross-training for the newsletter: sessions held, who shadowed whom by department, the skills
 * covered, and a few learnings in the participants' words — credited to the department pair, not
 * the person (ratings and reflections are read per department in the app).
 */
registerNewsletterContributor({
  kind: 'training',
  label: 'Cross-training',
  order: 50,
  async draft(ctx, period) {
    const [s] = await rowsFor<{ sessions: number; guests: number; skills: number }>(
      ctx,
      sql`select count(distinct ts.id)::int as sessions,
                 count(distinct g.person_id)::int as guests,
                 count(distinct sk.skill_id)::int as skills
            from training_sessions ts
            left join training_session_guests g on g.session_id = ts.id and g.response <> 'declined'
            left join training_session_skills sk on sk.session_id = ts.id
           where ts.status = 'scheduled' and ts.ends_at >= ${period.from} and ts.ends_at < ${period.to} and ts.ends_at <= now()`,
    );
    if (!s || Number(s.sessions) === 0) return [];
    const skills = await rowsFor<{ name: string; n: number }>(
      ctx,
      sql`select k.name, count(*)::int as n from training_sessions ts
            join training_session_skills sk on sk.session_id = ts.id join training_skills k on k.id = sk.skill_id
           where ts.status = 'scheduled' and ts.ends_at >= ${period.from} and ts.ends_at < ${period.to} and ts.ends_at <= now()
           group by k.name order by 2 desc, 1 limit 6`,
    );
    const learnings = await rowsFor<{ learned: string; own: string | null; host: string | null }>(
      ctx,
      sql`select r.learned, pd.name as own, hd.name as host
            from training_reflections r
            join training_sessions ts on ts.id = r.session_id
            join people p on p.id = r.person_id left join departments pd on pd.id = p.department_id
            join people h on h.id = ts.host_id left join departments hd on hd.id = h.department_id
           where ts.status = 'scheduled' and ts.ends_at >= ${period.from} and ts.ends_at < ${period.to} and r.person_id <> ts.host_id and length(r.learned) >= 20
           order by r.created_at limit 3`,
    );
    const section: NewsletterSection = {
      key: 'training:sessions',
      title: 'Cross-training',
      blocks: [
        {
          type: 'figures',
          items: [
            { label: 'Shadowing sessions held', value: fmtInt(Number(s.sessions)) },
            { label: 'Colleagues who shadowed', value: fmtInt(Number(s.guests)) },
            { label: 'Skills covered', value: fmtInt(Number(s.skills)) },
          ],
        },
      ],
    };
    if (skills.length) section.blocks.push({ type: 'paragraph', text: `Skills practised: ${skills.map((k) => `${k.name} (${k.n})`).join(', ')}.` });
    if (learnings.length) {
      section.blocks.push({
        type: 'items',
        items: learnings.map((l) => ({
          title: `“${l.learned.length > 280 ? `${l.learned.slice(0, 277)}…` : l.learned}”`,
          credit: l.own && l.host ? `A colleague from ${l.own}, shadowing ${l.host}` : 'A colleague after a shadowing session',
        })),
      });
    }
    return [section];
  },
});
