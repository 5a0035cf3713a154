import { sql } from 'drizzle-orm';
import { ideaRef } from '../../../contracts/ideas.js';
import { registerNewsletterContributor, type NewsletterSection } from '../../platform/newsletter-sections.js';
import { rowsFor } from '../newsletter/contributor-sql.js';

interface Row {
  number: number;
  title: string;
  anonymous: boolean;
  author_name: string | null;
  department_name: string | null;
  owner_name: string | null;
  votes: number;
}

/** An anonymous idea's author is never named (not even their department), whoever reads. */
const credit = (r: Row, withOwner: boolean) =>
  [r.anonymous ? 'Suggested anonymously' : `Suggested by ${r.author_name}${r.department_name ? ` (${r.department_name})` : ''}`, withOwner && r.owner_name ? `carried through by ${r.owner_name}` : '']
    .filter(Boolean)
    .join(', ');

/**
 * Ideas for the newsletter: the period's new ideas and those implemented (moved to done), with credit
 * to the author and the owner who carried it through. Declined and duplicate ideas are left out.
 */
registerNewsletterContributor({
  kind: 'ideas',
  label: 'Ideas',
  order: 40,
  async draft(ctx, period) {
    const columns = sql`i.number, i.title, i.anonymous, i.vote_count as votes,
      case when i.anonymous then null else a.name end as author_name,
      case when i.anonymous then null else d.name end as department_name,
      o.name as owner_name`;
    const joins = sql`left join people a on a.id = i.author_id left join departments d on d.id = i.department_id left join people o on o.id = i.owner_id`;
    const implemented = await rowsFor<Row>(
      ctx,
      sql`select ${columns} from ideas i ${joins}
           where i.state = 'done'
             and exists (select 1 from idea_events e where e.idea_id = i.id and e.kind = 'state' and e.to_state = 'done' and e.at >= ${period.from} and e.at < ${period.to})
           order by i.vote_count desc, i.number limit 10`,
    );
    const fresh = await rowsFor<Row>(
      ctx,
      sql`select ${columns} from ideas i ${joins}
           where i.created_at >= ${period.from} and i.created_at < ${period.to} and i.state not in ('declined', 'duplicate')
           order by i.vote_count desc, i.number limit 8`,
    );
    const sections: NewsletterSection[] = [];
    if (implemented.length) {
      sections.push({
        key: 'ideas:implemented',
        title: 'Ideas put into practice',
        blocks: [{ type: 'items', items: implemented.map((r) => ({ title: `${ideaRef(r.number)} ${r.title}`, credit: credit(r, true), link: `${ctx.config.publicUrl}/ideas/${ideaRef(r.number)}` })) }],
      });
    }
    if (fresh.length) {
      sections.push({
        key: 'ideas:new',
        title: 'New ideas',
        blocks: [
          { type: 'paragraph', text: `${fresh.length === 8 ? 'The most supported of the' : fresh.length === 1 ? 'One' : `${fresh.length}`} new ideas this period. Vote for the ones you want to see happen.` },
          { type: 'items', items: fresh.map((r) => ({ title: `${ideaRef(r.number)} ${r.title}`, text: `${r.votes} vote${Number(r.votes) === 1 ? '' : 's'}`, credit: credit(r, false), link: `${ctx.config.publicUrl}/ideas/${ideaRef(r.number)}` })) },
        ],
      });
    }
    return sections;
  },
});
