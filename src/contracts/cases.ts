import { z } from 'zod';
import { dateOrDateTime, listQueryBase, pageOf } from './list.js';
import { CASE_STATUSES, INCIDENT_STATUSES, type CaseStatus, type IncidentStatus } from './case-statuses.js';

export { CASE_STATUSES, INCIDENT_STATUSES, type CaseStatus, type IncidentStatus };

/** Incident and case types (M1), in the order a reporter picks from. */
export const INCIDENT_TYPES = ['external_theft', 'internal_theft', 'orc', 'return_fraud', 'vendor_fraud', 'process_error', 'damage', 'cyber'] as const;
export type IncidentType = (typeof INCIDENT_TYPES)[number];
export const INCIDENT_TYPE_LABELS: Record<IncidentType, string> = {
  external_theft: 'External / customer theft',
  internal_theft: 'Internal / employee theft',
  orc: 'Organised retail crime',
  return_fraud: 'Return or gift-card fraud',
  vendor_fraud: 'Vendor / delivery fraud',
  process_error: 'Process or admin error',
  damage: 'Damage',
  cyber: 'Cyber / IT-related',
};
/** Internal-theft cases are sealed: visible to their members and LP leads only. */
export const SEALED_TYPES: readonly IncidentType[] = ['internal_theft'];

export const INCIDENT_STATUS_LABELS: Record<IncidentStatus, string> = { new: 'New', triaged: 'Triaged', linked: 'Linked to a case', closed: 'Closed' };

export const CASE_STATUS_LABELS: Record<CaseStatus, string> = { open: 'Open', on_hold: 'On hold', closed: 'Closed' };
export const CASE_OUTCOMES = ['substantiated', 'unsubstantiated', 'inconclusive'] as const;
export type CaseOutcome = (typeof CASE_OUTCOMES)[number];
export const CASE_OUTCOME_LABELS: Record<CaseOutcome, string> = { substantiated: 'Substantiated', unsubstantiated: 'Unsubstantiated', inconclusive: 'Inconclusive' };
export const SUBJECT_KINDS = ['employee', 'external', 'vendor', 'unknown'] as const;
export const SUBJECT_KIND_LABELS: Record<(typeof SUBJECT_KINDS)[number], string> = { employee: 'Employee', external: 'External person', vendor: 'Vendor', unknown: 'Unknown' };
export const CUSTODY_ACTIONS = ['uploaded', 'viewed', 'downloaded', 'exported', 'transferred', 'released', 'integrity_alarm'] as const;
export type CustodyAction = (typeof CUSTODY_ACTIONS)[number];
export const CUSTODY_ACTION_LABELS: Record<CustodyAction, string> = {
  uploaded: 'Uploaded',
  viewed: 'Viewed',
  downloaded: 'Downloaded',
  exported: 'Exported',
  transferred: 'Transferred',
  released: 'Released',
  integrity_alarm: 'Integrity alarm',
};
/** What a person records by hand; the others are written by Tandem as they happen. */
export const MANUAL_CUSTODY_ACTIONS = ['exported', 'transferred', 'released'] as const;

export const caseRef = (year: number, seq: number) => `CASE-${year}-${String(seq).padStart(4, '0')}`;
export const incidentRef = (n: number) => `INC-${n}`;

const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);
const required = (max: number) => text(max).min(1, 'is required');
const cents = z.number({ error: 'must be an amount in cents' }).int('must be whole cents').min(0, 'cannot be negative').max(1e12, 'is too large');
const uuid = (what: string) => z.string({ error: `choose ${what}` }).uuid(`choose ${what}`);
const day = z.string().date('must be a date (YYYY-MM-DD)');

// ------------------------------------------------------------------ incidents

export const incidentInput = z.object({
  storeId: uuid('a store').nullable().default(null),
  occurredAt: dateOrDateTime,
  type: z.enum(INCIDENT_TYPES, { error: 'choose what happened' }),
  estimatedLossCents: cents.default(0),
  recoveredCents: cents.default(0),
  narrative: required(10000),
  peopleInvolved: text(4000).default(''),
  policeReport: text(100).default(''),
  /** The form draft's id: a report sent twice (lost answer, retry) is stored once. */
  clientKey: z.string().uuid().optional(),
});

export const incidentFileSchema = z.object({
  id: z.string(),
  filename: z.string(),
  contentType: z.string(),
  sizeBytes: z.number(),
  sha256: z.string(),
  createdAt: z.string(),
});

export const incidentMessageSchema = z.object({ id: z.string(), fromTipster: z.boolean(), authorName: z.string(), body: z.string(), createdAt: z.string() });

export const incidentSchema = z.object({
  id: z.string(),
  ref: z.string(),
  number: z.number(),
  source: z.enum(['report', 'tip']),
  storeId: z.string().nullable(),
  storeCode: z.string().nullable(),
  storeName: z.string().nullable(),
  occurredAt: z.string(),
  type: z.enum(INCIDENT_TYPES),
  estimatedLossCents: z.number(),
  recoveredCents: z.number(),
  narrative: z.string(),
  peopleInvolved: z.string(),
  policeReport: z.string(),
  reporterId: z.string().nullable(),
  reporterName: z.string().nullable(),
  status: z.enum(INCIDENT_STATUSES),
  closeReason: z.string().nullable(),
  duplicateOfRef: z.string().nullable(),
  caseRef: z.string().nullable(),
  fileCount: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Incident = z.infer<typeof incidentSchema>;
export const incidentPage = pageOf(incidentSchema);

export const incidentDetailSchema = incidentSchema.extend({
  files: z.array(incidentFileSchema),
  messages: z.array(incidentMessageSchema),
  duplicates: z.array(z.object({ ref: z.string(), id: z.string() })),
  can: z.object({ triage: z.boolean(), attach: z.boolean(), reply: z.boolean() }),
});
export type IncidentDetail = z.infer<typeof incidentDetailSchema>;

export const INCIDENT_SORTS = ['occurredAt', 'createdAt', 'number', 'estimatedLossCents'] as const;
export const incidentListQuery = listQueryBase.extend({
  sort: z.enum(INCIDENT_SORTS).default('createdAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
  status: z.enum([...INCIDENT_STATUSES, 'open']).optional(),
  type: z.enum(INCIDENT_TYPES).optional(),
  storeId: z.string().uuid().optional(),
  source: z.enum(['report', 'tip']).optional(),
  mine: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
});

export const incidentTriageInput = z.discriminatedUnion('action', [
  z.object({ action: z.literal('triage') }),
  z.object({ action: z.literal('reopen') }),
  z.object({ action: z.literal('close'), reason: required(2000) }),
  z.object({ action: z.literal('merge'), duplicateOf: required(40) }),
  z.object({ action: z.literal('link'), caseRef: required(40) }),
], { error: 'action: must be triage, reopen, close, merge or link' });

export const incidentMessageInput = z.object({ body: required(5000) });

// ------------------------------------------------------------------ cases

export const caseInput = z.object({
  title: required(200),
  type: z.enum(INCIDENT_TYPES, { error: 'choose a case type' }),
  summary: text(10000).default(''),
  storeId: uuid('a store').nullable().default(null),
  /** Defaults to the person opening the case. */
  leadId: uuid('a lead investigator').optional(),
  subjectKind: z.enum(SUBJECT_KINDS).default('unknown'),
  subjectName: text(200).default(''),
  subjectDescription: text(4000).default(''),
  subjectCashierId: uuid('a cashier').nullable().default(null),
  /** Incidents (ids or INC- refs), POS exceptions and transactions this case starts from. */
  incidentIds: z.array(z.string().max(40)).max(100).default([]),
  exceptionIds: z.array(z.string().uuid('is not an exception id')).max(200).default([]),
  transactionIds: z.array(z.string().regex(/^\d{1,15}$/, 'is not a transaction id')).max(500).default([]),
  memberIds: z.array(z.string().uuid('is not a person')).max(50).default([]),
});

export const casePatch = z.object({
  title: required(200).optional(),
  summary: text(10000).optional(),
  status: z.enum(CASE_STATUSES).optional(),
  outcome: z.enum(CASE_OUTCOMES).nullable().optional(),
  leadId: uuid('a lead investigator').optional(),
  storeId: uuid('a store').nullable().optional(),
  subjectKind: z.enum(SUBJECT_KINDS).optional(),
  subjectName: text(200).optional(),
  subjectDescription: text(4000).optional(),
  subjectCashierId: uuid('a cashier').nullable().optional(),
  lossCents: cents.optional(),
  recoveryCents: cents.optional(),
  restitutionCents: cents.optional(),
  policeReferralDate: day.nullable().optional(),
  hrReferralDate: day.nullable().optional(),
});

export const caseSchema = z.object({
  id: z.string(),
  ref: z.string(),
  title: z.string(),
  type: z.enum(INCIDENT_TYPES),
  sealed: z.boolean(),
  status: z.enum(CASE_STATUSES),
  outcome: z.enum(CASE_OUTCOMES).nullable(),
  summary: z.string(),
  storeId: z.string().nullable(),
  storeCode: z.string().nullable(),
  storeName: z.string().nullable(),
  leadId: z.string(),
  leadName: z.string(),
  subjectKind: z.enum(SUBJECT_KINDS),
  subjectName: z.string(),
  subjectDescription: z.string(),
  subjectCashierId: z.string().nullable(),
  subjectCashierLabel: z.string().nullable(),
  lossCents: z.number(),
  recoveryCents: z.number(),
  restitutionCents: z.number(),
  policeReferralDate: z.string().nullable(),
  hrReferralDate: z.string().nullable(),
  openTasks: z.number(),
  evidenceCount: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  closedAt: z.string().nullable(),
});
export type Case = z.infer<typeof caseSchema>;
export const casePage = pageOf(caseSchema);

export const custodyEntrySchema = z.object({
  id: z.string(),
  action: z.enum(CUSTODY_ACTIONS),
  actorName: z.string(),
  reason: z.string(),
  recipient: z.string().nullable(),
  sha256: z.string().nullable(),
  createdAt: z.string(),
});
export const evidenceSchema = z.object({
  id: z.string(),
  label: z.string(),
  kind: z.enum(['file', 'link']),
  title: z.string(),
  description: z.string(),
  filename: z.string().nullable(),
  contentType: z.string().nullable(),
  sizeBytes: z.number().nullable(),
  sha256: z.string().nullable(),
  url: z.string().nullable(),
  source: z.enum(['upload', 'incident', 'video_export', 'link']),
  integrityAlarmAt: z.string().nullable(),
  createdByName: z.string().nullable(),
  createdAt: z.string(),
  custody: z.array(custodyEntrySchema),
});
export type Evidence = z.infer<typeof evidenceSchema>;

export const caseDetailSchema = caseSchema.extend({
  members: z.array(z.object({ personId: z.string(), name: z.string(), title: z.string(), departmentName: z.string().nullable(), access: z.enum(['read', 'work']), lead: z.boolean() })),
  tasks: z.array(z.object({ id: z.string(), title: z.string(), ownerId: z.string().nullable(), ownerName: z.string().nullable(), dueDate: z.string().nullable(), doneAt: z.string().nullable(), createdAt: z.string() })),
  timeline: z.array(z.object({ id: z.string(), kind: z.enum(['note', 'event']), authorName: z.string(), body: z.string(), link: z.string().nullable(), createdAt: z.string() })),
  incidents: z.array(z.object({ id: z.string(), ref: z.string(), type: z.enum(INCIDENT_TYPES), occurredAt: z.string(), storeCode: z.string().nullable(), estimatedLossCents: z.number(), narrative: z.string() })),
  transactions: z.array(
    z.object({
      exceptionId: z.string().nullable(),
      exceptionRef: z.string().nullable(),
      transactionId: z.string().nullable(),
      summary: z.string(),
      occurredAt: z.string().nullable(),
      amountCents: z.number().nullable(),
      register: z.string().nullable(),
      receipt: z.string().nullable(),
      videoUrl: z.string().nullable(),
    }),
  ),
  requests: z.array(z.object({ id: z.string(), ref: z.string(), title: z.string(), status: z.string() })),
  evidence: z.array(evidenceSchema),
  can: z.object({ edit: z.boolean(), manageMembers: z.boolean() }),
});
export type CaseDetail = z.infer<typeof caseDetailSchema>;

export const CASE_SORTS = ['createdAt', 'updatedAt', 'ref', 'lossCents'] as const;
export const caseListQuery = listQueryBase.extend({
  sort: z.enum(CASE_SORTS).default('createdAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
  status: z.enum([...CASE_STATUSES, 'active']).optional(),
  type: z.enum(INCIDENT_TYPES).optional(),
  storeId: z.string().uuid().optional(),
  mine: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  cashierId: z.string().uuid().optional(),
});

export const memberInput = z.object({ personId: uuid('a person'), access: z.enum(['read', 'work']).default('work') });
export const memberRemoveInput = z.object({ personId: uuid('a person') });
export const taskInput = z.object({ title: required(300), ownerId: uuid('an owner').nullable().default(null), dueDate: day.nullable().default(null) });
export const taskPatch = z.object({ title: required(300).optional(), ownerId: uuid('an owner').nullable().optional(), dueDate: day.nullable().optional(), done: z.boolean().optional() });
export const noteInput = z.object({ body: required(10000) });
export const caseLinkInput = z.object({
  incidentIds: z.array(z.string().max(40)).max(100).default([]),
  exceptionIds: z.array(z.string().uuid('is not an exception id')).max(200).default([]),
  transactionIds: z.array(z.string().regex(/^\d{1,15}$/, 'is not a transaction id')).max(500).default([]),
});
export const evidenceLinkInput = z.object({
  title: required(200),
  url: z.string().trim().url('must be a web address (https://…)').max(2000).refine((u) => /^https?:\/\//i.test(u), 'must start with http:// or https://'),
  description: text(4000).default(''),
});
export const evidenceUploadQuery = z.object({
  filename: required(255),
  title: text(200).optional(),
  description: text(4000).optional(),
  contentType: text(200).optional(),
  source: z.enum(['upload', 'video_export']).default('upload'),
});
export const custodyInput = z.object({
  action: z.enum(MANUAL_CUSTODY_ACTIONS, { error: 'must be exported, transferred or released' }),
  reason: required(2000),
  recipient: text(200).optional(),
});
export const downloadQuery = z.object({ reason: text(500).optional() });

/** "Ask IT for a video export": from a case or a POS exception; the request names store, cameras and the time window. */
export const videoRequestInput = z
  .object({
    caseId: z.string().max(40).optional(),
    exceptionId: z.string().uuid().optional(),
    storeId: uuid('a store').optional(),
    cameras: text(500).default(''),
    from: dateOrDateTime.optional(),
    to: dateOrDateTime.optional(),
    note: text(2000).default(''),
  })
  .refine((v) => v.caseId || v.exceptionId, { message: 'name a case or an exception', path: ['caseId'] });
export const videoRequestResult = z.object({ requestId: z.string(), requestRef: z.string(), title: z.string() });

export const caseSettingsSchema = z.object({ tipsEnabled: z.boolean(), tipPath: z.string() });
export const caseSettingsInput = z.object({ tipsEnabled: z.boolean() });

// ------------------------------------------------------------------ anonymous tips

export const tipConfigSchema = z.object({ enabled: z.boolean(), stores: z.array(z.object({ id: z.string(), code: z.string(), name: z.string() })) });
export const tipInput = z.object({
  storeId: uuid('a store').nullable().default(null),
  type: z.enum(INCIDENT_TYPES, { error: 'choose what happened' }),
  occurredAt: dateOrDateTime,
  narrative: required(10000),
  peopleInvolved: text(4000).default(''),
});
export const tipCreated = z.object({ ref: z.string(), code: z.string() });
export const tipThreadSchema = z.object({
  ref: z.string(),
  status: z.enum(INCIDENT_STATUSES),
  type: z.enum(INCIDENT_TYPES),
  narrative: z.string(),
  createdAt: z.string(),
  messages: z.array(incidentMessageSchema),
});
export const tipMessageInput = z.object({ body: required(5000) });
export const tipCodeParams = z.object({ token: z.string().trim().min(8).max(64) });

/** IT attaching a video export on the request a case raised: what it gets back (no case content). */
export const videoExportUploadQuery = z.object({ filename: z.string().trim().min(1, 'is required').max(255, 'must be at most 255 characters'), contentType: z.string().trim().max(200).optional() });
export const videoExportReceipt = z.object({ requestRef: z.string(), caseRef: z.string(), evidenceNumber: z.number(), filename: z.string(), sizeBytes: z.number(), sha256: z.string() });
export type VideoExportReceipt = z.infer<typeof videoExportReceipt>;
