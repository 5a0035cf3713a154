import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, jsonb, pgTable, primaryKey, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { departments, people, stores } from '../people/schema.js';

const TYPE_CHECK = sql.raw(`('camera','recorder','eas','alarm_panel','access_control','pos_register','switch')`);

/** The one row of posture policy the findings are computed against. */
export const devicePolicy = pgTable(
  'device_policy',
  {
    id: integer('id').primaryKey().default(1),
    securityVlans: integer('security_vlans').array().notNull().default(sql`'{40}'`),
    posVlans: integer('pos_vlans').array().notNull().default(sql`'{20}'`),
    minRetentionDays: integer('min_retention_days').notNull().default(30),
    notSeenDays: integer('not_seen_days').notNull().default(7),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('device_policy_single_check', sql`${t.id} = 1`), check('device_policy_numbers_check', sql`${t.minRetentionDays} > 0 and ${t.notSeenDays} > 0`)],
);

/** Model catalogue: what IT knows about each vendor's model (latest firmware, end of support, advisories). */
export const deviceModels = pgTable(
  'device_models',
  {
    id: uuid('id').primaryKey(),
    vendor: text('vendor').notNull(),
    model: text('model').notNull(),
    type: text('type').notNull(),
    latestFirmware: text('latest_firmware'),
    endOfSupport: date('end_of_support', { mode: 'string' }),
    advisories: text('advisories').array().notNull().default(sql`'{}'`),
    notes: text('notes').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('device_models_vendor_model_key').on(sql`lower(${t.vendor})`, sql`lower(${t.model})`), check('device_models_type_check', sql`${t.type} in ${TYPE_CHECK}`)],
);

export const devices = pgTable(
  'devices',
  {
    id: uuid('id').primaryKey(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id),
    type: text('type').notNull(),
    /** The label people and the video system use (e.g. NE-101-CAM-R1). */
    name: text('name').notNull(),
    vendor: text('vendor').notNull().default(''),
    model: text('model').notNull().default(''),
    serial: text('serial'),
    ip: text('ip'),
    /** Upper case, colon separated. */
    mac: text('mac'),
    hostname: text('hostname'),
    vlan: integer('vlan'),
    firmware: text('firmware'),
    /** yes / no / unknown: whether the factory credentials were changed. Never a password. */
    defaultCredentialsChanged: text('default_credentials_changed').notNull().default('unknown'),
    poeClass: integer('poe_class'),
    /** Switches: the PoE power they can deliver. */
    poeBudgetW: integer('poe_budget_w'),
    streamResolution: text('stream_resolution'),
    streamCodec: text('stream_codec'),
    streamFps: integer('stream_fps'),
    /** Recorders: days of video kept. */
    retentionDays: integer('retention_days'),
    installDate: date('install_date', { mode: 'string' }),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
    /** Set when a network scan of the store no longer finds the device. */
    missingSince: timestamp('missing_since', { withTimezone: true }),
    location: text('location').notNull().default(''),
    coveredRegisters: text('covered_registers').array().notNull().default(sql`'{}'`),
    notes: text('notes').notNull().default(''),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('devices_store_name_key').on(t.storeId, sql`lower(${t.name})`),
    uniqueIndex('devices_mac_key').on(t.mac).where(sql`${t.mac} is not null`),
    index('devices_store_type_idx').on(t.storeId, t.type),
    index('devices_ip_idx').on(t.storeId, t.ip),
    check('devices_type_check', sql`${t.type} in ${TYPE_CHECK}`),
    check('devices_credentials_check', sql`${t.defaultCredentialsChanged} in ('yes','no','unknown')`),
    check('devices_poe_class_check', sql`${t.poeClass} is null or ${t.poeClass} between 0 and 8`),
    check('devices_vlan_check', sql`${t.vlan} is null or ${t.vlan} between 1 and 4094`),
    check('devices_stream_codec_check', sql`${t.streamCodec} is null or ${t.streamCodec} in ('h264','h265','mjpeg')`),
  ],
);

export const deviceFindings = pgTable(
  'device_findings',
  {
    id: uuid('id').primaryKey(),
    /** The short reference: FND-<number>. */
    number: integer('number').notNull().generatedAlwaysAsIdentity(),
    deviceId: uuid('device_id')
      .notNull()
      .references(() => devices.id),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id),
    rule: text('rule').notNull(),
    severity: text('severity').notNull(),
    detail: text('detail').notNull(),
    state: text('state').notNull().default('open'),
    ownerDepartmentId: uuid('owner_department_id').references(() => departments.id),
    ownerId: uuid('owner_id').references(() => people.id),
    dueDate: date('due_date', { mode: 'string' }).notNull(),
    firstDetectedAt: timestamp('first_detected_at', { withTimezone: true }).notNull().defaultNow(),
    lastDetectedAt: timestamp('last_detected_at', { withTimezone: true }).notNull().defaultNow(),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedBy: uuid('resolved_by').references(() => people.id),
    resolution: text('resolution'),
    acceptedUntil: date('accepted_until', { mode: 'string' }),
    acceptReason: text('accept_reason'),
    acceptedBy: uuid('accepted_by').references(() => people.id),
    reopenCount: integer('reopen_count').notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('device_findings_device_rule_key').on(t.deviceId, t.rule),
    uniqueIndex('device_findings_number_key').on(t.number),
    index('device_findings_store_state_idx').on(t.storeId, t.state),
    check('device_findings_rule_check', sql`${t.rule} in ('default_credentials','firmware_behind','end_of_support','outside_security_vlan','retention_below_policy','not_seen')`),
    check('device_findings_severity_check', sql`${t.severity} in ('critical','high','medium','low')`),
    check('device_findings_state_check', sql`${t.state} in ('open','risk_accepted','resolved')`),
    check('device_findings_accept_check', sql`${t.state} <> 'risk_accepted' or (${t.acceptedUntil} is not null and ${t.acceptReason} is not null and ${t.acceptedBy} is not null)`),
  ],
);

/** One posture snapshot per store and day: the score's trend. */
export const devicePostureDaily = pgTable(
  'device_posture_daily',
  {
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id),
    day: date('day', { mode: 'string' }).notNull(),
    score: real('score').notNull(),
    devices: integer('devices').notNull(),
    critical: integer('critical').notNull(),
    high: integer('high').notNull(),
    medium: integer('medium').notNull(),
    low: integer('low').notNull(),
  },
  (t) => [primaryKey({ name: 'device_posture_daily_pkey', columns: [t.storeId, t.day] })],
);

export const deviceScans = pgTable(
  'device_scans',
  {
    id: uuid('id').primaryKey(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id),
    filename: text('filename').notNull().default(''),
    scannerArgs: text('scanner_args').notNull().default(''),
    scannedAt: timestamp('scanned_at', { withTimezone: true }).notNull(),
    hostsUp: integer('hosts_up').notNull(),
    matched: integer('matched').notNull(),
    newHosts: integer('new_hosts').notNull(),
    missing: integer('missing').notNull(),
    changes: jsonb('changes').notNull().default(sql`'[]'::jsonb`),
    importedBy: uuid('imported_by').references(() => people.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('device_scans_store_idx').on(t.storeId, t.createdAt)],
);

/** Hosts a scan found that match no device: listed for someone to confirm (add) or dismiss. */
export const deviceScanHosts = pgTable(
  'device_scan_hosts',
  {
    id: uuid('id').primaryKey(),
    scanId: uuid('scan_id')
      .notNull()
      .references(() => deviceScans.id),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id),
    ip: text('ip'),
    mac: text('mac'),
    vendor: text('vendor'),
    hostname: text('hostname'),
    firmware: text('firmware'),
    services: text('services').notNull().default(''),
    state: text('state').notNull().default('new'),
    deviceId: uuid('device_id').references(() => devices.id),
    decidedBy: uuid('decided_by').references(() => people.id),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
  },
  (t) => [index('device_scan_hosts_scan_idx').on(t.scanId), check('device_scan_hosts_state_check', sql`${t.state} in ('new','confirmed','dismissed')`)],
);

export const cameraPlans = pgTable(
  'camera_plans',
  {
    id: uuid('id').primaryKey(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id),
    name: text('name').notNull(),
    /** The project the plan belongs to (free text until projects exist as records). */
    project: text('project').notNull().default(''),
    /** Share of the cameras' main streams sent off site (monitoring centre, cloud recording). */
    offsitePercent: integer('offsite_percent').notNull().default(100),
    /** Overrides the PoE budget of the store's switches in the inventory. */
    switchPoeBudgetW: integer('switch_poe_budget_w'),
    lines: jsonb('lines').notNull().default(sql`'[]'::jsonb`),
    createdBy: uuid('created_by').references(() => people.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('camera_plans_store_idx').on(t.storeId),
    check('camera_plans_offsite_check', sql`${t.offsitePercent} between 0 and 100`),
    check('camera_plans_poe_check', sql`${t.switchPoeBudgetW} is null or ${t.switchPoeBudgetW} >= 0`),
  ],
);
