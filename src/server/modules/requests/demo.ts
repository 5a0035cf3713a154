import { eq } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { SYSTEM_ACTOR } from '../../platform/policy.js';
import { departments, people, stores } from '../people/schema.js';
import { requestEvents, requestPriorities, requests, requestTypes } from './schema.js';
import { installDefaultCatalogue, setCalendar } from './service.js';

type Outcome = 'new' | 'accepted' | 'in_progress' | 'done' | 'declined' | 'cancelled';
interface Spec {
  from: string;
  to: string;
  type: string;
  title: string;
  description: string;
  priority: 'P1' | 'P2' | 'P3' | 'P4';
  by: string;
  /** Who on the target side takes it on (accepts, works, completes or declines). */
  owner?: string;
  store?: string;
  daysAgo: number;
  outcome: Outcome;
  /** Hours from filing to the first response and to completion. */
  respondH?: number;
  resolveH?: number;
  dueInDays?: number;
  note?: string;
  comments?: Array<{ by: string; h: number; text: string }>;
}

const e = (name: string) => `${name}@meridian.example`;

/** Hand-written requests: the stories a first visitor reads. */
const STORIES: Spec[] = [
  {
    from: 'LP', to: 'IT', type: 'Camera install or move', priority: 'P2', by: e('jamal.brooks'), owner: e('noah.bergstrom'), store: 'NE-102', daysAgo: 112, outcome: 'done', respondH: 5, resolveH: 9 * 24,
    title: 'New camera at register 5 in NE-102',
    description: 'Exception reports show register 5 with three times the chain rate of line voids after total. The current dome only covers the exit. We need a camera over register 5 showing the drawer, the scanner and the bagging area.',
    comments: [
      { by: e('noah.bergstrom'), h: 5, text: 'The front-end switch in NE-102 has two free PoE ports. I can run the cable Tuesday night after close.' },
      { by: e('jamal.brooks'), h: 7, text: 'Tuesday works. Please aim so the drawer and the bagging area are both in frame — that is where the pattern shows.' },
      { by: e('noah.bergstrom'), h: 100, text: 'Cable run done; the camera on order arrived damaged, replacement due Friday.' },
    ],
    note: 'Camera installed on the security VLAN, 1080p at 15 fps, 30 days retention; register 5 ↔ camera mapping added to the VMS.',
  },
  {
    from: 'LP', to: 'IT', type: 'Video export', priority: 'P2', by: e('karen.holt'), owner: e('rachel.okafor'), store: 'NE-101', daysAgo: 101, outcome: 'done', respondH: 2, resolveH: 20,
    title: 'Video export for case C-2026-031 (NE-101, 14 Aug 18:40–19:10)',
    description: 'Cameras 3 and 7 (service desk and exit). Internal case, please share only with me. The recorder overwrites after 30 days.',
    note: 'Exported as MP4 with the player and SHA-256 hashes; link shared with Karen only, expires in 14 days.',
  },
  {
    from: 'IT', to: 'LP', type: 'Approval', priority: 'P3', by: e('marcus.chen'), owner: e('luis.ortega'), daysAgo: 96, outcome: 'done', respondH: 20, resolveH: 70,
    title: 'Maintenance window approval for store network upgrade',
    description: 'We replace the core switches in all 12 stores over three weeks. Each store loses cameras and alarm IP paths for about 90 minutes between 01:00 and 04:00. We need LP to confirm the nights and whether any store needs guarding.',
    comments: [
      { by: e('luis.ortega'), h: 20, text: 'Checking with the regional managers. SO-302 has the inventory count on the 18th — that night is out.' },
      { by: e('beth.sandoval'), h: 46, text: 'South is fine except SO-302 as Luis said. SO-304 would like a guard on site during its window.' },
    ],
    note: 'Approved: Tuesday and Wednesday nights 01:00–04:00, not SO-302 on the 18th; guard booked for SO-304.',
  },
  {
    from: 'IT', to: 'LP', type: 'Policy input', priority: 'P3', by: e('mei.tanaka'), owner: e('priya.natarajan'), daysAgo: 24, outcome: 'in_progress', respondH: 30,
    title: 'Input on data retention for CCTV',
    description: 'Recorder storage for the camera roll-out is sized on retention. Today stores keep 30 days, some recorders only 14. What does LP need: 30, 45 or 60 days, and for which cameras (POS, exits, stockroom)?',
    comments: [
      { by: e('priya.natarajan'), h: 30, text: 'Most internal cases start 3–6 weeks after the event, so 30 days loses evidence. I am pulling last year’s cases to show the gap by camera zone.' },
      { by: e('mei.tanaka'), h: 80, text: 'Thanks. For sizing: 60 days on POS and exit cameras only would add about 40% storage per store.' },
    ],
  },
  {
    from: 'SEC', to: 'IT', type: 'Other', priority: 'P1', by: e('victor.mensah'), owner: e('rachel.okafor'), store: 'MW-204', daysAgo: 88, outcome: 'done', respondH: 1, resolveH: 16,
    title: 'Recorder at MW-204 drops offline every night around 02:00',
    description: 'The monitoring centre loses all MW-204 cameras nightly for 20–40 minutes. Recorder power is fine; we suspect the network.',
    comments: [{ by: e('rachel.okafor'), h: 1, text: 'Nightly config backup job saturates the 50 Mbps uplink at 02:00. Moving the backup and adding a QoS class for video.' }],
    note: 'Backup moved to 04:30 and video traffic prioritised; no drop for three nights.',
  },
  {
    from: 'INFOSEC', to: 'LP', type: 'Policy input', priority: 'P3', by: e('laura.kim'), owner: e('karen.holt'), daysAgo: 9, outcome: 'accepted', respondH: 26,
    title: 'Input on retention of investigation evidence files',
    description: 'For the records retention schedule: how long must case evidence (video clips, statements, POS journals) be kept after a case closes, and who may delete it?',
  },
  {
    from: 'LP', to: 'INFOSEC', type: 'Security review', priority: 'P2', by: e('priya.natarajan'), owner: e('ben.adeyemi'), daysAgo: 19, outcome: 'in_progress', respondH: 6,
    title: 'Security review: body-worn cameras pilot in two stores',
    description: 'Pilot of 6 body-worn cameras at SO-301 and NE-102 for store LP associates. The docking station uploads to the vendor cloud over the store network. Vendor security pack attached to the project.',
    comments: [
      { by: e('ben.adeyemi'), h: 6, text: 'Reviewing the vendor pack. First question: can the docking station sit on the security VLAN with outbound only to the vendor’s published ranges?' },
      { by: e('priya.natarajan'), h: 50, text: 'Vendor confirms outbound only, TLS 1.2+, ranges published. Pilot start depends on this review.' },
    ],
  },
  {
    from: 'IT', to: 'SEC', type: 'Access card change', priority: 'P3', by: e('ethan.kowalski'), owner: e('hannah.cole'), store: 'SO-302', daysAgo: 70, outcome: 'done', respondH: 3, resolveH: 26,
    title: 'Access card for network contractor at SO-302, three nights',
    description: 'Contractor (Northline Cabling, 2 technicians) needs stockroom and comms-room access 22:00–05:00 from Monday to Wednesday.',
    note: 'Two temporary cards issued, valid Mon–Wed 21:30–05:30, comms room and stockroom only.',
  },
  {
    from: 'OPS', to: 'LP', type: 'Training', priority: 'P3', by: e('monica.reyes'), owner: e('grace.lindqvist'), daysAgo: 80, outcome: 'done', respondH: 18, resolveH: 16 * 24,
    title: 'Refund fraud awareness training for Midwest store teams',
    description: 'Refunds without receipt doubled in the Midwest since July. Could LP run a 30-minute session for head cashiers and managers, on site or remote?',
    note: 'Four remote sessions held, 41 attendees; slides and the refund checklist are on the newsletter page.',
  },
  {
    from: 'LP', to: 'IT', type: 'Data or report', priority: 'P3', by: e('tomas.rivera'), owner: e('ethan.kowalski'), daysAgo: 64, outcome: 'done', respondH: 9, resolveH: 5 * 24,
    title: 'Data extract: refunds without receipt, last 90 days, all stores',
    description: 'Transaction-level: store, register, cashier id, time, amount, tender, original receipt id if any. CSV is fine.',
    note: 'Extract delivered (48,212 rows) to the LP analytics share; the query is saved for a monthly rerun.',
  },
  {
    from: 'LP', to: 'IT', type: 'Access change', priority: 'P3', by: e('luis.ortega'), owner: e('sam.delgado'), daysAgo: 52, outcome: 'declined', respondH: 4, resolveH: 6,
    title: 'VMS administrator rights for regional LP managers',
    description: 'Regional managers want to change camera views and export themselves when the service desk is closed.',
    note: 'Administrator rights are limited to IT and security by policy. We granted playback and export rights instead, which cover the after-hours need.',
  },
  {
    from: 'SEC', to: 'IT', type: 'Network drop', priority: 'P3', by: e('hannah.cole'), owner: e('noah.bergstrom'), daysAgo: 6, outcome: 'accepted', respondH: 5, dueInDays: 10,
    title: 'Network drop for a new monitoring-centre workstation',
    description: 'Fourth operator desk in the monitoring centre from next month: two ports on the security VLAN, one on the office network.',
  },
  {
    from: 'LP', to: 'SEC', type: 'Video review', priority: 'P2', by: e('jamal.brooks'), owner: e('sofia.alvarez'), store: 'SO-301', daysAgo: 45, outcome: 'done', respondH: 3, resolveH: 50,
    title: 'Video review: suspected ORC crew at SO-301 on Saturdays',
    description: 'Fragrance and razor losses on the last three Saturdays between 15:00 and 17:00. Please review entrance and aisle 12 cameras and flag repeat visitors.',
    comments: [{ by: e('sofia.alvarez'), h: 30, text: 'Same group of three seen on two of the three Saturdays, arriving in a grey SUV. Stills and times added to the case folder.' }],
    note: 'Review done; stills and timestamps handed to Jamal for the ORC case.',
  },
  {
    from: 'IT', to: 'INFOSEC', type: 'Security review', priority: 'P2', by: e('ethan.kowalski'), owner: e('ben.adeyemi'), daysAgo: 58, outcome: 'done', respondH: 7, resolveH: 60,
    title: 'Security review: POS firmware 4.12 before roll-out',
    description: 'The vendor release fixes the refund-void bug LP reported. We want to roll it out in the next maintenance window.',
    note: 'No blocking findings. Default service account disabled in the build; approved for roll-out.',
  },
  {
    from: 'INFOSEC', to: 'IT', type: 'Other', priority: 'P2', by: e('ben.adeyemi'), owner: e('mei.tanaka'), daysAgo: 15, outcome: 'in_progress', respondH: 10,
    title: 'Update outdated firmware on 38 store cameras',
    description: 'The posture scan found 38 cameras two major firmware versions behind, with a published remote-code-execution flaw. List attached to the finding.',
    comments: [{ by: e('mei.tanaka'), h: 72, text: '22 of 38 done. The rest need a site visit because the cameras are behind the old recorders.' }],
  },
  {
    from: 'LP', to: 'IT', type: 'Camera install or move', priority: 'P3', by: e('beth.sandoval'), store: 'SO-304', daysAgo: 4, outcome: 'new', dueInDays: 21,
    title: 'Move camera at SO-304 self-checkout to cover the bagging shelf',
    description: 'The self-checkout camera points at the queue. Skip-scanning happens at the bagging shelf, which it does not see.',
  },
  {
    from: 'LP', to: 'IT', type: 'Video export', priority: 'P1', by: e('karen.holt'), store: 'MW-202', daysAgo: 0.1, outcome: 'new',
    title: 'Video export for case C-2026-071 (MW-202, yesterday 20:10–20:45)',
    description: 'Cameras 2 and 5, stockroom door and loading dock. Police need the clip by tomorrow for the warrant.',
  },
  {
    from: 'LP', to: 'OPS', type: 'Schedule change', priority: 'P3', by: e('luis.ortega'), owner: e('monica.reyes'), store: 'NE-103', daysAgo: 40, outcome: 'done', respondH: 6, resolveH: 30,
    title: 'Schedule change: LP audit at NE-103 on Saturday morning',
    description: 'Unannounced cash-office audit; we need the store manager and head cashier in at 07:00.',
    note: 'Store manager and head cashier rostered 07:00; manager briefed only the day before.',
  },
  {
    from: 'OPS', to: 'IT', type: 'Network drop', priority: 'P3', by: e('andre.williams'), owner: e('noah.bergstrom'), store: 'MW-201', daysAgo: 12, outcome: 'accepted', respondH: 30,
    title: 'Network drops for the relocated customer service desk at MW-201',
    description: 'The service desk moves to the front entrance on the 5th: two POS ports and one phone port.',
  },
  {
    from: 'IT', to: 'INFOSEC', type: 'Policy exception', priority: 'P2', by: e('marcus.chen'), owner: e('elena.petrova'), daysAgo: 33, outcome: 'declined', respondH: 4, resolveH: 28,
    title: 'Policy exception: direct vendor remote access during camera roll-out',
    description: 'The camera vendor asks for direct VPN access to store recorders for the 12-week roll-out.',
    note: 'Vendor access must go through the jump host with MFA and named technicians. We can create the jump-host accounts this week.',
  },
  {
    from: 'SEC', to: 'LP', type: 'Investigation support', priority: 'P2', by: e('victor.mensah'), owner: e('karen.holt'), store: 'NE-104', daysAgo: 75, outcome: 'done', respondH: 4, resolveH: 12 * 24,
    title: 'Investigation support: repeated alarm resets at NE-104',
    description: 'The burglar alarm at NE-104 was unset and reset 11 times after close this month, always with the same user code.',
    comments: [{ by: e('karen.holt'), h: 48, text: 'The code belongs to a key holder who left in June. Interviewing the two staff who had it.' }],
    note: 'Code was shared by a departed key holder; codes rotated, one employee case opened.',
  },
  {
    from: 'LP', to: 'IT', type: 'Data or report', priority: 'P3', by: e('tomas.rivera'), owner: e('ethan.kowalski'), daysAgo: 22, outcome: 'in_progress', respondH: 50,
    title: 'Weekly report: no-sale drawer opens by register',
    description: 'Every Monday, per store and register, count of no-sale drawer opens and the cashier ids, for the exception queue.',
  },
  {
    from: 'INFOSEC', to: 'LP', type: 'Approval', priority: 'P2', by: e('laura.kim'), owner: e('dana.whitfield'), daysAgo: 55, outcome: 'done', respondH: 8, resolveH: 4 * 24,
    title: 'Approval: CCTV footage sharing agreement with local police',
    description: 'Template agreement for sharing footage with police on request: legal basis, hand-over log, hashing. Needs LP sign-off before legal signs.',
    note: 'Approved with one change: hand-over log kept in the case record, not on paper.',
  },
  {
    from: 'LP', to: 'INFOSEC', type: 'Data protection advice', priority: 'P3', by: e('beth.sandoval'), owner: e('laura.kim'), daysAgo: 37, outcome: 'done', respondH: 20, resolveH: 6 * 24,
    title: 'Advice: posting photos of known shoplifters in break rooms',
    description: 'Some South stores pin photos of repeat offenders in the break room. Is that allowed, and how should it be done?',
    note: 'Only for named, banned persons with an active trespass notice, in a closed folder rather than on a wall; reviewed monthly.',
  },
  {
    from: 'IT', to: 'OPS', type: 'Store access or escort', priority: 'P2', by: e('noah.bergstrom'), owner: e('monica.reyes'), store: 'SO-303', daysAgo: 28, outcome: 'done', respondH: 3, resolveH: 22,
    title: 'After-hours access at SO-303 to replace a failed switch',
    description: 'The front-end switch failed; the spare arrives tonight. Need someone to open the store at 22:30.',
    note: 'Store manager opened at 22:30; switch replaced by 00:15.',
  },
  {
    from: 'LP', to: 'IT', type: 'Video export', priority: 'P2', by: e('karen.holt'), owner: e('rachel.okafor'), store: 'SO-302', daysAgo: 3, outcome: 'accepted', respondH: 6,
    title: 'Video export for case C-2026-066 (SO-302, 21 Nov 14:05–14:35)',
    description: 'Cameras 1, 4 and 9. Return fraud at the service desk with a fake receipt.',
  },
  {
    from: 'SEC', to: 'INFOSEC', type: 'Vulnerability assessment', priority: 'P3', by: e('derek.yamamoto'), daysAgo: 13, outcome: 'new',
    title: 'Vulnerability assessment of alarm panel IP modules',
    description: 'The alarm panels’ new IP modules report over the store network. We would like them scanned before we enable remote arming.',
  },
  {
    from: 'IT', to: 'LP', type: 'Policy input', priority: 'P4', by: e('aisha.rahman'), daysAgo: 8, outcome: 'new', dueInDays: 30,
    title: 'Input on retention of POS electronic journals',
    description: 'The POS vendor contract renewal prices journal storage by year. How many years of journals does LP use in investigations?',
  },
  {
    from: 'LP', to: 'IT', type: 'Network drop', priority: 'P3', by: e('owen.fitzgerald'), owner: e('noah.bergstrom'), store: 'MW-203', daysAgo: 47, outcome: 'cancelled', respondH: 30, resolveH: 60,
    title: 'Network connection for EAS pedestals at the MW-203 entrance',
    description: 'New EAS pedestals with alarm reporting need one network port by the entrance.',
    note: 'The store is refitted in January; I will file again with the refit plans.',
  },
  {
    from: 'LP', to: 'SEC', type: 'Alarm or CCTV service', priority: 'P2', by: e('shannon.doyle'), owner: e('derek.yamamoto'), store: 'NE-103', daysAgo: 18, outcome: 'done', respondH: 28, resolveH: 4 * 24,
    title: 'Stockroom camera at NE-103 shows a black image at night',
    description: 'IR seems dead on the stockroom camera; night footage is unusable.',
    note: 'IR board replaced; night image checked with the store LP associate.',
  },
];

/** Repeated everyday requests spread over four months, so the ledger and its trend have volume. */
const ROUTINE: Array<Omit<Spec, 'daysAgo' | 'outcome' | 'title' | 'store'> & { title: (i: number, store: string) => string; stores?: string[]; owners: string[]; done: string; declined: string }> = [
  { from: 'LP', to: 'IT', type: 'Video export', priority: 'P2', by: e('jamal.brooks'), owners: [e('rachel.okafor'), e('sam.delgado')], title: (i, s) => `Video export for case C-2026-0${12 + i * 3} (${s})`, description: 'Two cameras, 30 minutes each; hash and chain-of-custody record please.', done: 'Clips exported with SHA-256 hashes; custody record added to the case.', declined: 'The recorder had already overwritten that window (14-day retention at this store).', stores: ['NE-101', 'NE-104', 'MW-201', 'SO-302', 'SO-301', 'MW-203'] },
  { from: 'LP', to: 'IT', type: 'Video export', priority: 'P3', by: e('karen.holt'), owners: [e('sam.delgado'), e('rachel.okafor')], title: (i, s) => `Video export: till ${1 + (i % 6)} at ${s}, refund review`, description: 'Service-desk camera for the refunds listed in the exception queue.', done: 'Clips for each listed refund exported and linked from the exception queue.', declined: 'That till has no camera coverage yet; see the camera roll-out plan.', stores: ['NE-102', 'MW-202', 'SO-303', 'SO-304'] },
  { from: 'IT', to: 'LP', type: 'Approval', priority: 'P3', by: e('marcus.chen'), owners: [e('luis.ortega'), e('beth.sandoval'), e('owen.fitzgerald')], title: (_i, s) => `Approve camera downtime at ${s} for recorder swap`, description: 'About two hours of recording gap on a weekday night.', done: 'Approved; the store LP associate will check the recording resumes.', declined: 'Not that week: the store is in a live internal case. Please pick the following week.', stores: ['NE-103', 'MW-204', 'SO-301', 'MW-202'] },
  { from: 'SEC', to: 'IT', type: 'Network drop', priority: 'P3', by: e('derek.yamamoto'), owners: [e('noah.bergstrom')], title: (_i, s) => `Port for new alarm communicator at ${s}`, description: 'The alarm panel moves from the phone line to IP; one port in the comms room.', done: 'Port patched on the security VLAN and tested with the monitoring centre.', declined: 'The store’s switch is full; this waits for the switch replacement already planned.', stores: ['NE-104', 'MW-203', 'SO-304'] },
  { from: 'IT', to: 'SEC', type: 'Access card change', priority: 'P4', by: e('sam.delgado'), owners: [e('hannah.cole'), e('isaac.porter')], title: (_i, s) => `Comms-room access for IT field technician at ${s}`, description: 'Permanent access for the new field technician.', done: 'Card updated; access logged and reviewed with the store manager.', declined: 'Field technicians get time-limited access per visit, not permanent access.', stores: ['MW-201', 'SO-303', 'NE-101'] },
  { from: 'LP', to: 'INFOSEC', type: 'Security review', priority: 'P3', by: e('priya.natarajan'), owners: [e('ben.adeyemi'), e('laura.kim')], title: (i) => ['Security review: exception-reporting vendor SFTP feed', 'Security review: ORC network data-sharing portal', 'Security review: new EAS vendor cloud console'][i % 3], description: 'Vendor questionnaire and data flow attached.', done: 'Reviewed: approved with conditions (MFA, IP allow-list, yearly re-review).', declined: 'The vendor would not sign the data-processing addendum; not approved.' },
  { from: 'OPS', to: 'LP', type: 'Investigation support', priority: 'P2', by: e('monica.reyes'), owners: [e('karen.holt'), e('jamal.brooks')], title: (_i, s) => `Cash shortages at ${s}, please investigate`, description: 'Three shortages over $50 in two weeks on the evening shift.', done: 'Cash-office review and interviews done; a counting error by a new head cashier, retrained.', declined: 'Below the investigation threshold; store to run the cash-handling checklist first.', stores: ['NE-102', 'MW-204', 'SO-302'] },
  { from: 'INFOSEC', to: 'IT', type: 'Access change', priority: 'P2', by: e('elena.petrova'), owners: [e('sam.delgado'), e('mei.tanaka')], title: (i) => ['Remove shared admin account on store recorders', 'Rotate default passwords on EAS controllers', 'Disable Telnet on access-control panels'][i % 3], description: 'Finding from the quarterly posture scan.', done: 'Fixed on every affected device; the next scan confirmed it.', declined: 'Already fixed by the firmware update in the maintenance window; the scan ran on stale data.' },
];

/** Small deterministic generator: the demo looks the same on every start. */
function rng(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

function routineSpecs(): Spec[] {
  const rand = rng(42);
  const out: Spec[] = [];
  ROUTINE.forEach((t, ti) => {
    const n = ti < 2 ? 7 : 4;
    for (let i = 0; i < n; i++) {
      const daysAgo = Math.round(118 * (1 - (i + rand() * 0.8) / n)) + 1;
      const store = t.stores ? t.stores[i % t.stores.length] : '';
      const old = daysAgo > 14;
      const roll = rand();
      const outcome: Outcome = old ? (roll < 0.82 ? 'done' : roll < 0.92 ? 'declined' : 'cancelled') : roll < 0.3 ? 'new' : roll < 0.6 ? 'accepted' : roll < 0.8 ? 'in_progress' : 'done';
      const slow = rand() < 0.25;
      const respondH = Math.round((slow ? 20 + rand() * 60 : 1 + rand() * 10) * 10) / 10;
      const resolveH = respondH + Math.round((slow ? 80 + rand() * 300 : 6 + rand() * 70) * 10) / 10;
      out.push({
        from: t.from,
        to: t.to,
        type: t.type,
        priority: t.priority,
        by: t.by,
        owner: t.owners[i % t.owners.length],
        store: store || undefined,
        title: t.title(i, store),
        description: t.description,
        daysAgo,
        outcome,
        respondH,
        resolveH,
        note: outcome === 'declined' ? t.declined : outcome === 'cancelled' ? 'No longer needed: the case closed before the work started.' : outcome === 'done' ? t.done : undefined,
      });
    }
  });
  return out;
}

export async function seedRequestsDemo(ctx: AppContext) {
  const depts = await ctx.db.select().from(departments);
  for (const d of depts) await installDefaultCatalogue(ctx, SYSTEM_ACTOR, d.id);
  const deptId = new Map(depts.map((d) => [d.code, d.id]));
  const types = await ctx.db.select().from(requestTypes);
  const typeId = (dept: string, name: string) => {
    const t = types.find((x) => x.departmentId === deptId.get(dept) && x.name === name);
    if (!t) throw new Error(`demo: no request type ${dept}/${name}`);
    return t.id;
  };
  const personIds = new Map((await ctx.db.select({ id: people.id, email: people.email }).from(people)).map((p) => [p.email, p.id]));
  const personId = (email: string) => {
    const id = personIds.get(email);
    if (!id) throw new Error(`demo: no person ${email}`);
    return id;
  };
  const storeIds = new Map((await ctx.db.select({ id: stores.id, code: stores.code }).from(stores)).map((s) => [s.code, s.id]));
  const storeId = (code?: string) => (code ? (storeIds.get(code) ?? null) : null);
  const targets = new Map((await ctx.db.select().from(requestPriorities)).map((p) => [p.code, p]));

  const now = Date.now();
  const H = 3_600_000;
  const specs = [...STORIES, ...routineSpecs()]
    .map((s) => {
      // Filed during office hours (13:00–21:00 UTC is morning to afternoon across US time zones).
      const base = new Date(now - s.daysAgo * 24 * H);
      if (s.daysAgo >= 1) base.setUTCHours(13 + Math.floor((s.title.length * 7) % 8), (s.title.length * 13) % 60, 0, 0);
      return { ...s, created: base.getTime() };
    })
    .sort((a, b) => a.created - b.created);

  await ctx.db.transaction(async (tx) => {
    for (const s of specs) {
      const id = uuidv7();
      const created = s.created;
      const at = (h: number) => new Date(Math.min(created + h * H, now - 60_000));
      let outcome = s.outcome;
      // A story whose completion would lie in the future is still being worked on.
      if ((outcome === 'done' || outcome === 'declined') && created + (s.resolveH ?? 0) * H > now) outcome = 'in_progress';
      const p = targets.get(s.priority)!;
      const owner = s.owner ? personId(s.owner) : null;
      const responded = outcome !== 'new' && s.respondH !== undefined && owner;
      const firstResponseAt = !responded || outcome === 'cancelled' ? null : outcome === 'declined' ? at(s.resolveH ?? s.respondH!) : at(s.respondH!);
      const closed = outcome === 'done' || outcome === 'declined';
      const resolvedAt = closed ? at(s.resolveH ?? (s.respondH ?? 1) + 24) : null;
      const cancelledAt = outcome === 'cancelled' ? at(s.resolveH ?? 48) : null;
      const due = s.dueInDays !== undefined ? new Date(created + s.dueInDays * 24 * H).toISOString().slice(0, 10) : null;
      const last = Math.max(created, firstResponseAt?.getTime() ?? 0, resolvedAt?.getTime() ?? 0, cancelledAt?.getTime() ?? 0);
      await tx.insert(requests).values({
        id,
        title: s.title,
        description: s.description,
        fromDepartmentId: deptId.get(s.from)!,
        toDepartmentId: deptId.get(s.to)!,
        typeId: typeId(s.to, s.type),
        priority: s.priority,
        status: outcome,
        requesterId: personId(s.by),
        assigneeId: outcome === 'new' || (outcome === 'cancelled' && !firstResponseAt) ? null : owner,
        storeId: storeId(s.store),
        dueDate: due,
        responseDueAt: new Date(created + p.responseMinutes * 60_000),
        resolutionDueAt: new Date(created + p.resolutionMinutes * 60_000),
        firstResponseAt,
        resolvedAt,
        closeReason: closed || outcome === 'cancelled' ? (s.note ?? null) : null,
        createdAt: new Date(created),
        updatedAt: new Date(last),
      });
      const events: Array<typeof requestEvents.$inferInsert> = [{ id: uuidv7(), requestId: id, kind: 'created', actorId: personId(s.by), toStatus: 'new', createdAt: new Date(created) }];
      if (firstResponseAt && owner) {
        const first = outcome === 'declined' ? 'declined' : 'accepted';
        if (first === 'accepted') {
          events.push({ id: uuidv7(), requestId: id, kind: 'status', actorId: owner, fromStatus: 'new', toStatus: 'accepted', createdAt: firstResponseAt });
          events.push({ id: uuidv7(), requestId: id, kind: 'assigned', actorId: owner, body: 'Took it on', createdAt: firstResponseAt });
          if (outcome === 'in_progress' || outcome === 'done') {
            events.push({ id: uuidv7(), requestId: id, kind: 'status', actorId: owner, fromStatus: 'accepted', toStatus: 'in_progress', createdAt: at((s.respondH ?? 0) + 2) });
          }
        }
      }
      for (const c of s.comments ?? []) {
        const when = created + c.h * H;
        if (when < now && (!resolvedAt || when <= resolvedAt.getTime())) events.push({ id: uuidv7(), requestId: id, kind: 'comment', actorId: personId(c.by), body: c.text, createdAt: new Date(when + 60_000) });
      }
      if (resolvedAt && owner) {
        events.push({ id: uuidv7(), requestId: id, kind: 'status', actorId: owner, fromStatus: outcome === 'declined' ? 'new' : 'in_progress', toStatus: outcome, body: s.note ?? '', createdAt: resolvedAt });
      }
      if (cancelledAt) events.push({ id: uuidv7(), requestId: id, kind: 'status', actorId: personId(s.by), fromStatus: firstResponseAt ? 'accepted' : 'new', toStatus: 'cancelled', body: s.note ?? '', createdAt: cancelledAt });
      events.sort((a, b) => +a.createdAt! - +b.createdAt!);
      await tx.insert(requestEvents).values(events);
    }
    await recordAudit(tx, SYSTEM_ACTOR, { action: 'import', entity: 'request', summary: `Demo requests loaded: ${specs.length} requests between departments over four months` });
  });

  // Business hours set today: requests filed from now on count them (the ones above keep their targets).
  // IT and InfoSec work weekdays at head office; P1 (an outage, a robbery) counts round the clock.
  const usHolidays = [
    { date: '2026-11-26', name: 'Thanksgiving' },
    { date: '2026-12-25', name: 'Christmas Day' },
    { date: '2027-01-01', name: "New Year's Day" },
    { date: '2027-01-18', name: 'Martin Luther King Jr. Day' },
    { date: '2027-05-31', name: 'Memorial Day' },
    { date: '2027-07-05', name: 'Independence Day (observed)' },
    { date: '2027-09-06', name: 'Labor Day' },
  ];
  for (const code of ['IT', 'INFOSEC']) {
    const id = deptId.get(code);
    if (id) await setCalendar(ctx, SYSTEM_ACTOR, id, { timezone: 'America/New_York', workDays: [1, 2, 3, 4, 5], start: '08:00', end: '18:00', holidays: usHolidays });
  }
  await ctx.db.update(requestPriorities).set({ roundTheClock: true }).where(eq(requestPriorities.code, 'P1'));
}
