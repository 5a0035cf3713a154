// The ideas module's vocabulary, without zod: the web app's pages read these without loading the schemas.

export const IDEA_CATEGORIES = ['technology', 'process', 'training', 'communication', 'store_operations', 'other'] as const;
export type IdeaCategory = (typeof IDEA_CATEGORIES)[number];
export const IDEA_CATEGORY_LABELS: Record<IdeaCategory, string> = {
  technology: 'Technology',
  process: 'Process',
  training: 'Training',
  communication: 'Communication',
  store_operations: 'Store operations',
  other: 'Other',
};

export const IDEA_STATES = ['submitted', 'under_review', 'accepted', 'declined', 'duplicate', 'in_progress', 'done'] as const;
export type IdeaState = (typeof IDEA_STATES)[number];
/** The board's column order: the idea's path forward first, the closed-off outcomes last. */
export const IDEA_BOARD_ORDER: readonly IdeaState[] = ['submitted', 'under_review', 'accepted', 'in_progress', 'done', 'declined', 'duplicate'];
export const IDEA_STATE_LABELS: Record<IdeaState, string> = {
  submitted: 'Submitted',
  under_review: 'Under review',
  accepted: 'Accepted',
  declined: 'Declined',
  duplicate: 'Duplicate',
  in_progress: 'In progress',
  done: 'Done',
};

/**
 * Who may move an idea from one state to another. `review`: leads and admins (permission
 * ideas:review). `owner`: the idea's owner, or a lead/admin.
 */
export const IDEA_TRANSITIONS: Record<IdeaState, Partial<Record<IdeaState, 'review' | 'owner'>>> = {
  submitted: { under_review: 'review', declined: 'review', duplicate: 'review' },
  under_review: { accepted: 'review', declined: 'review', duplicate: 'review', submitted: 'review' },
  accepted: { in_progress: 'owner', under_review: 'review' },
  declined: { under_review: 'review' },
  duplicate: { under_review: 'review' },
  in_progress: { done: 'owner', accepted: 'owner' },
  done: { in_progress: 'owner' },
};

/** `IDEA-7`: the short reference people say out loud. */
export const ideaRef = (number: number) => `IDEA-${number}`;
