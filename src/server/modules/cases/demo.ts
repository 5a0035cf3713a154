import { sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { INCIDENT_TYPES, type IncidentType } from '../../../contracts/cases.js';
import { DEMO_STORES } from '../../demo/workspace.js';
import type { AppContext } from '../../platform/context.js';
import { resolveActor } from '../../platform/identity.js';
import type { Actor } from '../../platform/policy.js';
import { PLANTED } from '../pos/generator.js';
import { storeBytes } from './files.js';
import { addMember, addTask, openCase, updateCase } from './service.js';
import { rows } from './visibility.js';

/**
 * Demo incidents and cases for the Meridian workspace: four months of incident reports from store
 * staff, managers and LP associates, and investigations built on them, including restricted
 * internal-theft cases on the demo month's highest-risk POS cashiers (when POS demo data is loaded),
 * with evidence files, their hashes and custody entries.
 */

const DAY = 86400_000;

/** A small deterministic generator, so every demo start tells the same story. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const STORIES: Record<IncidentType, { narrative: string; people: string; loss: [number, number] }[]> = {
  external_theft: [
    { narrative: 'Customer concealed two fragrance gift sets in a lined bag and left through the main entrance; the EAS pedestal alarmed, he did not stop.', people: 'Man, about 30, black puffer jacket, grey cap, left on foot towards the bus stop.', loss: [80, 260] },
    { narrative: 'Razor blade cartridges swept from the peg hooks into a backpack in aisle 7; noticed on the shelf count an hour later.', people: 'Two young men, one in a red hoodie. Camera 7 should have them.', loss: [120, 400] },
    { narrative: 'Walk-out with a full cart of laundry detergent and coffee through the garden centre exit.', people: 'Woman, 40s, blue scrubs; silver SUV, partial plate 7K…', loss: [150, 480] },
  ],
  internal_theft: [
    { narrative: 'Cash office count short twice this week after the same closing shift; the deposit bag was resealed.', people: 'Closing team on Tuesday and Friday.', loss: [200, 900] },
    { narrative: 'Colleague seen putting ear buds from the returns cage into their locker before break.', people: 'A sales associate from electronics (name given to the store manager).', loss: [60, 300] },
  ],
  orc: [
    { narrative: 'Crew of four cleared the premium skincare fixture in under two minutes; same pattern as the Providence incident last month.', people: 'Four people, two women and two men, one acting as lookout at the door. Dark sedan, no plates.', loss: [900, 3500] },
    { narrative: 'Booster bags with foil lining found dumped in the fitting room; tags from 14 pairs of jeans cut off.', people: 'Not seen; fitting room attendant was on break.', loss: [500, 1200] },
  ],
  return_fraud: [
    { narrative: 'Return of a vacuum cleaner with a receipt from another store; box contained bricks, discovered by the returns team.', people: 'Man in his 50s, paid refund to a prepaid card.', loss: [180, 420] },
    { narrative: 'Gift cards bought with cards later reported stolen; five cards redeemed the same afternoon at this store.', people: 'Unknown; cards redeemed at register 2.', loss: [250, 1000] },
  ],
  vendor_fraud: [
    { narrative: 'Direct-store-delivery invoice for 40 cases of soft drinks, only 32 on the pallet; driver left before the recount.', people: 'Delivery driver for the beverage distributor, truck 112.', loss: [90, 260] },
  ],
  process_error: [
    { narrative: 'Markdown applied to the wrong SKU for the weekend; full-price headphones sold at 70 % off.', people: 'Price change batch from Friday night.', loss: [300, 1400] },
    { narrative: 'Damaged-goods bin thrown out without being scanned out; stock still shows on hand.', people: 'Back-room team.', loss: [50, 250] },
  ],
  damage: [
    { narrative: 'Forklift clipped the end cap in the stockroom; 18 bottles of olive oil broken.', people: 'Stockroom associate, no injuries.', loss: [60, 200] },
    { narrative: 'Roof leak over aisle 3 after the storm soaked boxed small appliances.', people: 'None.', loss: [200, 900] },
  ],
  cyber: [
    { narrative: 'Card skimmer overlay found on the self-checkout 4 PIN pad during the morning check.', people: 'Unknown; device handed to IT and logged.', loss: [0, 0] },
    { narrative: 'Phishing email asking store managers to confirm gift-card codes by reply; one manager replied before noticing.', people: 'Sender pretended to be the regional office.', loss: [0, 500] },
  ],
};
/** The chain's mix: mostly external theft, then process errors and damage; a few of the rest. */
const WEIGHTS: Record<IncidentType, number> = { external_theft: 36, internal_theft: 6, orc: 10, return_fraud: 10, vendor_fraud: 5, process_error: 17, damage: 10, cyber: 6 };

async function actorByEmail(ctx: AppContext, email: string): Promise<Actor | undefined> {
  const [p] = await rows<{ id: string }>(ctx.db, sql`select id from people where email = ${email}`);
  return p ? resolveActor(ctx.db, p.id) : undefined;
}

function pickType(r: () => number): IncidentType {
  const total = Object.values(WEIGHTS).reduce((a, b) => a + b, 0);
  let x = r() * total;
  for (const t of INCIDENT_TYPES) {
    x -= WEIGHTS[t];
    if (x <= 0) return t;
  }
  return 'external_theft';
}

async function backdate(ctx: AppContext, caseId: string, openedAt: Date) {
  await ctx.db.execute(sql`update cases set created_at = ${openedAt.toISOString()}::timestamptz, updated_at = greatest(updated_at, ${openedAt.toISOString()}::timestamptz) where id = ${caseId}`);
  await ctx.db.execute(sql`update case_notes set created_at = ${openedAt.toISOString()}::timestamptz where case_id = ${caseId} and body like 'Opened %'`);
}

/** A closed case's closing date, so "average days to close" tells a story rather than "today". */
async function backdateClose(ctx: AppContext, caseId: string, closedAt: Date) {
  await ctx.db.execute(sql`update cases set closed_at = ${closedAt.toISOString()}::timestamptz, updated_at = ${closedAt.toISOString()}::timestamptz where id = ${caseId}`);
}

async function addEvidence(ctx: AppContext, caseId: string, by: Actor, item: { title: string; filename: string; contentType: string; body: string; at: Date; source?: 'upload' | 'video_export' }, custody: { action: string; by: Actor; reason: string; recipient?: string; hours: number }[]) {
  await ctx.db.transaction(async (tx) => {
    const blob = await storeBytes(tx, Buffer.from(item.body, 'utf8'));
    const [n] = await rows<{ n: number }>(tx, sql`select coalesce(max(number), 0) + 1 as n from case_evidence where case_id = ${caseId}`);
    const id = uuidv7();
    await tx.execute(sql`insert into case_evidence (id, case_id, number, kind, title, blob_id, filename, content_type, size_bytes, sha256, source, created_by, created_at)
      values (${id}, ${caseId}, ${Number(n.n)}, 'file', ${item.title}, ${blob.id}, ${item.filename}, ${item.contentType}, ${blob.bytes}, ${blob.sha256}, ${item.source ?? 'upload'}, ${by.id}, ${item.at.toISOString()}::timestamptz)`);
    const entries = [{ action: 'uploaded', by, reason: item.source === 'video_export' ? 'Video export received from IT' : 'Uploaded to the case', hours: 0 }, ...custody];
    for (const c of entries) {
      await tx.execute(sql`insert into evidence_custody (id, evidence_id, case_id, action, actor_id, actor_name, reason, recipient, sha256, created_at)
        values (${uuidv7()}, ${id}, ${caseId}, ${c.action}, ${c.by.id}, ${c.by.name}, ${c.reason}, ${'recipient' in c ? (c.recipient ?? null) : null}, ${blob.sha256}, ${new Date(item.at.getTime() + c.hours * 3600_000).toISOString()}::timestamptz)`);
    }
  });
}

export async function seedCasesDemo(ctx: AppContext) {
  const storeRows = await rows<{ id: string; code: string }>(ctx.db, sql`select id, code from stores order by code`);
  const reporters = await rows<{ id: string; store_id: string }>(ctx.db, sql`select id, store_id from people where store_id is not null and active`);
  const byStore = new Map<string, string[]>();
  for (const p of reporters) byStore.set(p.store_id, [...(byStore.get(p.store_id) ?? []), p.id]);
  const r = random(20261130);
  const now = Date.now();

  // Four months of incident reports (most triaged or closed; the last days still new).
  const values = [];
  for (let i = 0; i < 150; i++) {
    const ageDays = Math.floor(r() * 120);
    const store = storeRows[Math.floor(r() * storeRows.length)];
    const type = pickType(r);
    const stories = STORIES[type];
    const story = stories[Math.floor(r() * stories.length)];
    const loss = Math.round((story.loss[0] + r() * (story.loss[1] - story.loss[0])) * 100);
    const recovered = type === 'external_theft' && r() < 0.25 ? Math.round(loss * (0.3 + r() * 0.7)) : 0;
    const people = byStore.get(store.id) ?? [];
    const reporter = people[Math.floor(r() * people.length)];
    if (!reporter) continue;
    const occurred = new Date(now - ageDays * DAY - Math.floor(r() * 10) * 3600_000);
    const status = ageDays < 3 ? 'new' : ageDays < 10 && r() < 0.5 ? 'triaged' : 'closed';
    values.push(
      sql`(${uuidv7()}, 'report', ${store.id}, ${occurred.toISOString()}::timestamptz, ${type}, ${loss}, ${recovered}, ${story.narrative}, ${story.people}, ${r() < 0.3 ? `HPD-${26000 + Math.floor(r() * 9000)}` : ''}, ${reporter}, ${status}, ${status === 'closed' ? 'Reviewed by LP: recorded for shrink reporting, no investigation needed' : null}, ${new Date(occurred.getTime() + 2 * 3600_000).toISOString()}::timestamptz)`,
    );
  }
  // Oldest first, so the INC numbers follow the dates.
  values.reverse();
  if (values.length) {
    await ctx.db.execute(sql`insert into incidents (id, source, store_id, occurred_at, type, estimated_loss_cents, recovered_cents, narrative, people_involved, police_report, reporter_id, status, close_reason, created_at) values ${sql.join(values, sql`, `)}`);
    await ctx.db.execute(sql`update incidents set created_at = occurred_at + interval '2 hours', updated_at = occurred_at + interval '1 day' where source = 'report'`);
  }

  const karen = await actorByEmail(ctx, 'karen.holt@meridian.example');
  const jamal = await actorByEmail(ctx, 'jamal.brooks@meridian.example');
  const luis = await actorByEmail(ctx, 'luis.ortega@meridian.example');
  const priya = await actorByEmail(ctx, 'priya.natarajan@meridian.example');
  const ricky = await actorByEmail(ctx, 'ricky.navarro@meridian.example');
  const hannah = await actorByEmail(ctx, 'hannah.cole@meridian.example');
  if (!karen || !jamal || !luis || !priya || !ricky || !hannah) return;
  const store = new Map(storeRows.map((s) => [s.code, s.id]));
  const base = { summary: '', subjectKind: 'unknown' as const, subjectName: '', subjectDescription: '', subjectCashierId: null, incidentIds: [] as string[], exceptionIds: [] as string[], transactionIds: [] as string[], memberIds: [] as string[] };

  /** Closed incidents of a type become the starting point of a case (re-opened as linked). */
  const incidentsOf = async (type: IncidentType, storeId: string | undefined, limit: number) =>
    (await rows<{ id: string }>(ctx.db, sql`select id from incidents where type = ${type} and case_id is null and (${storeId ?? null}::uuid is null or store_id = ${storeId ?? null}::uuid) order by occurred_at desc limit ${limit}`)).map((x) => x.id);

  // ORC crew working the Northeast: an open case with two incidents, a VMS link and a video export.
  const orcIncidents = await incidentsOf('orc', undefined, 3);
  const orc = await openCase(ctx, jamal, { ...base, title: 'Skincare crew hitting Northeast stores', type: 'orc', storeId: store.get('NE-102') ?? null, summary: 'Same four-person crew seen at Providence and Hartford within three weeks; premium skincare fixtures cleared in under two minutes. Working with Providence PD on a pattern file.', subjectKind: 'external', subjectDescription: 'Four adults, dark sedan without plates, lookout at the door.', incidentIds: orcIncidents, memberIds: [hannah.id] });
  await backdate(ctx, orc.id, new Date(now - 24 * DAY));
  await addTask(ctx, jamal, orc.ref, { title: 'Share crew photos with the Northeast store managers', ownerId: jamal.id, dueDate: new Date(now + 3 * DAY).toISOString().slice(0, 10) });
  await addTask(ctx, jamal, orc.ref, { title: 'Pull monitoring-centre alarm log for both dates', ownerId: hannah.id, dueDate: new Date(now + 5 * DAY).toISOString().slice(0, 10) });
  await addEvidence(ctx, orc.id, jamal, { title: 'Entrance camera, Providence, 19:42–19:47', filename: 'ne102-entrance-1942.txt', contentType: 'text/plain', body: 'Video export placeholder log: NE-102-CAM-ENTRANCE 19:42:10–19:47:30, exported by IT (REQ).', at: new Date(now - 20 * DAY), source: 'video_export' }, [{ action: 'viewed', by: hannah, reason: 'Identify the lookout', hours: 5 }]);

  // Refund fraud ring: closed, substantiated, with police referral and restitution.
  const rf = await openCase(ctx, karen, { ...base, title: 'Receipt-swap refunds on small appliances', type: 'return_fraud', storeId: store.get('MW-201') ?? null, summary: 'Receipts from one store used to return empty or swapped boxes at three others.', subjectKind: 'external', subjectName: 'Returns customer A', incidentIds: await incidentsOf('return_fraud', undefined, 2) });
  await backdate(ctx, rf.id, new Date(now - 70 * DAY));
  await addEvidence(ctx, rf.id, karen, { title: 'Refund journal, MW-201, weeks 31–34', filename: 'refund-journal.csv', contentType: 'text/csv', body: 'date,register,receipt,amount\n2026-08-03,2,4471,189.99\n2026-08-10,2,4502,219.99\n', at: new Date(now - 66 * DAY) }, [
    { action: 'downloaded', by: luis, reason: 'Review before police referral', hours: 30 },
    { action: 'transferred', by: karen, reason: 'Copy handed over with the referral', recipient: 'Det. A. Moreno, Columbus PD', hours: 80 },
  ]);
  await updateCase(ctx, karen, rf.ref, { status: 'closed', outcome: 'substantiated', lossCents: 164_300, recoveryCents: 40_000, restitutionCents: 60_000, policeReferralDate: new Date(now - 60 * DAY).toISOString().slice(0, 10) });
  await backdateClose(ctx, rf.id, new Date(now - 31 * DAY));

  // Vendor short-shipping: closed, unsubstantiated.
  const vendor = await openCase(ctx, ricky, { ...base, title: 'Beverage DSD short deliveries', type: 'vendor_fraud', storeId: store.get('NE-101') ?? null, summary: 'Counts short on three deliveries; the distributor found a scanning fault at its depot.', subjectKind: 'vendor', subjectName: 'Beverage distributor', incidentIds: await incidentsOf('vendor_fraud', store.get('NE-101'), 2) });
  await backdate(ctx, vendor.id, new Date(now - 45 * DAY));
  await updateCase(ctx, ricky, vendor.ref, { status: 'closed', outcome: 'unsubstantiated', lossCents: 38_000, recoveryCents: 38_000 });
  await backdateClose(ctx, vendor.id, new Date(now - 36 * DAY));

  // Skimmer: security and IT, open.
  const skimmer = await openCase(ctx, hannah, { ...base, title: 'Card skimmer on self-checkout', type: 'cyber', storeId: store.get('SO-302') ?? null, summary: 'Overlay found on SCO 4. Device bagged; IT checking the other lanes and the PIN pad serials.', incidentIds: await incidentsOf('cyber', undefined, 1) });
  await backdate(ctx, skimmer.id, new Date(now - 6 * DAY));
  await addTask(ctx, hannah, skimmer.ref, { title: 'Inspect every PIN pad in the South region', ownerId: hannah.id, dueDate: new Date(now + 2 * DAY).toISOString().slice(0, 10) });

  // More of the chain's investigations over the four months: open, on hold and closed, across causes and regions.
  const more: Array<{ lead: Actor; title: string; type: IncidentType; store: string; summary: string; subjectKind: 'external' | 'vendor' | 'employee' | 'unknown'; openedDaysAgo: number; closedDaysAgo?: number; outcome?: 'substantiated' | 'unsubstantiated' | 'inconclusive'; onHold?: boolean; loss?: number; recovery?: number; restitution?: number; police?: boolean; evidence?: { title: string; filename: string; contentType: string; body: string } }> = [
    { lead: jamal, title: 'Garden-centre walk-outs with full carts', type: 'external_theft', store: 'SO-301', summary: 'Three walk-outs through the garden-centre exit on Saturday evenings; the exit now alarms after 18:00.', subjectKind: 'external', openedDaysAgo: 104, closedDaysAgo: 82, outcome: 'substantiated', loss: 234_000, recovery: 60_000, police: true, evidence: { title: 'Garden-centre exit alarm log, Saturdays', filename: 'so301-exit-alarms.csv', contentType: 'text/csv', body: 'date,time,door,alarm\n2026-08-09,18:42,garden,yes\n2026-08-16,19:05,garden,yes\n2026-08-23,18:57,garden,yes\n' } },
    { lead: jamal, title: 'Booster bags in the fitting rooms', type: 'orc', store: 'MW-202', summary: 'Foil-lined bags found twice; jeans tags cut. Waiting for the mall security footage request to come back.', subjectKind: 'external', openedDaysAgo: 58, onHold: true, loss: 480_000 },
    { lead: karen, title: 'Gift cards bought with stolen cards', type: 'return_fraud', store: 'MW-203', summary: 'Five gift cards bought with cards later reported stolen, redeemed the same afternoon on register 2.', subjectKind: 'unknown', openedDaysAgo: 17, loss: 100_000 },
    { lead: priya, title: 'Wrong markdown on headphones', type: 'process_error', store: 'NE-104', summary: 'Friday price batch applied 70 % to the wrong SKU; 41 units sold before the Monday price audit.', subjectKind: 'unknown', openedDaysAgo: 88, closedDaysAgo: 80, outcome: 'substantiated', loss: 980_000, evidence: { title: 'Price change batch 2026-W33', filename: 'price-batch-w33.csv', contentType: 'text/csv', body: 'sku,old_price,new_price,effective\n884512,129.99,38.99,2026-08-14\n' } },
    { lead: priya, title: 'Forklift damage in the stockroom', type: 'damage', store: 'SO-303', summary: 'End cap struck by the forklift; insurer paid most of the claim.', subjectKind: 'employee', openedDaysAgo: 76, closedDaysAgo: 50, outcome: 'substantiated', loss: 145_000, recovery: 100_000 },
    { lead: hannah, title: 'Gift-card phishing of store managers', type: 'cyber', store: 'NE-102', summary: 'Email posing as the regional office asked for gift-card codes; one manager replied. Codes cancelled within the hour.', subjectKind: 'external', openedDaysAgo: 40, closedDaysAgo: 33, outcome: 'substantiated', loss: 50_000, recovery: 30_000 },
    { lead: ricky, title: 'Razor cartridge sweeps in aisle 7', type: 'external_theft', store: 'NE-101', summary: 'Peg hooks cleared four times in two weeks; spider-wrap ordered, camera 7 moved.', subjectKind: 'external', openedDaysAgo: 9, loss: 62_000 },
    { lead: karen, title: 'Empty-box returns on vacuums', type: 'return_fraud', store: 'MW-204', summary: 'Two returns with bricks in the box; the customer showed the original receipts and the supplier confirmed a packing fault.', subjectKind: 'external', openedDaysAgo: 66, closedDaysAgo: 40, outcome: 'unsubstantiated' },
  ];
  for (const m of more) {
    const storeId = store.get(m.store) ?? null;
    const c = await openCase(ctx, m.lead, { ...base, title: m.title, type: m.type, storeId, summary: m.summary, subjectKind: m.subjectKind, incidentIds: await incidentsOf(m.type, storeId ?? undefined, 2) });
    const opened = new Date(now - m.openedDaysAgo * DAY);
    await backdate(ctx, c.id, opened);
    if (m.evidence) await addEvidence(ctx, c.id, m.lead, { ...m.evidence, at: new Date(opened.getTime() + DAY) }, [{ action: 'downloaded', by: priya, reason: 'Review for the monthly shrink report', hours: 26 }]);
    const amounts = { lossCents: m.loss ?? 0, recoveryCents: m.recovery ?? 0, restitutionCents: m.restitution ?? 0 };
    if (m.outcome) {
      await updateCase(ctx, m.lead, c.ref, { status: 'closed', outcome: m.outcome, ...amounts, ...(m.police ? { policeReferralDate: new Date(opened.getTime() + 3 * DAY).toISOString().slice(0, 10) } : {}) });
      await backdateClose(ctx, c.id, new Date(now - m.closedDaysAgo! * DAY));
    } else {
      await updateCase(ctx, m.lead, c.ref, { ...amounts, ...(m.onHold ? { status: 'on_hold' } : {}) });
    }
  }

  // Restricted internal-theft cases on the cashiers the POS demo month plants (pos/generator.ts PLANTED),
  // when that month is loaded; otherwise one plain restricted case.
  const plantedKeys = PLANTED.map((p) => sql`(${DEMO_STORES[p.store].code}, ${p.code})`);
  const found = await rows<{ cashier_id: string; store_id: string; name: string; code: string; store_code: string }>(
    ctx.db,
    sql`select c.id as cashier_id, c.store_id, c.name, c.code, s.code as store_code
          from pos_cashiers c join stores s on s.id = c.store_id
         where (s.code, c.code) in (${sql.join(plantedKeys, sql`, `)})`,
  );
  const planted = PLANTED.flatMap((p) => {
    const f = found.find((x) => x.store_code === DEMO_STORES[p.store].code && x.code === p.code);
    return f ? [{ ...f, kind: p.kind, name: f.name || p.name }] : [];
  });
  const sealedStories = {
    refunds: { title: 'Refunds to own card at the service desk', summary: 'Refunds without receipts keyed to the same card token, mostly in the last hour of the shift. Substantiated; referred to HR, restitution agreed.', task: 'Send the HR referral pack', lead: karen, openedDaysAgo: 26 },
    sweethearting: { title: 'Sweethearting at lane registers', summary: 'Very low average item value on full baskets when one regular customer is in line; lane camera export from IT under review.', task: 'Match the flagged baskets against the lane camera export', lead: jamal, openedDaysAgo: 14 },
    no_sale_post_void: { title: 'Post-voids after customer left', summary: 'Post-voided cash sales minutes after tender, and no-sale drawer openings between customers; cash drawer balanced each night.', task: 'Cash office count history for the flagged days', lead: karen, openedDaysAgo: 6 },
  } as const;
  for (const p of planted) {
    const story = sealedStories[p.kind];
    const exceptions = await rows<{ id: string; occurred_at: Date | string; kind: string }>(ctx.db, sql`select id, occurred_at, kind from pos_exceptions where store_id = ${p.store_id} and cashier_code = ${p.code} order by coalesce(score, 0) desc, occurred_at desc limit 6`);
    const lead = story.lead;
    const opened = new Date(now - story.openedDaysAgo * DAY);
    const c = await openCase(ctx, lead, { ...base, title: story.title, type: 'internal_theft', storeId: p.store_id, summary: story.summary, subjectKind: 'employee', subjectName: p.name || `Cashier ${p.code}`, subjectCashierId: p.cashier_id, exceptionIds: exceptions.map((e) => e.id) });
    await backdate(ctx, c.id, opened);
    await addTask(ctx, lead, c.ref, { title: story.task, ownerId: lead.id, dueDate: new Date(now + 3 * DAY).toISOString().slice(0, 10) });
    const flagged = ['store,cashier,occurred_at,exception', ...exceptions.map((e) => `${p.store_code},${p.code},${new Date(e.occurred_at).toISOString()},${e.kind}`)].join('\n') + '\n';
    await addEvidence(ctx, c.id, lead, { title: `Flagged transactions of cashier ${p.code}`, filename: `cashier-${p.code}-flagged.csv`, contentType: 'text/csv', body: flagged, at: new Date(opened.getTime() + 2 * 3600_000) }, [
      { action: 'viewed', by: priya, reason: 'Lead review', hours: 20 },
    ]);
    if (p.kind === 'refunds') {
      await addMember(ctx, lead, c.ref, { personId: luis.id, access: 'read' });
      await addEvidence(ctx, c.id, lead, { title: 'Interview notes, signed', filename: `interview-${p.code}.txt`, contentType: 'text/plain', body: `Interview with cashier ${p.code} (${p.name}), store ${p.store_code}. Present: ${lead.name}, store manager. The cashier accepted the refunds listed in the flagged transactions file.\n`, at: new Date(opened.getTime() + 9 * DAY) }, [
        { action: 'downloaded', by: luis, reason: 'HR referral', hours: 30 },
        { action: 'transferred', by: lead, reason: 'Copy with the HR referral', recipient: 'HR business partner, Northeast', hours: 48 },
      ]);
      await updateCase(ctx, lead, c.ref, { status: 'closed', outcome: 'substantiated', lossCents: 287_040, restitutionCents: 120_000, hrReferralDate: new Date(opened.getTime() + 11 * DAY).toISOString().slice(0, 10) });
      await backdateClose(ctx, c.id, new Date(opened.getTime() + 12 * DAY));
    } else if (p.kind === 'sweethearting') {
      await addEvidence(ctx, c.id, lead, { title: `Lane camera export, ${p.store_code}, flagged baskets`, filename: `${p.store_code.toLowerCase()}-lane-cameras.txt`, contentType: 'text/plain', body: `Video export log: ${p.store_code} lane cameras, ${exceptions.length} windows around the flagged baskets of cashier ${p.code}, exported by IT.\n`, at: new Date(opened.getTime() + 4 * DAY), source: 'video_export' }, [
        { action: 'viewed', by: lead, reason: 'Match baskets to video', hours: 6 },
      ]);
      await updateCase(ctx, lead, c.ref, { lossCents: 94_500 });
    }
  }
  if (!planted.length) {
    const c = await openCase(ctx, karen, { ...base, title: 'Cash office shortages after closing', type: 'internal_theft', storeId: store.get('NE-103') ?? null, summary: 'Deposit short twice after the same closing shift.', subjectKind: 'employee', incidentIds: await incidentsOf('internal_theft', undefined, 1) });
    await backdate(ctx, c.id, new Date(now - 9 * DAY));
  }

  // Incidents still linked to cases count as linked; the rest keep their triage state.
  await ctx.db.execute(sql`update incidents set status = 'linked', close_reason = null where case_id is not null`);
}
