import { actorFromIdentity, identityQuery } from '../../platform/identity.js';
import { eq, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { HQ_TIME_ZONE, SIDE_OF_KIND, type Side } from '../../../contracts/training.js';
import type { DepartmentKind } from '../../../contracts/roles.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { SYSTEM_ACTOR, type Actor } from '../../platform/policy.js';
import { departments, people, stores } from '../people/schema.js';
import { utcToZoned, zonedToUtc } from './calendar.js';
import { reflect } from './service.js';
import {
  trainingCertifications,
  trainingRatingEvents,
  trainingRatings,
  trainingReflections,
  trainingSessionGuests,
  trainingSessions,
  trainingSessionSkills,
  trainingSkills,
  trainingTargets,
} from './schema.js';

/** The starting catalogue: LP's world for IT people, IT's world for LP people, and what both share. */
export const DEFAULT_SKILLS = [
  { code: 'INV', name: 'Investigation basics', track: 'lp', description: 'How a case is opened, documented and closed; interview etiquette; what not to touch.' },
  { code: 'POSX', name: 'POS exception patterns', track: 'lp', description: 'Voids, refunds, no-sales, sweethearting: reading exception reports and the video behind them.' },
  { code: 'ORC', name: 'Organised retail crime', track: 'lp', description: 'Boosting crews, fencing, cross-store patterns and working with law enforcement.' },
  { code: 'EVID', name: 'Evidence handling', track: 'lp', description: 'Chain of custody for video, logs and physical evidence; exports that hold up in court.' },
  { code: 'STOREOPS', name: 'Store operations', track: 'lp', description: 'Opening and closing, cash office, receiving and the rhythm of a store day.' },
  { code: 'NET', name: 'Network basics', track: 'it', description: 'Addresses, switches, uplinks; why a camera or register drops off the network.' },
  { code: 'VLAN', name: 'VLANs and PoE', track: 'it', description: 'Segmenting cameras, alarms and POS; power budgets on PoE switches.' },
  { code: 'VMS', name: 'Camera and VMS administration', track: 'it', description: 'Adding cameras, retention, user rights, exports and health checks in the video system.' },
  { code: 'SECBASICS', name: 'Information security basics', track: 'it', description: 'Phishing, passwords, device hardening, what to report and to whom.' },
  { code: 'DATA', name: 'Data analysis', track: 'it', description: 'Spreadsheets to SQL: joining POS, inventory and incident data to find the story.' },
  { code: 'INCIDENT', name: 'Incident response', track: 'shared', description: 'Who does what in the first hour of a break-in, outage or data breach.' },
  { code: 'PRIVACY', name: 'Privacy and data protection', track: 'shared', description: 'What video and personal data may be kept, shown and shared, and for how long.' },
] as const;

// Targets: department code → skill code → level, then job-title refinements.
const DEPARTMENT_TARGETS: Record<string, Record<string, number>> = {
  LP: { NET: 2, VLAN: 1, VMS: 2, SECBASICS: 2, DATA: 2, INCIDENT: 3, PRIVACY: 3 },
  SEC: { NET: 2, VLAN: 3, VMS: 3, SECBASICS: 2, INCIDENT: 3, PRIVACY: 2 },
  IT: { INV: 1, POSX: 2, ORC: 1, EVID: 2, STOREOPS: 2, INCIDENT: 2, PRIVACY: 2 },
  INFOSEC: { INV: 2, EVID: 3, POSX: 1, STOREOPS: 1, INCIDENT: 3, PRIVACY: 3 },
};
const TITLE_TARGETS: Array<{ title: string; skill: string; level: number }> = [
  { title: 'Exception Reporting Analyst', skill: 'DATA', level: 3 },
  { title: 'LP Analytics Manager', skill: 'DATA', level: 3 },
  { title: 'POS Systems Analyst', skill: 'POSX', level: 3 },
  { title: 'Field Technician', skill: 'STOREOPS', level: 3 },
  { title: 'Alarm and CCTV Technician', skill: 'NET', level: 3 },
];

// Strong suits beyond a side's own world (email local part → skill → level).
const SPECIALISTS: Record<string, Record<string, number>> = {
  'jamal.brooks': { ORC: 4, INV: 4, EVID: 3 },
  'karen.holt': { INV: 4, EVID: 4, ORC: 2 },
  'tomas.rivera': { POSX: 4, DATA: 3 },
  'priya.natarajan': { DATA: 4, POSX: 3 },
  'derek.yamamoto': { VMS: 4, VLAN: 3, NET: 3 },
  'rachel.okafor': { NET: 4, VLAN: 4, SECBASICS: 3 },
  'mei.tanaka': { NET: 4, VLAN: 3, DATA: 3 },
  'ethan.kowalski': { POSX: 3, DATA: 3 },
  'noah.bergstrom': { VMS: 3, STOREOPS: 3, NET: 3 },
  'ben.adeyemi': { SECBASICS: 4, EVID: 3 },
  'elena.petrova': { SECBASICS: 4, PRIVACY: 4, INCIDENT: 4 },
  'laura.kim': { PRIVACY: 4, SECBASICS: 3 },
  'grace.lindqvist': { INCIDENT: 3, PRIVACY: 3 },
};

const CERTIFICATIONS: Array<{ who: string; name: string; issuer: string; issuedDaysAgo: number; expiresInDays: number | null }> = [
  { who: 'dana.whitfield', name: 'LPC — Loss Prevention Certified', issuer: 'Loss Prevention Foundation', issuedDaysAgo: 900, expiresInDays: 560 },
  { who: 'luis.ortega', name: 'LPC — Loss Prevention Certified', issuer: 'Loss Prevention Foundation', issuedDaysAgo: 1080, expiresInDays: 18 },
  { who: 'jamal.brooks', name: 'CFI — Certified Forensic Interviewer', issuer: 'IAI', issuedDaysAgo: 1400, expiresInDays: 9 },
  { who: 'karen.holt', name: 'CFI — Certified Forensic Interviewer', issuer: 'IAI', issuedDaysAgo: 700, expiresInDays: 395 },
  { who: 'grace.lindqvist', name: 'LPQ — Loss Prevention Qualified', issuer: 'Loss Prevention Foundation', issuedDaysAgo: 300, expiresInDays: 795 },
  { who: 'tomas.rivera', name: 'LPQ — Loss Prevention Qualified', issuer: 'Loss Prevention Foundation', issuedDaysAgo: 1050, expiresInDays: 45 },
  { who: 'rachel.okafor', name: 'CompTIA Network+', issuer: 'CompTIA', issuedDaysAgo: 1000, expiresInDays: 95 },
  { who: 'rachel.okafor', name: 'CompTIA Security+', issuer: 'CompTIA', issuedDaysAgo: 400, expiresInDays: 695 },
  { who: 'ben.adeyemi', name: 'CompTIA Security+', issuer: 'CompTIA', issuedDaysAgo: 1070, expiresInDays: 25 },
  { who: 'elena.petrova', name: 'CISSP', issuer: 'ISC2', issuedDaysAgo: 800, expiresInDays: 295 },
  { who: 'derek.yamamoto', name: 'Axis Certified Professional', issuer: 'Axis Communications', issuedDaysAgo: 690, expiresInDays: 40 },
  { who: 'derek.yamamoto', name: 'Genetec Security Center Technical Certification', issuer: 'Genetec', issuedDaysAgo: 200, expiresInDays: 530 },
  { who: 'noah.bergstrom', name: 'Milestone XProtect Certified Integration Technician', issuer: 'Milestone Systems', issuedDaysAgo: 500, expiresInDays: 230 },
  { who: 'victor.mensah', name: 'PSP — Physical Security Professional', issuer: 'ASIS International', issuedDaysAgo: 600, expiresInDays: null },
];

interface DemoSession {
  host: string;
  guests: string[];
  skills: string[];
  daysAgo: number;
  hour: number;
  /** Store code, or HQ. */
  place: string;
  goals: string;
  reflections?: Array<{ by: string; learned: string; redundancies?: string; idea?: { title: string; description: string; category: 'technology' | 'process' | 'training' | 'communication' | 'store_operations' | 'other' } }>;
}

// A year of shadowing: LP people in IT's world and IT people in LP's, mostly at HQ, some at stores.
const SESSIONS: DemoSession[] = [
  { host: 'rachel.okafor', guests: ['jamal.brooks'], skills: ['NET', 'VLAN'], daysAgo: 340, hour: 9, place: 'HQ', goals: 'Follow a store network from the uplink to the camera VLAN.',
    reflections: [
      { by: 'jamal.brooks', learned: 'Cameras sit on their own VLAN and a switch port can be traced from the store diagram in minutes.', redundancies: 'We both keep a list of camera IP addresses per store, in different spreadsheets.', idea: { title: 'One camera inventory shared by LP and IT', description: 'LP and IT each keep their own spreadsheet of cameras per store (location, IP address, model). Keep one list in the VMS export instead, owned by IT, readable by LP.', category: 'process' } },
      { by: 'rachel.okafor', learned: 'How an ORC case is built from several stores: timing across stores matters more than any single video.' },
    ] },
  { host: 'jamal.brooks', guests: ['ethan.kowalski'], skills: ['ORC', 'INV'], daysAgo: 320, hour: 10, place: 'HQ', goals: 'See how an ORC case is opened and which POS data helps.',
    reflections: [{ by: 'ethan.kowalski', learned: 'Investigators need transaction timestamps in the store’s local time, not UTC, to match the video.', redundancies: 'Both teams pull the same journal exports by hand.' }] },
  { host: 'tomas.rivera', guests: ['sam.delgado'], skills: ['POSX'], daysAgo: 300, hour: 13, place: 'HQ', goals: 'Read the weekly exception report together.',
    reflections: [{ by: 'sam.delgado', learned: 'Many "no-sale" exceptions are cashiers opening the drawer for change; a change-request key would remove the noise.', idea: { title: 'A change-request key on every register', description: 'Cashiers open the drawer with a no-sale to give change, which floods the exception report. A dedicated change key would separate harmless drawer openings from suspicious ones.', category: 'store_operations' } }] },
  { host: 'derek.yamamoto', guests: ['aisha.rahman'], skills: ['VMS'], daysAgo: 280, hour: 9, place: 'NE-101', goals: 'Walk the camera layout of a store and its recorder.',
    reflections: [{ by: 'aisha.rahman', learned: 'Recorder disks fill after 21 days at NE-101; retention is set per camera, not per store.' }] },
  { host: 'mei.tanaka', guests: ['karen.holt'], skills: ['NET', 'DATA'], daysAgo: 260, hour: 10, place: 'HQ', goals: 'How store data reaches the data warehouse.',
    reflections: [{ by: 'karen.holt', learned: 'Refund data arrives a day late because of the nightly batch; same-day cases need the POS journal instead.', redundancies: 'LP buys a separate analytics licence that reads the same warehouse.' }] },
  { host: 'karen.holt', guests: ['ben.adeyemi'], skills: ['EVID', 'INV'], daysAgo: 240, hour: 14, place: 'HQ', goals: 'Chain of custody for video exports.',
    reflections: [
      { by: 'ben.adeyemi', learned: 'A video export is evidence only with its hash and the export log; we can produce both automatically.', idea: { title: 'Hash every video export automatically', description: 'When LP exports video for a case, compute and store a SHA-256 hash and the export log next to it, so chain of custody is proven without manual notes.', category: 'technology' } },
      { by: 'karen.holt', learned: 'InfoSec already keeps tamper-evident logs we could reuse for evidence exports.' },
    ] },
  { host: 'rachel.okafor', guests: ['grace.lindqvist'], skills: ['SECBASICS', 'NET'], daysAgo: 220, hour: 9, place: 'HQ', goals: 'Basics for the LP training curriculum.',
    reflections: [{ by: 'grace.lindqvist', learned: 'Phishing reports from stores go to the service desk and LP never hears of them, although some target store managers for gift-card fraud.' }] },
  { host: 'priya.natarajan', guests: ['mei.tanaka'], skills: ['POSX', 'DATA'], daysAgo: 200, hour: 11, place: 'HQ', goals: 'How LP scores cashiers for risk.',
    reflections: [{ by: 'mei.tanaka', learned: 'LP’s risk scores use the same refund ratios our capacity reports compute; we can share the query.', redundancies: 'Two nightly jobs compute refund ratios per cashier.' }] },
  { host: 'noah.bergstrom', guests: ['ricky.navarro'], skills: ['VMS', 'NET'], daysAgo: 180, hour: 8, place: 'NE-101', goals: 'Replace a failed camera together.',
    reflections: [{ by: 'ricky.navarro', learned: 'A camera that shows "offline" is often a PoE budget problem on the switch, not a broken camera.', idea: { title: 'Show PoE budget next to camera health', description: 'When a camera goes offline the store LP associate calls for a replacement, but often the switch has run out of PoE power. Show the switch PoE budget on the camera health page so the right fix is ordered.', category: 'technology' } }] },
  { host: 'jamal.brooks', guests: ['noah.bergstrom'], skills: ['ORC', 'STOREOPS'], daysAgo: 160, hour: 10, place: 'HQ', goals: 'What a field technician should notice in a store.',
    reflections: [{ by: 'noah.bergstrom', learned: 'Boosters test blind spots; technicians on site can report camera angles that leave gaps.' }] },
  { host: 'ben.adeyemi', guests: ['tomas.rivera'], skills: ['SECBASICS'], daysAgo: 140, hour: 13, place: 'HQ', goals: 'Information security basics for analysts handling POS data.',
    reflections: [{ by: 'tomas.rivera', learned: 'Exception reports with card numbers must be masked before they leave LP.', redundancies: 'We mask card data in the report; InfoSec masks it again in the warehouse.' }] },
  { host: 'derek.yamamoto', guests: ['sam.delgado', 'aisha.rahman'], skills: ['VMS', 'INCIDENT'], daysAgo: 120, hour: 9, place: 'HQ', goals: 'Monitoring centre: an alarm from first signal to closure.',
    reflections: [{ by: 'sam.delgado', learned: 'The monitoring centre calls the service desk for camera outages at night; we had no runbook for them.', idea: { title: 'Night runbook for camera outages', description: 'Give the service desk a short runbook for camera outages reported by the monitoring centre at night: what to check remotely and when to wake the field technician.', category: 'process' } }] },
  { host: 'mei.tanaka', guests: ['luis.ortega'], skills: ['NET', 'VLAN'], daysAgo: 100, hour: 10, place: 'HQ', goals: 'Store network design for the new store format.',
    reflections: [{ by: 'luis.ortega', learned: 'The new format puts cameras and POS on one switch; LP should review the layout before it is fixed.' }] },
  { host: 'karen.holt', guests: ['laura.kim'], skills: ['INV', 'EVID'], daysAgo: 80, hour: 14, place: 'HQ', goals: 'Internal investigations and privacy.',
    reflections: [{ by: 'laura.kim', learned: 'Internal cases keep video longer than the retention policy allows; we need an exception process.' }] },
  { host: 'rachel.okafor', guests: ['owen.fitzgerald'], skills: ['NET', 'SECBASICS'], daysAgo: 60, hour: 9, place: 'HQ', goals: 'Why stores lose their connection and what LP can check first.',
    reflections: [{ by: 'owen.fitzgerald', learned: 'Most Midwest outages are the uplink at MW-204; 50 Mbps is too little for cameras and POS together.' }] },
  { host: 'tomas.rivera', guests: ['elena.petrova'], skills: ['POSX', 'DATA'], daysAgo: 40, hour: 11, place: 'HQ', goals: 'Exception-based reporting from the LP side.',
    reflections: [{ by: 'elena.petrova', learned: 'Exception reporting already detects some insider fraud patterns InfoSec looks for in access logs.', redundancies: 'InfoSec and LP both review privileged POS overrides.' }] },
  { host: 'noah.bergstrom', guests: ['dmitri.volkov'], skills: ['VMS'], daysAgo: 25, hour: 8, place: 'MW-201', goals: 'Recorder health checks at the store.' },
  { host: 'jamal.brooks', guests: ['rachel.okafor'], skills: ['ORC', 'EVID'], daysAgo: 12, hour: 10, place: 'HQ', goals: 'A live ORC case: which network logs help.' },
  // Upcoming.
  { host: 'derek.yamamoto', guests: ['marcus.chen'], skills: ['VMS'], daysAgo: -6, hour: 9, place: 'HQ', goals: 'Monitoring centre shift with the IT manager.' },
  { host: 'mei.tanaka', guests: ['priya.natarajan'], skills: ['NET'], daysAgo: -9, hour: 10, place: 'HQ', goals: 'Network basics for the analytics team.' },
  { host: 'karen.holt', guests: ['noah.bergstrom'], skills: ['EVID'], daysAgo: -15, hour: 13, place: 'HQ', goals: 'Evidence handling for technicians who pull recorders.' },
];

/** A small deterministic generator, so the demo is the same on every start. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;
const localPart = (email: string) => email.split('@')[0];

export async function seedTrainingDemo(ctx: AppContext) {
  const now = Date.now();
  const rand = random(6);
  const personRows = await ctx.db
    .select({ id: people.id, name: people.name, email: people.email, title: people.title, role: people.role, departmentId: people.departmentId, storeId: people.storeId, kind: departments.kind, deptCode: departments.code })
    .from(people)
    .innerJoin(departments, eq(departments.id, people.departmentId));
  const byLocal = new Map(personRows.map((p) => [localPart(p.email), p]));
  const deptIds = new Map((await ctx.db.select({ id: departments.id, code: departments.code }).from(departments)).map((d) => [d.code, d.id]));
  const storeIds = new Map((await ctx.db.select({ id: stores.id, code: stores.code }).from(stores)).map((s) => [s.code, s.id]));
  // One query for every demo person as the platform resolves them (department, module access, stores).
  const actors = new Map<string, Actor>((await identityQuery(ctx.db, sql`true`)).map((row) => [localPart(row.email), actorFromIdentity(row, 'session')]));
  const actorOf = (local: string): Actor => {
    const a = actors.get(local);
    if (!a) throw new Error(`demo person ${local} missing`);
    return a;
  };

  const skillIds = new Map<string, string>();
  await ctx.db.transaction(async (tx) => {
    const rows = DEFAULT_SKILLS.map((s, i) => ({ id: uuidv7(), ...s, sortOrder: (i + 1) * 10 }));
    await tx.insert(trainingSkills).values(rows);
    for (const r of rows) skillIds.set(r.code, r.id);
    const targets = [
      ...Object.entries(DEPARTMENT_TARGETS).flatMap(([dept, skills]) => Object.entries(skills).map(([skill, level]) => ({ id: uuidv7(), skillId: skillIds.get(skill)!, departmentId: deptIds.get(dept)!, title: null, level }))),
      ...TITLE_TARGETS.map((t) => ({ id: uuidv7(), skillId: skillIds.get(t.skill)!, departmentId: null, title: t.title, level: t.level })),
    ];
    await tx.insert(trainingTargets).values(targets);

    // Ratings: strong in one's own world, weaker in the other side's; a year of history behind them.
    const matrix = personRows.filter((p) => SIDE_OF_KIND[p.kind as DepartmentKind]);
    const leadOf = new Map<string, string>();
    for (const p of personRows) if (p.role === 'lead' && p.departmentId && !p.storeId && !leadOf.has(p.departmentId)) leadOf.set(p.departmentId, p.id);
    const admin = byLocal.get('dana.whitfield')!;
    const ratings: Array<typeof trainingRatings.$inferInsert> = [];
    const events: Array<typeof trainingRatingEvents.$inferInsert> = [];
    for (const p of matrix) {
      const side = SIDE_OF_KIND[p.kind as DepartmentKind] as Side;
      const special = SPECIALISTS[localPart(p.email)] ?? {};
      for (const s of DEFAULT_SKILLS) {
        const own = s.track === side || (s.track === 'shared' && rand() < 0.5);
        const base = own ? 2 + Math.floor(rand() * 2) : Math.floor(rand() * 2);
        const level = Math.min(4, special[s.code] ?? base);
        const start = Math.max(0, level - (rand() < 0.5 ? 1 : 0));
        const firstAt = new Date(now - (330 + Math.floor(rand() * 30)) * DAY);
        events.push({ id: uuidv7(), personId: p.id, skillId: skillIds.get(s.code)!, kind: 'self', level: level === start ? level : start, at: firstAt });
        let selfAt = firstAt;
        if (start !== level) {
          selfAt = new Date(now - (20 + Math.floor(rand() * 200)) * DAY);
          events.push({ id: uuidv7(), personId: p.id, skillId: skillIds.get(s.code)!, kind: 'self', level, at: selfAt });
        }
        // Most ratings are confirmed; Rachel's and a few others wait for their lead.
        const pending = localPart(p.email) === 'rachel.okafor' ? s.code === 'SECBASICS' || s.code === 'POSX' : rand() < 0.12;
        const confirmer = p.role === 'lead' || p.role === 'admin' ? admin.id : (leadOf.get(p.departmentId!) ?? admin.id);
        const confirmedAt = new Date(selfAt.getTime() + 3 * DAY);
        ratings.push({
          personId: p.id,
          skillId: skillIds.get(s.code)!,
          selfLevel: level,
          selfRatedAt: selfAt,
          status: pending ? 'pending' : 'confirmed',
          confirmedLevel: pending ? null : level,
          confirmedById: pending ? null : confirmer,
          confirmedAt: pending ? null : confirmedAt,
          note: null,
        });
        if (!pending) events.push({ id: uuidv7(), personId: p.id, skillId: skillIds.get(s.code)!, kind: 'confirm', level, actorId: confirmer, at: confirmedAt });
      }
    }
    await tx.insert(trainingRatings).values(ratings);
    for (let i = 0; i < events.length; i += 500) await tx.insert(trainingRatingEvents).values(events.slice(i, i + 500));

    await tx.insert(trainingCertifications).values(
      CERTIFICATIONS.map((c) => ({
        id: uuidv7(),
        personId: byLocal.get(c.who)!.id,
        name: c.name,
        issuer: c.issuer,
        issuedOn: new Date(now - c.issuedDaysAgo * DAY).toISOString().slice(0, 10),
        expiresOn: c.expiresInDays === null ? null : new Date(now + c.expiresInDays * DAY).toISOString().slice(0, 10),
        remindDays: 60,
      })),
    );
    await recordAudit(tx, SYSTEM_ACTOR, { action: 'import', entity: 'training', summary: `Demo cross-training loaded: ${rows.length} skills, ${ratings.length} ratings, ${CERTIFICATIONS.length} certifications` });
  });

  // Sessions are written in bulk (no invitation mail for the demo's history). Reflections with an idea go
  // through the service, so their ideas are real ideas credited to their authors; the rest are plain rows.
  const tzOf = new Map((await ctx.db.select({ id: stores.id, tz: stores.timezone }).from(stores)).map((s) => [s.id, s.tz]));
  const withIdeas: Array<{ sessionId: string; by: string; at: Date; reflection: NonNullable<DemoSession['reflections']>[number] }> = [];
  await ctx.db.transaction(async (tx) => {
    const sessionRows: Array<typeof trainingSessions.$inferInsert> = [];
    const guestRows: Array<typeof trainingSessionGuests.$inferInsert> = [];
    const skillRows: Array<typeof trainingSessionSkills.$inferInsert> = [];
    const reflectionRows: Array<typeof trainingReflections.$inferInsert> = [];
    for (const s of SESSIONS) {
      const hostRow = byLocal.get(s.host)!;
      const timezone = (hostRow.storeId && tzOf.get(hostRow.storeId)) || HQ_TIME_ZONE;
      const day = new Date(now - s.daysAgo * DAY);
      if (day.getUTCDay() === 0) day.setTime(day.getTime() + DAY);
      if (day.getUTCDay() === 6) day.setTime(day.getTime() - DAY);
      const startsAt = zonedToUtc(`${utcToZoned(day, timezone).slice(0, 10)}T${String(s.hour).padStart(2, '0')}:00`, timezone);
      const endsAt = new Date(startsAt.getTime() + 240 * 60_000);
      const id = uuidv7();
      const createdAt = new Date(now - (s.daysAgo + 14) * DAY);
      sessionRows.push({
        id,
        uid: `${id}@tandem`,
        hostId: hostRow.id,
        organizerId: hostRow.id,
        startsAt,
        endsAt,
        timezone,
        storeId: s.place === 'HQ' ? null : storeIds.get(s.place)!,
        room: s.place === 'HQ' ? (s.skills.includes('VMS') ? 'Monitoring centre' : 'Room 3.12') : 'Back office',
        goals: s.goals,
        createdAt,
        updatedAt: createdAt,
      });
      const answered = s.daysAgo > 0 || s.daysAgo < -7;
      for (const g of s.guests) guestRows.push({ sessionId: id, personId: byLocal.get(g)!.id, response: answered ? 'accepted' : 'pending', respondedAt: answered ? new Date(createdAt.getTime() + 2 * DAY) : null });
      for (const k of s.skills) skillRows.push({ sessionId: id, skillId: skillIds.get(k)! });
      const at = new Date(Math.min(endsAt.getTime() + DAY, now - 60_000));
      for (const r of s.daysAgo > 0 ? (s.reflections ?? []) : []) {
        if (r.idea) withIdeas.push({ sessionId: id, by: r.by, at, reflection: r });
        else reflectionRows.push({ id: uuidv7(), sessionId: id, personId: byLocal.get(r.by)!.id, learned: r.learned, redundancies: r.redundancies ?? '', createdAt: at });
      }
    }
    // Numbers follow the sessions' dates, oldest first.
    await tx.insert(trainingSessions).values(sessionRows);
    await tx.insert(trainingSessionGuests).values(guestRows);
    await tx.insert(trainingSessionSkills).values(skillRows);
    if (reflectionRows.length) await tx.insert(trainingReflections).values(reflectionRows);
  });
  for (const r of withIdeas) {
    const { learned, redundancies, idea } = r.reflection;
    await reflect(ctx, actorOf(r.by), r.sessionId, { learned, redundancies: redundancies ?? '', ideas: idea ? [idea] : [] }, { at: r.at });
  }
}
