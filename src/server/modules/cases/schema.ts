import { sql } from 'drizzle-orm';
import { bigint, boolean, check, customType, date, index, integer, pgTable, primaryKey, smallint, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { people, stores } from '../people/schema.js';
import { posCashiers, posExceptions } from '../pos/schema.js';
import { requests } from '../requests/schema.js';

/** Incident and case types (M1); the check constraints below list the same keys as contracts/cases.ts. */
const TYPES_SQL = sql.raw(`('external_theft','internal_theft','orc','return_fraud','vendor_fraud','process_error','damage','cyber')`);

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

/** A stored file: its hash and size; the bytes are in case_blob_chunks (1 MiB each), so every instance reads them and one backup holds them. */
export const caseBlobs = pgTable('case_blobs', {
  id: uuid('id').primaryKey(),
  sha256: text('sha256').notNull(),
  sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
  chunkCount: integer('chunk_count').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const caseBlobChunks = pgTable(
  'case_blob_chunks',
  {
    blobId: uuid('blob_id').notNull().references(() => caseBlobs.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    data: bytea('data').notNull(),
  },
  (t) => [primaryKey({ name: 'case_blob_chunks_pkey', columns: [t.blobId, t.seq] })],
);

/** One row: whether the public tip link is open. */
export const caseSettings = pgTable('case_settings', {
  id: smallint('id').primaryKey().default(1),
  tipsEnabled: boolean('tips_enabled').notNull().default(false),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  updatedBy: uuid('updated_by').references(() => people.id),
});

/** The last case number handed out per year: `CASE-<year>-<seq>` comes from one locked upsert. */
export const caseRefCounters = pgTable('case_ref_counters', {
  year: integer('year').primaryKey(),
  last: integer('last').notNull(),
});

export const cases = pgTable(
  'cases',
  {
    id: uuid('id').primaryKey(),
    year: integer('year').notNull(),
    seq: integer('seq').notNull(),
    ref: text('ref').notNull(),
    title: text('title').notNull(),
    type: text('type').notNull(),
    sealed: boolean('sealed').notNull().default(false),
    status: text('status').notNull().default('open'),
    outcome: text('outcome'),
    summary: text('summary').notNull().default(''),
    storeId: uuid('store_id').references(() => stores.id),
    leadId: uuid('lead_id').notNull().references(() => people.id),
    subjectKind: text('subject_kind').notNull().default('unknown'),
    subjectName: text('subject_name').notNull().default(''),
    subjectDescription: text('subject_description').notNull().default(''),
    subjectPersonId: uuid('subject_person_id').references(() => people.id),
    subjectCashierId: uuid('subject_cashier_id').references(() => posCashiers.id),
    lossCents: bigint('loss_cents', { mode: 'number' }).notNull().default(0),
    recoveryCents: bigint('recovery_cents', { mode: 'number' }).notNull().default(0),
    restitutionCents: bigint('restitution_cents', { mode: 'number' }).notNull().default(0),
    policeReferralDate: date('police_referral_date', { mode: 'string' }),
    hrReferralDate: date('hr_referral_date', { mode: 'string' }),
    createdBy: uuid('created_by').references(() => people.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [
    unique('cases_ref_key').on(t.ref),
    unique('cases_year_seq_key').on(t.year, t.seq),
    index('cases_status_idx').on(t.status),
    index('cases_store_idx').on(t.storeId),
    index('cases_cashier_idx').on(t.subjectCashierId),
    check('cases_type_check', sql`${t.type} in ${TYPES_SQL}`),
    check('cases_status_check', sql`${t.status} in ('open','on_hold','closed')`),
    check('cases_outcome_check', sql`${t.outcome} is null or ${t.outcome} in ('substantiated','unsubstantiated','inconclusive')`),
    check('cases_closed_outcome_check', sql`${t.status} <> 'closed' or ${t.outcome} is not null`),
    check('cases_subject_kind_check', sql`${t.subjectKind} in ('employee','external','vendor','unknown')`),
    check('cases_amounts_check', sql`${t.lossCents} >= 0 and ${t.recoveryCents} >= 0 and ${t.restitutionCents} >= 0`),
  ],
);

export const caseMembers = pgTable(
  'case_members',
  {
    caseId: uuid('case_id').notNull().references(() => cases.id, { onDelete: 'cascade' }),
    personId: uuid('person_id').notNull().references(() => people.id),
    access: text('access').notNull().default('work'),
    addedBy: uuid('added_by').references(() => people.id),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'case_members_pkey', columns: [t.caseId, t.personId] }),
    index('case_members_person_idx').on(t.personId),
    check('case_members_access_check', sql`${t.access} in ('read','work')`),
  ],
);

export const caseTasks = pgTable(
  'case_tasks',
  {
    id: uuid('id').primaryKey(),
    caseId: uuid('case_id').notNull().references(() => cases.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    ownerId: uuid('owner_id').references(() => people.id),
    dueDate: date('due_date', { mode: 'string' }),
    doneAt: timestamp('done_at', { withTimezone: true }),
    createdBy: uuid('created_by').references(() => people.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('case_tasks_case_idx').on(t.caseId), index('case_tasks_owner_idx').on(t.ownerId)],
);

export const caseNotes = pgTable(
  'case_notes',
  {
    id: uuid('id').primaryKey(),
    caseId: uuid('case_id').notNull().references(() => cases.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull().default('note'),
    authorId: uuid('author_id').references(() => people.id),
    authorName: text('author_name').notNull(),
    body: text('body').notNull(),
    link: text('link'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('case_notes_case_idx').on(t.caseId, t.createdAt), check('case_notes_kind_check', sql`${t.kind} in ('note','event')`)],
);

export const casePosLinks = pgTable(
  'case_pos_links',
  {
    id: uuid('id').primaryKey(),
    caseId: uuid('case_id').notNull().references(() => cases.id, { onDelete: 'cascade' }),
    exceptionId: uuid('exception_id').references(() => posExceptions.id),
    transactionId: bigint('transaction_id', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('case_pos_links_exception_key').on(t.caseId, t.exceptionId).where(sql`${t.exceptionId} is not null`),
    uniqueIndex('case_pos_links_transaction_key').on(t.caseId, t.transactionId).where(sql`${t.transactionId} is not null and ${t.exceptionId} is null`),
    index('case_pos_links_exception_idx').on(t.exceptionId),
    check('case_pos_links_target_check', sql`${t.exceptionId} is not null or ${t.transactionId} is not null`),
  ],
);

/** Requests to other departments raised from a case (e.g. a video export from IT). */
export const caseRequests = pgTable(
  'case_requests',
  {
    caseId: uuid('case_id').notNull().references(() => cases.id, { onDelete: 'cascade' }),
    requestId: uuid('request_id').notNull().references(() => requests.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'case_requests_pkey', columns: [t.caseId, t.requestId] })],
);

export const incidents = pgTable(
  'incidents',
  {
    id: uuid('id').primaryKey(),
    number: integer('number').notNull().generatedAlwaysAsIdentity(),
    source: text('source').notNull().default('report'),
    storeId: uuid('store_id').references(() => stores.id),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    type: text('type').notNull(),
    estimatedLossCents: bigint('estimated_loss_cents', { mode: 'number' }).notNull().default(0),
    recoveredCents: bigint('recovered_cents', { mode: 'number' }).notNull().default(0),
    narrative: text('narrative').notNull(),
    peopleInvolved: text('people_involved').notNull().default(''),
    policeReport: text('police_report').notNull().default(''),
    reporterId: uuid('reporter_id').references(() => people.id),
    /** SHA-256 of an anonymous tipster's code; the code itself is never stored. */
    tipCodeHash: text('tip_code_hash'),
    /** The reporter's form draft id: a report re-sent after a lost answer is stored once. */
    clientKey: uuid('client_key'),
    status: text('status').notNull().default('new'),
    closeReason: text('close_reason'),
    duplicateOf: uuid('duplicate_of'),
    caseId: uuid('case_id').references(() => cases.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('incidents_number_key').on(t.number),
    uniqueIndex('incidents_tip_code_key').on(t.tipCodeHash).where(sql`${t.tipCodeHash} is not null`),
    uniqueIndex('incidents_client_key').on(t.reporterId, t.clientKey).where(sql`${t.clientKey} is not null`),
    index('incidents_status_idx').on(t.status),
    index('incidents_store_idx').on(t.storeId),
    index('incidents_reporter_idx').on(t.reporterId),
    index('incidents_case_idx').on(t.caseId),
    check('incidents_source_check', sql`${t.source} in ('report','tip')`),
    check('incidents_type_check', sql`${t.type} in ${TYPES_SQL}`),
    check('incidents_status_check', sql`${t.status} in ('new','triaged','linked','closed')`),
    check('incidents_closed_reason_check', sql`${t.status} <> 'closed' or ${t.closeReason} is not null`),
    check('incidents_linked_case_check', sql`${t.status} <> 'linked' or ${t.caseId} is not null`),
    check('incidents_amounts_check', sql`${t.estimatedLossCents} >= 0 and ${t.recoveredCents} >= 0`),
    check('incidents_reporter_check', sql`${t.source} = 'tip' or ${t.reporterId} is not null`),
  ],
);

export const incidentFiles = pgTable(
  'incident_files',
  {
    id: uuid('id').primaryKey(),
    incidentId: uuid('incident_id').notNull().references(() => incidents.id, { onDelete: 'cascade' }),
    blobId: uuid('blob_id').notNull().references(() => caseBlobs.id),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    uploadedBy: uuid('uploaded_by').references(() => people.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('incident_files_incident_idx').on(t.incidentId)],
);

/** Replies between LP and an anonymous tipster (or a reporter). */
export const incidentMessages = pgTable(
  'incident_messages',
  {
    id: uuid('id').primaryKey(),
    incidentId: uuid('incident_id').notNull().references(() => incidents.id, { onDelete: 'cascade' }),
    fromTipster: boolean('from_tipster').notNull(),
    authorId: uuid('author_id').references(() => people.id),
    authorName: text('author_name').notNull(),
    body: text('body').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('incident_messages_incident_idx').on(t.incidentId, t.createdAt)],
);

export const caseEvidence = pgTable(
  'case_evidence',
  {
    id: uuid('id').primaryKey(),
    caseId: uuid('case_id').notNull().references(() => cases.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    blobId: uuid('blob_id').references(() => caseBlobs.id),
    filename: text('filename'),
    contentType: text('content_type'),
    sizeBytes: bigint('size_bytes', { mode: 'number' }),
    sha256: text('sha256'),
    url: text('url'),
    source: text('source').notNull().default('upload'),
    integrityAlarmAt: timestamp('integrity_alarm_at', { withTimezone: true }),
    createdBy: uuid('created_by').references(() => people.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique('case_evidence_number_key').on(t.caseId, t.number),
    check('case_evidence_kind_check', sql`${t.kind} in ('file','link')`),
    check('case_evidence_file_check', sql`${t.kind} <> 'file' or (${t.blobId} is not null and ${t.sha256} is not null)`),
    check('case_evidence_link_check', sql`${t.kind} <> 'link' or ${t.url} is not null`),
    check('case_evidence_source_check', sql`${t.source} in ('upload','incident','video_export','link')`),
  ],
);

/** Chain of custody: append-only (a trigger refuses update, delete and truncate). */
export const evidenceCustody = pgTable(
  'evidence_custody',
  {
    id: uuid('id').primaryKey(),
    evidenceId: uuid('evidence_id').notNull().references(() => caseEvidence.id),
    caseId: uuid('case_id').notNull().references(() => cases.id),
    action: text('action').notNull(),
    actorId: uuid('actor_id').references(() => people.id),
    actorName: text('actor_name').notNull(),
    reason: text('reason').notNull().default(''),
    recipient: text('recipient'),
    sha256: text('sha256'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('evidence_custody_evidence_idx').on(t.evidenceId, t.createdAt),
    check('evidence_custody_action_check', sql`${t.action} in ('uploaded','viewed','downloaded','exported','transferred','released','integrity_alarm')`),
  ],
);
