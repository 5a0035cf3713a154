import { and, desc, inArray, isNull, sql } from 'drizzle-orm';
import { ideaRef } from '../../../contracts/ideas.js';
import { registerAgendaSuggester } from '../../platform/agenda.js';
import { can } from '../../platform/policy.js';
import { ideas } from './schema.js';
import { ideasVisibleSql } from './service.js';

/** The most-voted ideas that nobody has taken ownership of: a joint meeting can find them an owner. */
registerAgendaSuggester({
  kind: 'ideas',
  label: 'Ideas',
  async suggest(ctx, actor) {
    if (!can(actor, 'ideas:read')) return [];
    const votes = sql<number>`(select count(*)::int from idea_votes v where v.idea_id = "ideas"."id")`;
    const rows = await ctx.db
      .select({ id: ideas.id, number: ideas.number, title: ideas.title, votes })
      .from(ideas)
      .where(and(ideasVisibleSql(actor), isNull(ideas.ownerId), inArray(ideas.state, ['submitted', 'under_review', 'accepted'])))
      .orderBy(desc(votes), desc(ideas.createdAt))
      .limit(3);
    return rows
      .filter((r) => Number(r.votes) >= 3)
      .map((r) => ({
        key: `ideas:unowned:${r.id}`,
        title: `Find an owner: ${ideaRef(r.number)} ${r.title}`,
        why: `${Number(r.votes)} people voted for this idea and nobody owns it yet.`,
        link: `/ideas/${ideaRef(r.number)}`,
        minutes: 5,
        weight: 30 + Math.min(20, Number(r.votes)),
      }));
  },
});

