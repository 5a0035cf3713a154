import { z } from 'zod';
import { patchOf } from './patch.js';
import { listQueryBase, pageOf, queryBoolean } from './list.js';
import type { DepartmentKind } from './roles.js';

const trimmed = (max: number) => z.string().trim().min(1, 'is required').max(max, `must be at most ${max} characters`);

export const REQUEST_STATUSES = ['new', 'accepted', 'in_progress', 'done', 'declined', 'cancelled'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export const OPEN_STATUSES: readonly RequestStatus[] = ['new', 'accepted', 'in_progress'];
export const REQUEST_STATUS_LABELS: Record<RequestStatus, string> = {
  new: 'New',
  accepted: 'Accepted',
  in_progress: 'In progress',
  done: 'Done',
  declined: 'Declined',
  cancelled: 'Cancelled',
};

/**
 * Which status may follow which. The target department moves a request forward; the requesting
 * side may only cancel it. Closed requests (done, declined, cancelled) stay closed.
 */
export const REQUEST_TRANSITIONS: Record<RequestStatus, readonly RequestStatus[]> = {
  new: ['accepted', 'in_progress', 'declined', 'cancelled'],
  accepted: ['in_progress', 'done', 'declined', 'cancelled'],
  in_progress: ['done', 'cancelled'],
  done: [],
  declined: [],
  cancelled: [],
};

export const PRIORITY_CODES = ['P1', 'P2', 'P3', 'P4'] as const;
export type PriorityCode = (typeof PRIORITY_CODES)[number];

export const requestRef = (n: number) => `REQ-${n}`;

/** The standard catalogue a department of each kind offers (installed for the demo, or by an admin). */
export const DEFAULT_REQUEST_CATALOGUES: Record<DepartmentKind, Array<{ name: string; description: string }>> = {
  it: [
    { name: 'Network drop', description: 'A new or moved network port, PoE or switch capacity in a store or office.' },
    { name: 'Camera install or move', description: 'Install, move or replace an IP camera, including network and VLAN set-up.' },
    { name: 'Video export', description: 'Export footage from a store recorder or VMS for a case, with hash and chain of custody.' },
    { name: 'Access change', description: 'Grant, change or remove access to a system, share or application.' },
    { name: 'Data or report', description: 'A data extract, report or dashboard from POS, network or other systems.' },
    { name: 'Other', description: 'Anything else IT can help with.' },
  ],
  lp: [
    { name: 'Investigation support', description: 'Help with an investigation: interviews, evidence review, case know-how.' },
    { name: 'Policy input', description: 'LP view on a policy, standard or procedure before it is published.' },
    { name: 'Approval', description: 'A sign-off from loss prevention (change window, device, vendor, exception).' },
    { name: 'Training', description: 'LP training for a team: awareness, ORC, refunds, exception reporting.' },
    { name: 'Other', description: 'Anything else loss prevention can help with.' },
  ],
  security: [
    { name: 'Alarm or CCTV service', description: 'Fault, zone change or health check of alarms, EAS or cameras.' },
    { name: 'Video review', description: 'Monitoring-centre review of live or recorded video for a time window.' },
    { name: 'Incident response support', description: 'Guarding, escalation or on-site support during an incident.' },
    { name: 'Access card change', description: 'Issue, change or revoke door access for a person or contractor.' },
    { name: 'Other', description: 'Anything else security operations can help with.' },
  ],
  infosec: [
    { name: 'Security review', description: 'Review of a device, vendor or change before it goes on the network.' },
    { name: 'Vulnerability assessment', description: 'Scan or test of systems, devices or a store segment.' },
    { name: 'Policy exception', description: 'A time-limited exception to an information-security policy.' },
    { name: 'Data protection advice', description: 'Advice on personal data, retention, sharing or privacy notices.' },
    { name: 'Other', description: 'Anything else information security can help with.' },
  ],
  store_ops: [
    { name: 'Store access or escort', description: 'Access to a store after hours or an escort for a contractor.' },
    { name: 'Schedule change', description: 'Staff schedule or opening-hours change for work in a store.' },
    { name: 'Process change', description: 'A change to how stores work: till routines, refunds, receiving.' },
    { name: 'Store communication', description: 'A message or briefing to store teams.' },
    { name: 'Other', description: 'Anything else store operations can help with.' },
  ],
  custom: [{ name: 'General request', description: 'A request to this department.' }],
};

// --- Priorities
export const prioritySchema = z.object({
  code: z.enum(PRIORITY_CODES),
  name: z.string(),
  responseMinutes: z.number().int(),
  resolutionMinutes: z.number().int(),
  roundTheClock: z.boolean(),
  updatedAt: z.string(),
});
export type RequestPriority = z.infer<typeof prioritySchema>;
const minutes = z.coerce.number({ error: 'must be a number of minutes' }).int('must be whole minutes').min(5, 'must be at least 5 minutes').max(525600, 'must be at most a year');
export const priorityPatch = z.object({ name: trimmed(40).optional(), responseMinutes: minutes.optional(), resolutionMinutes: minutes.optional(), roundTheClock: z.boolean().optional() });

// --- Business hours of a department (targets of requests to it count only these)
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time HH:MM');
export const calendarInput = z
  .object({
    timezone: z.string().trim().min(1, 'is required').max(64, 'must be at most 64 characters'),
    workDays: z
      .array(z.number().int().min(1, 'must be weekdays 1 (Monday) to 7 (Sunday)').max(7, 'must be weekdays 1 (Monday) to 7 (Sunday)'))
      .min(1, 'must name at least one working day')
      .max(7)
      .refine((d) => new Set(d).size === d.length, 'must not repeat a day'),
    start: clockTime,
    end: clockTime,
    holidays: z
      .array(z.object({ date: z.string().date('must be a date (YYYY-MM-DD)'), name: trimmed(80) }))
      .max(400, 'must be at most 400 dates')
      .refine((h) => new Set(h.map((x) => x.date)).size === h.length, 'must not list a date twice')
      .default([]),
  })
  .refine((c) => c.start < c.end, { path: ['end'], message: 'must be after the start time' });
export const calendarSchema = z.object({
  departmentId: z.string(),
  departmentName: z.string(),
  /** Null: the department counts round the clock. */
  calendar: z.object({ timezone: z.string(), workDays: z.array(z.number().int()), start: z.string(), end: z.string(), holidays: z.array(z.object({ date: z.string(), name: z.string() })) }).nullable(),
  /** In words: "Mon–Fri 08:00–18:00 (America/New_York), 3 holidays" or "round the clock". */
  summary: z.string(),
  updatedAt: z.string().nullable(),
});
export type DepartmentCalendar = z.infer<typeof calendarSchema>;
export const calendarParams = z.object({ departmentId: z.string().uuid('is not a valid id') });
export const priorityCodeParams = z.object({ code: z.enum(PRIORITY_CODES, { error: `must be one of ${PRIORITY_CODES.join(', ')}` }) });

// --- Catalogue (request types)
export const requestTypeSchema = z.object({
  id: z.string(),
  departmentId: z.string(),
  departmentName: z.string(),
  name: z.string(),
  description: z.string(),
  active: z.boolean(),
  position: z.number().int(),
  requestCount: z.number().int(),
});
export type RequestType = z.infer<typeof requestTypeSchema>;
export const requestTypeInput = z.object({
  departmentId: z.string().uuid('choose a department'),
  name: trimmed(80),
  description: z.string().trim().max(500, 'must be at most 500 characters').default(''),
  position: z.coerce.number().int().min(0).max(1000).optional(),
});
export const requestTypePatch = patchOf(requestTypeInput.omit({ departmentId: true })).extend({ active: z.boolean().optional() });
export const requestTypeListQuery = z.object({ departmentId: z.string().uuid().optional(), includeInactive: queryBoolean.optional() });
export const requestTypeList = z.object({ items: z.array(requestTypeSchema) });
export const installCatalogueInput = z.object({ departmentId: z.string().uuid('choose a department') });

// --- Requests
const overdueReason = z.enum(['response', 'resolution', 'due_date']);
export const requestSchema = z.object({
  id: z.string(),
  number: z.number().int(),
  ref: z.string(),
  title: z.string(),
  description: z.string(),
  status: z.enum(REQUEST_STATUSES),
  priority: z.enum(PRIORITY_CODES),
  fromDepartmentId: z.string(),
  fromDepartmentName: z.string(),
  toDepartmentId: z.string(),
  toDepartmentName: z.string(),
  typeId: z.string(),
  typeName: z.string(),
  requesterId: z.string(),
  requesterName: z.string(),
  assigneeId: z.string().nullable(),
  assigneeName: z.string().nullable(),
  storeId: z.string().nullable(),
  storeCode: z.string().nullable(),
  storeName: z.string().nullable(),
  dueDate: z.string().nullable(),
  responseDueAt: z.string(),
  resolutionDueAt: z.string(),
  firstResponseAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  closeReason: z.string().nullable(),
  /** Minutes from filing to the first response, and to resolution (null while pending). */
  responseMinutes: z.number().int().nullable(),
  resolutionMinutes: z.number().int().nullable(),
  overdue: z.boolean(),
  overdueReasons: z.array(overdueReason),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type TandemRequest = z.infer<typeof requestSchema>;

export const requestEventSchema = z.object({
  id: z.string(),
  kind: z.enum(['created', 'status', 'assigned', 'edited', 'comment']),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  actorDepartmentName: z.string().nullable(),
  body: z.string(),
  fromStatus: z.enum(REQUEST_STATUSES).nullable(),
  toStatus: z.enum(REQUEST_STATUSES).nullable(),
  createdAt: z.string(),
});
export type RequestEvent = z.infer<typeof requestEventSchema>;

/** What the signed-in person may do with this request, so the page shows only usable buttons. */
export const requestAbilities = z.object({
  transitions: z.array(z.enum(REQUEST_STATUSES)),
  assign: z.boolean(),
  comment: z.boolean(),
  edit: z.boolean(),
});
export const requestDetail = requestSchema.extend({
  events: z.array(requestEventSchema),
  can: requestAbilities,
  /** What the targets count, in words: the target department's business hours, or round the clock. */
  targetClock: z.string(),
});
export type RequestDetail = z.infer<typeof requestDetail>;

const dueDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'use the form YYYY-MM-DD')
  .refine((s) => {
    const t = Date.parse(`${s}T00:00:00Z`);
    // A real calendar day (Date.parse rolls 2026-02-30 over to March) within years 1–9998.
    return Number.isFinite(t) && new Date(t).toISOString().startsWith(s) && s >= '0001' && s < '9999';
  }, 'is not a date between the years 1 and 9998')
  .nullable();

export const requestInput = z.object({
  title: trimmed(160),
  description: z.string().trim().max(5000, 'must be at most 5000 characters').default(''),
  toDepartmentId: z.string({ error: 'choose a department' }).uuid('choose a department'),
  typeId: z.string({ error: 'choose a request type' }).uuid('choose a request type'),
  priority: z.enum(PRIORITY_CODES, { error: `must be one of ${PRIORITY_CODES.join(', ')}` }),
  dueDate: dueDate.default(null),
  storeId: z.string().uuid('is not a store').nullable().default(null),
});
/** Only the fields sent change (no defaults here: an absent field must not be reset). */
export const requestPatch = z.object({
  title: requestInput.shape.title.optional(),
  description: z.string().trim().max(5000, 'must be at most 5000 characters').optional(),
  typeId: requestInput.shape.typeId.optional(),
  priority: requestInput.shape.priority.optional(),
  dueDate: dueDate.optional(),
  storeId: z.string().uuid('is not a store').nullable().optional(),
});

export const statusChangeInput = z.object({
  status: z.enum(REQUEST_STATUSES, { error: `must be one of ${REQUEST_STATUSES.join(', ')}` }),
  /** Required to decline; optional note otherwise (e.g. what was delivered). */
  reason: z.string().trim().max(2000, 'must be at most 2000 characters').optional(),
});
export const assignInput = z.object({ assigneeId: z.string().uuid('choose a person').nullable() });
export const commentInput = z.object({ body: trimmed(5000) });

export const REQUEST_SORTS = ['number', 'createdAt', 'updatedAt', 'priority', 'title', 'resolutionDueAt'] as const;
export const requestListQuery = listQueryBase.extend({
  sort: z.enum(REQUEST_SORTS).default('number'),
  order: z.enum(['asc', 'desc']).default('desc'),
  /** Relative to the caller's department: requests it sent, or received. */
  direction: z.enum(['from', 'to']).optional(),
  /** The other party: the department at either end of the request. */
  departmentId: z.string().uuid().optional(),
  fromDepartmentId: z.string().uuid().optional(),
  toDepartmentId: z.string().uuid().optional(),
  /** One status, or "open" (new, accepted, in progress) or "closed". */
  status: z.enum([...REQUEST_STATUSES, 'open', 'closed']).optional(),
  priority: z.enum(PRIORITY_CODES).optional(),
  /** A person's id, "me", or "none" for unassigned. */
  assignee: z.union([z.literal('me'), z.literal('none'), z.string().uuid()]).optional(),
  typeId: z.string().uuid().optional(),
  overdue: queryBoolean.optional(),
});
export const requestPage = pageOf(requestSchema);

// --- Give-and-take ledger
export const directionStats = z.object({
  asks: z.number().int(),
  delivered: z.number().int(),
  declined: z.number().int(),
  open: z.number().int(),
  overdue: z.number().int(),
  medianResponseHours: z.number().nullable(),
  medianResolutionHours: z.number().nullable(),
});
export type DirectionStats = z.infer<typeof directionStats>;
const deptRef = z.object({ id: z.string(), code: z.string(), name: z.string() });
export const ledgerQuery = z.object({ months: z.coerce.number().int().min(1, 'must be at least 1').max(24, 'must be at most 24').default(6) });
export const ledgerSchema = z.object({
  since: z.string(),
  months: z.array(z.string()),
  pairs: z.array(
    z.object({
      a: deptRef,
      b: deptRef,
      aToB: directionStats,
      bToA: directionStats,
      trend: z.array(z.object({ month: z.string(), aToBAsks: z.number().int(), bToAAsks: z.number().int(), aToBDelivered: z.number().int(), bToADelivered: z.number().int() })),
    }),
  ),
  departments: z.array(deptRef.extend({ asked: z.number().int(), received: z.number().int(), delivered: z.number().int(), open: z.number().int(), overdue: z.number().int() })),
});
export type Ledger = z.infer<typeof ledgerSchema>;
