import { and, asc, desc, eq, ilike, inArray, lt, or, sql, type SQL, type AnyColumn } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import type { Problem } from '../../../contracts/errors.js';
import {
  CREDENTIAL_STATES,
  DEVICE_TYPES,
  FINDING_RULE_LABELS,
  STREAM_CODECS,
  findingRef,
  ipv4,
  macAddress,
  type Device,
  type DeviceModel,
  type DevicePolicy,
  type DeviceScan,
  type DeviceScanSummary,
  type DeviceType,
  type Finding,
  type FindingRule,
  type PostureDashboard,
  type Severity,
  type confirmHostInput,
  type deviceInput,
  type deviceListQuery,
  type deviceModelInput,
  type deviceModelPatch,
  type devicePatch,
  type findingAcceptInput,
  type findingListQuery,
  type findingPatch,
  type findingResolveInput,
  type policyPatch,
  type scanInput,
  type scanListQuery,
} from '../../../contracts/devices.js';
import { changedFields, recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import type { DbOrTx } from '../../platform/db.js';
import { conflict, forbidden, invalid, notFound } from '../../platform/errors.js';
import { importError, parseCsvRows } from '../../platform/csv-import.js';
import { containsPattern, paginate, refNumber } from '../../platform/list.js';
import { assertCan, can, SYSTEM_ACTOR, type Actor } from '../../platform/policy.js';
import { inStoreScope, storeScopeSql } from '../../platform/scope.js';
import { registerHomeContributor } from '../home/service.js';
import { departments, people, stores } from '../people/schema.js';
import { parseNmapXml, vendorOfMac } from './nmap.js';
import { DUE_DAYS, deviceFacts, modelKey, postureScore, type Fact, type RulePolicy } from './rules.js';
import { deviceFindings, deviceModels, devicePolicy, devicePostureDaily, devices, deviceScanHosts, deviceScans } from './schema.js';
import './agenda.js';
// The module's sections of the newsletter (M9), registered at import.
import './newsletter.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const DAY = 86400000;
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const todayOf = (now: Date) => now.toISOString().slice(0, 10);

// ------------------------------------------------------------------ scope

/**
 * The one visibility rule of the devices module, used by every list, count, export, dashboard and
 * detail: the platform's store scope (people attached to stores see those stores; HQ the chain).
 */
export function devicesScopeSql(actor: Actor, storeColumn: AnyColumn = devices.storeId): SQL {
  return storeScopeSql(actor, storeColumn);
}

/** Whether a record of `storeId` is within the actor's scope (the same rule, for one record). */
export function inDevicesScope(actor: Actor, storeId: string) {
  return inStoreScope(actor, storeId);
}

/** Writing to another store's record: 403 naming the field (the store was named by the writer). */
export function assertStoreInScope(actor: Actor, storeId: string, field = 'storeId') {
  if (!inDevicesScope(actor, storeId)) throw forbidden(`${field}: you work for another store`);
}

// ------------------------------------------------------------------ policy

export async function loadPolicy(db: DbOrTx): Promise<DevicePolicy> {
  const [row] = await db.select().from(devicePolicy).where(eq(devicePolicy.id, 1));
  if (!row) return { securityVlans: [40], posVlans: [20], minRetentionDays: 30, notSeenDays: 7, updatedAt: new Date(0).toISOString() };
  return { securityVlans: row.securityVlans, posVlans: row.posVlans, minRetentionDays: row.minRetentionDays, notSeenDays: row.notSeenDays, updatedAt: row.updatedAt.toISOString() };
}

export async function getPolicy(ctx: AppContext, actor: Actor) {
  assertCan(actor, 'devices:read');
  return loadPolicy(ctx.db);
}

export async function updatePolicy(ctx: AppContext, actor: Actor, patch: z.infer<typeof policyPatch>) {
  assertCan(actor, 'devices:policy');
  return ctx.db.transaction(async (tx) => {
    const before = await loadPolicy(tx);
    const overlap = (patch.securityVlans ?? before.securityVlans).filter((v) => (patch.posVlans ?? before.posVlans).includes(v));
    if (overlap.length) throw invalid('posVlans', `VLAN ${overlap.join(', ')} cannot be both the security and the POS VLAN`);
    await tx
      .insert(devicePolicy)
      .values({ id: 1, ...before, ...patch, updatedAt: new Date() })
      .onConflictDoUpdate({ target: devicePolicy.id, set: { ...patch, updatedAt: new Date() } });
    await recordAudit(tx, actor, { action: 'update', entity: 'device_policy', summary: 'Changed the device posture policy', before, after: patch });
    await recomputeFindings(tx);
    return loadPolicy(tx);
  });
}

// ------------------------------------------------------------------ devices

const findingCounts = sql<number>`(select count(*)::int from device_findings f where f.device_id = ${devices.id} and f.state = 'open')`;
const worstSeverity = sql<string | null>`(select f.severity from device_findings f where f.device_id = ${devices.id} and f.state = 'open'
  order by case f.severity when 'critical' then 0 when 'high' then 1 when 'medium' then 2 else 3 end limit 1)`;

const deviceColumns = {
  id: devices.id,
  storeId: devices.storeId,
  storeCode: stores.code,
  storeName: stores.name,
  type: devices.type,
  name: devices.name,
  vendor: devices.vendor,
  model: devices.model,
  serial: devices.serial,
  ip: devices.ip,
  mac: devices.mac,
  hostname: devices.hostname,
  vlan: devices.vlan,
  firmware: devices.firmware,
  defaultCredentialsChanged: devices.defaultCredentialsChanged,
  poeClass: devices.poeClass,
  poeBudgetW: devices.poeBudgetW,
  streamResolution: devices.streamResolution,
  streamCodec: devices.streamCodec,
  streamFps: devices.streamFps,
  retentionDays: devices.retentionDays,
  installDate: devices.installDate,
  lastSeenAt: devices.lastSeenAt,
  missingSince: devices.missingSince,
  location: devices.location,
  coveredRegisters: devices.coveredRegisters,
  notes: devices.notes,
  active: devices.active,
  openFindings: findingCounts,
  worstSeverity,
  createdAt: devices.createdAt,
  updatedAt: devices.updatedAt,
};
type DeviceRow = Omit<Device, 'lastSeenAt' | 'missingSince' | 'createdAt' | 'updatedAt'> & { lastSeenAt: Date | null; missingSince: Date | null; createdAt: Date; updatedAt: Date };

const joinStore = (q: any) => q.innerJoin(stores, eq(stores.id, devices.storeId));

function presentDevice(r: DeviceRow): Device {
  return {
    ...r,
    openFindings: Number(r.openFindings),
    lastSeenAt: iso(r.lastSeenAt),
    missingSince: iso(r.missingSince),
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

function deviceWhere(actor: Actor, query: Partial<z.infer<typeof deviceListQuery>>): SQL | undefined {
  const q = query.q?.trim();
  return and(
    devicesScopeSql(actor),
    query.includeInactive ? undefined : eq(devices.active, true),
    q
      ? or(
          ilike(devices.name, containsPattern(q)),
          ilike(devices.ip, containsPattern(q)),
          ilike(devices.mac, containsPattern(q)),
          ilike(devices.serial, containsPattern(q)),
          ilike(devices.model, containsPattern(q)),
          ilike(devices.location, containsPattern(q)),
        )
      : undefined,
    query.storeId ? eq(devices.storeId, query.storeId) : undefined,
    query.type ? eq(devices.type, query.type) : undefined,
    query.vendor ? ilike(devices.vendor, containsPattern(query.vendor)) : undefined,
    query.credentials ? eq(devices.defaultCredentialsChanged, query.credentials) : undefined,
    query.vlan !== undefined ? eq(devices.vlan, query.vlan) : undefined,
    query.withFindings === true ? sql`${findingCounts} > 0` : query.withFindings === false ? sql`${findingCounts} = 0` : undefined,
  );
}

const deviceSorts = {
  name: devices.name,
  type: devices.type,
  vendor: devices.vendor,
  ip: devices.ip,
  lastSeenAt: devices.lastSeenAt,
  store: stores.code,
  firmware: devices.firmware,
};

export async function listDevices(ctx: AppContext, actor: Actor, query: z.infer<typeof deviceListQuery>) {
  assertCan(actor, 'devices:read');
  const page = await paginate<DeviceRow, typeof query.sort>(ctx.db, {
    table: devices,
    select: deviceColumns,
    joins: joinStore,
    where: deviceWhere(actor, query),
    sortColumns: deviceSorts,
    idColumn: devices.id,
    params: query,
  });
  return { ...page, items: page.items.map(presentDevice) };
}

export async function exportDevices(ctx: AppContext, actor: Actor, query: Partial<z.infer<typeof deviceListQuery>>) {
  assertCan(actor, 'devices:read');
  const direction = (query.order ?? 'asc') === 'desc' ? desc : asc;
  const rows = (await joinStore(ctx.db.select(deviceColumns).from(devices))
    .where(deviceWhere(actor, query))
    .orderBy(direction(deviceSorts[query.sort ?? 'name']), asc(devices.id))) as DeviceRow[];
  return rows.map(presentDevice);
}

async function deviceById(db: DbOrTx, id: string) {
  const [row] = (await joinStore(db.select(deviceColumns).from(devices)).where(eq(devices.id, id))) as DeviceRow[];
  if (!row) throw notFound('Device');
  return presentDevice(row);
}

export async function getDevice(ctx: AppContext, actor: Actor, id: string) {
  assertCan(actor, 'devices:read');
  const device = await deviceById(ctx.db, id);
  if (!inDevicesScope(actor, device.storeId)) throw notFound('Device');
  return device;
}

async function assertStore(tx: DbOrTx, storeId: string, field = 'storeId') {
  const [s] = await tx.select().from(stores).where(eq(stores.id, storeId));
  if (!s) throw invalid(field, 'no such store');
  return s;
}

async function assertUnique(tx: DbOrTx, storeId: string, values: { name?: string; mac?: string | null }, exceptId?: string) {
  if (values.name) {
    const [clash] = await tx
      .select({ id: devices.id })
      .from(devices)
      .where(and(eq(devices.storeId, storeId), sql`lower(${devices.name}) = lower(${values.name})`, exceptId ? sql`${devices.id} <> ${exceptId}` : undefined));
    if (clash) throw conflict('name', 'this store already has a device with this name');
  }
  if (values.mac) {
    const [clash] = await tx
      .select({ id: devices.id, name: devices.name })
      .from(devices)
      .where(and(eq(devices.mac, values.mac), exceptId ? sql`${devices.id} <> ${exceptId}` : undefined));
    if (clash) throw conflict('mac', `already the MAC address of ${clash.name}`);
  }
}

export async function createDevice(ctx: AppContext, actor: Actor, input: z.infer<typeof deviceInput>) {
  assertCan(actor, 'devices:manage');
  assertStoreInScope(actor, input.storeId);
  return ctx.db.transaction(async (tx) => {
    const store = await assertStore(tx, input.storeId);
    await assertUnique(tx, input.storeId, input);
    const id = uuidv7();
    await tx.insert(devices).values({ id, ...input });
    await recordAudit(tx, actor, { action: 'create', entity: 'device', entityId: id, summary: `Added ${input.type} ${input.name} to store ${store.code}`, after: input });
    await afterDeviceChange(tx, input.storeId);
    return deviceById(tx, id);
  });
}

export async function updateDevice(ctx: AppContext, actor: Actor, id: string, patch: z.infer<typeof devicePatch>) {
  assertCan(actor, 'devices:manage');
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(devices).where(eq(devices.id, id)).for('update');
    if (!before || !inDevicesScope(actor, before.storeId)) throw notFound('Device');
    await assertUnique(tx, before.storeId, { name: patch.name && patch.name.toLowerCase() !== before.name.toLowerCase() ? patch.name : undefined, mac: patch.mac }, id);
    const diff = changedFields(before as Record<string, unknown>, patch as Record<string, unknown>);
    // Arrays compare by value: an unchanged register list is no change.
    if (patch.coveredRegisters && JSON.stringify(patch.coveredRegisters) === JSON.stringify(before.coveredRegisters)) diff.changed.splice(diff.changed.indexOf('coveredRegisters'), 1);
    if (diff.changed.length) {
      await tx.update(devices).set({ ...patch, updatedAt: new Date() }).where(eq(devices.id, id));
      await recordAudit(tx, actor, { action: 'update', entity: 'device', entityId: id, summary: `Updated device ${before.name}: ${diff.changed.join(', ')}`, before: diff.before, after: diff.after });
      await afterDeviceChange(tx, before.storeId);
    }
    return deviceById(tx, id);
  });
}

/** Every change to a store's devices: findings recomputed, POS register cameras linked to devices. */
async function afterDeviceChange(tx: DbOrTx, storeId: string | undefined) {
  await recomputeFindings(tx, { storeId });
  await linkRegisterCameras(tx, storeId);
}

/**
 * Links the register → camera map of cashier monitoring to inventory cameras: a register's camera id
 * names a camera device of the same store (by its name, case-insensitive). Runs after every device
 * change, so renaming or adding a camera keeps "watch video" pointed at a real camera.
 */
export async function linkRegisterCameras(db: DbOrTx, storeId?: string) {
  await db.execute(sql`
    update pos_register_cameras rc set device_id = (
      select d.id from devices d where d.store_id = rc.store_id and d.type = 'camera' and d.active and lower(d.name) = lower(rc.camera) limit 1)
    where ${storeId ? sql`rc.store_id = ${storeId}` : sql`true`}`);
}

// ------------------------------------------------------------------ CSV import

const DEVICE_CSV_COLUMNS = [
  'store', 'type', 'name', 'vendor', 'model', 'serial', 'ip', 'mac', 'hostname', 'vlan', 'firmware', 'default_credentials_changed', 'poe_class', 'poe_budget_w',
  'stream_resolution', 'stream_codec', 'stream_fps', 'retention_days', 'install_date', 'location', 'covered_registers', 'notes',
] as const;
export const DEVICE_CSV_HEADER = DEVICE_CSV_COLUMNS;

const blankToNull = (v: unknown) => (v === undefined || (typeof v === 'string' && v.trim() === '') ? null : v);
const intCell = (min: number, max: number) => z.preprocess(blankToNull, z.coerce.number().int('must be a whole number').min(min, `must be ${min}–${max}`).max(max, `must be ${min}–${max}`).nullable());
const textCell = (max: number) => z.preprocess(blankToNull, z.string().max(max, `must be at most ${max} characters`).nullable());

const deviceCsvRow = z.object({
  store: z.string().min(1, 'is required'),
  type: z.enum(DEVICE_TYPES, { error: `must be one of ${DEVICE_TYPES.join(', ')}` }),
  name: z.string().min(1, 'is required').max(80),
  vendor: z.string().max(80).default(''),
  model: z.string().max(80).default(''),
  serial: textCell(80),
  ip: z.preprocess(blankToNull, ipv4.nullable()),
  mac: z.preprocess(blankToNull, macAddress.nullable()),
  hostname: textCell(120),
  vlan: intCell(1, 4094),
  firmware: textCell(60),
  default_credentials_changed: z.preprocess((v) => (blankToNull(v) ?? 'unknown'), z.enum(CREDENTIAL_STATES, { error: 'must be yes, no or unknown' })),
  poe_class: intCell(0, 8),
  poe_budget_w: intCell(0, 10000),
  stream_resolution: textCell(30),
  stream_codec: z.preprocess(blankToNull, z.enum(STREAM_CODECS, { error: 'must be h264, h265 or mjpeg' }).nullable()),
  stream_fps: intCell(1, 120),
  retention_days: intCell(0, 3650),
  install_date: z.preprocess(blankToNull, z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date (YYYY-MM-DD)').nullable()),
  location: z.string().max(120).default(''),
  covered_registers: z.string().default(''),
  notes: z.string().max(2000).default(''),
});

/**
 * Devices from CSV (the export's columns). A row whose store and name match an existing device
 * updates it; others are added. All or nothing: any bad line and nothing is written.
 */
export async function importDevices(ctx: AppContext, actor: Actor, text: string) {
  assertCan(actor, 'devices:manage');
  const { rows, problems, total } = parseCsvRows(text, deviceCsvRow, { required: ['store', 'type', 'name'] });
  let extra = 0;
  const problemsAll: Problem[] = [...problems];
  const add = (p: Problem) => {
    extra++;
    problemsAll.push(p);
  };
  const storeRows = await ctx.db.select({ id: stores.id, code: stores.code }).from(stores);
  const storeByCode = new Map(storeRows.map((s) => [s.code.toLowerCase(), s.id]));
  const seenNames = new Map<string, number>();
  const seenMacs = new Map<string, number>();
  const resolved = rows.flatMap(({ line, value }) => {
    const storeId = storeByCode.get(value.store.trim().toLowerCase());
    if (!storeId) {
      add({ line, field: 'store', message: `no store with code ${value.store}` });
      return [];
    }
    if (!inDevicesScope(actor, storeId)) {
      add({ line, field: 'store', message: 'you work for another store' });
      return [];
    }
    const key = `${storeId}|${value.name.toLowerCase()}`;
    if (seenNames.has(key)) add({ line, field: 'name', message: `also on line ${seenNames.get(key)}` });
    else seenNames.set(key, line);
    if (value.mac) {
      if (seenMacs.has(value.mac)) add({ line, field: 'mac', message: `also on line ${seenMacs.get(value.mac)}` });
      else seenMacs.set(value.mac, line);
    }
    return [{ line, storeId, value }];
  });
  return ctx.db.transaction(async (tx) => {
    const existing = await tx.select({ id: devices.id, storeId: devices.storeId, name: devices.name, mac: devices.mac }).from(devices);
    const byName = new Map(existing.map((d) => [`${d.storeId}|${d.name.toLowerCase()}`, d]));
    const byMac = new Map(existing.filter((d) => d.mac).map((d) => [d.mac!, d]));
    const writes = resolved.map(({ line, storeId, value }) => {
      const current = byName.get(`${storeId}|${value.name.toLowerCase()}`);
      const macOwner = value.mac ? byMac.get(value.mac) : undefined;
      if (macOwner && macOwner.id !== current?.id) add({ line, field: 'mac', message: `already the MAC address of ${macOwner.name}` });
      const record = {
        storeId,
        type: value.type,
        name: value.name.trim(),
        vendor: value.vendor.trim(),
        model: value.model.trim(),
        serial: value.serial,
        ip: value.ip,
        mac: value.mac,
        hostname: value.hostname,
        vlan: value.vlan,
        firmware: value.firmware,
        defaultCredentialsChanged: value.default_credentials_changed,
        poeClass: value.poe_class,
        poeBudgetW: value.poe_budget_w,
        streamResolution: value.stream_resolution,
        streamCodec: value.stream_codec,
        streamFps: value.stream_fps,
        retentionDays: value.retention_days,
        installDate: value.install_date,
        location: value.location.trim(),
        coveredRegisters: value.covered_registers
          .split(/[;|]/)
          .map((r) => r.trim())
          .filter(Boolean),
        notes: value.notes,
      };
      return { current, record };
    });
    if (problemsAll.length) throw importError(problemsAll, total + extra);
    let created = 0;
    let updated = 0;
    const inserts = writes.filter((w) => !w.current).map((w) => ({ id: uuidv7(), ...w.record }));
    for (let i = 0; i < inserts.length; i += 500) await tx.insert(devices).values(inserts.slice(i, i + 500));
    created = inserts.length;
    for (const w of writes.filter((x) => x.current)) {
      await tx.update(devices).set({ ...w.record, updatedAt: new Date() }).where(eq(devices.id, w.current!.id));
      updated++;
    }
    await recordAudit(tx, actor, { action: 'import', entity: 'device', summary: `Imported devices from CSV: ${created} added, ${updated} updated` });
    const storeIds = [...new Set(writes.map((w) => w.record.storeId))];
    for (const storeId of storeIds) await afterDeviceChange(tx, storeId);
    return { created, updated, lines: rows.length };
  });
}

// ------------------------------------------------------------------ catalogue

const modelColumns = {
  id: deviceModels.id,
  vendor: deviceModels.vendor,
  model: deviceModels.model,
  type: deviceModels.type,
  latestFirmware: deviceModels.latestFirmware,
  endOfSupport: deviceModels.endOfSupport,
  advisories: deviceModels.advisories,
  notes: deviceModels.notes,
  devices: sql<number>`(select count(*)::int from devices d where d.active and lower(d.vendor) = lower(${deviceModels.vendor}) and lower(d.model) = lower(${deviceModels.model}))`,
  updatedAt: deviceModels.updatedAt,
};
const presentModel = (r: Omit<DeviceModel, 'updatedAt'> & { updatedAt: Date }): DeviceModel => ({ ...r, type: r.type as DeviceType, devices: Number(r.devices), updatedAt: r.updatedAt.toISOString() });

export async function listModels(ctx: AppContext, actor: Actor, query: { q?: string; type?: DeviceType } = {}) {
  assertCan(actor, 'devices:read');
  const rows = await ctx.db
    .select(modelColumns)
    .from(deviceModels)
    .where(and(query.q ? or(ilike(deviceModels.vendor, containsPattern(query.q)), ilike(deviceModels.model, containsPattern(query.q))) : undefined, query.type ? eq(deviceModels.type, query.type) : undefined))
    .orderBy(asc(deviceModels.vendor), asc(deviceModels.model));
  return { items: rows.map((r) => presentModel(r as never)) };
}

async function modelById(db: DbOrTx, id: string) {
  const [row] = await db.select(modelColumns).from(deviceModels).where(eq(deviceModels.id, id));
  if (!row) throw notFound('Model');
  return presentModel(row as never);
}

export async function createModel(ctx: AppContext, actor: Actor, input: z.infer<typeof deviceModelInput>) {
  assertCan(actor, 'devices:catalogue');
  return ctx.db.transaction(async (tx) => {
    const [clash] = await tx.select({ id: deviceModels.id }).from(deviceModels).where(sql`lower(${deviceModels.vendor}) = lower(${input.vendor}) and lower(${deviceModels.model}) = lower(${input.model})`);
    if (clash) throw conflict('model', 'this vendor model is already in the catalogue');
    const id = uuidv7();
    await tx.insert(deviceModels).values({ id, ...input });
    await recordAudit(tx, actor, { action: 'create', entity: 'device_model', entityId: id, summary: `Added ${input.vendor} ${input.model} to the model catalogue`, after: input });
    await recomputeFindings(tx);
    return modelById(tx, id);
  });
}

export async function updateModel(ctx: AppContext, actor: Actor, id: string, patch: z.infer<typeof deviceModelPatch>) {
  assertCan(actor, 'devices:catalogue');
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(deviceModels).where(eq(deviceModels.id, id)).for('update');
    if (!before) throw notFound('Model');
    const vendor = patch.vendor ?? before.vendor;
    const model = patch.model ?? before.model;
    const [clash] = await tx
      .select({ id: deviceModels.id })
      .from(deviceModels)
      .where(sql`lower(${deviceModels.vendor}) = lower(${vendor}) and lower(${deviceModels.model}) = lower(${model}) and ${deviceModels.id} <> ${id}`);
    if (clash) throw conflict('model', 'this vendor model is already in the catalogue');
    const diff = changedFields(before as Record<string, unknown>, patch as Record<string, unknown>);
    if (patch.advisories && JSON.stringify(patch.advisories) === JSON.stringify(before.advisories)) diff.changed.splice(diff.changed.indexOf('advisories'), 1);
    if (diff.changed.length) {
      await tx.update(deviceModels).set({ ...patch, updatedAt: new Date() }).where(eq(deviceModels.id, id));
      await recordAudit(tx, actor, { action: 'update', entity: 'device_model', entityId: id, summary: `Updated ${before.vendor} ${before.model} in the catalogue: ${diff.changed.join(', ')}`, before: diff.before, after: diff.after });
      await recomputeFindings(tx);
    }
    return modelById(tx, id);
  });
}

const modelCsvRow = z.object({
  vendor: z.string().min(1, 'is required').max(80),
  model: z.string().min(1, 'is required').max(80),
  type: z.enum(DEVICE_TYPES, { error: `must be one of ${DEVICE_TYPES.join(', ')}` }),
  latest_firmware: textCell(60),
  end_of_support: z.preprocess(blankToNull, z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date (YYYY-MM-DD)').nullable()),
  advisories: z.string().default(''),
  notes: z.string().max(2000).default(''),
});
export const MODEL_CSV_HEADER = ['vendor', 'model', 'type', 'latest_firmware', 'end_of_support', 'advisories', 'notes'] as const;

/** Catalogue from CSV: vendor+model matches update, others are added; all or nothing. */
export async function importModels(ctx: AppContext, actor: Actor, text: string) {
  assertCan(actor, 'devices:catalogue');
  const { rows, problems, total } = parseCsvRows(text, modelCsvRow, { required: ['vendor', 'model', 'type'] });
  const all = [...problems];
  let extra = 0;
  const seen = new Map<string, number>();
  for (const { line, value } of rows) {
    const key = modelKey(value.vendor, value.model);
    if (seen.has(key)) {
      extra++;
      all.push({ line, field: 'model', message: `also on line ${seen.get(key)}` });
    } else seen.set(key, line);
  }
  if (all.length) throw importError(all, total + extra);
  return ctx.db.transaction(async (tx) => {
    const existing = await tx.select({ id: deviceModels.id, vendor: deviceModels.vendor, model: deviceModels.model }).from(deviceModels);
    const byKey = new Map(existing.map((m) => [modelKey(m.vendor, m.model), m.id]));
    let created = 0;
    let updated = 0;
    for (const { value } of rows) {
      const record = {
        vendor: value.vendor.trim(),
        model: value.model.trim(),
        type: value.type,
        latestFirmware: value.latest_firmware,
        endOfSupport: value.end_of_support,
        advisories: value.advisories
          .split(/[;|]/)
          .map((a) => a.trim())
          .filter(Boolean),
        notes: value.notes,
      };
      const id = byKey.get(modelKey(value.vendor, value.model));
      if (id) {
        await tx.update(deviceModels).set({ ...record, updatedAt: new Date() }).where(eq(deviceModels.id, id));
        updated++;
      } else {
        await tx.insert(deviceModels).values({ id: uuidv7(), ...record });
        created++;
      }
    }
    await recordAudit(tx, actor, { action: 'import', entity: 'device_model', summary: `Imported the model catalogue from CSV: ${created} added, ${updated} updated` });
    await recomputeFindings(tx);
    return { created, updated, lines: rows.length };
  });
}

// ------------------------------------------------------------------ findings: computation

/** Which department owns a finding of each rule (by department kind). */
const RULE_OWNER_KIND: Record<FindingRule, string> = {
  default_credentials: 'infosec',
  outside_security_vlan: 'infosec',
  firmware_behind: 'it',
  end_of_support: 'it',
  retention_below_policy: 'security',
  not_seen: 'it',
};

/**
 * Recomputes findings from inventory + catalogue + policy (one store, or the chain): new facts open
 * findings, facts that no longer hold resolve them, resolved findings whose fact returns reopen,
 * and risk acceptances past their date reopen. Writes today's posture snapshot of each store.
 * Runs inside the caller's transaction, so a change and its findings commit together.
 */
export async function recomputeFindings(tx: DbOrTx, options: { storeId?: string; now?: Date } = {}) {
  const now = options.now ?? new Date();
  const today = todayOf(now);
  const policy: RulePolicy = await loadPolicy(tx);
  const models = new Map((await tx.select().from(deviceModels)).map((m) => [modelKey(m.vendor, m.model), m]));
  const storeFilter = options.storeId ? eq(devices.storeId, options.storeId) : undefined;
  const devs = await tx.select().from(devices).where(storeFilter);
  const existing = await tx.select().from(deviceFindings).where(options.storeId ? eq(deviceFindings.storeId, options.storeId) : undefined);
  const deptByKind = new Map<string, string>();
  for (const d of await tx.select({ id: departments.id, kind: departments.kind }).from(departments).where(eq(departments.active, true)).orderBy(asc(departments.createdAt))) {
    if (!deptByKind.has(d.kind)) deptByKind.set(d.kind, d.id);
  }
  const byKey = new Map(existing.map((f) => [`${f.deviceId}|${f.rule}`, f]));
  const holding = new Set<string>();
  const inserts: Array<typeof deviceFindings.$inferInsert> = [];
  let changed = 0;
  for (const d of devs) {
    const facts: Fact[] = d.active ? deviceFacts(d, models.get(modelKey(d.vendor, d.model)), policy, now) : [];
    for (const fact of facts) {
      const key = `${d.id}|${fact.rule}`;
      holding.add(key);
      const f = byKey.get(key);
      const due = addDays(today, DUE_DAYS[fact.severity]);
      if (!f) {
        inserts.push({
          id: uuidv7(),
          deviceId: d.id,
          storeId: d.storeId,
          rule: fact.rule,
          severity: fact.severity,
          detail: fact.detail,
          ownerDepartmentId: deptByKind.get(RULE_OWNER_KIND[fact.rule]) ?? deptByKind.get('it') ?? null,
          dueDate: due,
          firstDetectedAt: now,
          lastDetectedAt: now,
          openedAt: now,
        });
      } else if (f.state === 'resolved' || (f.state === 'risk_accepted' && f.acceptedUntil! < today)) {
        // The fact is back (or the acceptance ran out): the finding opens again.
        await tx
          .update(deviceFindings)
          .set({
            state: 'open',
            severity: fact.severity,
            detail: fact.detail,
            dueDate: due,
            openedAt: now,
            lastDetectedAt: now,
            resolvedAt: null,
            resolvedBy: null,
            resolution: null,
            reopenCount: f.state === 'resolved' ? f.reopenCount + 1 : f.reopenCount,
            updatedAt: now,
          })
          .where(eq(deviceFindings.id, f.id));
        changed++;
      } else if (f.severity !== fact.severity || f.detail !== fact.detail || f.storeId !== d.storeId) {
        await tx.update(deviceFindings).set({ severity: fact.severity, detail: fact.detail, storeId: d.storeId, lastDetectedAt: now, updatedAt: now }).where(eq(deviceFindings.id, f.id));
        changed++;
      }
    }
  }
  for (let i = 0; i < inserts.length; i += 500) await tx.insert(deviceFindings).values(inserts.slice(i, i + 500));
  const gone = existing.filter((f) => f.state !== 'resolved' && !holding.has(`${f.deviceId}|${f.rule}`));
  if (gone.length) {
    await tx
      .update(deviceFindings)
      .set({ state: 'resolved', resolvedAt: now, resolution: sql`coalesce(${deviceFindings.resolution}, 'The condition no longer holds in the inventory.')`, updatedAt: now })
      .where(inArray(deviceFindings.id, gone.map((f) => f.id)));
  }
  await snapshotPosture(tx, today, options.storeId);
  return { opened: inserts.length, changed, resolved: gone.length };
}

/** Today's posture per store (score, devices, open findings by severity): the dashboard's trend. */
export async function snapshotPosture(tx: DbOrTx, day: string, storeId?: string) {
  const rows = (
    (await tx.execute(sql`
      select s.id as store_id,
        (select count(*)::int from devices d where d.store_id = s.id and d.active) as devices,
        count(*) filter (where f.severity = 'critical')::int as critical,
        count(*) filter (where f.severity = 'high')::int as high,
        count(*) filter (where f.severity = 'medium')::int as medium,
        count(*) filter (where f.severity = 'low')::int as low
      from stores s left join device_findings f on f.store_id = s.id and f.state = 'open'
      where ${storeId ? sql`s.id = ${storeId}` : sql`true`}
      group by s.id`)) as unknown as { rows: unknown[] }
  ).rows as Array<{ store_id: string; devices: number; critical: number; high: number; medium: number; low: number }>;
  for (const r of rows) {
    const counts = { critical: Number(r.critical), high: Number(r.high), medium: Number(r.medium), low: Number(r.low) };
    const score = postureScore(Number(r.devices), counts);
    await tx
      .insert(devicePostureDaily)
      .values({ storeId: r.store_id, day, score, devices: Number(r.devices), ...counts })
      .onConflictDoUpdate({ target: [devicePostureDaily.storeId, devicePostureDaily.day], set: { score, devices: Number(r.devices), ...counts } });
  }
}

/** The nightly run (a claimed pg-boss job): "not seen" ages in, acceptances expire. */
export async function nightlyRecompute(ctx: AppContext) {
  return ctx.db.transaction(async (tx) => {
    const result = await recomputeFindings(tx);
    if (result.opened || result.changed || result.resolved) {
      await recordAudit(tx, SYSTEM_ACTOR, { action: 'update', entity: 'device_finding', summary: `Nightly posture run: ${result.opened} opened, ${result.changed} changed or reopened, ${result.resolved} resolved` });
    }
    return result;
  });
}

// ------------------------------------------------------------------ findings: lists and work

const owner = alias(people, 'owner');
const resolver = alias(people, 'resolver');
const approver = alias(people, 'approver');
const severityRank = sql<number>`(case ${deviceFindings.severity} when 'critical' then 0 when 'high' then 1 when 'medium' then 2 else 3 end)`;

const findingColumns = {
  id: deviceFindings.id,
  number: deviceFindings.number,
  deviceId: deviceFindings.deviceId,
  deviceName: devices.name,
  deviceType: devices.type,
  storeId: deviceFindings.storeId,
  storeCode: stores.code,
  rule: deviceFindings.rule,
  severity: deviceFindings.severity,
  detail: deviceFindings.detail,
  state: deviceFindings.state,
  ownerDepartmentId: deviceFindings.ownerDepartmentId,
  ownerDepartmentName: departments.name,
  ownerId: deviceFindings.ownerId,
  ownerName: owner.name,
  dueDate: deviceFindings.dueDate,
  firstDetectedAt: deviceFindings.firstDetectedAt,
  openedAt: deviceFindings.openedAt,
  resolvedAt: deviceFindings.resolvedAt,
  resolvedByName: resolver.name,
  resolution: deviceFindings.resolution,
  acceptedUntil: deviceFindings.acceptedUntil,
  acceptReason: deviceFindings.acceptReason,
  acceptedByName: approver.name,
  reopenCount: deviceFindings.reopenCount,
};
type FindingRow = Omit<Finding, 'ref' | 'overdue' | 'ageDays' | 'firstDetectedAt' | 'openedAt' | 'resolvedAt'> & { number: number; firstDetectedAt: Date; openedAt: Date; resolvedAt: Date | null };

const joinFindingRefs = (q: any) =>
  q
    .innerJoin(devices, eq(devices.id, deviceFindings.deviceId))
    .innerJoin(stores, eq(stores.id, deviceFindings.storeId))
    .leftJoin(departments, eq(departments.id, deviceFindings.ownerDepartmentId))
    .leftJoin(owner, eq(owner.id, deviceFindings.ownerId))
    .leftJoin(resolver, eq(resolver.id, deviceFindings.resolvedBy))
    .leftJoin(approver, eq(approver.id, deviceFindings.acceptedBy));

function presentFinding(r: FindingRow, now = new Date()): Finding {
  const { number, ...rest } = r;
  const today = todayOf(now);
  return {
    ...rest,
    ref: findingRef(number),
    overdue: r.state === 'open' && r.dueDate < today,
    ageDays: Math.max(0, Math.floor((now.getTime() - r.openedAt.getTime()) / DAY)),
    firstDetectedAt: r.firstDetectedAt.toISOString(),
    openedAt: r.openedAt.toISOString(),
    resolvedAt: iso(r.resolvedAt),
  } as Finding;
}

function findingWhere(actor: Actor, query: Partial<z.infer<typeof findingListQuery>>): SQL | undefined {
  const q = query.q?.trim();
  const number = q ? refNumber('FND', q, { bare: true }) : undefined;
  return and(
    devicesScopeSql(actor, deviceFindings.storeId),
    q
      ? or(
          number !== undefined ? eq(deviceFindings.number, number) : undefined,
          ilike(deviceFindings.detail, containsPattern(q)),
          sql`exists (select 1 from devices d where d.id = ${deviceFindings.deviceId} and (d.name ilike ${containsPattern(q)} or coalesce(d.ip, '') ilike ${containsPattern(q)}))`,
        )
      : undefined,
    query.storeId ? eq(deviceFindings.storeId, query.storeId) : undefined,
    query.deviceId ? eq(deviceFindings.deviceId, query.deviceId) : undefined,
    query.rule ? eq(deviceFindings.rule, query.rule) : undefined,
    query.severity ? eq(deviceFindings.severity, query.severity) : undefined,
    query.state ? eq(deviceFindings.state, query.state) : undefined,
  );
}

const findingSorts = {
  severity: severityRank as unknown as AnyColumn,
  dueDate: deviceFindings.dueDate,
  openedAt: deviceFindings.openedAt,
  store: stores.code,
  rule: deviceFindings.rule,
};

export async function listFindings(ctx: AppContext, actor: Actor, query: z.infer<typeof findingListQuery>) {
  assertCan(actor, 'devices:read');
  const page = await paginate<FindingRow, typeof query.sort>(ctx.db, {
    table: deviceFindings,
    select: findingColumns,
    joins: joinFindingRefs,
    where: findingWhere(actor, query),
    sortColumns: findingSorts,
    idColumn: deviceFindings.id,
    params: query,
  });
  const now = new Date();
  return { ...page, items: page.items.map((r) => presentFinding(r, now)) };
}

export async function exportFindings(ctx: AppContext, actor: Actor, query: Partial<z.infer<typeof findingListQuery>>) {
  assertCan(actor, 'devices:read');
  const direction = (query.order ?? 'asc') === 'desc' ? desc : asc;
  const rows = (await joinFindingRefs(ctx.db.select(findingColumns).from(deviceFindings))
    .where(findingWhere(actor, query))
    .orderBy(direction(findingSorts[query.sort ?? 'severity'] as never), asc(deviceFindings.id))) as FindingRow[];
  const now = new Date();
  return rows.map((r) => presentFinding(r, now));
}

async function findingRow(db: DbOrTx, id: string) {
  const n = refNumber('FND', id, { bare: true });
  const [row] = (await joinFindingRefs(db.select(findingColumns).from(deviceFindings)).where(n !== undefined && !id.includes('-0') ? eq(deviceFindings.number, n) : eq(deviceFindings.id, id))) as FindingRow[];
  if (!row) throw notFound('Finding');
  return row;
}

export async function getFinding(ctx: AppContext, actor: Actor, id: string) {
  assertCan(actor, 'devices:read');
  const row = await findingRow(ctx.db, id);
  if (!inDevicesScope(actor, row.storeId)) throw notFound('Finding');
  return presentFinding(row);
}

async function lockFinding(tx: DbOrTx, actor: Actor, id: string) {
  const row = await findingRow(tx, id);
  if (!inDevicesScope(actor, row.storeId)) throw notFound('Finding');
  const [f] = await tx.select().from(deviceFindings).where(eq(deviceFindings.id, row.id)).for('update');
  return f;
}

/**
 * Resolving says the fact was dealt with. Where the fix is a fact of the inventory, resolving records
 * it: default credentials → marked changed; not seen → seen now. For other rules the inventory or
 * catalogue must show the fix first (a resolve would only reopen at the next recompute).
 */
export async function resolveFinding(ctx: AppContext, actor: Actor, id: string, input: z.infer<typeof findingResolveInput>) {
  assertCan(actor, 'devices:findings');
  return ctx.db.transaction(async (tx) => {
    const f = await lockFinding(tx, actor, id);
    if (f.state === 'resolved') throw conflict('state', 'this finding is already resolved');
    const now = new Date();
    if (f.rule === 'default_credentials') {
      await tx.update(devices).set({ defaultCredentialsChanged: 'yes', updatedAt: now }).where(eq(devices.id, f.deviceId));
    } else if (f.rule === 'not_seen') {
      await tx.update(devices).set({ lastSeenAt: now, missingSince: null, updatedAt: now }).where(eq(devices.id, f.deviceId));
    }
    await recomputeFindings(tx, { storeId: f.storeId, now });
    const [after] = await tx.select().from(deviceFindings).where(eq(deviceFindings.id, f.id));
    if (after.state !== 'resolved') {
      throw conflict('state', `the condition still holds (${after.detail}) — fix it in the inventory or catalogue, or accept the risk`);
    }
    await tx.update(deviceFindings).set({ resolvedBy: actor.id === SYSTEM_ACTOR.id ? null : actor.id, resolution: input.note, updatedAt: now }).where(eq(deviceFindings.id, f.id));
    await recordAudit(tx, actor, {
      action: 'update',
      entity: 'device_finding',
      entityId: f.id,
      summary: `Resolved ${findingRef(f.number)} (${FINDING_RULE_LABELS[f.rule as FindingRule]}): ${input.note}`,
      before: { state: f.state },
      after: { state: 'resolved', resolution: input.note },
    });
    return presentFinding(await findingRow(tx, f.id));
  });
}

export async function acceptRisk(ctx: AppContext, actor: Actor, id: string, input: z.infer<typeof findingAcceptInput>) {
  assertCan(actor, 'devices:accept-risk');
  return ctx.db.transaction(async (tx) => {
    const f = await lockFinding(tx, actor, id);
    if (f.state !== 'open') throw conflict('state', 'only an open finding can have its risk accepted');
    const today = todayOf(new Date());
    if (input.until <= today) throw invalid('until', 'must be after today');
    if (input.until > addDays(today, 366)) throw invalid('until', 'at most a year ahead: review the risk again then');
    await tx.update(deviceFindings).set({ state: 'risk_accepted', acceptedUntil: input.until, acceptReason: input.reason, acceptedBy: actor.id, updatedAt: new Date() }).where(eq(deviceFindings.id, f.id));
    await recordAudit(tx, actor, { action: 'update', entity: 'device_finding', entityId: f.id, summary: `Accepted the risk of ${findingRef(f.number)} until ${input.until}: ${input.reason}`, before: { state: f.state }, after: { state: 'risk_accepted', ...input } });
    return presentFinding(await findingRow(tx, f.id));
  });
}

/** Ends a risk acceptance early. */
export async function reopenFinding(ctx: AppContext, actor: Actor, id: string) {
  assertCan(actor, 'devices:findings');
  return ctx.db.transaction(async (tx) => {
    const f = await lockFinding(tx, actor, id);
    if (f.state !== 'risk_accepted') throw conflict('state', 'only a risk-accepted finding can be reopened; resolved ones reopen when the fact returns');
    await tx.update(deviceFindings).set({ state: 'open', updatedAt: new Date() }).where(eq(deviceFindings.id, f.id));
    await recordAudit(tx, actor, { action: 'update', entity: 'device_finding', entityId: f.id, summary: `Ended the risk acceptance of ${findingRef(f.number)}`, before: { state: f.state }, after: { state: 'open' } });
    return presentFinding(await findingRow(tx, f.id));
  });
}

export async function updateFinding(ctx: AppContext, actor: Actor, id: string, patch: z.infer<typeof findingPatch>) {
  assertCan(actor, 'devices:findings');
  return ctx.db.transaction(async (tx) => {
    const f = await lockFinding(tx, actor, id);
    if (patch.ownerId) {
      const [p] = await tx.select({ id: people.id, active: people.active }).from(people).where(eq(people.id, patch.ownerId));
      if (!p || !p.active) throw invalid('ownerId', 'no such active person');
    }
    const diff = changedFields(f as Record<string, unknown>, patch as Record<string, unknown>);
    if (diff.changed.length) {
      await tx.update(deviceFindings).set({ ...patch, updatedAt: new Date() }).where(eq(deviceFindings.id, f.id));
      await recordAudit(tx, actor, { action: 'update', entity: 'device_finding', entityId: f.id, summary: `Updated ${findingRef(f.number)}: ${diff.changed.join(', ')}`, before: diff.before, after: diff.after });
    }
    return presentFinding(await findingRow(tx, f.id));
  });
}

/**
 * For other modules (the projects' security gate): the open findings of high or critical severity
 * on these devices, within what the actor may see. Risk-accepted findings do not count.
 */
export async function openHighFindingsForDevices(ctx: AppContext, actor: Actor, deviceIds: string[]): Promise<Finding[]> {
  assertCan(actor, 'devices:read');
  if (deviceIds.length === 0) return [];
  const rows = (await joinFindingRefs(ctx.db.select(findingColumns).from(deviceFindings))
    .where(and(devicesScopeSql(actor, deviceFindings.storeId), inArray(deviceFindings.deviceId, deviceIds), eq(deviceFindings.state, 'open'), inArray(deviceFindings.severity, ['critical', 'high'])))
    .orderBy(asc(severityRank), asc(deviceFindings.dueDate))) as FindingRow[];
  return rows.map((r) => presentFinding(r));
}

// ------------------------------------------------------------------ dashboard

export async function dashboard(ctx: AppContext, actor: Actor, query: { storeId?: string; days?: number } = {}): Promise<PostureDashboard> {
  assertCan(actor, 'devices:read');
  const scope = and(devicesScopeSql(actor, deviceFindings.storeId), query.storeId ? eq(deviceFindings.storeId, query.storeId) : undefined);
  const bySev = await ctx.db
    .select({ severity: deviceFindings.severity, open: sql<number>`count(*) filter (where ${deviceFindings.state} = 'open')::int`, accepted: sql<number>`count(*) filter (where ${deviceFindings.state} = 'risk_accepted')::int` })
    .from(deviceFindings)
    .where(scope)
    .groupBy(deviceFindings.severity);
  const byRule = await ctx.db
    .select({ rule: deviceFindings.rule, open: sql<number>`count(*)::int` })
    .from(deviceFindings)
    .where(and(scope, eq(deviceFindings.state, 'open')))
    .groupBy(deviceFindings.rule);
  const ageRows = await ctx.db
    .select({
      bucket: sql<string>`case when now() - ${deviceFindings.openedAt} < interval '7 days' then '< 7 days' when now() - ${deviceFindings.openedAt} < interval '30 days' then '7–30 days' when now() - ${deviceFindings.openedAt} < interval '90 days' then '30–90 days' else '> 90 days' end`,
      open: sql<number>`count(*)::int`,
    })
    .from(deviceFindings)
    .where(and(scope, eq(deviceFindings.state, 'open')))
    .groupBy(sql`1`);
  const [{ overdue }] = await ctx.db
    .select({ overdue: sql<number>`count(*)::int` })
    .from(deviceFindings)
    .where(and(scope, eq(deviceFindings.state, 'open'), lt(deviceFindings.dueDate, sql`(now() at time zone 'UTC')::date`)));
  const storeScope = and(devicesScopeSql(actor, stores.id), query.storeId ? eq(stores.id, query.storeId) : undefined, eq(stores.active, true));
  const storeRows = (
    (await ctx.db.execute(sql`
      select stores.id, stores.code, stores.name,
        (select count(*)::int from devices d where d.store_id = stores.id and d.active) as devices,
        count(f.id) filter (where f.severity = 'critical')::int as critical,
        count(f.id) filter (where f.severity = 'high')::int as high,
        count(f.id) filter (where f.severity = 'medium')::int as medium,
        count(f.id) filter (where f.severity = 'low')::int as low
      from stores left join device_findings f on f.store_id = stores.id and f.state = 'open'
      where ${storeScope ?? sql`true`}
      group by stores.id order by stores.code`)) as unknown as { rows: unknown[] }
  ).rows as Array<{ id: string; code: string; name: string; devices: number; critical: number; high: number; medium: number; low: number }>;
  const days = query.days ?? 90;
  const trendRows = await ctx.db
    .select({ storeCode: stores.code, day: devicePostureDaily.day, score: devicePostureDaily.score, devices: devicePostureDaily.devices })
    .from(devicePostureDaily)
    .innerJoin(stores, eq(stores.id, devicePostureDaily.storeId))
    .where(and(devicesScopeSql(actor, devicePostureDaily.storeId), query.storeId ? eq(devicePostureDaily.storeId, query.storeId) : undefined, sql`${devicePostureDaily.day} >= (now() at time zone 'UTC')::date - ${days}::int`))
    .orderBy(asc(devicePostureDaily.day));
  // The chain's score per day: stores weighted by their number of devices.
  const perDay = new Map<string, { sum: number; weight: number }>();
  const perStore = new Map<string, Array<{ day: string; score: number }>>();
  for (const r of trendRows) {
    const w = Math.max(1, r.devices);
    const e = perDay.get(r.day) ?? { sum: 0, weight: 0 };
    e.sum += r.score * w;
    e.weight += w;
    perDay.set(r.day, e);
    perStore.set(r.storeCode, [...(perStore.get(r.storeCode) ?? []), { day: r.day, score: r.score }]);
  }
  const severities: Severity[] = ['critical', 'high', 'medium', 'low'];
  const buckets = ['< 7 days', '7–30 days', '30–90 days', '> 90 days'];
  return {
    bySeverity: severities.map((s) => {
      const r = bySev.find((x) => x.severity === s);
      return { severity: s, open: Number(r?.open ?? 0), accepted: Number(r?.accepted ?? 0) };
    }),
    byRule: byRule.map((r) => ({ rule: r.rule as FindingRule, open: Number(r.open) })).sort((a, b) => b.open - a.open),
    byAge: buckets.map((b) => ({ bucket: b, open: Number(ageRows.find((r) => r.bucket === b)?.open ?? 0) })),
    stores: storeRows.map((r) => {
      const counts = { critical: Number(r.critical), high: Number(r.high), medium: Number(r.medium), low: Number(r.low) };
      return { storeId: r.id, storeCode: r.code, storeName: r.name, devices: Number(r.devices), score: postureScore(Number(r.devices), counts), ...counts };
    }),
    trend: [...perDay.entries()].map(([day, e]) => ({ day, score: Math.round((e.sum / e.weight) * 10) / 10 })),
    storeTrends: [...perStore.entries()].map(([storeCode, points]) => ({ storeCode, points })),
    devices: storeRows.reduce((s, r) => s + Number(r.devices), 0),
    openFindings: bySev.reduce((s, r) => s + Number(r.open), 0),
    overdue: Number(overdue),
  };
}

// ------------------------------------------------------------------ network scans

type ScanChange = { deviceId: string; deviceName: string; field: string; from: string | null; to: string | null };

function ipToInt(ip: string) {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

/**
 * The address ranges an nmap command line scanned (CIDR blocks, single addresses, last-octet ranges),
 * so that only devices inside them can be marked missing. Null when none can be read.
 */
export function scanTargets(args: string): Array<[number, number]> | null {
  const ranges: Array<[number, number]> = [];
  for (const token of args.split(/\s+/)) {
    let m = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(token);
    if (m) {
      const bits = Number(m[2]);
      const base = ipToInt(m[1]) & (bits === 0 ? 0 : ~((1 << (32 - bits)) - 1) >>> 0);
      ranges.push([base >>> 0, (base >>> 0) + 2 ** (32 - bits) - 1]);
      continue;
    }
    m = /^(\d{1,3}\.\d{1,3}\.\d{1,3}\.)(\d{1,3})-(\d{1,3})$/.exec(token);
    if (m) {
      ranges.push([ipToInt(m[1] + m[2]), ipToInt(m[1] + m[3])]);
      continue;
    }
    if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(token)) ranges.push([ipToInt(token), ipToInt(token)]);
  }
  return ranges.length ? ranges : null;
}

/**
 * Imports an nmap XML scan of one store: hosts match devices by MAC, then by IP; matched devices are
 * seen (IP, firmware and MAC updated when they changed); devices inside the scanned ranges that the
 * scan did not find are marked missing; unmatched hosts wait for someone to confirm or dismiss them.
 */
export async function importScan(ctx: AppContext, actor: Actor, input: z.infer<typeof scanInput>): Promise<DeviceScan> {
  assertCan(actor, 'devices:manage');
  assertStoreInScope(actor, input.storeId);
  const report = parseNmapXml(input.xml);
  const targets = scanTargets(report.args);
  const scanId = uuidv7();
  await ctx.db.transaction(async (tx) => {
    const store = await assertStore(tx, input.storeId);
    const devs = await tx.select().from(devices).where(and(eq(devices.storeId, input.storeId), eq(devices.active, true)));
    const byMac = new Map(devs.filter((d) => d.mac).map((d) => [d.mac!, d]));
    const byIp = new Map(devs.filter((d) => d.ip).map((d) => [d.ip!, d]));
    const matchedIds = new Set<string>();
    const changes: ScanChange[] = [];
    const newHosts: Array<typeof deviceScanHosts.$inferInsert> = [];
    const at = report.scannedAt;
    for (const host of report.hosts) {
      const device = (host.mac ? byMac.get(host.mac) : undefined) ?? (host.ip ? byIp.get(host.ip) : undefined);
      if (!device || matchedIds.has(device.id)) {
        newHosts.push({
          id: uuidv7(),
          scanId,
          storeId: input.storeId,
          ip: host.ip,
          mac: host.mac,
          vendor: vendorOfMac(host.mac) ?? host.nmapVendor,
          hostname: host.hostname,
          firmware: host.firmware,
          services: host.services.join('; '),
        });
        continue;
      }
      matchedIds.add(device.id);
      const set: Partial<typeof devices.$inferInsert> = { lastSeenAt: at, missingSince: null, updatedAt: new Date() };
      const note = (field: string, from: string | null, to: string | null) => changes.push({ deviceId: device.id, deviceName: device.name, field, from, to });
      if (host.ip && host.ip !== device.ip) {
        note('ip', device.ip, host.ip);
        set.ip = host.ip;
      }
      if (host.mac && host.mac !== device.mac) {
        const owner = await tx.select({ id: devices.id }).from(devices).where(and(eq(devices.mac, host.mac), sql`${devices.id} <> ${device.id}`));
        if (!owner.length) {
          note('mac', device.mac, host.mac);
          set.mac = host.mac;
        }
      }
      if (host.firmware && host.firmware !== device.firmware) {
        note('firmware', device.firmware, host.firmware);
        set.firmware = host.firmware;
      }
      if (host.hostname && !device.hostname) set.hostname = host.hostname;
      await tx.update(devices).set(set).where(eq(devices.id, device.id));
    }
    const inRange = (ip: string | null) => (targets ? ip != null && targets.some(([a, b]) => ipToInt(ip) >= a && ipToInt(ip) <= b) : ip != null);
    const missing = devs.filter((d) => !matchedIds.has(d.id) && inRange(d.ip));
    const newlyMissing = missing.filter((d) => !d.missingSince).map((d) => d.id);
    if (newlyMissing.length) await tx.update(devices).set({ missingSince: at, updatedAt: new Date() }).where(inArray(devices.id, newlyMissing));
    await tx.insert(deviceScans).values({
      id: scanId,
      storeId: input.storeId,
      filename: input.filename,
      scannerArgs: report.args.slice(0, 500),
      scannedAt: at,
      hostsUp: report.hosts.length,
      matched: matchedIds.size,
      newHosts: newHosts.length,
      missing: missing.length,
      changes,
      importedBy: actor.via === 'system' ? null : actor.id,
    });
    // In batches: one INSERT binds at most 65,535 parameters, and a district's scan has thousands of hosts.
    for (let i = 0; i < newHosts.length; i += 500) await tx.insert(deviceScanHosts).values(newHosts.slice(i, i + 500));
    await recordAudit(tx, actor, {
      action: 'import',
      entity: 'device_scan',
      entityId: scanId,
      summary: `Imported a network scan of store ${store.code}: ${report.hosts.length} hosts up, ${matchedIds.size} matched, ${newHosts.length} new, ${missing.length} missing, ${changes.length} changes`,
    });
    await afterDeviceChange(tx, input.storeId);
  });
  return getScan(ctx, actor, scanId);
}

/** Scans of the stores in scope, newest first: counts only (hosts and changes come with one scan). */
export async function listScans(ctx: AppContext, actor: Actor, query: z.infer<typeof scanListQuery>) {
  assertCan(actor, 'devices:read');
  const page = await paginate<{ id: string; scannedAt: Date; createdAt: Date } & Omit<DeviceScanSummary, 'scannedAt' | 'createdAt'>, 'createdAt' | 'scannedAt'>(ctx.db, {
    table: deviceScans,
    select: {
      id: deviceScans.id,
      storeId: deviceScans.storeId,
      storeCode: stores.code,
      filename: deviceScans.filename,
      scannerArgs: deviceScans.scannerArgs,
      scannedAt: deviceScans.scannedAt,
      hostsUp: deviceScans.hostsUp,
      matched: deviceScans.matched,
      newHosts: deviceScans.newHosts,
      missing: deviceScans.missing,
      importedByName: people.name,
      createdAt: deviceScans.createdAt,
    },
    joins: (q) => q.innerJoin(stores, eq(stores.id, deviceScans.storeId)).leftJoin(people, eq(people.id, deviceScans.importedBy)),
    where: and(devicesScopeSql(actor, deviceScans.storeId), query.storeId ? eq(deviceScans.storeId, query.storeId) : undefined),
    sortColumns: { createdAt: deviceScans.createdAt, scannedAt: deviceScans.scannedAt },
    idColumn: deviceScans.id,
    params: query,
  });
  return { ...page, items: page.items.map((s) => ({ ...s, scannedAt: s.scannedAt.toISOString(), createdAt: s.createdAt.toISOString() })) };
}

async function scanById(db: DbOrTx, id: string): Promise<DeviceScan> {
  const [s] = await db
    .select({ scan: deviceScans, storeCode: stores.code, importedByName: people.name })
    .from(deviceScans)
    .innerJoin(stores, eq(stores.id, deviceScans.storeId))
    .leftJoin(people, eq(people.id, deviceScans.importedBy))
    .where(eq(deviceScans.id, id));
  if (!s) throw notFound('Scan');
  const hosts = await db.select().from(deviceScanHosts).where(eq(deviceScanHosts.scanId, id)).orderBy(asc(deviceScanHosts.ip));
  return {
    id: s.scan.id,
    storeId: s.scan.storeId,
    storeCode: s.storeCode,
    filename: s.scan.filename,
    scannerArgs: s.scan.scannerArgs,
    scannedAt: s.scan.scannedAt.toISOString(),
    hostsUp: s.scan.hostsUp,
    matched: s.scan.matched,
    newHosts: s.scan.newHosts,
    missing: s.scan.missing,
    changes: s.scan.changes as ScanChange[],
    importedByName: s.importedByName,
    createdAt: s.scan.createdAt.toISOString(),
    hosts: hosts.map((h) => ({ id: h.id, ip: h.ip, mac: h.mac, vendor: h.vendor, hostname: h.hostname, firmware: h.firmware, services: h.services, state: h.state as 'new', deviceId: h.deviceId })),
  };
}

export async function getScan(ctx: AppContext, actor: Actor, id: string) {
  assertCan(actor, 'devices:read');
  const scan = await scanById(ctx.db, id);
  if (!inDevicesScope(actor, scan.storeId)) throw notFound('Scan');
  return scan;
}

async function lockHost(tx: DbOrTx, actor: Actor, scanId: string, hostId: string) {
  const [h] = await tx.select().from(deviceScanHosts).where(and(eq(deviceScanHosts.id, hostId), eq(deviceScanHosts.scanId, scanId))).for('update');
  if (!h || !inDevicesScope(actor, h.storeId)) throw notFound('Scanned host');
  if (h.state !== 'new') throw conflict('state', `this host was already ${h.state}`);
  return h;
}

/** Adds a host the scan found to the inventory. */
export async function confirmHost(ctx: AppContext, actor: Actor, scanId: string, hostId: string, input: z.infer<typeof confirmHostInput>) {
  assertCan(actor, 'devices:manage');
  const deviceId = await ctx.db.transaction(async (tx) => {
    const h = await lockHost(tx, actor, scanId, hostId);
    const [scan] = await tx.select({ scannedAt: deviceScans.scannedAt }).from(deviceScans).where(eq(deviceScans.id, scanId));
    await assertUnique(tx, h.storeId, { name: input.name, mac: h.mac });
    const id = uuidv7();
    const record = {
      id,
      storeId: h.storeId,
      type: input.type,
      name: input.name,
      vendor: h.vendor ?? '',
      model: input.model,
      ip: h.ip,
      mac: h.mac,
      hostname: h.hostname,
      firmware: h.firmware,
      vlan: input.vlan ?? null,
      location: input.location,
      lastSeenAt: scan.scannedAt,
    };
    await tx.insert(devices).values(record);
    await tx.update(deviceScanHosts).set({ state: 'confirmed', deviceId: id, decidedBy: actor.id, decidedAt: new Date() }).where(eq(deviceScanHosts.id, h.id));
    await recordAudit(tx, actor, { action: 'create', entity: 'device', entityId: id, summary: `Confirmed scanned host ${h.ip ?? h.mac} as ${input.type} ${input.name}`, after: record });
    await afterDeviceChange(tx, h.storeId);
    return id;
  });
  return getDevice(ctx, actor, deviceId);
}

export async function dismissHost(ctx: AppContext, actor: Actor, scanId: string, hostId: string) {
  assertCan(actor, 'devices:manage');
  await ctx.db.transaction(async (tx) => {
    const h = await lockHost(tx, actor, scanId, hostId);
    await tx.update(deviceScanHosts).set({ state: 'dismissed', decidedBy: actor.id, decidedAt: new Date() }).where(eq(deviceScanHosts.id, h.id));
    await recordAudit(tx, actor, { action: 'update', entity: 'device_scan', entityId: scanId, summary: `Dismissed scanned host ${h.ip ?? h.mac} (not a device to track)` });
  });
  return getScan(ctx, actor, scanId);
}

// ------------------------------------------------------------------ "My work"

registerHomeContributor(async (ctx, actor) => {
  if (!can(actor, 'devices:findings')) return {};
  const [row] = await ctx.db
    .select({ mine: sql<number>`count(*) filter (where ${deviceFindings.ownerId} = ${actor.id})::int`, critical: sql<number>`count(*) filter (where ${deviceFindings.severity} = 'critical')::int` })
    .from(deviceFindings)
    .where(and(eq(deviceFindings.state, 'open'), devicesScopeSql(actor, deviceFindings.storeId)));
  const actions = [];
  if (Number(row?.mine ?? 0) > 0) actions.push({ kind: 'finding', label: `${row.mine} open device finding${Number(row.mine) === 1 ? '' : 's'} assigned to you`, detail: 'Fix, or accept the risk with a reason', href: '/devices/findings', due: null });
  return { actions, figures: [{ label: 'Critical device findings', value: Number(row?.critical ?? 0), window: 'open now', href: '/devices/findings?severity=critical&state=open' }] };
});
