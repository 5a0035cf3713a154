import { z } from 'zod';
import type { DepartmentKind } from './roles.js';

/** Technology projects (M4): LP roll-outs that pass IT's gates. */

export const PROJECT_TYPES = ['camera_rollout', 'eas', 'access_control', 'analytics', 'other'] as const;
export type ProjectType = (typeof PROJECT_TYPES)[number];
export const PROJECT_TYPE_LABELS: Record<ProjectType, string> = {
  camera_rollout: 'Camera roll-out',
  eas: 'EAS (article surveillance)',
  access_control: 'Access control',
  analytics: 'Analytics',
  other: 'Other',
};

export const PROJECT_STAGES = ['proposal', 'security_review', 'capacity_review', 'budget_approval', 'pilot', 'rollout', 'done', 'stopped'] as const;
export type ProjectStage = (typeof PROJECT_STAGES)[number];
export const PROJECT_STAGE_LABELS: Record<ProjectStage, string> = {
  proposal: 'Proposal',
  security_review: 'IT security review',
  capacity_review: 'Capacity review',
  budget_approval: 'Budget approval',
  pilot: 'Pilot',
  rollout: 'Roll-out',
  done: 'Done',
  stopped: 'Stopped',
};
/** A stage's name inside a sentence: lower case, but IT stays IT. */
export const stageName = (stage: ProjectStage) => (PROJECT_STAGE_LABELS[stage].startsWith('IT ') ? PROJECT_STAGE_LABELS[stage] : PROJECT_STAGE_LABELS[stage].toLowerCase());
/** The road in order (stopped is off the road). */
export const PROJECT_ROAD: readonly ProjectStage[] = ['proposal', 'security_review', 'capacity_review', 'budget_approval', 'pilot', 'rollout', 'done'];

/** Stages that are gates: the project waits there until both sides sign off and the facts allow it. */
export const GATES = ['security_review', 'capacity_review', 'budget_approval'] as const;
export type Gate = (typeof GATES)[number];
export const isGate = (stage: string): stage is Gate => (GATES as readonly string[]).includes(stage);
export const nextStage = (stage: ProjectStage): ProjectStage | null => {
  const i = PROJECT_ROAD.indexOf(stage);
  return i >= 0 && i < PROJECT_ROAD.length - 1 ? PROJECT_ROAD[i + 1] : null;
};

export const SIGN_SIDES = ['lp', 'it'] as const;
export type SignSide = (typeof SIGN_SIDES)[number];
/** Whose lead signs each side of a gate: LP for the business side; IT, or InfoSec at the security gate. */
export function gateSignerKind(gate: Gate, side: SignSide): DepartmentKind {
  if (side === 'lp') return 'lp';
  return gate === 'security_review' ? 'infosec' : 'it';
}
export const SIDE_LABELS: Record<Gate, Record<SignSide, string>> = {
  security_review: { lp: 'LP lead', it: 'InfoSec lead' },
  capacity_review: { lp: 'LP lead', it: 'IT lead' },
  budget_approval: { lp: 'LP lead', it: 'IT lead' },
};

/** The checklist each new project starts from, per type and gate; admins edit these templates. */
export const DEFAULT_GATE_TEMPLATES: Record<ProjectType, Record<Gate, string[]>> = {
  camera_rollout: {
    security_review: ['Cameras on the security VLAN, isolated from POS and corporate', 'Default credentials changed and stored in the vault', 'Firmware at the vendor’s current release', 'VMS access through SSO with named accounts', 'Remote access reviewed (no port forwarding)'],
    capacity_review: ['Camera plan per store: bandwidth, storage and PoE computed', 'Uplink headroom checked for off-site viewing', 'Switch PoE budget checked', 'Recorder storage meets the retention policy'],
    budget_approval: ['Quote from the vendor attached', 'Capex and opex lines entered in the IT budget', 'Installation schedule agreed with store operations'],
  },
  eas: {
    security_review: ['EAS controllers on a managed segment', 'Vendor remote support access reviewed', 'Firmware at the vendor’s current release'],
    capacity_review: ['Power and cabling at each entrance surveyed', 'Network ports available for the controllers'],
    budget_approval: ['Quote from the vendor attached', 'Tag and label costs in the opex line', 'Installation schedule agreed with store operations'],
  },
  access_control: {
    security_review: ['Controllers on the security VLAN', 'Badge database hosted in a reviewed location', 'Administrator accounts named and with MFA', 'Audit log retained one year'],
    capacity_review: ['Door controllers and readers per store counted', 'PoE or local power planned for each door'],
    budget_approval: ['Quote from the vendor attached', 'Badge printing and card stock budgeted', 'Installation schedule agreed with store operations'],
  },
  analytics: {
    security_review: ['Data flows described (what leaves the store, where it goes)', 'Personal data minimised and retention set', 'Vendor security questionnaire reviewed', 'Service accounts least-privilege'],
    capacity_review: ['Bandwidth per store for the data feed estimated', 'Compute and storage sized'],
    budget_approval: ['Licence cost per store and year agreed', 'Run cost (opex) entered in the IT budget'],
  },
  other: {
    security_review: ['Network placement reviewed', 'Credentials and remote access reviewed'],
    capacity_review: ['Network and power needs estimated'],
    budget_approval: ['Cost entered in the IT budget'],
  },
};

export const PROJECT_LINK_KINDS = ['request', 'device', 'camera_plan', 'idea'] as const;
export type ProjectLinkKind = (typeof PROJECT_LINK_KINDS)[number];
export const PROJECT_LINK_LABELS: Record<ProjectLinkKind, string> = { request: 'Request', device: 'Device', camera_plan: 'Camera plan', idea: 'Idea' };

export const STORE_ROLLOUT_STATUSES = ['planned', 'in_progress', 'done'] as const;
export type StoreRolloutStatus = (typeof STORE_ROLLOUT_STATUSES)[number];

export const projectRef = (n: number) => `PRJ-${n}`;

const title = z.string({ error: 'is required' }).trim().min(1, 'is required').max(140, 'must be at most 140 characters');
const isoDate = z.string().date('must be a date (YYYY-MM-DD)');
const cents = z.number({ error: 'must be a number' }).int('must be whole cents').min(0, 'must not be negative').max(1e13, 'is too large');

export const projectSchema = z.object({
  id: z.string(),
  number: z.number().int(),
  ref: z.string(),
  title: z.string(),
  description: z.string(),
  type: z.enum(PROJECT_TYPES),
  stage: z.enum(PROJECT_STAGES),
  ownerId: z.string(),
  ownerName: z.string(),
  itContactId: z.string().nullable(),
  itContactName: z.string().nullable(),
  estimatedCostCents: z.number().int().nullable(),
  storesTotal: z.number().int(),
  storesDone: z.number().int(),
  targetDate: z.string().nullable(),
  stageSince: z.string(),
  stoppedReason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Project = z.infer<typeof projectSchema>;

export const checklistItemSchema = z.object({ label: z.string(), done: z.boolean(), doneByName: z.string().nullable(), doneAt: z.string().nullable() });
export type ChecklistItem = z.infer<typeof checklistItemSchema>;

export const blockerSchema = z.object({ code: z.enum(['checklist', 'finding', 'uplink', 'poe', 'budget']), message: z.string(), link: z.string().nullable() });
export type Blocker = z.infer<typeof blockerSchema>;

export const signoffSchema = z.object({
  side: z.enum(SIGN_SIDES),
  label: z.string(),
  decision: z.enum(['approved', 'refused']).nullable(),
  personName: z.string().nullable(),
  reason: z.string().nullable(),
  at: z.string().nullable(),
  /** Who may sign this side (names of the leads), for "waiting on". */
  waitingOn: z.array(z.string()),
});

export const gateSchema = z.object({
  gate: z.enum(GATES),
  label: z.string(),
  state: z.enum(['waiting', 'current', 'passed']),
  passedAt: z.string().nullable(),
  checklist: z.array(checklistItemSchema),
  signoffs: z.array(signoffSchema),
  /** Facts that stop the gate now (only computed for the current gate). */
  blockers: z.array(blockerSchema),
  /** The side this person may sign at this gate now, if any. */
  canSign: z.enum(SIGN_SIDES).nullable(),
});
export type ProjectGate = z.infer<typeof gateSchema>;

export const milestoneSchema = z.object({ id: z.string(), title: z.string(), dueDate: z.string(), doneOn: z.string().nullable() });
export const projectStoreSchema = z.object({ storeId: z.string(), storeCode: z.string(), storeName: z.string(), status: z.enum(STORE_ROLLOUT_STATUSES), doneOn: z.string().nullable() });
export const projectLinkSchema = z.object({
  id: z.string(),
  kind: z.enum(PROJECT_LINK_KINDS),
  targetId: z.string(),
  ref: z.string().nullable(),
  title: z.string(),
  detail: z.string(),
  link: z.string().nullable(),
});
export const projectBudgetLineSchema = z.object({ id: z.string(), ref: z.string(), fiscalYear: z.number().int(), title: z.string(), kind: z.string(), amountCents: z.number().int() });
export const projectEventSchema = z.object({
  id: z.string(),
  kind: z.string(),
  gate: z.string().nullable(),
  fromStage: z.string().nullable(),
  toStage: z.string().nullable(),
  decision: z.string().nullable(),
  body: z.string(),
  actorName: z.string().nullable(),
  at: z.string(),
});

export const projectDetail = projectSchema.extend({
  gates: z.array(gateSchema),
  milestones: z.array(milestoneSchema),
  stores: z.array(projectStoreSchema),
  links: z.array(projectLinkSchema),
  budgetLines: z.array(projectBudgetLineSchema),
  events: z.array(projectEventSchema),
  can: z.object({ edit: z.boolean(), moves: z.array(z.enum(PROJECT_STAGES)) }),
});
export type ProjectDetail = z.infer<typeof projectDetail>;

export const projectListQuery = z.object({
  q: z.string().trim().max(200).optional(),
  order: z.enum(['asc', 'desc']).default('desc'),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  sort: z.enum(['number', 'updatedAt', 'title', 'stage']).default('number'),
  stage: z.enum(PROJECT_STAGES).optional(),
  type: z.enum(PROJECT_TYPES).optional(),
  /** Only projects waiting at a gate. */
  atGate: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
});
export const projectPage = z.object({ items: z.array(projectSchema), total: z.number().int(), nextCursor: z.string().nullable() });

export const projectInput = z.object({
  title,
  description: z.string().trim().max(5000, 'must be at most 5000 characters').default(''),
  type: z.enum(PROJECT_TYPES, { error: `must be one of ${PROJECT_TYPES.join(', ')}` }),
  itContactId: z.string().uuid('is not a person').nullable().default(null),
  estimatedCostCents: cents.nullable().default(null),
  targetDate: isoDate.nullable().default(null),
  storeIds: z.array(z.string().uuid('is not a store')).max(2000).default([]),
});
export const projectPatch = z.object({
  title: title.optional(),
  description: z.string().trim().max(5000, 'must be at most 5000 characters').optional(),
  itContactId: z.string().uuid('is not a person').nullable().optional(),
  estimatedCostCents: cents.nullable().optional(),
  targetDate: isoDate.nullable().optional(),
});

export const stageChangeInput = z.object({
  to: z.enum(PROJECT_STAGES, { error: 'is not a stage' }),
  reason: z.string().trim().max(2000).optional(),
});
export const signoffInput = z.object({
  decision: z.enum(['approve', 'refuse'], { error: 'must be approve or refuse' }),
  reason: z.string().trim().max(2000, 'must be at most 2000 characters').optional(),
});
export const checklistTick = z.object({ gate: z.enum(GATES, { error: 'is not a gate' }), index: z.number().int().min(0), done: z.boolean() });
export const milestonesInput = z.object({
  /** The whole list, in order. An item with the id of an existing milestone keeps it (a rename is not a new milestone). */
  items: z
    .array(z.object({ id: z.string().uuid('is not a milestone id').optional(), title, dueDate: isoDate, doneOn: isoDate.nullable().default(null) }))
    .max(100, 'at most 100 milestones'),
});
export const storesInput = z.object({
  /** The whole list. A done store without a date keeps its earlier date, or gets today's. */
  items: z
    .array(
      z.object({
        storeId: z.string().uuid('is not a store'),
        status: z.enum(STORE_ROLLOUT_STATUSES, { error: `must be one of ${STORE_ROLLOUT_STATUSES.join(', ')}` }),
        doneOn: isoDate.nullable().default(null),
      }),
    )
    .max(5000, 'at most 5000 stores'),
});
export const linkInput = z.object({
  kind: z.enum(PROJECT_LINK_KINDS, { error: `must be one of ${PROJECT_LINK_KINDS.join(', ')}` }),
  /** Id or reference (REQ-4, IDEA-7) of the record. */
  target: z.string({ error: 'is required' }).trim().min(1, 'is required').max(100),
});

export const templateSchema = z.object({ type: z.enum(PROJECT_TYPES), gate: z.enum(GATES), items: z.array(z.string()), updatedAt: z.string().nullable() });
export const templateList = z.object({ items: z.array(templateSchema) });
export const templatePut = z.object({
  type: z.enum(PROJECT_TYPES, { error: `must be one of ${PROJECT_TYPES.join(', ')}` }),
  gate: z.enum(GATES, { error: `must be one of ${GATES.join(', ')}` }),
  items: z.array(z.string().trim().min(1, 'an item must not be empty').max(300, 'must be at most 300 characters')).min(1, 'needs at least one item').max(30, 'at most 30 items'),
});
