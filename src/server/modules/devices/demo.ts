import { sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { PlanLine } from '../../../contracts/camera-planner.js';
import { DEMO_STORES } from '../../demo/workspace.js';
import type { AppContext } from '../../platform/context.js';
import { people, stores } from '../people/schema.js';
import { postureScore } from './rules.js';
import { cameraPlans, deviceModels, devicePostureDaily, devices } from './schema.js';
import { linkRegisterCameras, recomputeFindings } from './service.js';

/** The demo's model catalogue: real product lines with plausible firmware levels. */
export const DEMO_MODELS = [
  { vendor: 'Axis Communications AB', model: 'P3265-LVE', type: 'camera', latestFirmware: '11.11.73', endOfSupport: null, advisories: [], oui: 'AC:CC:8E' },
  { vendor: 'Axis Communications AB', model: 'M3106-L Mk II', type: 'camera', latestFirmware: '10.12.213', endOfSupport: null, advisories: ['AXIS-2024-005'], oui: 'B8:A4:4F' },
  { vendor: 'Hangzhou Hikvision Digital Technology Co.,Ltd.', model: 'DS-2CD2143G2-I', type: 'camera', latestFirmware: 'V5.7.23', endOfSupport: null, advisories: ['CVE-2023-28808'], oui: '44:19:B6' },
  { vendor: 'SAMSUNG TECHWIN CO.,LTD', model: 'XNV-8080R', type: 'camera', latestFirmware: '2.21.02', endOfSupport: null, advisories: [], oui: '00:09:18' },
  { vendor: 'Axis Communications AB', model: 'S3008 Recorder', type: 'recorder', latestFirmware: '11.11.65', endOfSupport: null, advisories: [], oui: 'AC:CC:8E' },
  { vendor: 'Hangzhou Hikvision Digital Technology Co.,Ltd.', model: 'DS-7616NI-E2', type: 'recorder', latestFirmware: 'V3.4.104', endOfSupport: '2024-06-30', advisories: ['CVE-2021-36260'], oui: 'C0:56:E3' },
  { vendor: 'Checkpoint Systems', model: 'EVOLVE Exit E10', type: 'eas', latestFirmware: '3.2.1', endOfSupport: null, advisories: [], oui: '00:0F:4F' },
  { vendor: 'Bosch Security Systems', model: 'B6512', type: 'alarm_panel', latestFirmware: '3.15.0', endOfSupport: null, advisories: [], oui: '00:07:5F' },
  { vendor: 'HID Global', model: 'VertX EVO V1000', type: 'access_control', latestFirmware: '3.5.2.1483', endOfSupport: '2027-12-31', advisories: [], oui: '00:06:8E' },
  { vendor: 'NCR Voyix', model: 'RealPOS 7702', type: 'pos_register', latestFirmware: null, endOfSupport: null, advisories: [], oui: '00:00:A5' },
  { vendor: 'Cisco Systems, Inc', model: 'Catalyst 9200-48P', type: 'switch', latestFirmware: '17.9.5', endOfSupport: null, advisories: [], oui: 'F4:EA:67' },
] as const;

/** A small deterministic random source, so the demo (and the e2e scan fixture) are the same every time. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const hex2 = (n: number) => (n & 255).toString(16).toUpperCase().padStart(2, '0');
/** The demo MAC of device `n` of store `storeIndex` under a vendor prefix. */
export const demoMac = (oui: string, storeIndex: number, n: number) => `${oui}:${hex2(storeIndex + 1)}:${hex2(n >> 8)}:${hex2(n)}`;
/** Demo addressing: 10.<store>.<vlan>.<host>. */
export const demoIp = (storeIndex: number, vlan: number, host: number) => `10.${storeIndex + 1}.${vlan}.${host}`;

const older = (fw: string, rand: () => number) => fw.replace(/(\d+)(?!.*\d)/, (m) => String(Math.max(0, Number(m) - 1 - Math.floor(rand() * 20))));
const CAMERA_LOCATIONS = ['Entrance', 'Exit', 'Sales floor A', 'Sales floor B', 'Electronics', 'Health and beauty', 'Stockroom', 'Receiving dock', 'Cash office', 'Fitting rooms corridor', 'Parking lot', 'Returns desk', 'Liquor aisle', 'Emergency exit'];

type DeviceRecord = typeof devices.$inferInsert;

/** Fifty devices a store, about six hundred across the demo chain, with the findings a real chain has. */
export function demoDevices(storeIds: Map<string, string>, now = new Date()): DeviceRecord[] {
  const out: DeviceRecord[] = [];
  const day = (n: number) => new Date(now.getTime() - n * 86400000);
  DEMO_STORES.forEach((store, si) => {
    const storeId = storeIds.get(store.code);
    if (!storeId) return;
    const rand = rng(1000 + si);
    let n = 0;
    const add = (r: Omit<DeviceRecord, 'id' | 'storeId' | 'lastSeenAt'> & { lastSeenAt?: Date }) => {
      n++;
      out.push({ id: uuidv7(), storeId, lastSeenAt: r.lastSeenAt ?? day(rand() < 0.5 ? 0 : 1), ...r });
    };
    const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
    const cameraModels = DEMO_MODELS.filter((m) => m.type === 'camera');
    const creds = () => (rand() < 0.04 ? 'no' : rand() < 0.08 ? 'unknown' : 'yes');
    const installed = () => new Date(now.getTime() - (200 + Math.floor(rand() * 1500)) * 86400000).toISOString().slice(0, 10);
    // Switches (management VLAN 10)
    const sw = DEMO_MODELS.find((m) => m.type === 'switch')!;
    for (let i = 1; i <= 3; i++) {
      add({ type: 'switch', name: `${store.code}-SW${i}`, vendor: sw.vendor, model: sw.model, serial: `FOC${24 + si}${String(1000 + i * 37 + si).padStart(4, '0')}X`, ip: demoIp(si, 10, 1 + i), mac: demoMac(sw.oui, si, 900 + i), vlan: 10, firmware: i === 3 && si % 3 === 0 ? '17.6.4' : sw.latestFirmware, defaultCredentialsChanged: 'yes', poeBudgetW: i === 1 ? 370 : 740, location: i === 1 ? 'Comms room' : `IDF ${i - 1}`, installDate: installed() });
    }
    // Register cameras: named as the video system knows them (cashier monitoring's register map).
    for (let r = 1; r <= 4; r++) {
      const m = cameraModels[0];
      const onPosVlan = store.code === 'NE-102' && r === 2;
      add({ type: 'camera', name: `${store.code}-CAM-R${r}`, vendor: m.vendor, model: m.model, serial: `ACCC${si}${r}${Math.floor(rand() * 1e6)}`, ip: demoIp(si, onPosVlan ? 20 : 40, 20 + r), mac: demoMac(m.oui, si, 100 + r), vlan: onPosVlan ? 20 : 40, firmware: rand() < 0.2 ? older(m.latestFirmware!, rand) : m.latestFirmware, defaultCredentialsChanged: store.code === 'MW-203' && r === 1 ? 'no' : 'yes', poeClass: 3, streamResolution: '2688x1512', streamCodec: 'h265', streamFps: 15, location: `Register ${r}`, coveredRegisters: [String(r)], installDate: installed() });
    }
    // Other cameras
    for (let c = 1; c <= 29; c++) {
      const m = pick(cameraModels);
      const stale = rand() < 0.015;
      add({
        type: 'camera',
        name: `${store.code}-CAM-${String(c).padStart(2, '0')}`,
        vendor: m.vendor,
        model: m.model,
        serial: `${m.model.slice(0, 3).toUpperCase()}${si}${c}${Math.floor(rand() * 1e6)}`,
        ip: demoIp(si, 40, 30 + c),
        mac: demoMac(m.oui, si, 200 + c),
        vlan: 40,
        firmware: rand() < 0.15 ? older(m.latestFirmware!, rand) : m.latestFirmware,
        defaultCredentialsChanged: creds(),
        poeClass: m.model.startsWith('XNV') ? 4 : 3,
        streamResolution: m.model.startsWith('XNV') ? '3840x2160' : '2688x1520',
        streamCodec: rand() < 0.7 ? 'h265' : 'h264',
        streamFps: rand() < 0.5 ? 15 : 20,
        location: `${pick(CAMERA_LOCATIONS)}${c > 14 ? ` ${Math.ceil(c / 14)}` : ''}`,
        installDate: installed(),
        lastSeenAt: stale ? day(12 + Math.floor(rand() * 20)) : undefined,
      });
    }
    // The recorder: one store still runs an end-of-support NVR; one keeps too little video.
    const eosStore = store.code === 'SO-304';
    const rec = DEMO_MODELS.find((m) => m.type === 'recorder' && (eosStore ? m.model.startsWith('DS-') : m.model.startsWith('S3008')))!;
    add({ type: 'recorder', name: `${store.code}-NVR1`, vendor: rec.vendor, model: rec.model, serial: `NVR${si}${Math.floor(rand() * 1e7)}`, ip: demoIp(si, 40, 5), mac: demoMac(rec.oui, si, 50), vlan: 40, firmware: eosStore ? 'V3.4.92' : rec.latestFirmware, defaultCredentialsChanged: 'yes', retentionDays: store.code === 'MW-204' ? 21 : 45, location: 'Comms room', installDate: installed() });
    // EAS pedestals, alarm panel, access control (security VLAN)
    const eas = DEMO_MODELS.find((m) => m.type === 'eas')!;
    for (let e = 1; e <= 4; e++) add({ type: 'eas', name: `${store.code}-EAS${e}`, vendor: eas.vendor, model: eas.model, serial: `EV${si}${e}${Math.floor(rand() * 1e6)}`, ip: demoIp(si, 40, 200 + e), mac: demoMac(eas.oui, si, 300 + e), vlan: 40, firmware: rand() < 0.3 ? '3.1.8' : eas.latestFirmware, defaultCredentialsChanged: creds(), location: e <= 2 ? 'Main entrance' : 'Garden centre exit', installDate: installed() });
    const alarm = DEMO_MODELS.find((m) => m.type === 'alarm_panel')!;
    add({ type: 'alarm_panel', name: `${store.code}-ALARM`, vendor: alarm.vendor, model: alarm.model, serial: `B65${si}${Math.floor(rand() * 1e6)}`, ip: demoIp(si, 40, 210), mac: demoMac(alarm.oui, si, 310), vlan: 40, firmware: alarm.latestFirmware, defaultCredentialsChanged: 'yes', location: 'Cash office', installDate: installed() });
    const acs = DEMO_MODELS.find((m) => m.type === 'access_control')!;
    for (let a = 1; a <= 2; a++) add({ type: 'access_control', name: `${store.code}-ACS${a}`, vendor: acs.vendor, model: acs.model, serial: `HID${si}${a}${Math.floor(rand() * 1e6)}`, ip: demoIp(si, 40, 220 + a), mac: demoMac(acs.oui, si, 320 + a), vlan: si === 7 && a === 2 ? 10 : 40, firmware: acs.latestFirmware, defaultCredentialsChanged: 'yes', poeClass: 2, location: a === 1 ? 'Cash office door' : 'Stockroom door', installDate: installed() });
    // POS registers (POS VLAN 20)
    const pos = DEMO_MODELS.find((m) => m.type === 'pos_register')!;
    for (let p = 1; p <= 6; p++) add({ type: 'pos_register', name: `${store.code}-POS${p}`, vendor: pos.vendor, model: pos.model, serial: `NCR${si}${p}${Math.floor(rand() * 1e6)}`, ip: demoIp(si, 20, 10 + p), mac: demoMac(pos.oui, si, 400 + p), vlan: 20, defaultCredentialsChanged: 'yes', location: `Checkout lane ${p}`, installDate: installed() });
    void n;
  });
  return out;
}

/** Two camera plans: a pilot that fits its store, and a refresh over the smallest store's uplink. */
export const DEMO_PLANS: Array<{ store: string; name: string; project: string; offsitePercent: number; lines: PlanLine[] }> = [
  {
    store: 'NE-101',
    name: 'Front-end and entrance upgrade',
    project: 'IP camera roll-out, pilot wave',
    offsitePercent: 100,
    lines: [
      { label: 'Register overview', quantity: 8, resolutionMp: 4, codec: 'h265', fps: 15, activity: 'medium', recording: 'continuous', motionPercent: 30, retentionDays: 30, poeClass: 3 },
      { label: 'Entrances (4K)', quantity: 4, resolutionMp: 8.3, codec: 'h265', fps: 20, activity: 'high', recording: 'continuous', motionPercent: 30, retentionDays: 30, poeClass: 4 },
      { label: 'Stockroom', quantity: 4, resolutionMp: 2.1, codec: 'h265', fps: 10, activity: 'low', recording: 'motion', motionPercent: 25, retentionDays: 30, poeClass: 2 },
    ],
  },
  {
    store: 'MW-204',
    name: 'Sales floor 4 MP refresh',
    project: 'IP camera roll-out, wave 2',
    offsitePercent: 100,
    lines: [
      { label: 'Sales floor', quantity: 18, resolutionMp: 4, codec: 'h264', fps: 20, activity: 'medium', recording: 'continuous', motionPercent: 30, retentionDays: 30, poeClass: 3 },
      { label: 'Checkouts', quantity: 6, resolutionMp: 4, codec: 'h264', fps: 20, activity: 'high', recording: 'continuous', motionPercent: 30, retentionDays: 45, poeClass: 3 },
    ],
  },
];

export async function seedDevicesDemo(ctx: AppContext) {
  const storeRows = await ctx.db.select({ id: stores.id, code: stores.code }).from(stores);
  const storeIds = new Map(storeRows.map((s) => [s.code, s.id]));
  const [lead] = await ctx.db.select({ id: people.id }).from(people).where(sql`${people.email} = 'luis.ortega@meridian.example'`);
  const now = new Date();
  await ctx.db.transaction(async (tx) => {
    await tx.insert(deviceModels).values(DEMO_MODELS.map(({ oui: _oui, advisories, ...m }) => ({ id: uuidv7(), ...m, advisories: [...advisories] })));
    const records = demoDevices(storeIds, now);
    for (let i = 0; i < records.length; i += 200) await tx.insert(devices).values(records.slice(i, i + 200));
    await linkRegisterCameras(tx);
    // Findings as first detected weeks ago, so the queue has an age.
    await recomputeFindings(tx, { now: new Date(now.getTime() - 40 * 86400000) });
    await tx.execute(sql`update device_findings set first_detected_at = first_detected_at - ((abs(hashtext(id::text)) % 60) || ' days')::interval, opened_at = opened_at - ((abs(hashtext(id::text)) % 60) || ' days')::interval`);
    await recomputeFindings(tx, { now });
    // A posture history: stores improved over twelve weeks as IT and InfoSec worked the findings.
    const today = (await tx.select().from(devicePostureDaily).where(sql`${devicePostureDaily.day} = ${now.toISOString().slice(0, 10)}`)) ?? [];
    const history: Array<typeof devicePostureDaily.$inferInsert> = [];
    for (const row of today) {
      const rand = rng(row.storeId.charCodeAt(0) * 31 + row.devices);
      for (let d = 84; d >= 1; d--) {
        const extra = Math.round((d / 84) * (3 + rand() * 6) + rand() * 1.5);
        const counts = { critical: row.critical + Math.round(extra / 4), high: row.high + Math.round(extra / 2), medium: row.medium + extra, low: row.low };
        history.push({ storeId: row.storeId, day: new Date(now.getTime() - d * 86400000).toISOString().slice(0, 10), score: postureScore(row.devices, counts), devices: row.devices, ...counts });
      }
    }
    for (let i = 0; i < history.length; i += 500) await tx.insert(devicePostureDaily).values(history.slice(i, i + 500)).onConflictDoNothing();
    for (const p of DEMO_PLANS) {
      const storeId = storeIds.get(p.store);
      if (!storeId) continue;
      await tx.insert(cameraPlans).values({ id: uuidv7(), storeId, name: p.name, project: p.project, offsitePercent: p.offsitePercent, lines: p.lines, createdBy: lead?.id ?? null });
    }
  });
}
