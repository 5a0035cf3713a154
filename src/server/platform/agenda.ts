import type { AppContext } from './context.js';
import type { Actor } from './policy.js';

/**
 * One item a module proposes for a joint LP–IT meeting, built from live data. `why` states the
 * figure that makes it worth the meeting's time ("3 projects wait at the security gate, oldest 12 days").
 */
export interface AgendaSuggestion {
  /** Stable across regenerations so a dismissed or accepted suggestion is not offered again, e.g. 'projects:gate:<id>'. */
  key: string;
  title: string;
  why: string;
  /** App path of the record or list the item is about. */
  link?: string;
  /** Suggested time box in minutes. */
  minutes?: number;
  /** Higher comes first among all suggestions. */
  weight: number;
}

/** The meeting a suggestion is for: the period since the last occurrence, and who sits at the table. */
export interface AgendaWindow {
  from: Date;
  to: Date;
  /** Departments of the series' attendees. */
  departmentIds: string[];
  /** The meeting series asking (for suggestions about the series itself, such as its own overdue actions). */
  seriesId?: string;
}

/**
 * A module's contribution to meeting agendas. `suggest` sees the actor (the person preparing or
 * viewing the agenda) and applies the same scope as the module's lists; restricted records appear as
 * counts only (never a sealed case's content). Return [] when nothing is worth raising.
 */
export interface AgendaSuggester {
  /** Stable key, e.g. 'projects'. */
  kind: string;
  label: string;
  suggest(ctx: AppContext, actor: Actor, window: AgendaWindow): Promise<AgendaSuggestion[]>;
}

const suggesters = new Map<string, AgendaSuggester>();

/** Modules register once, at import time (their service module). */
export function registerAgendaSuggester(suggester: AgendaSuggester) {
  suggesters.set(suggester.kind, suggester);
}

export function agendaSuggesters(): readonly AgendaSuggester[] {
  return [...suggesters.values()];
}
