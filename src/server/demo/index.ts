import type { AppContext } from '../platform/context.js';
import { seedDemoWorkspace } from './workspace.js';
import { seedRequestsDemo } from '../modules/requests/demo.js';
import { seedDemoIdeas } from '../modules/ideas/demo.js';

/**
 * Demo data, module by module. The workspace (departments, stores, people) comes first; each
 * module's seeder then adds its records and must be safe to run once on a fresh workspace.
 */
const moduleSeeders: Array<{ name: string; seed: (ctx: AppContext) => Promise<void> }> = [
  { name: 'requests', seed: seedRequestsDemo },
  { name: 'ideas', seed: seedDemoIdeas },
];

/** Loads the demo retailer into an empty workspace. Returns false when people already exist. */
export async function seedDemo(ctx: AppContext): Promise<boolean> {
  const seeded = await seedDemoWorkspace(ctx);
  if (!seeded) return false;
  for (const seeder of moduleSeeders) await seeder.seed(ctx);
  return true;
}
