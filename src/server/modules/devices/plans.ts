import { and, asc, eq } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { z } from 'zod';
import { POE_CLASS_WATTS, planFigures, type PlanLine } from '../../../contracts/camera-planner.js';
import type { CameraPlan, planInput, planPatch } from '../../../contracts/devices.js';
import { changedFields, recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import type { DbOrTx } from '../../platform/db.js';
import { invalid, notFound } from '../../platform/errors.js';
import { assertCan, type Actor } from '../../platform/policy.js';
import { people, stores } from '../people/schema.js';
import { cameraPlans, devices } from './schema.js';
import { assertStoreInScope, devicesScopeSql, inDevicesScope } from './service.js';

/** What the inventory says about a store's network: uplink, switch PoE budget, PoE already drawn. */
export async function storeNetwork(db: DbOrTx, storeId: string) {
  const [store] = await db.select({ id: stores.id, uplinkMbps: stores.uplinkMbps }).from(stores).where(eq(stores.id, storeId));
  if (!store) throw invalid('storeId', 'no such store');
  const rows = await db
    .select({ type: devices.type, poeClass: devices.poeClass, poeBudgetW: devices.poeBudgetW })
    .from(devices)
    .where(and(eq(devices.storeId, storeId), eq(devices.active, true)));
  const switches = rows.filter((r) => r.type === 'switch' && r.poeBudgetW != null);
  const existing = rows.reduce((s, r) => s + (r.poeClass != null ? (POE_CLASS_WATTS[r.poeClass] ?? 0) : 0), 0);
  return { storeId, uplinkMbps: store.uplinkMbps, inventoryPoeBudgetW: switches.length ? switches.reduce((s, r) => s + r.poeBudgetW!, 0) : null, existingPoeWatts: Math.round(existing * 10) / 10 };
}

export async function getStoreNetwork(ctx: AppContext, actor: Actor, storeId: string) {
  assertCan(actor, 'devices:read');
  if (!inDevicesScope(actor, storeId)) throw notFound('Store');
  return storeNetwork(ctx.db, storeId);
}

async function planById(db: DbOrTx, id: string): Promise<CameraPlan> {
  const [row] = await db
    .select({ plan: cameraPlans, storeCode: stores.code, storeName: stores.name, createdByName: people.name })
    .from(cameraPlans)
    .innerJoin(stores, eq(stores.id, cameraPlans.storeId))
    .leftJoin(people, eq(people.id, cameraPlans.createdBy))
    .where(eq(cameraPlans.id, id));
  if (!row) throw notFound('Camera plan');
  const network = await storeNetwork(db, row.plan.storeId);
  const lines = row.plan.lines as PlanLine[];
  const poeBudgetW = row.plan.switchPoeBudgetW ?? network.inventoryPoeBudgetW;
  return {
    id: row.plan.id,
    storeId: row.plan.storeId,
    storeCode: row.storeCode,
    storeName: row.storeName,
    name: row.plan.name,
    project: row.plan.project,
    offsitePercent: row.plan.offsitePercent,
    switchPoeBudgetW: row.plan.switchPoeBudgetW,
    inventoryPoeBudgetW: network.inventoryPoeBudgetW,
    lines,
    figures: planFigures({ lines, offsitePercent: row.plan.offsitePercent, uplinkMbps: network.uplinkMbps, poeBudgetW, existingPoeWatts: network.existingPoeWatts }),
    createdByName: row.createdByName,
    updatedAt: row.plan.updatedAt.toISOString(),
  };
}

export async function listPlans(ctx: AppContext, actor: Actor, query: { storeId?: string }) {
  assertCan(actor, 'devices:read');
  const rows = await ctx.db
    .select({ id: cameraPlans.id })
    .from(cameraPlans)
    .innerJoin(stores, eq(stores.id, cameraPlans.storeId))
    .where(and(devicesScopeSql(actor, cameraPlans.storeId), query.storeId ? eq(cameraPlans.storeId, query.storeId) : undefined))
    .orderBy(asc(stores.code), asc(cameraPlans.name));
  const items = [];
  for (const r of rows) items.push(await planById(ctx.db, r.id));
  return { items };
}

export async function getPlan(ctx: AppContext, actor: Actor, id: string) {
  assertCan(actor, 'devices:read');
  const plan = await planById(ctx.db, id);
  if (!inDevicesScope(actor, plan.storeId)) throw notFound('Camera plan');
  return plan;
}

export async function createPlan(ctx: AppContext, actor: Actor, input: z.infer<typeof planInput>) {
  assertCan(actor, 'devices:plan');
  assertStoreInScope(actor, input.storeId);
  return ctx.db.transaction(async (tx) => {
    await storeNetwork(tx, input.storeId);
    const id = uuidv7();
    await tx.insert(cameraPlans).values({ id, ...input, switchPoeBudgetW: input.switchPoeBudgetW ?? null, createdBy: actor.via === 'system' ? null : actor.id });
    await recordAudit(tx, actor, { action: 'create', entity: 'camera_plan', entityId: id, summary: `Created camera plan "${input.name}" (${input.lines.reduce((s, l) => s + l.quantity, 0)} cameras)`, after: input });
    return planById(tx, id);
  });
}

export async function updatePlan(ctx: AppContext, actor: Actor, id: string, patch: z.infer<typeof planPatch>) {
  assertCan(actor, 'devices:plan');
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(cameraPlans).where(eq(cameraPlans.id, id)).for('update');
    if (!before || !inDevicesScope(actor, before.storeId)) throw notFound('Camera plan');
    const diff = changedFields(before as Record<string, unknown>, patch as Record<string, unknown>);
    if (diff.changed.length) {
      await tx.update(cameraPlans).set({ ...patch, updatedAt: new Date() }).where(eq(cameraPlans.id, id));
      await recordAudit(tx, actor, { action: 'update', entity: 'camera_plan', entityId: id, summary: `Updated camera plan "${before.name}": ${diff.changed.join(', ')}`, before: diff.before, after: diff.after });
    }
    return planById(tx, id);
  });
}

export async function deletePlan(ctx: AppContext, actor: Actor, id: string) {
  assertCan(actor, 'devices:plan');
  await ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(cameraPlans).where(eq(cameraPlans.id, id)).for('update');
    if (!before || !inDevicesScope(actor, before.storeId)) throw notFound('Camera plan');
    await tx.delete(cameraPlans).where(eq(cameraPlans.id, id));
    await recordAudit(tx, actor, { action: 'delete', entity: 'camera_plan', entityId: id, summary: `Deleted camera plan "${before.name}"`, before: { name: before.name, lines: before.lines } });
  });
}

/** The plan as CSV rows: one per line, then the totals and the checks against the store. */
export function planCsvRows(plan: CameraPlan) {
  const rows: Array<Record<string, string | number>> = plan.lines.map((l, i) => ({
    row: l.label || `Line ${i + 1}`,
    cameras: l.quantity,
    resolution_mp: l.resolutionMp,
    codec: l.codec,
    fps: l.fps,
    activity: l.activity,
    recording: l.recording === 'motion' ? `motion ${l.motionPercent}%` : 'continuous',
    retention_days: l.retentionDays,
    poe_class: l.poeClass,
    mbps_per_camera: plan.figures.lines[i].mbpsPerCamera,
    mbps: plan.figures.lines[i].mbps,
    storage_tb: plan.figures.lines[i].storageTb,
    poe_w: plan.figures.lines[i].poeWatts,
  }));
  const f = plan.figures;
  rows.push({ row: 'Total', cameras: f.cameras, mbps: f.totalMbps, storage_tb: f.storageTb, poe_w: f.poeWatts });
  rows.push({ row: `Uplink needed (${plan.offsitePercent}% off site)`, mbps: f.uplinkNeededMbps });
  rows.push({ row: `Store uplink${f.overUplink ? ' — OVER' : ''}`, mbps: f.uplinkMbps });
  rows.push({ row: 'Uplink headroom', mbps: f.uplinkHeadroomMbps });
  if (f.poeBudgetW != null) {
    rows.push({ row: 'PoE already drawn', poe_w: f.existingPoeWatts });
    rows.push({ row: `Switch PoE budget${f.overPoe ? ' — OVER' : ''}`, poe_w: f.poeBudgetW });
    rows.push({ row: 'PoE headroom', poe_w: f.poeHeadroomW ?? '' });
  }
  return rows;
}

export const PLAN_CSV_COLUMNS = ['row', 'cameras', 'resolution_mp', 'codec', 'fps', 'activity', 'recording', 'retention_days', 'poe_class', 'mbps_per_camera', 'mbps', 'storage_tb', 'poe_w'] as const;

