import { eq, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { fiscalYearOf } from '../../../contracts/budget.js';
import { DEFAULT_GATE_TEMPLATES, GATES, SIDE_LABELS, type Gate, type ProjectStage, type ProjectType } from '../../../contracts/projects.js';
import type { AppContext } from '../../platform/context.js';
import { SYSTEM_ACTOR } from '../../platform/policy.js';
import { budgetLinePriorities, budgetLines, lpPriorities, pulseAnswers, pulseRounds } from '../budget/schema.js';
import { departments, people, stores } from '../people/schema.js';
import { projectEvents, projectGates, projectMilestones, projects, projectSignoffs, projectStores } from './schema.js';
import { addLink } from './service.js';

const DAY = 86400000;
const iso = (d: Date) => d.toISOString().slice(0, 10);

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface DemoProject {
  title: string;
  description: string;
  type: ProjectType;
  stage: ProjectStage;
  owner: string;
  itContact: string;
  costCents: number;
  startedDaysAgo: number;
  /** Days the project has been at its current stage. */
  stageDays: number;
  stores: 'all' | string[];
  storesDone: number;
  /** Checklist items ticked at the current gate. */
  ticked?: number;
  /** Sides already signed at the current gate. */
  signed?: Array<'lp' | 'it'>;
  milestones: Array<{ title: string; offsetDays: number; done: boolean }>;
  stoppedReason?: string;
}

const PROJECTS: DemoProject[] = [
  {
    title: 'EAS pedestal refresh, all stores',
    description: 'Replace the ten-year-old AM pedestals at every entrance with networked units that report alarms to the monitoring centre and the store LP phone.',
    type: 'eas',
    stage: 'done',
    owner: 'luis.ortega@meridian.example',
    itContact: 'noah.bergstrom@meridian.example',
    costCents: 61_800_000,
    startedDaysAgo: 330,
    stageDays: 40,
    stores: 'all',
    storesDone: 12,
    milestones: [
      { title: 'Pilot at Hartford Downtown', offsetDays: -250, done: true },
      { title: 'Northeast stores live', offsetDays: -150, done: true },
      { title: 'All stores live', offsetDays: -40, done: true },
    ],
  },
  {
    title: 'IP camera roll-out, 12 stores',
    description: 'Move every store from analogue to 4 MP IP cameras over registers, entrances and stockrooms, recorded on the store NVR and viewed off-site from the monitoring centre.',
    type: 'camera_rollout',
    stage: 'capacity_review',
    owner: 'dana.whitfield@meridian.example',
    itContact: 'rachel.okafor@meridian.example',
    costCents: 142_000_000,
    startedDaysAgo: 95,
    stageDays: 12,
    stores: 'all',
    storesDone: 0,
    ticked: 3,
    signed: ['lp'],
    milestones: [
      { title: 'Security review passed', offsetDays: -12, done: true },
      { title: 'Capacity review passed', offsetDays: 10, done: false },
      { title: 'Pilot at Hartford Downtown', offsetDays: 45, done: false },
      { title: 'All stores live', offsetDays: 210, done: false },
    ],
  },
  {
    title: 'Self-checkout camera analytics pilot',
    description: 'Overhead cameras at self-checkout with analytics that flag unscanned items; alerts to the attendant tablet.',
    type: 'analytics',
    stage: 'security_review',
    owner: 'priya.natarajan@meridian.example',
    itContact: 'mei.tanaka@meridian.example',
    costCents: 18_500_000,
    startedDaysAgo: 40,
    stageDays: 9,
    stores: ['NE-101', 'MW-201'],
    storesDone: 0,
    ticked: 4,
    milestones: [
      { title: 'Vendor security questionnaire back', offsetDays: -5, done: true },
      { title: 'Pilot live in two stores', offsetDays: 60, done: false },
    ],
  },
  {
    title: 'Badge access for stockrooms and cash offices',
    description: 'Badge readers on stockroom, receiving and cash office doors, with the badge log kept one year for investigations.',
    type: 'access_control',
    stage: 'budget_approval',
    owner: 'beth.sandoval@meridian.example',
    itContact: 'sam.delgado@meridian.example',
    costCents: 27_400_000,
    startedDaysAgo: 120,
    stageDays: 6,
    stores: 'all',
    storesDone: 0,
    ticked: 2,
    signed: ['lp'],
    milestones: [
      { title: 'Capacity review passed', offsetDays: -6, done: true },
      { title: 'Budget approved', offsetDays: 20, done: false },
    ],
  },
  {
    title: 'Refund desk cameras with POS text overlay',
    description: 'A camera over every service desk with the POS transaction text burnt into the recording, so refund exceptions open at the right second.',
    type: 'camera_rollout',
    stage: 'rollout',
    owner: 'owen.fitzgerald@meridian.example',
    itContact: 'ethan.kowalski@meridian.example',
    costCents: 9_600_000,
    startedDaysAgo: 200,
    stageDays: 50,
    stores: 'all',
    storesDone: 5,
    milestones: [
      { title: 'Pilot at Columbus Easton', offsetDays: -80, done: true },
      { title: 'Half the stores live', offsetDays: 14, done: false },
      { title: 'All stores live', offsetDays: 75, done: false },
    ],
  },
  {
    title: 'ORC case linking across stores',
    description: 'Match organised retail crime incidents across stores by vehicle, time pattern and product mix, and share the links with law enforcement partners.',
    type: 'analytics',
    stage: 'proposal',
    owner: 'jamal.brooks@meridian.example',
    itContact: 'mei.tanaka@meridian.example',
    costCents: 7_200_000,
    startedDaysAgo: 8,
    stageDays: 8,
    stores: [],
    storesDone: 0,
    milestones: [{ title: 'Proposal to IT', offsetDays: 7, done: false }],
  },
];

/** Two fiscal years of IT budget lines, tagged with the LP priorities they serve. */
const BUDGET: Array<{ kind: 'capex' | 'opex'; title: string; vendor: string; category: string; dollars: number; owner?: string; tags?: Record<string, number>; project?: number }> = [
  { kind: 'opex', title: 'Store network managed service', vendor: 'Lumen', category: 'network', dollars: 2_640_000, owner: 'rachel.okafor@meridian.example' },
  { kind: 'capex', title: 'Store switch refresh (PoE+)', vendor: 'Cisco', category: 'network', dollars: 1_180_000, owner: 'rachel.okafor@meridian.example', tags: { cashier_cctv: 30 } },
  { kind: 'opex', title: 'POS software maintenance', vendor: 'NCR Voyix', category: 'pos', dollars: 1_950_000, owner: 'ethan.kowalski@meridian.example' },
  { kind: 'capex', title: 'POS terminal replacement, wave 2', vendor: 'NCR Voyix', category: 'pos', dollars: 2_300_000, owner: 'ethan.kowalski@meridian.example', tags: { data_analytics: 5 } },
  { kind: 'opex', title: 'ERP and merchandising licences', vendor: 'Oracle', category: 'software', dollars: 3_400_000, owner: 'aisha.rahman@meridian.example' },
  { kind: 'opex', title: 'Data centre colocation and cloud', vendor: 'Equinix / Azure', category: 'infrastructure', dollars: 2_150_000, owner: 'mei.tanaka@meridian.example', tags: { data_analytics: 4 } },
  { kind: 'capex', title: 'Laptops and store back-office PCs', vendor: 'Dell', category: 'end_user', dollars: 860_000, owner: 'sam.delgado@meridian.example' },
  { kind: 'opex', title: 'Service desk outsourcing', vendor: 'Concentrix', category: 'services', dollars: 1_240_000, owner: 'sam.delgado@meridian.example' },
  { kind: 'opex', title: 'Security tooling (EDR, SIEM)', vendor: 'CrowdStrike / Splunk', category: 'software', dollars: 980_000, owner: 'aisha.rahman@meridian.example', tags: { ecommerce_fraud: 10 } },
  { kind: 'opex', title: 'VMS licences and camera maintenance', vendor: 'Milestone', category: 'security', dollars: 210_000, owner: 'rachel.okafor@meridian.example', tags: { cashier_cctv: 70, video_analytics: 30 } },
  { kind: 'capex', title: 'EAS pedestal refresh', vendor: 'Sensormatic', category: 'security', dollars: 618_000, owner: 'noah.bergstrom@meridian.example', tags: { eas: 100 }, project: 0 },
  { kind: 'opex', title: 'E-commerce fraud screening', vendor: 'Riskified', category: 'software', dollars: 320_000, owner: 'aisha.rahman@meridian.example', tags: { ecommerce_fraud: 100 } },
  { kind: 'capex', title: 'Refund desk cameras and overlay boxes', vendor: 'Axis', category: 'security', dollars: 96_000, owner: 'ethan.kowalski@meridian.example', tags: { cashier_cctv: 100 }, project: 4 },
  { kind: 'opex', title: 'Exception reporting data feed', vendor: 'In-house', category: 'software', dollars: 140_000, owner: 'mei.tanaka@meridian.example', tags: { data_analytics: 100, cashier_cctv: 0 } },
];

/** How likely each department is to call each priority a priority, by round (the seeds: 100 % LP vs 56 % IT). */
const PULSE: Record<string, { lp: number; it: number; infosec: number; security: number; drift: number }> = {
  cashier_cctv: { lp: 1, it: 0.43, infosec: 0.3, security: 0.9, drift: 0.07 },
  eas: { lp: 0.85, it: 0.2, infosec: 0.1, security: 0.7, drift: 0.03 },
  video_analytics: { lp: 0.7, it: 0.45, infosec: 0.35, security: 0.6, drift: 0.05 },
  access_control: { lp: 0.6, it: 0.5, infosec: 0.9, security: 0.8, drift: 0.02 },
  orc: { lp: 0.95, it: 0.1, infosec: 0.1, security: 0.6, drift: 0.04 },
  ecommerce_fraud: { lp: 0.55, it: 0.6, infosec: 0.8, security: 0.2, drift: 0 },
  data_analytics: { lp: 0.8, it: 0.6, infosec: 0.4, security: 0.4, drift: 0.04 },
};

export async function seedProjectsDemo(ctx: AppContext) {
  const now = new Date();
  const personRows = await ctx.db.select({ id: people.id, email: people.email, name: people.name, role: people.role, storeId: people.storeId, kind: departments.kind }).from(people).leftJoin(departments, eq(departments.id, people.departmentId));
  const person = (email: string) => personRows.find((p) => p.email === email)!;
  const storeRows = await ctx.db.select({ id: stores.id, code: stores.code }).from(stores).orderBy(stores.code);
  const priorities = await ctx.db.select().from(lpPriorities);
  const priorityId = (code: string) => priorities.find((p) => p.code === code)?.id;
  const signerOf = (kind: string) => personRows.find((p) => p.kind === kind && p.role === 'lead' && !p.storeId)!;
  const year = fiscalYearOf(now);

  const projectIds: string[] = [];
  await ctx.db.transaction(async (tx) => {
    for (const d of PROJECTS) {
      const id = uuidv7();
      projectIds.push(id);
      const started = new Date(now.getTime() - d.startedDaysAgo * DAY);
      const stageSince = new Date(now.getTime() - d.stageDays * DAY);
      const owner = person(d.owner);
      await tx
        .insert(projects)
        .values({
          id,
          title: d.title,
          description: d.description,
          type: d.type,
          stage: d.stage,
          ownerId: owner.id,
          itContactId: person(d.itContact).id,
          estimatedCostCents: d.costCents,
          targetDate: iso(new Date(now.getTime() + (d.stage === 'done' ? -40 : 210) * DAY)),
          stageSince,
          stoppedReason: d.stoppedReason ?? null,
          createdAt: started,
          updatedAt: stageSince,
        });
      await tx.insert(projectEvents).values({ id: uuidv7(), projectId: id, kind: 'created', toStage: 'proposal', body: 'Proposed', actorId: owner.id, createdAt: started });
      const road: ProjectStage[] = ['proposal', 'security_review', 'capacity_review', 'budget_approval', 'pilot', 'rollout', 'done'];
      const at = road.indexOf(d.stage);
      // Spread the stages passed between the start and the current stage's start.
      const step = at > 0 ? (stageSince.getTime() - started.getTime()) / at : 0;
      for (const gate of GATES) {
        const g = road.indexOf(gate);
        const items = DEFAULT_GATE_TEMPLATES[d.type][gate];
        const passed = g < at;
        const current = g === at;
        const passedAt = passed ? new Date(started.getTime() + step * (g + 1)) : null;
        const checklist = items.map((label, i) => {
          const done = passed || (current && i < (d.ticked ?? 0));
          const by = done ? (i % 2 ? person(d.itContact) : owner) : null;
          return { label, done, doneBy: by?.id ?? null, doneByName: by?.name ?? null, doneAt: done ? new Date((passedAt ?? stageSince).getTime() - DAY).toISOString() : null };
        });
        await tx.insert(projectGates).values({ projectId: id, gate, checklist, passedAt });
        const sign = async (side: 'lp' | 'it', when: Date) => {
          const who = side === 'lp' ? (owner.kind === 'lp' && (owner.role === 'lead' || owner.role === 'admin') ? owner : signerOf('lp')) : signerOf(gate === 'security_review' ? 'infosec' : 'it');
          await tx.insert(projectSignoffs).values({ projectId: id, gate, side, decision: 'approved', personId: who.id, at: when });
          await tx.insert(projectEvents).values({ id: uuidv7(), projectId: id, kind: 'signoff', gate, decision: 'approved', body: `${SIDE_LABELS[gate as Gate][side]}: approved`, actorId: who.id, createdAt: when });
        };
        if (passedAt) {
          await sign('lp', new Date(passedAt.getTime() - 2 * DAY));
          await sign('it', passedAt);
          await tx.insert(projectEvents).values({ id: uuidv7(), projectId: id, kind: 'stage', gate, fromStage: gate, toStage: road[g + 1], body: `Passed the gate`, actorId: signerOf(gate === 'security_review' ? 'infosec' : 'it').id, createdAt: passedAt });
        } else if (current) for (const side of d.signed ?? []) await sign(side, new Date(now.getTime() - DAY));
      }
      for (let s = 1; s <= at; s++) {
        if (!GATES.includes(road[s - 1] as Gate)) {
          const when = new Date(started.getTime() + step * s);
          await tx.insert(projectEvents).values({ id: uuidv7(), projectId: id, kind: 'stage', fromStage: road[s - 1], toStage: road[s], body: '', actorId: owner.id, createdAt: when });
        }
      }
      const covered = d.stores === 'all' ? storeRows : storeRows.filter((s) => (d.stores as string[]).includes(s.code));
      if (covered.length)
        await tx.insert(projectStores).values(
          covered.map((s, i) => ({
            projectId: id,
            storeId: s.id,
            status: i < d.storesDone ? 'done' : i === d.storesDone && d.stage === 'rollout' ? 'in_progress' : 'planned',
            doneOn: i < d.storesDone ? iso(new Date(stageSince.getTime() + (i + 1) * 6 * DAY - (d.stage === 'done' ? 60 * DAY : 0))) : null,
          })),
        );
      if (d.milestones.length)
        await tx.insert(projectMilestones).values(d.milestones.map((m, i) => ({ id: uuidv7(), projectId: id, title: m.title, dueDate: iso(new Date(now.getTime() + m.offsetDays * DAY)), doneOn: m.done ? iso(new Date(now.getTime() + m.offsetDays * DAY)) : null, position: i })));
    }

    // Budget: last fiscal year and this one (this year a little more on LP priorities).
    for (const fy of [year - 1, year]) {
      const rand = rng(fy);
      for (const b of BUDGET) {
        const growth = fy === year ? 1.04 + rand() * 0.04 : 1;
        const id = uuidv7();
        const isProjectYear = b.project === undefined || (b.project === 0 ? fy === year - 1 : fy === year);
        if (!isProjectYear) continue;
        await tx.insert(budgetLines).values({
          id,
          fiscalYear: fy,
          kind: b.kind,
          title: b.title,
          vendor: b.vendor,
          category: b.category,
          amountCents: Math.round(b.dollars * growth) * 100,
          ownerId: b.owner ? person(b.owner).id : null,
          projectId: b.project !== undefined ? projectIds[b.project] : null,
          createdBy: person('aisha.rahman@meridian.example').id,
          createdAt: new Date(Date.UTC(fy, 1, 10)),
        });
        const tags = Object.entries(b.tags ?? {})
          .filter(([, share]) => share > 0)
          // Last year the switch refresh was not yet counted for CCTV.
          .filter(([code]) => !(fy === year - 1 && b.title.startsWith('Store switch') && code === 'cashier_cctv'));
        for (const [code, share] of tags) {
          const pid = priorityId(code);
          if (pid) await tx.insert(budgetLinePriorities).values({ lineId: id, priorityId: pid, sharePercent: share });
        }
      }
    }

    // Three pulse rounds: two closed, one open now with part of the answers in.
    const invited = personRows.filter((p) => p.kind && ['lp', 'it', 'infosec', 'security'].includes(p.kind) && ['admin', 'lead', 'member'].includes(p.role));
    const rounds = [
      { title: 'Spring pulse', opens: -250, closes: -236, answerRate: 0.9, wave: 0 },
      { title: 'Autumn pulse', opens: -80, closes: -66, answerRate: 0.88, wave: 1 },
      { title: 'Winter pulse', opens: -4, closes: 10, answerRate: 0.9, wave: 2 },
    ];
    for (const r of rounds) {
      const roundId = uuidv7();
      await tx.insert(pulseRounds).values({ id: roundId, title: r.title, opensOn: iso(new Date(now.getTime() + r.opens * DAY)), closesOn: iso(new Date(now.getTime() + r.closes * DAY)), createdBy: person('dana.whitfield@meridian.example').id, createdAt: new Date(now.getTime() + r.opens * DAY) });
      const rand = rng(9000 + r.wave * 97);
      // The demo sign-in people (LP lead, IT lead, IT member) leave the open round for the visitor to answer.
      const answering = invited.filter((p) => !(r.wave === 2 && ['priya.natarajan@meridian.example', 'marcus.chen@meridian.example', 'rachel.okafor@meridian.example'].includes(p.email)) && ((r.wave === 2 && p.kind === 'it') || rand() <= r.answerRate));
      const rows: Array<typeof pulseAnswers.$inferInsert> = [];
      for (const kind of ['lp', 'it', 'infosec', 'security'] as const) {
        const group = answering.filter((p) => p.kind === kind);
        for (const [pi, [code, odds]] of Object.entries(PULSE).entries()) {
          const pid = priorityId(code);
          if (!pid) continue;
          // A quota per department and round, so the figures move believably from round to round.
          const share = Math.min(1, odds[kind] + (kind === 'it' ? odds.drift * r.wave : 0));
          const yesCount = Math.round(share * group.length);
          group.forEach((p, gi) => {
            const yes = (gi + pi * 3) % group.length < yesCount;
            rows.push({ roundId, personId: p.id, priorityId: pid, department: kind, isPriority: yes, importance: yes ? 3 + ((gi + pi) % 3) : 1 + ((gi + pi) % 2), answeredAt: new Date(now.getTime() + (r.opens + 1 + ((gi * 7) % 5)) * DAY) });
          });
        }
      }
      for (let i = 0; i < rows.length; i += 500) await tx.insert(pulseAnswers).values(rows.slice(i, i + 500));
    }
  });

  // Links through the projects service, so linked ideas move along (in progress / done) as in real use.
  const deviceWithFinding = (await ctx.db.execute(sql`select device_id from device_findings where state = 'open' and severity in ('critical','high') order by severity, device_id limit 1`)) as unknown as { rows: Array<{ device_id: string }> };
  const plans = (await ctx.db.execute(sql`select id, name from camera_plans order by name`)) as unknown as { rows: Array<{ id: string; name: string }> };
  const ideaByTitle = async (title: string) => ((await ctx.db.execute(sql`select id from ideas where title = ${title}`)) as unknown as { rows: Array<{ id: string }> }).rows[0]?.id;
  const link = async (project: number, kind: 'device' | 'camera_plan' | 'idea', target: string | undefined) => {
    if (target) await addLink(ctx, SYSTEM_ACTOR, projectIds[project], { kind, target }).catch(() => undefined);
  };
  await link(0, 'idea', await ideaByTitle('EAS pedestal alarms should ping the store LP phone'));
  for (const p of plans.rows) await link(1, 'camera_plan', p.id);
  await link(1, 'idea', await ideaByTitle('Camera at the receiving door to cover the delivery count'));
  await link(2, 'device', deviceWithFinding.rows[0]?.device_id);
  await link(3, 'idea', await ideaByTitle('Badge readers on the cash office doors'));
  // The links belong to each project's early days, not to the moment the demo was loaded.
  await ctx.db.execute(sql`update project_events e set created_at = p.created_at + interval '2 days' from projects p where p.id = e.project_id and e.kind = 'link'`);
  await ctx.db.execute(sql`update projects set updated_at = stage_since`);
}
