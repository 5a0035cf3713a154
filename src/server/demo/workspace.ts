import { eq, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { recordAudit } from '../platform/audit.js';
import type { AppContext } from '../platform/context.js';
import { SYSTEM_ACTOR } from '../platform/policy.js';
import { accounts } from '../platform/schema.js';
import { departments, people, stores } from '../modules/people/schema.js';
import { DEMO_SIGN_IN } from '../modules/access/service.js';

/** Meridian Market: a regional general-merchandise chain, 12 stores in 3 regions. */
export const DEMO_STORES = [
  { code: 'NE-101', name: 'Hartford Downtown', region: 'Northeast', district: 'Connecticut', timezone: 'America/New_York', uplinkMbps: 200 },
  { code: 'NE-102', name: 'Providence Mall', region: 'Northeast', district: 'Rhode Island', timezone: 'America/New_York', uplinkMbps: 150 },
  { code: 'NE-103', name: 'Worcester Plaza', region: 'Northeast', district: 'Massachusetts', timezone: 'America/New_York', uplinkMbps: 100 },
  { code: 'NE-104', name: 'Albany Crossing', region: 'Northeast', district: 'Upstate New York', timezone: 'America/New_York', uplinkMbps: 100 },
  { code: 'MW-201', name: 'Columbus Easton', region: 'Midwest', district: 'Ohio', timezone: 'America/New_York', uplinkMbps: 300 },
  { code: 'MW-202', name: 'Indianapolis North', region: 'Midwest', district: 'Indiana', timezone: 'America/Indiana/Indianapolis', uplinkMbps: 150 },
  { code: 'MW-203', name: 'Madison West Towne', region: 'Midwest', district: 'Wisconsin', timezone: 'America/Chicago', uplinkMbps: 100 },
  { code: 'MW-204', name: 'Des Moines Valley West', region: 'Midwest', district: 'Iowa', timezone: 'America/Chicago', uplinkMbps: 50 },
  { code: 'SO-301', name: 'Nashville Green Hills', region: 'South', district: 'Tennessee', timezone: 'America/Chicago', uplinkMbps: 250 },
  { code: 'SO-302', name: 'Atlanta Perimeter', region: 'South', district: 'Georgia', timezone: 'America/New_York', uplinkMbps: 300 },
  { code: 'SO-303', name: 'Charlotte SouthPark', region: 'South', district: 'Carolinas', timezone: 'America/New_York', uplinkMbps: 200 },
  { code: 'SO-304', name: 'Birmingham Summit', region: 'South', district: 'Alabama', timezone: 'America/Chicago', uplinkMbps: 75 },
];

export const DEMO_DEPARTMENTS = [
  { code: 'LP', name: 'Loss Prevention', kind: 'lp', description: 'Asset protection: investigations, shrink analytics, exception-based reporting and store audits.' },
  { code: 'SEC', name: 'Security Operations', kind: 'security', description: 'Monitoring centre, alarms, CCTV health and incident response.' },
  { code: 'IT', name: 'Information Technology', kind: 'it', description: 'Store networks, POS, infrastructure, service desk and IT projects.' },
  { code: 'INFOSEC', name: 'Information Security', kind: 'infosec', description: 'Security reviews, device hardening, vulnerability management and audit.' },
  { code: 'OPS', name: 'Store Operations', kind: 'store_ops', description: 'Store managers and store teams.' },
] as const;

type DemoPerson = { name: string; title: string; dept: string; role: string; store?: string };

const HQ: DemoPerson[] = [
  { name: 'Dana Whitfield', title: 'Director of Loss Prevention', dept: 'LP', role: 'admin' },
  { name: 'Luis Ortega', title: 'Regional LP Manager, Northeast', dept: 'LP', role: 'lead' },
  { name: 'Priya Natarajan', title: 'LP Analytics Manager', dept: 'LP', role: 'lead' },
  { name: 'Jamal Brooks', title: 'Investigator, ORC', dept: 'LP', role: 'member' },
  { name: 'Karen Holt', title: 'Investigator, Internal', dept: 'LP', role: 'member' },
  { name: 'Tomás Rivera', title: 'Exception Reporting Analyst', dept: 'LP', role: 'member' },
  { name: 'Beth Sandoval', title: 'Regional LP Manager, South', dept: 'LP', role: 'lead' },
  { name: 'Owen Fitzgerald', title: 'Regional LP Manager, Midwest', dept: 'LP', role: 'lead' },
  { name: 'Grace Lindqvist', title: 'LP Training Coordinator', dept: 'LP', role: 'member' },
  { name: 'Victor Mensah', title: 'Security Operations Manager', dept: 'SEC', role: 'lead' },
  { name: 'Hannah Cole', title: 'Monitoring Centre Supervisor', dept: 'SEC', role: 'member' },
  { name: 'Derek Yamamoto', title: 'Alarm and CCTV Technician', dept: 'SEC', role: 'member' },
  { name: 'Sofia Alvarez', title: 'Security Operator', dept: 'SEC', role: 'member' },
  { name: 'Isaac Porter', title: 'Security Operator', dept: 'SEC', role: 'member' },
  { name: 'Marcus Chen', title: 'IT Manager, Store Systems', dept: 'IT', role: 'lead' },
  { name: 'Rachel Okafor', title: 'Network Engineer', dept: 'IT', role: 'member' },
  { name: 'Ethan Kowalski', title: 'POS Systems Analyst', dept: 'IT', role: 'member' },
  { name: 'Mei Tanaka', title: 'Infrastructure Architect', dept: 'IT', role: 'member' },
  { name: 'Sam Delgado', title: 'Service Desk Lead', dept: 'IT', role: 'member' },
  { name: 'Noah Bergstrom', title: 'Field Technician', dept: 'IT', role: 'member' },
  { name: 'Aisha Rahman', title: 'IT Budget and Vendor Manager', dept: 'IT', role: 'member' },
  { name: 'Chris Donnelly', title: 'CIO', dept: 'IT', role: 'viewer' },
  { name: 'Elena Petrova', title: 'Information Security Manager', dept: 'INFOSEC', role: 'lead' },
  { name: 'Ben Adeyemi', title: 'Security Engineer', dept: 'INFOSEC', role: 'member' },
  { name: 'Laura Kim', title: 'GRC Analyst', dept: 'INFOSEC', role: 'member' },
  { name: 'Patrick Walsh', title: 'VP Store Operations', dept: 'OPS', role: 'viewer' },
  { name: 'Monica Reyes', title: 'Operations Excellence Manager', dept: 'OPS', role: 'lead' },
];

const STORE_MANAGERS = ['Gary Lutz', 'Fatima Said', 'Kevin O\u2019Brien', 'Nora Jensen', 'Andre Williams', 'Julia Moreno', 'Tyler Nguyen', 'Olivia Grant', 'Hector Ruiz', 'Keisha Daniels', 'Brian McAllister', 'Yvonne Park'];
const STORE_STAFF = ['Lily Evans', 'Marco Bianchi', 'Destiny Harris', 'Ryan Cooper', 'Ana Sousa', 'Jake Thompson', 'Zoe Patel', 'Carlos Mendez', 'Emily Shaw', 'DeShawn Price', 'Hailey Ross', 'Omar Farouk', 'Megan Burke', 'Luca Romano', 'Tasha Green', 'Wei Zhang', 'Sara Lindgren', 'Jordan Blake', 'Paige Turner', 'Ahmed Khan'];
const STORE_LP = ['Ricky Navarro', 'Shannon Doyle', 'Terrence Hill', 'Cynthia Park', 'Dmitri Volkov', 'Angela Ruiz'];

function emailOf(name: string) {
  const ascii = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[\u2019']/g, '');
  const [first, ...rest] = ascii.toLowerCase().split(' ');
  return `${first}.${rest.join('')}@meridian.example`;
}

/** Everyone in the demo signs in with the same password, printed at start. */
export function demoPeople() {
  const list: DemoPerson[] = [...HQ];
  DEMO_STORES.forEach((s, i) => list.push({ name: STORE_MANAGERS[i], title: 'Store Manager', dept: 'OPS', role: 'lead', store: s.code }));
  STORE_LP.forEach((name, i) => list.push({ name, title: 'Store LP Associate', dept: 'LP', role: 'member', store: DEMO_STORES[i * 2].code }));
  STORE_STAFF.forEach((name, i) => list.push({ name, title: i % 4 === 0 ? 'Head Cashier' : 'Sales Associate', dept: 'OPS', role: 'staff', store: DEMO_STORES[i % DEMO_STORES.length].code }));
  return list.map((p) => ({ ...p, email: emailOf(p.name) }));
}

/** Whether the demo's admin exists (and so the printed demo sign-in works). */
export async function hasDemoAdmin(ctx: AppContext) {
  const [row] = await ctx.db.select({ id: people.id }).from(people).where(eq(people.email, DEMO_SIGN_IN.email));
  return Boolean(row);
}

/** Loads the demo retailer into an empty workspace. Returns false when people already exist. */
export async function seedDemoWorkspace(ctx: AppContext): Promise<boolean> {
  const [{ n }] = (await ctx.db.select({ n: sql<number>`count(*)::int` }).from(people)) as [{ n: number }];
  if (Number(n) > 0) return false;
  const hash = await (await ctx.auth.$context).password.hash(DEMO_SIGN_IN.password);
  await ctx.db.transaction(async (tx) => {
    const deptIds = new Map<string, string>();
    for (const d of DEMO_DEPARTMENTS) {
      const id = uuidv7();
      deptIds.set(d.code, id);
      await tx.insert(departments).values({ id, ...d });
    }
    const storeIds = new Map<string, string>();
    const storeRows = DEMO_STORES.map((s) => {
      const id = uuidv7();
      storeIds.set(s.code, id);
      return { id, ...s };
    });
    await tx.insert(stores).values(storeRows);
    const personRows = demoPeople().map((p) => ({
      id: uuidv7(),
      name: p.name,
      email: p.email,
      emailVerified: true,
      title: p.title,
      role: p.role,
      departmentId: deptIds.get(p.dept)!,
      storeId: p.store ? storeIds.get(p.store)! : null,
    }));
    await tx.insert(people).values(personRows);
    await tx.insert(accounts).values(personRows.map((p) => ({ id: uuidv7(), accountId: p.id, providerId: 'credential', userId: p.id, password: hash })));
    await recordAudit(tx, SYSTEM_ACTOR, { action: 'import', entity: 'workspace', summary: `Demo workspace loaded: ${DEMO_DEPARTMENTS.length} departments, ${DEMO_STORES.length} stores, ${personRows.length} people` });
  });
  return true;
}
