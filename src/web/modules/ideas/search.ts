import { IDEA_STATES, type IdeaState } from '../../../contracts/ideas';

/** What this module's pages keep in the address (search params), checked by the router before the page loads. */

export interface IdeasSearch {
  state?: IdeaState;
  mine?: 'owned' | 'submitted';
}

export function validateIdeasSearch(s: Record<string, unknown>): IdeasSearch {
  return {
    state: typeof s.state === 'string' && (IDEA_STATES as readonly string[]).includes(s.state) ? (s.state as IdeaState) : undefined,
    mine: s.mine === 'owned' || s.mine === 'submitted' ? s.mine : undefined,
  };
}
