import { z } from 'zod';
import { IDEA_CATEGORIES, IDEA_STATES } from './ideas-vocabulary.js';
import { listQueryBase, pageOf, queryBoolean } from './list.js';

// --- Vocabulary (ideas-vocabulary.ts, which the web app reads without zod) ---
export * from './ideas-vocabulary.js';

// --- Records ---
const personRef = z.object({ id: z.string(), name: z.string(), departmentName: z.string().nullable() });

export const ideaSchema = z.object({
  id: z.string(),
  number: z.number().int(),
  ref: z.string(),
  title: z.string(),
  description: z.string(),
  category: z.enum(IDEA_CATEGORIES),
  state: z.enum(IDEA_STATES),
  storeId: z.string().nullable(),
  storeCode: z.string().nullable(),
  storeName: z.string().nullable(),
  /** The submitting department (the author's at submission); null for anonymous ideas. */
  departmentId: z.string().nullable(),
  departmentName: z.string().nullable(),
  anonymous: z.boolean(),
  /** Null when the idea is anonymous and the reader is not an admin. */
  author: personRef.nullable(),
  /** Whether the reader is the author (true even for their own anonymous ideas). */
  mine: z.boolean(),
  owner: personRef.nullable(),
  votes: z.number().int(),
  voted: z.boolean(),
  comments: z.number().int(),
  declineReason: z.string().nullable(),
  duplicateOf: z.object({ id: z.string(), ref: z.string(), title: z.string() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastActivityAt: z.string(),
});
export type Idea = z.infer<typeof ideaSchema>;

export const IDEA_EVENT_KINDS = ['submitted', 'state', 'owner', 'comment', 'votes_merged'] as const;
export const ideaEventSchema = z.object({
  id: z.string(),
  kind: z.enum(IDEA_EVENT_KINDS),
  at: z.string(),
  /** Null when hidden (the anonymous author's submission, for non-admins). */
  actor: z.object({ id: z.string(), name: z.string() }).nullable(),
  fromState: z.enum(IDEA_STATES).nullable(),
  toState: z.enum(IDEA_STATES).nullable(),
  owner: z.object({ id: z.string(), name: z.string() }).nullable(),
  body: z.string().nullable(),
  mentions: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type IdeaEvent = z.infer<typeof ideaEventSchema>;

export const ideaDetailSchema = ideaSchema.extend({
  history: z.array(ideaEventSchema),
  /** What the reader may do now, so the page shows only the buttons that work. */
  can: z.object({
    vote: z.boolean(),
    comment: z.boolean(),
    takeOwnership: z.boolean(),
    assignOwner: z.boolean(),
    moveTo: z.array(z.enum(IDEA_STATES)),
  }),
  /** Ideas marked as duplicates of this one. */
  duplicates: z.array(z.object({ id: z.string(), ref: z.string(), title: z.string() })),
});
export type IdeaDetail = z.infer<typeof ideaDetailSchema>;

// --- Input ---
export const ideaInput = z.object({
  title: z.string({ error: 'is required' }).trim().min(1, 'is required').max(140, 'must be at most 140 characters'),
  description: z.string({ error: 'is required' }).trim().min(1, 'is required').max(5000, 'must be at most 5000 characters'),
  category: z.enum(IDEA_CATEGORIES, { error: `must be one of ${IDEA_CATEGORIES.join(', ')}` }),
  /** Null means headquarters. */
  storeId: z.string().uuid('is not a store').nullable().default(null),
  anonymous: z.boolean().default(false),
});

export const ideaStateChange = z
  .object({
    state: z.enum(IDEA_STATES, { error: `must be one of ${IDEA_STATES.join(', ')}` }),
    /** Required when declining. */
    reason: z.string().trim().max(2000, 'must be at most 2000 characters').optional(),
    /** Required when marking a duplicate: the original idea's id or reference (IDEA-7). */
    duplicateOf: z.string().trim().max(64).optional(),
    /** Optional when accepting: who owns it from now on. */
    ownerId: z.string().uuid('is not a person').optional(),
  })
  .superRefine((v, ctx) => {
    if (v.state === 'declined' && !v.reason) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'is required when declining an idea' });
    if (v.state === 'duplicate' && !v.duplicateOf) ctx.addIssue({ code: 'custom', path: ['duplicateOf'], message: 'name the original idea (e.g. IDEA-7)' });
  });

export const ideaCommentInput = z.object({
  body: z.string({ error: 'is required' }).trim().min(1, 'is required').max(4000, 'must be at most 4000 characters'),
});
export const ideaOwnerInput = z.object({ ownerId: z.string({ error: 'is required' }).uuid('is not a person') });
export const ideaVoteResult = z.object({ voted: z.boolean(), votes: z.number().int() });

export const IDEA_SORTS = ['votes', 'createdAt', 'lastActivityAt', 'number'] as const;
export const ideaListQuery = listQueryBase.extend({
  sort: z.enum(IDEA_SORTS).default('createdAt'),
  state: z.enum(IDEA_STATES).optional(),
  /** Several states at once, comma-separated (the board, "open ideas"). */
  states: z
    .string()
    .optional()
    .transform((s) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : undefined))
    .pipe(z.array(z.enum(IDEA_STATES)).optional()),
  category: z.enum(IDEA_CATEGORIES).optional(),
  storeId: z.string().uuid().optional(),
  hq: queryBoolean.optional(),
  departmentId: z.string().uuid().optional(),
  ownerId: z.string().uuid().optional(),
  /** "me": ideas I own. */
  mine: z.enum(['owned', 'submitted']).optional(),
  unowned: queryBoolean.optional(),
});
export const ideaPage = pageOf(ideaSchema);

export const ideaSimilarQuery = z.object({
  q: z.string().trim().max(200).default(''),
  /** Leave this idea out (its own page). */
  exclude: z.string().uuid().optional(),
});
export const ideaSimilarSchema = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      ref: z.string(),
      title: z.string(),
      state: z.enum(IDEA_STATES),
      votes: z.number().int(),
      /** Whether the asker has voted for it, and may (ideas:vote; not on a duplicate, whose votes moved to the original). */
      voted: z.boolean(),
      canVote: z.boolean(),
    }),
  ),
});
export type IdeaSimilar = z.infer<typeof ideaSimilarSchema>;

export const ideaStatsSchema = z.object({
  byState: z.array(z.object({ state: z.enum(IDEA_STATES), count: z.number().int() })),
  /** Ideas submitted per month and submitting department (last 6 months). */
  byMonth: z.array(z.object({ month: z.string(), department: z.string(), count: z.number().int() })),
});
export type IdeaStats = z.infer<typeof ideaStatsSchema>;

export const ideaIdParams = z.object({
  id: z.string().regex(/^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|IDEA-\d{1,9})$/i, 'is not an idea id or reference (IDEA-7)'),
});
