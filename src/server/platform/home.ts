import type { Home, HomeFigureInput } from '../../contracts/home.js';
import type { AppContext } from './context.js';
import type { Actor } from './policy.js';

export type HomeAction = Home['actions'][number];
/** A tile: `unit` defaults to a count; `window` says what period the value covers ("now", "last 7 days"). */
export type HomeFigure = HomeFigureInput;
export type HomeList = Home['lists'][number];

/**
 * What a module adds to a person's "My work": actions (things waiting on them), figures (tiles,
 * each naming its window) and lists (e.g. "my ideas"). A contributor decides from the Actor
 * (role, department, module access, stores) and applies the same store scope as its lists.
 */
export type HomeContributor = (ctx: AppContext, actor: Actor) => Promise<{ actions?: HomeAction[]; figures?: HomeFigure[]; lists?: HomeList[] }>;

const contributors: HomeContributor[] = [];

/** Modules register once, at import time (their service module). */
export function registerHomeContributor(contributor: HomeContributor) {
  contributors.push(contributor);
}

export function homeContributors(): readonly HomeContributor[] {
  return contributors;
}
