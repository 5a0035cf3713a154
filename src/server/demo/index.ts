import type { AppContext } from '../platform/context.js';
import { DEMO_LOCK_KEY } from '../platform/db.js';
import { seedDemoWorkspace } from './workspace.js';
import { seedRequestsDemo } from '../modules/requests/demo.js';
import { seedDemoIdeas } from '../modules/ideas/demo.js';
import { seedPosDemo } from '../modules/pos/demo.js';
import { seedTrainingDemo } from '../modules/training/demo.js';
import { seedDevicesDemo } from '../modules/devices/demo.js';
import { seedCasesDemo } from '../modules/cases/demo.js';
import { seedMeetingsDemo } from '../modules/meetings/demo.js';
import { seedProjectsDemo } from '../modules/projects/demo.js';
import { seedNewsletterDemo } from '../modules/newsletter/demo.js';

/**
 * Demo data, module by module. The workspace (departments, stores, people) comes first; each
 * module's seeder then adds its records and must be safe to run once on a fresh workspace.
 */
const moduleSeeders: Array<{ name: string; seed: (ctx: AppContext) => Promise<void> }> = [
  { name: 'requests', seed: seedRequestsDemo },
  { name: 'ideas', seed: seedDemoIdeas },
  { name: 'training', seed: seedTrainingDemo },
  { name: 'pos', seed: seedPosDemo },
  // After POS, so that the register → camera map links to the demo cameras.
  { name: 'devices', seed: seedDevicesDemo },
  // After POS: restricted internal-theft cases are built on the demo month's highest-risk cashiers.
  { name: 'cases', seed: seedCasesDemo },
  // After devices and ideas: projects link camera plans, a device with a finding, and ideas.
  { name: 'projects', seed: seedProjectsDemo },
  // Near the end: its agendas link to the other modules' records.
  { name: 'meetings', seed: seedMeetingsDemo },
  // Last: the newsletter drafts its editions from every other module's demo records.
  { name: 'newsletter', seed: seedNewsletterDemo },
];

export interface SeedOptions {
  /** A month of POS data (about 45k transactions, a second or two); tests leave it out unless they need it. */
  pos?: boolean;
}

/** Loads the demo retailer into an empty workspace. Returns false when people already exist. */
export function seedDemo(ctx: AppContext, options: SeedOptions = {}): Promise<boolean> {
  // Instances starting together on an empty database: one loads the demo, the others wait and
  // then find people there.
  return ctx.database.exclusive(DEMO_LOCK_KEY, async () => {
    const seeded = await seedDemoWorkspace(ctx);
    if (!seeded) return false;
    for (const seeder of moduleSeeders) {
      if (seeder.name === 'pos' && options.pos === false) continue;
      await seeder.seed(ctx);
    }
    return true;
  });
}
