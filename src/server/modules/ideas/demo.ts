import { eq, sql } from 'drizzle-orm';
import type { IdeaCategory, IdeaState } from '../../../contracts/ideas.js';
import { recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import { SYSTEM_ACTOR, type Actor } from '../../platform/policy.js';
import { actorFromIdentity, identityQuery } from '../../platform/identity.js';
import { people, stores } from '../people/schema.js';
import { ideas, ideaVotes } from './schema.js';
import { addComment, assignOwner, changeState, submitIdea } from './service.js';

type Step = { days: number; by: string; to?: IdeaState; reason?: string; owner?: string; comment?: string; duplicateOf?: number };

interface DemoIdea {
  title: string;
  description: string;
  category: IdeaCategory;
  author: string;
  /** Store code, or HQ. */
  store: string;
  anonymous?: boolean;
  daysAgo: number;
  votes: number;
  steps?: Step[];
}

// Authors and actors by email local part (all demo people share the domain).
const DEMO_IDEAS: DemoIdea[] = [
  {
    title: 'Move the self-checkout camera to cover the bagging area',
    description: 'At NE-101 the camera above self-checkout lane 3 shows the scanner but not the bagging shelf, so pass-arounds and bag stuffing never show on video. Angling it 30° and lowering it half a metre would cover both, and the ECR reviews would finally have the footage they need.',
    category: 'technology',
    author: 'lily.evans',
    store: 'NE-101',
    daysAgo: 118,
    votes: 19,
    steps: [
      { days: 2, by: 'luis.ortega', to: 'under_review', comment: '@derek.yamamoto can you check whether the mount at lane 3 allows the tilt without a new bracket?' },
      { days: 4, by: 'derek.yamamoto', comment: 'The mount tilts far enough. We need a 2.8 mm lens instead of the 4 mm one; I have spares in the van.' },
      { days: 6, by: 'luis.ortega', to: 'accepted', owner: 'derek.yamamoto' },
      { days: 9, by: 'derek.yamamoto', to: 'in_progress' },
      { days: 16, by: 'derek.yamamoto', to: 'done', comment: 'Re-aimed and re-lensed at NE-101, NE-102 and NE-103. Screenshots attached to the camera records. @Lily Evans thanks for spotting it!' },
    ],
  },
  {
    title: 'Share the POS exception list with IT weekly',
    description: 'LP gets a weekly exception report (post-voids, no-sales, manual card entries) but IT never sees it. Half of the "exceptions" at MW-204 last month were a register that dropped its scanner connection. A weekly copy to the POS team would separate hardware faults from real risk.',
    category: 'communication',
    author: 'tomas.rivera',
    store: 'HQ',
    daysAgo: 112,
    votes: 14,
    steps: [
      { days: 1, by: 'priya.natarajan', to: 'under_review' },
      { days: 3, by: 'marcus.chen', comment: 'Yes please. @ethan.kowalski would be the right person on our side to read it every Monday.' },
      { days: 5, by: 'priya.natarajan', to: 'accepted', owner: 'tomas.rivera' },
      { days: 7, by: 'tomas.rivera', to: 'in_progress' },
      { days: 21, by: 'tomas.rivera', to: 'done', comment: 'The report now goes to the POS distribution list every Monday at 7:00.' },
    ],
  },
  {
    title: 'Cross-train store LP associates on the network closet basics',
    description: 'When a camera recorder goes offline our store LP associates wait a day for a field technician, even when the fix is a switch port or a power cycle. A one-hour session on the network closet (what may be touched, what never) would cut those outages.',
    category: 'training',
    author: 'ricky.navarro',
    store: 'NE-101',
    daysAgo: 104,
    votes: 11,
    steps: [
      { days: 3, by: 'marcus.chen', to: 'under_review', comment: 'Good idea as long as the closets stay locked. @elena.petrova any concerns from InfoSec?' },
      { days: 5, by: 'elena.petrova', comment: 'Fine with read-only: status lights and a power cycle of the NVR. No console access, no patching.' },
      { days: 8, by: 'marcus.chen', to: 'accepted', owner: 'grace.lindqvist' },
      { days: 20, by: 'grace.lindqvist', to: 'in_progress', comment: 'First session booked with @noah.bergstrom at MW-201.' },
    ],
  },
  {
    title: 'Lock the high-theft razor blades in a spider-wrap by default',
    description: 'Razor cartridges are our top shrink line at NE-103. Spider-wraps at receiving instead of after the first loss would save the weekly refill of empty pegs.',
    category: 'store_operations',
    author: 'destiny.harris',
    store: 'NE-103',
    daysAgo: 98,
    votes: 8,
    steps: [
      { days: 4, by: 'beth.sandoval', to: 'under_review' },
      { days: 10, by: 'beth.sandoval', to: 'accepted', owner: 'beth.sandoval' },
      { days: 14, by: 'beth.sandoval', to: 'in_progress' },
    ],
  },
  {
    title: 'Put the alarm code change on the store closing checklist',
    description: 'When a keyholder leaves, the alarm code often stays active for weeks. The closing checklist already has a line for the safe combination; the alarm code belongs next to it.',
    category: 'process',
    author: 'gary.lutz',
    store: 'NE-101',
    daysAgo: 93,
    votes: 9,
    steps: [
      { days: 2, by: 'victor.mensah', to: 'under_review' },
      { days: 4, by: 'victor.mensah', to: 'accepted', owner: 'hannah.cole' },
      { days: 6, by: 'hannah.cole', to: 'in_progress' },
      { days: 12, by: 'hannah.cole', to: 'done', comment: 'Checklist v7 is live in all 12 stores.' },
    ],
  },
  {
    title: 'A second uplink for the stores that record more than 40 cameras',
    description: 'Video exports from MW-204 take hours because the 50 Mbps uplink is shared with POS. A second, cheap broadband line just for video would stop exports from slowing card payments.',
    category: 'technology',
    author: 'rachel.okafor',
    store: 'HQ',
    daysAgo: 88,
    votes: 7,
    steps: [
      { days: 5, by: 'marcus.chen', to: 'under_review', comment: 'Needs a budget line. @aisha.rahman can you price it for the three smallest uplinks?' },
      { days: 9, by: 'aisha.rahman', comment: 'About $90 a month per store, plus a firewall licence. I will bring it to the budget review.' },
    ],
  },
  {
    title: 'Register camera map printed inside the cash office',
    description: 'When police ask which camera covers register 4, nobody in the store knows. A one-page map of registers and cameras in the cash office would save time on every incident.',
    category: 'store_operations',
    author: 'hector.ruiz',
    store: 'SO-301',
    daysAgo: 84,
    votes: 6,
    steps: [
      { days: 3, by: 'owen.fitzgerald', to: 'under_review' },
      { days: 5, by: 'owen.fitzgerald', to: 'declined', reason: 'The device inventory will hold the register-to-camera map and print it per store; tracked in the camera roll-out project instead of a separate effort.' },
    ],
  },
  {
    title: 'Monthly joint LP and IT coffee at each region',
    description: 'We only meet IT when something is broken. A 30-minute coffee each month per region, with no agenda beyond "what is annoying you", would build the relationship before the next outage.',
    category: 'communication',
    author: 'jamal.brooks',
    store: 'HQ',
    daysAgo: 79,
    votes: 16,
    steps: [
      { days: 2, by: 'dana.whitfield', to: 'under_review' },
      { days: 3, by: 'dana.whitfield', to: 'accepted', owner: 'luis.ortega' },
      { days: 10, by: 'luis.ortega', to: 'in_progress', comment: 'Northeast starts next Tuesday. @Owen Fitzgerald and @Beth Sandoval, can you set dates for your regions?' },
    ],
  },
  {
    title: 'Refund without receipt should need a manager PIN',
    description: 'Most of our refund fraud is no-receipt refunds to a gift card. A manager PIN above $25 would slow it down without annoying honest customers.',
    category: 'process',
    author: 'karen.holt',
    store: 'HQ',
    anonymous: true,
    daysAgo: 73,
    votes: 13,
    steps: [
      { days: 2, by: 'priya.natarajan', to: 'under_review', comment: '@ethan.kowalski is the PIN threshold configurable per store in the POS?' },
      { days: 4, by: 'ethan.kowalski', comment: 'Yes, it is a tender rule. We can pilot at two stores without a release.' },
      { days: 6, by: 'priya.natarajan', to: 'accepted', owner: 'ethan.kowalski' },
      { days: 13, by: 'ethan.kowalski', to: 'in_progress' },
    ],
  },
  {
    title: 'Camera at the receiving door to cover the delivery count',
    description: 'Vendor shortages are signed off at the back door without any video. One camera over the receiving desk would settle disputes with delivery drivers.',
    category: 'technology',
    author: 'marco.bianchi',
    store: 'NE-102',
    daysAgo: 67,
    votes: 10,
    steps: [
      { days: 3, by: 'victor.mensah', to: 'under_review' },
      { days: 6, by: 'victor.mensah', to: 'accepted', owner: 'derek.yamamoto' },
    ],
  },
  {
    title: 'Video at the back door for deliveries',
    description: 'We should record the back door when trucks are unloaded, so shortages can be checked.',
    category: 'technology',
    author: 'wei.zhang',
    store: 'NE-104',
    daysAgo: 61,
    votes: 4,
    steps: [{ days: 2, by: 'victor.mensah', to: 'duplicate', duplicateOf: 9 }],
  },
  {
    title: 'Short phishing drill for store managers',
    description: 'Store managers get the same phishing emails as HQ but never the training. A ten-minute drill during the monthly manager call would cover them.',
    category: 'training',
    author: 'laura.kim',
    store: 'HQ',
    daysAgo: 57,
    votes: 12,
    steps: [
      { days: 1, by: 'elena.petrova', to: 'under_review' },
      { days: 2, by: 'elena.petrova', to: 'accepted', owner: 'ben.adeyemi' },
      { days: 5, by: 'ben.adeyemi', to: 'in_progress' },
      { days: 30, by: 'ben.adeyemi', to: 'done', comment: 'Ran in all three regions; click rate fell from 18% to 6%.' },
    ],
  },
  {
    title: 'One shared shift log for the monitoring centre and the stores',
    description: 'The monitoring centre logs alarms in one spreadsheet, stores in a notebook. One shared log would show which alarms were real.',
    category: 'process',
    author: 'sofia.alvarez',
    store: 'HQ',
    daysAgo: 51,
    votes: 5,
    steps: [{ days: 4, by: 'victor.mensah', to: 'under_review' }],
  },
  {
    title: 'EAS pedestal alarms should ping the store LP phone',
    description: 'When the EAS pedestals alarm at the exit, the LP associate is often on the floor and does not hear it. A push to the LP phone would let them respond in time.',
    category: 'technology',
    author: 'shannon.doyle',
    store: 'NE-103',
    daysAgo: 46,
    votes: 9,
    steps: [
      { days: 2, by: 'marcus.chen', to: 'under_review', comment: 'The EAS controllers have no network interface yet. @mei.tanaka could the new ones publish events?' },
    ],
  },
  {
    title: 'Label every camera with its number on the housing',
    description: 'Technicians lose time finding which camera is "cam 17". A label on each housing matching the VMS name would help both LP and IT.',
    category: 'store_operations',
    author: 'noah.bergstrom',
    store: 'HQ',
    daysAgo: 41,
    votes: 8,
    steps: [
      { days: 1, by: 'marcus.chen', to: 'under_review' },
      { days: 2, by: 'marcus.chen', to: 'accepted', owner: 'noah.bergstrom' },
      { days: 4, by: 'noah.bergstrom', to: 'in_progress' },
    ],
  },
  {
    title: 'Stop emailing exception reports as spreadsheets',
    description: 'The weekly exception spreadsheet has cashier names and card digits and travels by email. It should live in Tandem with access control.',
    category: 'process',
    author: 'ben.adeyemi',
    store: 'HQ',
    daysAgo: 36,
    votes: 11,
    steps: [{ days: 2, by: 'elena.petrova', to: 'under_review' }],
  },
  {
    title: 'Mystery shopper for self-checkout',
    description: 'Hire a mystery shopper to test whether staff notice skipped scans at self-checkout.',
    category: 'store_operations',
    author: 'ryan.cooper',
    store: 'NE-104',
    daysAgo: 31,
    votes: 3,
    steps: [
      { days: 3, by: 'luis.ortega', to: 'under_review' },
      { days: 5, by: 'luis.ortega', to: 'declined', reason: 'Our ECR data already shows skipped-scan rates per lane; an external shopper would cost more than it tells us. We will share the lane figures with store managers instead.' },
    ],
  },
  {
    title: 'Badge readers on the cash office doors',
    description: 'The cash office uses a key that half the store has copies of. A badge reader would log who went in and when.',
    category: 'technology',
    author: 'nora.jensen',
    store: 'NE-104',
    daysAgo: 26,
    votes: 7,
  },
  {
    title: 'Newsletter corner: "what IT fixed for LP this month"',
    description: 'A short section in the newsletter listing LP requests that IT delivered would show the give-and-take and thank the people who did it.',
    category: 'communication',
    author: 'sam.delgado',
    store: 'HQ',
    daysAgo: 21,
    votes: 6,
    steps: [{ days: 1, by: 'dana.whitfield', to: 'under_review' }],
  },
  {
    title: 'Gift card activation only at the service desk',
    description: 'Gift card fraud at SO-302 comes through regular lanes. Restricting activation to the service desk with a camera above it would close the gap.',
    category: 'process',
    author: 'keisha.daniels',
    store: 'SO-302',
    daysAgo: 17,
    votes: 5,
  },
  {
    title: 'Teach cashiers the three signs of a refund scam',
    description: 'A five-minute huddle card on refund scams (no receipt, nervous hurry, gift card to the same name) would help new cashiers say no.',
    category: 'training',
    author: 'zoe.patel',
    store: 'MW-203',
    anonymous: true,
    daysAgo: 12,
    votes: 4,
  },
  {
    title: 'Dashboard of offline cameras for store managers',
    description: 'Store managers find out a camera is dead when they need the footage. A daily list of offline cameras per store would let them call it in the same day.',
    category: 'technology',
    author: 'andre.williams',
    store: 'MW-201',
    daysAgo: 8,
    votes: 6,
  },
  {
    title: 'Quarterly walk-through of each store by LP and IT together',
    description: 'LP and IT visit stores on different days and see different problems. One joint walk-through a quarter would catch the things that fall between us.',
    category: 'communication',
    author: 'monica.reyes',
    store: 'HQ',
    daysAgo: 5,
    votes: 3,
  },
  {
    title: 'Spare NVR drive in every store',
    description: 'A failed recorder drive means days without video while a replacement ships. A spare drive on site would cut that to an hour.',
    category: 'technology',
    author: 'cynthia.park',
    store: 'MW-203',
    daysAgo: 2,
    votes: 2,
  },
];

/** Deterministic pseudo-random numbers, so the demo looks the same on every start. */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

/** A few months of ideas from every corner of the retailer, with votes, comments, owners and outcomes. */
export async function seedDemoIdeas(ctx: AppContext) {
  const everyone = await ctx.db.select().from(people).where(eq(people.active, true));
  const byLocal = new Map(everyone.map((p) => [p.email.split('@')[0], p]));
  const identities = new Map((await identityQuery(ctx.db, eq(people.active, true))).map((row) => [row.email.split('@')[0], actorFromIdentity(row, 'session')]));
  const actor = (local: string): Actor => {
    const a = identities.get(local);
    if (!a) throw new Error(`demo ideas: no person ${local}`);
    return a;
  };
  const storeIds = new Map((await ctx.db.select({ id: stores.id, code: stores.code }).from(stores)).map((s) => [s.code, s.id]));
  const voters = everyone.filter((p) => p.role !== 'viewer');
  const rnd = random(8);
  const day = 24 * 3600 * 1000;
  const now = Date.now();
  const created: { id: string; ref: string }[] = [];

  for (const demo of DEMO_IDEAS) {
    const submittedAt = new Date(now - demo.daysAgo * day + Math.floor(rnd() * 8 * 3600 * 1000));
    const idea = await submitIdea(
      ctx,
      actor(demo.author),
      { title: demo.title, description: demo.description, category: demo.category, storeId: demo.store === 'HQ' ? null : storeIds.get(demo.store)!, anonymous: demo.anonymous ?? false },
      { at: submittedAt },
    );
    created.push({ id: idea.id, ref: idea.ref });

    // Votes, spread over the idea's life (the author usually votes for their own idea).
    const pool = voters.filter((v) => v.id !== byLocal.get(demo.author)!.id).sort(() => rnd() - 0.5);
    const chosen = [byLocal.get(demo.author)!, ...pool].slice(0, demo.votes);
    const span = Math.max(1, demo.daysAgo) * day;
    await ctx.db.insert(ideaVotes).values(chosen.map((p) => ({ ideaId: idea.id, personId: p.id, createdAt: new Date(submittedAt.getTime() + Math.floor(rnd() * span * 0.8)) })));
    await ctx.db.update(ideas).set({ voteCount: chosen.length }).where(eq(ideas.id, idea.id));

    for (const step of demo.steps ?? []) {
      const at = new Date(submittedAt.getTime() + step.days * day + Math.floor(rnd() * 6 * 3600 * 1000));
      const who = actor(step.by);
      if (step.comment) await addComment(ctx, who, idea.id, { body: step.comment }, { at });
      if (step.to) {
        await changeState(
          ctx,
          who,
          idea.id,
          {
            state: step.to,
            reason: step.reason,
            ownerId: step.to === 'accepted' && step.owner ? actor(step.owner).id : undefined,
            duplicateOf: step.duplicateOf !== undefined ? created[step.duplicateOf].ref : undefined,
          },
          { at: new Date(at.getTime() + 60_000) },
        );
      } else if (step.owner) {
        await assignOwner(ctx, who, idea.id, actor(step.owner).id);
      }
    }
  }
  await ctx.db.transaction(async (tx) => {
    const [{ n }] = await tx.select({ n: sql<number>`count(*)::int` }).from(ideas);
    await recordAudit(tx, SYSTEM_ACTOR, { action: 'import', entity: 'idea', summary: `Demo ideas loaded: ${n} ideas with votes, comments and owners` });
  });
}
