import type { AppContext } from './context.js';

/** A block of an edition section; the newsletter renders each kind for HTML mail, plain text and the web. */
export type NewsletterBlock =
  | { type: 'paragraph'; text: string }
  | { type: 'figures'; items: { label: string; value: string; note?: string }[] }
  | { type: 'items'; items: { title: string; text?: string; link?: string; credit?: string }[] }
  /** A chart the newsletter draws as an image (mail clients do not run script). `alt` says what it shows in words. */
  | { type: 'chart'; kind: 'bar' | 'line'; title: string; alt: string; unit?: string; points: { label: string; value: number; reference?: number }[] };

export interface NewsletterSection {
  /** Stable key within the contributor, e.g. 'ideas:implemented'. */
  key: string;
  title: string;
  blocks: NewsletterBlock[];
}

export interface NewsletterPeriod {
  from: Date;
  to: Date;
}

/**
 * A module's contribution to a newsletter edition. An edition goes to the whole organisation, so a
 * contributor writes only what everyone may read: counts and outcomes, never a subject's name, never
 * anything of a sealed or restricted record (not even its existence), anonymous authors stay anonymous.
 * Return [] when the period holds nothing worth telling.
 */
export interface NewsletterContributor {
  /** Stable key, e.g. 'ideas'. */
  kind: string;
  label: string;
  /** Where its sections appear in a fresh draft (lower first). */
  order: number;
  draft(ctx: AppContext, period: NewsletterPeriod): Promise<NewsletterSection[]>;
}

const contributors = new Map<string, NewsletterContributor>();

/** Modules register once, at import time (their service module). */
export function registerNewsletterContributor(contributor: NewsletterContributor) {
  contributors.set(contributor.kind, contributor);
}

export function newsletterContributors(): readonly NewsletterContributor[] {
  return [...contributors.values()].sort((a, b) => a.order - b.order);
}
