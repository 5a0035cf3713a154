import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { ROLE_EMAILS, SYSTEM_ACTOR, actorFor, seededApp, signIn, type TestApp } from './context.js';
import { stores } from '../src/server/modules/people/schema.js';
import { deviceFindings, devices } from '../src/server/modules/devices/schema.js';
import { compareFirmware, deviceFacts, postureScore, type RuleDevice } from '../src/server/modules/devices/rules.js';
import { parseNmapXml, vendorOfMac } from '../src/server/modules/devices/nmap.js';
import * as service from '../src/server/modules/devices/service.js';
import { getVideoConfig, setVideoConfig } from '../src/server/modules/pos/service.js';

let t: TestApp;
const who: Record<string, string> = {};
const EMAILS = {
  rachel: ROLE_EMAILS.member, // IT member
  marcus: ROLE_EMAILS.lead, // IT lead
  luis: 'luis.ortega@meridian.example', // LP lead
  gary: 'gary.lutz@meridian.example', // store manager NE-101 (lead, store-attached)
  ricky: 'ricky.navarro@meridian.example', // store LP associate NE-101 (member, store-attached)
  chris: ROLE_EMAILS.viewer,
  lily: ROLE_EMAILS.staff,
};
const storeId: Record<string, string> = {};
let testStore: string;

beforeAll(async () => {
  t = await seededApp();
  for (const [k, email] of Object.entries(EMAILS)) who[k] = await signIn(t.app, email);
  for (const s of await t.ctx.db.select().from(stores)) storeId[s.code] = s.id;
  testStore = uuidv7();
  await t.ctx.db.insert(stores).values({ id: testStore, code: 'TS-900', name: 'Test lab', region: 'Lab', district: 'Lab', timezone: 'UTC', uplinkMbps: 100 });
  // A shared machine can take a minute to migrate and seed; the suite's own checks are quick.
}, 300_000);
afterAll(async () => t?.close());

function call(as: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}) {
  return t.app.inject({ method, url, headers: { cookie: who[as], ...headers }, ...(payload !== undefined ? { payload: payload as object } : {}) });
}

/** Text drawn in a PDF: inflates each content stream and decodes the hex strings of its text operators. */
function pdfText(pdf: Buffer): string {
  const out: string[] = [];
  let at = 0;
  for (;;) {
    const start = pdf.indexOf('\nstream\n', at) + 1;
    if (start === 0) break;
    const end = pdf.indexOf('\nendstream', start);
    if (end < 0) break;
    try {
      const body = inflateSync(pdf.subarray(start + 'stream\n'.length, end)).toString('latin1');
      for (const m of body.matchAll(/<([0-9a-f]+)>/gi)) out.push(Buffer.from(m[1], 'hex').toString('latin1'));
      for (const m of body.matchAll(/\(((?:[^()\\]|\\.)*)\)\s*Tj/g)) out.push(m[1]);
    } catch {
      // not a deflated stream (fonts, images)
    }
    at = end + '\nendstream'.length;
  }
  return out.join('');
}

const baseDevice: RuleDevice = {
  id: 'd1', type: 'camera', vendor: 'Axis Communications AB', model: 'P3265-LVE', vlan: 40, firmware: '11.11.73', defaultCredentialsChanged: 'yes',
  retentionDays: null, lastSeenAt: new Date('2026-11-29T00:00:00Z'), missingSince: null, createdAt: new Date('2026-01-01T00:00:00Z'),
};
const model = { vendor: 'Axis Communications AB', model: 'P3265-LVE', latestFirmware: '11.11.73' as string | null, endOfSupport: null as string | null, advisories: [] as string[] };
const policy = { securityVlans: [40], posVlans: [20], minRetentionDays: 30, notSeenDays: 7 };
const NOW = new Date('2026-11-30T12:00:00Z');
const rules = (d: Partial<RuleDevice>, m: Partial<typeof model> = {}) => deviceFacts({ ...baseDevice, ...d }, { ...model, ...m }, policy, NOW);

describe('finding rules', () => {
  it('a healthy device has no finding', () => {
    expect(rules({})).toEqual([]);
  });
  it('default credentials: not changed is critical, unknown is medium, POS registers exempt from unknown', () => {
    expect(rules({ defaultCredentialsChanged: 'no' })).toMatchObject([{ rule: 'default_credentials', severity: 'critical' }]);
    expect(rules({ defaultCredentialsChanged: 'unknown' })).toMatchObject([{ rule: 'default_credentials', severity: 'medium' }]);
    expect(rules({ defaultCredentialsChanged: 'unknown', type: 'pos_register' })).toEqual([]);
  });
  it('firmware behind the catalogue, high when the model has advisories', () => {
    expect(compareFirmware('10.12.114', '10.12.200')).toBeLessThan(0);
    expect(compareFirmware('V5.7.23', 'V5.7.3')).toBeGreaterThan(0);
    expect(rules({ firmware: '11.9.60' })).toMatchObject([{ rule: 'firmware_behind', severity: 'medium' }]);
    expect(rules({ firmware: '11.9.60' }, { advisories: ['CVE-2023-28808'] })).toMatchObject([{ rule: 'firmware_behind', severity: 'high' }]);
    expect(rules({ firmware: '11.12.1' })).toEqual([]);
  });
  it('end of support once the date has passed', () => {
    expect(rules({}, { endOfSupport: '2026-11-30' })).toMatchObject([{ rule: 'end_of_support', severity: 'high' }]);
    expect(rules({}, { endOfSupport: '2026-12-01' })).toEqual([]);
  });
  it('outside the security VLAN; on the POS VLAN is high; POS registers and switches are not security devices', () => {
    expect(rules({ vlan: 20 })).toMatchObject([{ rule: 'outside_security_vlan', severity: 'high' }]);
    expect(rules({ vlan: 10 })).toMatchObject([{ rule: 'outside_security_vlan', severity: 'medium' }]);
    expect(rules({ vlan: 20, type: 'pos_register' })).toEqual([]);
    expect(rules({ vlan: 10, type: 'switch' })).toEqual([]);
  });
  it('recording retention below policy, for recorders', () => {
    expect(rules({ type: 'recorder', retentionDays: 21 })).toMatchObject([{ rule: 'retention_below_policy', severity: 'high' }]);
    expect(rules({ type: 'recorder', retentionDays: 30 })).toEqual([]);
  });
  it('not seen for more than N days, or missing from a scan', () => {
    expect(rules({ lastSeenAt: new Date('2026-11-20T00:00:00Z') })).toMatchObject([{ rule: 'not_seen' }]);
    expect(rules({ lastSeenAt: new Date('2026-11-25T00:00:00Z') })).toEqual([]);
    expect(rules({ missingSince: new Date('2026-11-29T00:00:00Z') })).toMatchObject([{ rule: 'not_seen' }]);
  });
  it('posture score: 100 without findings, lower with weighted open findings', () => {
    expect(postureScore(50, { critical: 0, high: 0, medium: 0, low: 0 })).toBe(100);
    expect(postureScore(50, { critical: 2, high: 1, medium: 0, low: 0 })).toBe(87.5);
  });
});

describe('demo data', () => {
  it('about 600 devices in 12 stores with the planted findings and two plans, one over its uplink', async () => {
    const res = await call('marcus', 'GET', '/api/devices?limit=1');
    expect(res.json().total).toBe(600);
    const findings = async (q: string) => (await call('marcus', 'GET', `/api/device-findings?state=open&limit=200&${q}`)).json().items;
    expect((await findings('rule=default_credentials&severity=critical')).length).toBeGreaterThan(3);
    const eos = await findings('rule=end_of_support');
    expect(eos.map((f: { deviceName: string }) => f.deviceName)).toContain('SO-304-NVR1');
    const vlan = await findings('rule=outside_security_vlan&severity=high');
    expect(vlan.map((f: { deviceName: string }) => f.deviceName)).toContain('NE-102-CAM-R2');
    const plans = (await call('luis', 'GET', '/api/camera-plans')).json().items;
    expect(plans).toHaveLength(2);
    expect(plans.filter((p: { figures: { overUplink: boolean } }) => p.figures.overUplink).map((p: { storeCode: string }) => p.storeCode)).toEqual(['MW-204']);
    const dashRes = await call('marcus', 'GET', '/api/device-findings/dashboard');
    expect(dashRes.statusCode, dashRes.body).toBe(200);
    const dash = dashRes.json();
    expect(dash.stores).toHaveLength(13);
    expect(dash.trend.length).toBeGreaterThan(80);
    expect(dash.trend[0].score).toBeLessThan(dash.trend[dash.trend.length - 1].score);
  });
});

describe('findings lifecycle', () => {
  let deviceId: string;
  it('a change to a device opens, resolves and reopens findings in the same transaction', async () => {
    const res = await call('rachel', 'POST', '/api/devices', { storeId: testStore, type: 'camera', name: 'TS-CAM-LIFE', vendor: 'Axis Communications AB', model: 'P3265-LVE', vlan: 40, firmware: '11.11.73', defaultCredentialsChanged: 'no', ip: '10.90.40.200' });
    expect(res.statusCode).toBe(201);
    deviceId = res.json().id;
    expect(res.json().openFindings).toBe(1);
    let [f] = await t.ctx.db.select().from(deviceFindings).where(eq(deviceFindings.deviceId, deviceId));
    expect(f).toMatchObject({ rule: 'default_credentials', severity: 'critical', state: 'open' });
    // Resolve through the finding: the credentials are recorded as changed.
    const resolved = await call('rachel', 'POST', `/api/device-findings/${f.id}/resolve`, { note: 'Changed on site, stored in the vault' });
    expect(resolved.statusCode).toBe(200);
    expect(resolved.json()).toMatchObject({ state: 'resolved', resolution: 'Changed on site, stored in the vault', resolvedByName: 'Rachel Okafor' });
    expect((await call('rachel', 'GET', `/api/devices/${deviceId}`)).json().defaultCredentialsChanged).toBe('yes');
    // A factory reset brings the fact back: the finding reopens.
    await call('rachel', 'PATCH', `/api/devices/${deviceId}`, { defaultCredentialsChanged: 'no' });
    [f] = await t.ctx.db.select().from(deviceFindings).where(eq(deviceFindings.deviceId, deviceId));
    expect(f).toMatchObject({ state: 'open', reopenCount: 1, resolvedAt: null });
    // Moving it to the POS VLAN adds a high finding; moving back resolves it automatically.
    await call('rachel', 'PATCH', `/api/devices/${deviceId}`, { vlan: 20 });
    let rows = await t.ctx.db.select().from(deviceFindings).where(and(eq(deviceFindings.deviceId, deviceId), eq(deviceFindings.rule, 'outside_security_vlan')));
    expect(rows[0]).toMatchObject({ state: 'open', severity: 'high' });
    await call('rachel', 'PATCH', `/api/devices/${deviceId}`, { vlan: 40 });
    rows = await t.ctx.db.select().from(deviceFindings).where(and(eq(deviceFindings.deviceId, deviceId), eq(deviceFindings.rule, 'outside_security_vlan')));
    expect(rows[0].state).toBe('resolved');
  });
  it('a finding whose fact still holds cannot be resolved by hand', async () => {
    await call('rachel', 'PATCH', `/api/devices/${deviceId}`, { vlan: 10 });
    const [f] = await t.ctx.db.select().from(deviceFindings).where(and(eq(deviceFindings.deviceId, deviceId), eq(deviceFindings.rule, 'outside_security_vlan')));
    const res = await call('rachel', 'POST', `/api/device-findings/${f.id}/resolve`, { note: 'done' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toContain('the condition still holds');
  });
  it('risk acceptance needs a lead, a reason and a date; it reopens when the date passes', async () => {
    const [f] = await t.ctx.db.select().from(deviceFindings).where(and(eq(deviceFindings.deviceId, deviceId), eq(deviceFindings.rule, 'outside_security_vlan')));
    const until = new Date(Date.now() + 10 * 86400000).toISOString().slice(0, 10);
    expect((await call('rachel', 'POST', `/api/device-findings/${f.id}/accept`, { until, reason: 'x' })).statusCode).toBe(403);
    const bad = await call('marcus', 'POST', `/api/device-findings/${f.id}/accept`, { until: '2020-01-01', reason: 'Temporary' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.problems[0].field).toBe('until');
    const ok = await call('marcus', 'POST', `/api/device-findings/${f.id}/accept`, { until, reason: 'Switch replacement scheduled for next month' });
    expect(ok.json()).toMatchObject({ state: 'risk_accepted', acceptedByName: 'Marcus Chen', acceptedUntil: until });
    // Still accepted after a recompute today; open again once the acceptance has run out.
    await t.ctx.db.transaction((tx) => service.recomputeFindings(tx, { storeId: testStore }));
    expect((await call('rachel', 'GET', `/api/device-findings/${f.id}`)).json().state).toBe('risk_accepted');
    await t.ctx.db.transaction((tx) => service.recomputeFindings(tx, { storeId: testStore, now: new Date(Date.now() + 11 * 86400000) }));
    expect((await call('rachel', 'GET', `/api/device-findings/${f.id}`)).json().state).toBe('open');
  });
  it('the catalogue drives firmware and end-of-support findings', async () => {
    const created = await call('rachel', 'POST', '/api/device-models', { vendor: 'TestVendor', model: 'TV-1', type: 'camera', latestFirmware: '2.0.0' });
    expect(created.statusCode).toBe(201);
    const d = await call('rachel', 'POST', '/api/devices', { storeId: testStore, type: 'camera', name: 'TS-CAM-FW', vendor: 'testvendor', model: 'tv-1', vlan: 40, firmware: '1.9.9', defaultCredentialsChanged: 'yes' });
    const findings = async () => (await call('rachel', 'GET', `/api/device-findings?deviceId=${d.json().id}`)).json().items;
    expect((await findings()).map((f: { rule: string; state: string }) => `${f.rule}:${f.state}`)).toEqual(['firmware_behind:open']);
    await call('rachel', 'PATCH', `/api/device-models/${created.json().id}`, { latestFirmware: '1.9.9', endOfSupport: '2020-01-01' });
    expect((await findings()).map((f: { rule: string; state: string }) => `${f.rule}:${f.state}`).sort()).toEqual(['end_of_support:open', 'firmware_behind:resolved']);
  });
  it('the nightly run ages devices into "not seen"', async () => {
    const d = await call('rachel', 'POST', '/api/devices', { storeId: testStore, type: 'eas', name: 'TS-EAS-OLD', vlan: 40, defaultCredentialsChanged: 'yes' });
    await t.ctx.db.update(devices).set({ lastSeenAt: new Date(Date.now() - 30 * 86400000) }).where(eq(devices.id, d.json().id));
    await service.nightlyRecompute(t.ctx);
    const items = (await call('rachel', 'GET', `/api/device-findings?deviceId=${d.json().id}`)).json().items;
    expect(items).toMatchObject([{ rule: 'not_seen', state: 'open' }]);
  });
  it('other modules ask for open high findings of their devices', async () => {
    const actor = await actorFor(t.ctx, ROLE_EMAILS.lead);
    const [eos] = await t.ctx.db.select({ id: devices.id }).from(devices).where(eq(devices.name, 'SO-304-NVR1'));
    const [healthy] = await t.ctx.db.select({ id: devices.id }).from(devices).where(eq(devices.name, 'NE-101-SW1'));
    const found = await service.openHighFindingsForDevices(t.ctx, actor, [eos.id, healthy.id]);
    expect(found.map((f) => f.rule)).toContain('end_of_support');
    expect(found.every((f) => f.deviceId === eos.id && ['critical', 'high'].includes(f.severity))).toBe(true);
    const storeActor = await actorFor(t.ctx, EMAILS.gary);
    expect(await service.openHighFindingsForDevices(t.ctx, storeActor, [eos.id])).toEqual([]);
  });
});

describe('nmap scans', () => {
  it('reads a real nmap scan of 127.0.0.1', () => {
    const report = parseNmapXml(readFileSync('test/fixtures/nmap/localhost-real.xml', 'utf8'));
    expect(report.hosts).toHaveLength(1);
    expect(report.hosts[0]).toMatchObject({ ip: '127.0.0.1', mac: null, hostname: 'localhost', firmware: null });
    expect(report.hosts[0].services[0]).toMatch(/^5432\/tcp postgresql PostgreSQL DB/);
    expect(report.args).toContain('127.0.0.1');
  });
  it('vendor from the IEEE OUI registry package', () => {
    expect(vendorOfMac('B8:A4:4F:12:34:56')).toBe('Axis Communications AB');
    expect(vendorOfMac('44-19-b6-00-00-01')).toMatch(/Hikvision/);
    expect(vendorOfMac(null)).toBeNull();
  });
  it('imports the real localhost scan: the device at 127.0.0.1 is matched by IP and seen', async () => {
    const lab = uuidv7();
    await t.ctx.db.insert(stores).values({ id: lab, code: 'TS-127', name: 'Loopback', region: 'Lab', district: 'Lab', timezone: 'UTC', uplinkMbps: 10 });
    const d = await call('rachel', 'POST', '/api/devices', { storeId: lab, type: 'recorder', name: 'LAB-VMS', ip: '127.0.0.1', vlan: 40, defaultCredentialsChanged: 'yes', retentionDays: 30 });
    const res = await call('rachel', 'POST', '/api/device-scans', { storeId: lab, filename: 'localhost-real.xml', xml: readFileSync('test/fixtures/nmap/localhost-real.xml', 'utf8') });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ hostsUp: 1, matched: 1, newHosts: 0, missing: 0 });
    const device = (await call('rachel', 'GET', `/api/devices/${d.json().id}`)).json();
    expect(device).toMatchObject({ firmware: null, hostname: 'localhost', missingSince: null });
    expect(device.lastSeenAt).not.toBeNull();
  });
  it('matches by MAC then IP, lists new hosts, updates changed IP and firmware, marks missing devices in the scanned range', async () => {
    const mk = (body: object) => call('rachel', 'POST', '/api/devices', { storeId: testStore, vlan: 40, defaultCredentialsChanged: 'yes', ...body });
    const camA = (await mk({ type: 'camera', name: 'TS-CAM-A', vendor: 'Axis Communications AB', model: 'P3265-LVE', ip: '10.90.40.11', mac: 'ac:cc:8e:00:00:01', firmware: '11.9.60' })).json();
    const nvr = (await mk({ type: 'recorder', name: 'TS-NVR', ip: '10.90.40.5', retentionDays: 45 })).json();
    const camB = (await mk({ type: 'camera', name: 'TS-CAM-B', ip: '10.90.40.12' })).json();
    const pos = (await mk({ type: 'pos_register', name: 'TS-POS1', ip: '10.90.20.11', vlan: 20 })).json();
    expect(camA.mac).toBe('AC:CC:8E:00:00:01');
    const res = await call('rachel', 'POST', '/api/device-scans', { storeId: testStore, filename: 'store-scan.xml', xml: readFileSync('test/fixtures/nmap/store-scan.xml', 'utf8') });
    expect(res.statusCode).toBe(201);
    const scan = res.json();
    expect(scan).toMatchObject({ hostsUp: 3, matched: 2, newHosts: 1 });
    expect(scan.scannedAt).toBe(new Date(1796004641 * 1000).toISOString());
    expect(scan.changes).toEqual(
      expect.arrayContaining([
        { deviceId: camA.id, deviceName: 'TS-CAM-A', field: 'ip', from: '10.90.40.11', to: '10.90.40.21' },
        { deviceId: camA.id, deviceName: 'TS-CAM-A', field: 'firmware', from: '11.9.60', to: '11.11.73' },
        { deviceId: nvr.id, deviceName: 'TS-NVR', field: 'mac', from: null, to: 'AC:CC:8E:00:00:50' },
      ]),
    );
    expect(scan.hosts).toMatchObject([{ ip: '10.90.40.99', mac: 'B8:A4:4F:12:34:56', vendor: 'Axis Communications AB', firmware: '10.12.213', state: 'new' }]);
    const get = async (id: string) => (await call('rachel', 'GET', `/api/devices/${id}`)).json();
    expect((await get(camB.id)).missingSince).toBe(scan.scannedAt);
    expect((await get(pos.id)).missingSince).toBeNull();
    expect((await call('rachel', 'GET', `/api/device-findings?deviceId=${camB.id}`)).json().items).toMatchObject([{ rule: 'not_seen', state: 'open' }]);
    // Confirm the new camera: it joins the inventory with what the scan knew.
    const confirmed = await call('rachel', 'POST', `/api/device-scans/${scan.id}/hosts/${scan.hosts[0].id}/confirm`, { type: 'camera', name: 'TS-CAM-NEW', vlan: 40, location: 'Back door', model: 'M3106-L Mk II' });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json()).toMatchObject({ name: 'TS-CAM-NEW', ip: '10.90.40.99', mac: 'B8:A4:4F:12:34:56', vendor: 'Axis Communications AB', firmware: '10.12.213', defaultCredentialsChanged: 'unknown', openFindings: 1 });
    expect((await call('rachel', 'POST', `/api/device-scans/${scan.id}/hosts/${scan.hosts[0].id}/dismiss`)).statusCode).toBe(409);
  });
  it('refuses what is not an nmap report, naming the field', async () => {
    const res = await call('rachel', 'POST', '/api/device-scans', { storeId: testStore, xml: '<html><body>hi</body></html>' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.problems[0].field).toBe('xml');
    const broken = await call('rachel', 'POST', '/api/device-scans', { storeId: testStore, xml: '<nmaprun><host>' });
    expect(broken.statusCode).toBe(400);
  });
  it('takes a scan of a whole district (megabytes of XML, more hosts than one INSERT can bind) and refuses one over 16 MB, naming the limit', async () => {
    const district = uuidv7();
    await t.ctx.db.insert(stores).values({ id: district, code: 'TS-BIG', name: 'Big scan', region: 'Lab', district: 'Lab', timezone: 'UTC', uplinkMbps: 100 });
    const fixture = readFileSync('test/fixtures/nmap/store-scan.xml', 'utf8');
    const head = fixture.slice(0, fixture.indexOf('<host '));
    const host = (n: number) => {
      const ip = `10.${100 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
      const mac = `B8:A4:4F:${[(n >> 16) & 255, (n >> 8) & 255, n & 255].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':')}`;
      const ports = [80, 443, 554, 8000].map((p) => `<port protocol="tcp" portid="${p}"><state state="open" reason="syn-ack" reason_ttl="64"/><service name="http" product="AXIS M3106-L Mk II Network Camera http config" version="10.12.213" method="probed" conf="10"/></port>`).join('\n');
      return `<host starttime="1796004606" endtime="1796004640"><status state="up" reason="arp-response" reason_ttl="0"/>\n<address addr="${ip}" addrtype="ipv4"/>\n<address addr="${mac}" addrtype="mac" vendor="Axis Communications AB"/>\n<hostnames><hostname name="cam-${n}.store.example" type="PTR"/></hostnames>\n<ports>${ports}</ports>\n<times srtt="455" rttvar="210" to="100000"/>\n</host>\n`;
    };
    const report = (hosts: number) => `${head}${Array.from({ length: hosts }, (_, n) => host(n + 1)).join('')}<runstats><finished time="1796004641" timestr="Mon Nov 30 02:10:41 2026" elapsed="37.00" exit="success"/><hosts up="${hosts}" down="0" total="${hosts}"/></runstats>\n</nmaprun>\n`;
    const big = report(6000);
    expect(big.length).toBeGreaterThan(1024 * 1024);
    const res = await call('rachel', 'POST', '/api/device-scans', { storeId: district, filename: 'district.xml', xml: big });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ hostsUp: 6000, newHosts: 6000 });
    const huge = await call('rachel', 'POST', '/api/device-scans', { storeId: district, filename: 'huge.xml', xml: `${report(1)}${' '.repeat(17 * 1024 * 1024)}` });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.message).toBe('body: larger than 16384 KB');
    // Other JSON routes keep the small limit.
    const other = await call('rachel', 'POST', '/api/devices', { storeId: district, type: 'camera', name: 'x'.repeat(1_100_000) });
    expect(other.statusCode).toBe(413);
    expect(other.json().error.message).toBe('body: larger than 1024 KB');
  });
});

describe('CSV import and export', () => {
  it('all or nothing, with every problem by line and field', async () => {
    const before = (await call('rachel', 'GET', `/api/devices?storeId=${testStore}&limit=1`)).json().total;
    const csv = [
      'store,type,name,ip,mac,vlan,default_credentials_changed,poe_class',
      'TS-900,camera,TS-CSV-1,10.90.40.51,00:40:8C:AA:00:01,40,yes,3',
      'XX-999,camera,TS-CSV-2,10.90.40.52,,40,yes,3',
      'TS-900,toaster,TS-CSV-3,10.90.40.300,zz,5000,maybe,9',
      'TS-900,camera,TS-CSV-1,10.90.40.54,00:40:8C:AA:00:01,40,yes,3',
    ].join('\n');
    const res = await call('rachel', 'POST', '/api/devices/import', csv, { 'content-type': 'text/csv' });
    expect(res.statusCode).toBe(400);
    const problems = res.json().error.problems as Array<{ line: number; field: string }>;
    const at = problems.map((p) => `${p.line}:${p.field}`);
    expect(at).toEqual(expect.arrayContaining(['3:store', '4:type', '4:ip', '4:mac', '4:vlan', '4:default_credentials_changed', '4:poe_class', '5:name', '5:mac']));
    expect(res.json().error.message).toContain('nothing was imported');
    expect((await call('rachel', 'GET', `/api/devices?storeId=${testStore}&limit=1`)).json().total).toBe(before);
  });
  it('adds new rows and updates existing ones by store and name; the export reads back in', async () => {
    const csv = ['store,type,name,vendor,model,ip,vlan,firmware,default_credentials_changed,covered_registers', 'TS-900,camera,TS-CSV-1,Axis Communications AB,P3265-LVE,10.90.40.51,40,11.11.73,yes,1;2', 'TS-900,camera,TS-CAM-B,,,10.90.40.12,40,,no,'].join('\n');
    const res = await call('rachel', 'POST', '/api/devices/import', csv, { 'content-type': 'text/csv' });
    expect(res.json()).toMatchObject({ created: 1, updated: 1 });
    const exported = await call('rachel', 'GET', `/api/devices/export?storeId=${testStore}`);
    expect(exported.headers['content-type']).toContain('text/csv');
    expect(exported.body).toContain('TS-900,camera,TS-CSV-1,Axis Communications AB,P3265-LVE');
    expect(exported.body).toContain('1;2');
    const again = await call('rachel', 'POST', '/api/devices/import', exported.body, { 'content-type': 'text/csv' });
    expect(again.statusCode).toBe(200);
    expect(again.json().created).toBe(0);
  });
  it('imports the model catalogue from CSV, all or nothing', async () => {
    const bad = await call('rachel', 'POST', '/api/device-models/import', 'vendor,model,type,end_of_support\nAcme,X1,camera,soon\n', { 'content-type': 'text/csv' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.problems).toEqual([{ line: 2, field: 'end_of_support', message: 'must be a date (YYYY-MM-DD)' }]);
    const ok = await call('rachel', 'POST', '/api/device-models/import', 'vendor,model,type,latest_firmware,advisories\nAcme,X1,camera,1.2.3,CVE-2026-0001;CVE-2026-0002\nTestVendor,TV-1,camera,3.0.0,\n', { 'content-type': 'text/csv' });
    expect(ok.json()).toMatchObject({ created: 1, updated: 1 });
    const models = (await call('rachel', 'GET', '/api/device-models?q=acme')).json().items;
    expect(models[0].advisories).toEqual(['CVE-2026-0001', 'CVE-2026-0002']);
  });
});

describe('store scope', () => {
  it('people attached to a store see only that store, in lists, exports, counts, details and dashboards', async () => {
    const list = (await call('gary', 'GET', '/api/devices?limit=200')).json();
    expect(list.total).toBe(50);
    expect(new Set(list.items.map((d: { storeCode: string }) => d.storeCode))).toEqual(new Set(['NE-101']));
    const exported = (await call('ricky', 'GET', '/api/devices/export')).body.trim().split('\n');
    expect(exported).toHaveLength(51);
    const [other] = await t.ctx.db.select({ id: devices.id }).from(devices).where(eq(devices.name, 'SO-304-NVR1'));
    expect((await call('gary', 'GET', `/api/devices/${other.id}`)).statusCode).toBe(404);
    const findings = (await call('gary', 'GET', '/api/device-findings?limit=200')).json().items as Array<{ storeCode: string }>;
    expect(findings.every((f) => f.storeCode === 'NE-101')).toBe(true);
    const dash = (await call('gary', 'GET', '/api/device-findings/dashboard')).json();
    expect(dash.stores.map((s: { storeCode: string }) => s.storeCode)).toEqual(['NE-101']);
    expect((await call('gary', 'GET', '/api/camera-plans')).json().items.map((p: { storeCode: string }) => p.storeCode)).toEqual(['NE-101']);
    // A store person may not add devices to another store.
    const res = await call('ricky', 'POST', '/api/devices', { storeId: storeId['SO-304'], type: 'camera', name: 'X' });
    expect(res.statusCode).toBe(403);
  });
  it('scans list page by page, counts only, and only the stores in scope', async () => {
    const all = (await call('rachel', 'GET', '/api/device-scans?limit=200')).json();
    expect(all.total).toBeGreaterThan(1);
    expect(all.items[0]).not.toHaveProperty('hosts');
    expect(all.items[0]).toMatchObject({ storeCode: expect.any(String), hostsUp: expect.any(Number) });
    const first = (await call('rachel', 'GET', '/api/device-scans?limit=1')).json();
    const second = (await call('rachel', 'GET', `/api/device-scans?limit=1&cursor=${first.nextCursor}`)).json();
    expect([first.items[0].id, second.items[0].id]).toEqual(all.items.slice(0, 2).map((s: { id: string }) => s.id));
    const mine = (await call('gary', 'GET', '/api/device-scans?limit=200')).json();
    expect(mine.total).toBe(all.items.filter((s: { storeCode: string }) => s.storeCode === 'NE-101').length);
    expect(mine.items.every((s: { storeCode: string }) => s.storeCode === 'NE-101')).toBe(true);
    const elsewhere = all.items.find((s: { storeCode: string }) => s.storeCode !== 'NE-101');
    if (elsewhere) expect((await call('gary', 'GET', `/api/device-scans/${elsewhere.id}`)).statusCode).toBe(404);
  });
  it('store staff have no access; viewers read but do not change', async () => {
    expect((await call('lily', 'GET', '/api/devices')).statusCode).toBe(403);
    expect((await call('chris', 'GET', '/api/devices?limit=1')).statusCode).toBe(200);
    expect((await call('chris', 'POST', '/api/camera-plans', {})).statusCode).toBe(403);
  });
  it('departments: IT keeps the inventory and works findings; LP reads and plans but does not change devices or findings', async () => {
    const [finding] = await t.ctx.db.select({ id: deviceFindings.id }).from(deviceFindings).where(eq(deviceFindings.state, 'open')).limit(1);
    // An LP lead reads devices and findings...
    expect((await call('luis', 'GET', '/api/devices?limit=1')).statusCode).toBe(200);
    expect((await call('luis', 'GET', `/api/device-findings/${finding.id}`)).statusCode).toBe(200);
    // ...but neither adds a device nor resolves or accepts a finding: those are IT's and InfoSec's.
    expect((await call('luis', 'POST', '/api/devices', { storeId: storeId['NE-101'], type: 'camera', name: 'LP-CAM' })).statusCode).toBe(403);
    expect((await call('luis', 'POST', `/api/device-findings/${finding.id}/resolve`, { note: 'x' })).statusCode).toBe(403);
    expect((await call('luis', 'POST', `/api/device-findings/${finding.id}/accept`, { reason: 'x', until: '2027-01-01' })).statusCode).toBe(403);
    // The store manager (store operations) reads their store only and changes nothing.
    expect((await call('gary', 'POST', '/api/devices', { storeId: storeId['NE-101'], type: 'camera', name: 'SM-CAM' })).statusCode).toBe(403);
    // /api/me tells the web the same answers, so buttons match what the server allows.
    const me = (await call('luis', 'GET', '/api/me')).json();
    expect(me.modules.devices).toBe('read');
    const itMe = (await call('rachel', 'GET', '/api/me')).json();
    expect(itMe.modules.devices).toBe('work');
  });
});

describe('camera plans', () => {
  it('an LP lead plans ten 4 MP cameras for a store and the uplink goes over', async () => {
    const line = { label: 'Sales floor', quantity: 10, resolutionMp: 4, codec: 'h264', fps: 30, activity: 'medium', recording: 'continuous', motionPercent: 30, retentionDays: 30, poeClass: 3 };
    const res = await call('luis', 'POST', '/api/camera-plans', { storeId: storeId['MW-204'], name: 'Ten 4 MP', lines: [line] });
    expect(res.statusCode).toBe(201);
    const plan = res.json();
    expect(plan.figures.cameras).toBe(10);
    expect(plan.figures.totalMbps).toBeGreaterThan(50);
    expect(plan.figures).toMatchObject({ uplinkMbps: 50, overUplink: true });
    expect(plan.figures.uplinkHeadroomMbps).toBeLessThan(0);
    // The inventory's switches give the PoE budget; the cameras already there draw from it.
    expect(plan.inventoryPoeBudgetW).toBe(370 + 740 + 740);
    expect(plan.figures.existingPoeWatts).toBeGreaterThan(0);
    const csv = await call('luis', 'GET', `/api/camera-plans/${plan.id}/export`);
    expect(csv.body).toContain('Store uplink — OVER');
    // The PDF names the check in words: inflate its content streams and look for the text drawn.
    const pdf = await call('luis', 'GET', `/api/camera-plans/${plan.id}/pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toContain('camera-plan-mw-204-ten-4-mp.pdf');
    const bytes = pdf.rawPayload;
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.subarray(-6).toString()).toContain('%%EOF');
    const drawn = pdfText(bytes);
    expect(drawn).toContain('OVER');
    expect(drawn).toContain('Sales floor');
    expect(drawn).toContain('MW-204');
    // Another store's LP associate cannot print it.
    expect((await call('ricky', 'GET', `/api/camera-plans/${plan.id}/pdf`)).statusCode).toBe(404);
    const fewer = await call('luis', 'PATCH', `/api/camera-plans/${plan.id}`, { lines: [{ ...line, codec: 'h265', fps: 15 }] });
    expect(fewer.json().figures.overUplink).toBe(false);
    expect((await call('luis', 'DELETE', `/api/camera-plans/${plan.id}`)).statusCode).toBe(204);
  });
});

describe('POS register cameras name inventory devices', () => {
  it('links register cameras to camera devices by name, and the video settings keep the link', async () => {
    const ne101 = storeId['NE-101'];
    await t.ctx.database.query(`insert into pos_register_cameras (store_id, register, camera) values ($1, '1', 'ne-101-cam-r1'), ($1, '9', 'UNKNOWN-CAM')`, [ne101]);
    await t.ctx.db.transaction((tx) => service.linkRegisterCameras(tx, ne101));
    const rows = (await t.ctx.database.query<{ register: string; device_id: string | null }>(`select register, device_id from pos_register_cameras where store_id = $1 order by register`, [ne101])).rows;
    const [cam] = await t.ctx.db.select({ id: devices.id }).from(devices).where(eq(devices.name, 'NE-101-CAM-R1'));
    expect(rows).toEqual([{ register: '1', device_id: cam.id }, { register: '9', device_id: null }]);
    const admin = await actorFor(t.ctx, ROLE_EMAILS.admin);
    const config = await getVideoConfig(t.ctx, admin, ne101);
    await setVideoConfig(t.ctx, admin, ne101, { urlTemplate: 'https://vms.example/{camera}', leadInSeconds: 10, leadOutSeconds: 30, registers: [...config.registers, { register: '2', camera: 'NE-101-CAM-R2' }] });
    const linked = (await t.ctx.database.query<{ n: number }>(`select count(*)::int as n from pos_register_cameras where store_id = $1 and device_id is not null`, [ne101])).rows[0];
    expect(Number(linked.n)).toBe(2);
    void SYSTEM_ACTOR;
    void sql;
  });
});
