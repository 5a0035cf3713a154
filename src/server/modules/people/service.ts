import { and, asc, desc, eq, ilike, isNull, or, sql, type SQL } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import type {
  Department,
  Person,
  Store,
  departmentInput,
  departmentListQuery,
  departmentPatch,
  personCreate,
  personListQuery,
  personPatch,
  storeInput,
  storeListQuery,
  storePatch,
} from '../../../contracts/people.js';
import { PEOPLE_CSV_COLUMNS, STORE_CSV_COLUMNS, personInput, storeInput as storeInputSchema } from '../../../contracts/people.js';
import { changedFields, recordAudit } from '../../platform/audit.js';
import type { AppContext } from '../../platform/context.js';
import type { DbOrTx } from '../../platform/db.js';
import { conflict, invalid, notFound } from '../../platform/errors.js';
import { importError, parseCsvRows } from '../../platform/csv-import.js';
import { inviteInTx } from '../../platform/invitations.js';
import { containsPattern, paginate } from '../../platform/list.js';
import { assertCan, can, type Actor } from '../../platform/policy.js';
import { registerSearchProvider } from '../../platform/search.js';
import { departments, people, stores } from './schema.js';
import { ROLES } from '../../../contracts/roles.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

// ---------------------------------------------------------------- departments

const departmentColumns = {
  id: departments.id,
  code: departments.code,
  name: departments.name,
  kind: departments.kind,
  description: departments.description,
  active: departments.active,
  createdAt: departments.createdAt,
  updatedAt: departments.updatedAt,
  peopleCount: sql<number>`(select count(*)::int from people p where p.department_id = "departments"."id" and p.active)`.as('people_count'),
};
type DepartmentRow = Omit<typeof departments.$inferSelect, never> & { peopleCount: number };

function presentDepartment(row: DepartmentRow): Department {
  return { ...row, kind: row.kind as Department['kind'], peopleCount: Number(row.peopleCount), createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
}

function departmentWhere(query: Partial<z.infer<typeof departmentListQuery>>): SQL | undefined {
  return and(
    query.q ? or(ilike(departments.name, containsPattern(query.q)), ilike(departments.code, containsPattern(query.q))) : undefined,
    query.active === undefined ? undefined : eq(departments.active, query.active),
    query.kind ? eq(departments.kind, query.kind) : undefined,
  );
}

export async function listDepartments(ctx: AppContext, actor: Actor, query: z.infer<typeof departmentListQuery>) {
  assertCan(actor, 'workspace:read');
  const page = await paginate<DepartmentRow, typeof query.sort>(ctx.db, {
    table: departments,
    select: departmentColumns,
    where: departmentWhere(query),
    sortColumns: { name: departments.name, code: departments.code, createdAt: departments.createdAt },
    idColumn: departments.id,
    params: query,
  });
  return { ...page, items: page.items.map(presentDepartment) };
}

export async function exportDepartments(ctx: AppContext, actor: Actor, query: Partial<z.infer<typeof departmentListQuery>>) {
  assertCan(actor, 'workspace:read');
  const rows = await ctx.db.select(departmentColumns).from(departments).where(departmentWhere(query)).orderBy(asc(departments.name));
  return rows.map((r) => presentDepartment(r as DepartmentRow));
}

async function departmentById(db: DbOrTx, id: string) {
  const [row] = await db.select(departmentColumns).from(departments).where(eq(departments.id, id));
  if (!row) throw notFound('Department');
  return presentDepartment(row as DepartmentRow);
}

export async function getDepartment(ctx: AppContext, actor: Actor, id: string) {
  assertCan(actor, 'workspace:read');
  return departmentById(ctx.db, id);
}

export async function createDepartment(ctx: AppContext, actor: Actor, input: z.infer<typeof departmentInput>) {
  assertCan(actor, 'departments:manage');
  return ctx.db.transaction(async (tx) => {
    const id = uuidv7();
    await tx.insert(departments).values({ id, ...input });
    await recordAudit(tx, actor, { action: 'create', entity: 'department', entityId: id, summary: `Created department ${input.name} (${input.code})`, after: input });
    return departmentById(tx, id);
  });
}

export async function updateDepartment(ctx: AppContext, actor: Actor, id: string, patch: z.infer<typeof departmentPatch>) {
  assertCan(actor, 'departments:manage');
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(departments).where(eq(departments.id, id)).for('update');
    if (!before) throw notFound('Department');
    const diff = changedFields(before, patch);
    if (diff.changed.length) {
      await tx.update(departments).set({ ...patch, updatedAt: new Date() }).where(eq(departments.id, id));
      const action = patch.active === false && before.active ? 'deactivate' : patch.active === true && !before.active ? 'reactivate' : 'update';
      await recordAudit(tx, actor, { action, entity: 'department', entityId: id, summary: `${action === 'update' ? 'Updated' : action === 'deactivate' ? 'Deactivated' : 'Reactivated'} department ${before.name}: ${diff.changed.join(', ')}`, before: diff.before, after: diff.after });
    }
    return departmentById(tx, id);
  });
}

// ---------------------------------------------------------------- stores

function presentStore(row: typeof stores.$inferSelect): Store {
  return { ...row, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
}

/** Which stores this actor may see: shared by the store list, its export and global search. */
export function storesVisibleSql(actor: Actor): SQL {
  return can(actor, 'workspace:read') ? sql`true` : sql`false`;
}

function storeWhere(actor: Actor, query: Partial<z.infer<typeof storeListQuery>>) {
  return and(
    storesVisibleSql(actor),
    query.q ? or(ilike(stores.name, containsPattern(query.q)), ilike(stores.code, containsPattern(query.q)), ilike(stores.region, containsPattern(query.q))) : undefined,
    query.region ? eq(stores.region, query.region) : undefined,
    query.district ? eq(stores.district, query.district) : undefined,
    query.active === undefined ? undefined : eq(stores.active, query.active),
  );
}

export async function listStores(ctx: AppContext, actor: Actor, query: z.infer<typeof storeListQuery>) {
  assertCan(actor, 'workspace:read');
  const page = await paginate<typeof stores.$inferSelect, typeof query.sort>(ctx.db, {
    table: stores,
    select: { id: stores.id, code: stores.code, name: stores.name, region: stores.region, district: stores.district, timezone: stores.timezone, uplinkMbps: stores.uplinkMbps, active: stores.active, createdAt: stores.createdAt, updatedAt: stores.updatedAt },
    where: storeWhere(actor, query),
    sortColumns: { code: stores.code, name: stores.name, region: stores.region, district: stores.district, uplinkMbps: stores.uplinkMbps, createdAt: stores.createdAt },
    idColumn: stores.id,
    params: query,
  });
  return { ...page, items: page.items.map(presentStore) };
}

export async function exportStores(ctx: AppContext, actor: Actor, query: Partial<z.infer<typeof storeListQuery>>) {
  assertCan(actor, 'workspace:read');
  return (await ctx.db.select().from(stores).where(storeWhere(actor, query)).orderBy(asc(stores.code))).map(presentStore);
}

export async function getStore(ctx: AppContext, actor: Actor, id: string) {
  assertCan(actor, 'workspace:read');
  const [row] = await ctx.db.select().from(stores).where(eq(stores.id, id));
  if (!row) throw notFound('Store');
  return presentStore(row);
}

export async function createStore(ctx: AppContext, actor: Actor, input: z.infer<typeof storeInput>) {
  assertCan(actor, 'stores:manage');
  return ctx.db.transaction(async (tx) => {
    const [clash] = await tx.select({ id: stores.id }).from(stores).where(eq(stores.code, input.code));
    if (clash) throw conflict('code', `store ${input.code} already exists`);
    const [row] = await tx.insert(stores).values({ id: uuidv7(), ...input }).returning();
    await recordAudit(tx, actor, { action: 'create', entity: 'store', entityId: row.id, summary: `Created store ${row.code} ${row.name}`, after: input });
    return presentStore(row);
  });
}

export async function updateStore(ctx: AppContext, actor: Actor, id: string, patch: z.infer<typeof storePatch>) {
  assertCan(actor, 'stores:manage');
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(stores).where(eq(stores.id, id)).for('update');
    if (!before) throw notFound('Store');
    if (patch.code && patch.code !== before.code) {
      const [clash] = await tx.select({ id: stores.id }).from(stores).where(eq(stores.code, patch.code));
      if (clash) throw conflict('code', `store ${patch.code} already exists`);
    }
    const diff = changedFields(before, patch);
    if (!diff.changed.length) return presentStore(before);
    const [row] = await tx.update(stores).set({ ...patch, updatedAt: new Date() }).where(eq(stores.id, id)).returning();
    const action = patch.active === false && before.active ? 'deactivate' : patch.active === true && !before.active ? 'reactivate' : 'update';
    await recordAudit(tx, actor, { action, entity: 'store', entityId: id, summary: `${action === 'update' ? 'Updated' : action === 'deactivate' ? 'Deactivated' : 'Reactivated'} store ${before.code}: ${diff.changed.join(', ')}`, before: diff.before, after: diff.after });
    return presentStore(row);
  });
}

/** CSV import of stores: new codes are created, known codes updated; all or nothing. */
export async function importStores(ctx: AppContext, actor: Actor, csvText: string) {
  assertCan(actor, 'stores:manage');
  const { rows, problems, total } = parseCsvRows(csvText, storeInputSchema, { required: STORE_CSV_COLUMNS, rename: { uplink_mbps: 'uplinkMbps' } });
  const parseProblems = problems.length;
  const seen = new Map<string, number>();
  for (const { line, value } of rows) {
    const key = value.code.toLowerCase();
    if (seen.has(key)) problems.push({ line, field: 'code', message: `duplicate of line ${seen.get(key)}` });
    else seen.set(key, line);
  }
  if (problems.length) throw importError(problems, total + problems.length - parseProblems);
  return ctx.db.transaction(async (tx) => {
    const existing = new Map((await tx.select({ id: stores.id, code: stores.code }).from(stores)).map((s) => [s.code.toLowerCase(), s.id]));
    let created = 0;
    let updated = 0;
    for (const { value } of rows) {
      const id = existing.get(value.code.toLowerCase());
      if (id) {
        await tx.update(stores).set({ ...value, updatedAt: new Date() }).where(eq(stores.id, id));
        updated++;
      } else {
        await tx.insert(stores).values({ id: uuidv7(), ...value });
        created++;
      }
    }
    await recordAudit(tx, actor, { action: 'import', entity: 'store', summary: `Imported stores from CSV: ${created} created, ${updated} updated`, after: { created, updated, lines: rows.length } });
    return { created, updated, lines: rows.length };
  });
}

// ---------------------------------------------------------------- people

// Column names are written out: drizzle leaves the table name off in single-table queries.
const hasAccount = sql<boolean>`exists (select 1 from accounts a where a.person_id = "people"."id")`;

const personColumns = {
  id: people.id,
  name: people.name,
  email: people.email,
  title: people.title,
  role: people.role,
  active: people.active,
  departmentId: people.departmentId,
  departmentName: departments.name,
  storeId: people.storeId,
  storeCode: stores.code,
  storeName: stores.name,
  district: people.scopeDistrict,
  region: people.scopeRegion,
  lastSignInAt: people.lastSignInAt,
  createdAt: people.createdAt,
  updatedAt: people.updatedAt,
  hasAccount: hasAccount.as('has_account'),
};
type PersonRow = {
  id: string;
  name: string;
  email: string;
  title: string;
  role: string;
  active: boolean;
  departmentId: string | null;
  departmentName: string | null;
  storeId: string | null;
  storeCode: string | null;
  storeName: string | null;
  district: string | null;
  region: string | null;
  lastSignInAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  hasAccount: boolean;
};

function presentPerson(row: PersonRow): Person {
  const { hasAccount: account, ...rest } = row;
  return {
    ...rest,
    role: row.role as Person['role'],
    status: !row.active ? 'deactivated' : account ? 'active' : 'invited',
    lastSignInAt: iso(row.lastSignInAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const joinPersonRefs = (q: any) => q.leftJoin(departments, eq(departments.id, people.departmentId)).leftJoin(stores, eq(stores.id, people.storeId));

/** Which people this actor may see in the directory: shared by the list, its export and global search. */
export function peopleVisibleSql(actor: Actor): SQL {
  return can(actor, 'people:read') ? sql`true` : sql`false`;
}

function personWhere(actor: Actor, query: Partial<z.infer<typeof personListQuery>>) {
  return and(
    peopleVisibleSql(actor),
    query.q ? or(ilike(people.name, containsPattern(query.q)), ilike(people.email, containsPattern(query.q)), ilike(people.title, containsPattern(query.q))) : undefined,
    query.departmentId ? eq(people.departmentId, query.departmentId) : undefined,
    query.storeId ? eq(people.storeId, query.storeId) : undefined,
    query.hq === true ? isNull(people.storeId) : query.hq === false ? sql`${people.storeId} is not null` : undefined,
    query.role ? eq(people.role, query.role) : undefined,
    query.status === 'deactivated' ? eq(people.active, false) : undefined,
    query.status === 'active' ? and(eq(people.active, true), hasAccount) : undefined,
    query.status === 'invited' ? and(eq(people.active, true), sql`not ${hasAccount}`) : undefined,
  );
}

export async function listPeople(ctx: AppContext, actor: Actor, query: z.infer<typeof personListQuery>) {
  assertCan(actor, 'people:read');
  const page = await paginate<PersonRow, typeof query.sort>(ctx.db, {
    table: people,
    select: personColumns,
    joins: joinPersonRefs,
    where: personWhere(actor, query),
    sortColumns: { name: people.name, email: people.email, role: people.role, createdAt: people.createdAt },
    idColumn: people.id,
    params: query,
  });
  return { ...page, items: page.items.map(presentPerson) };
}

export async function exportPeople(ctx: AppContext, actor: Actor, query: Partial<z.infer<typeof personListQuery>>) {
  assertCan(actor, 'people:read');
  const rows = (await joinPersonRefs(ctx.db.select(personColumns).from(people)).where(personWhere(actor, query)).orderBy(asc(people.name))) as PersonRow[];
  return rows.map(presentPerson);
}

async function personById(db: DbOrTx, id: string) {
  const [row] = (await joinPersonRefs(db.select(personColumns).from(people)).where(eq(people.id, id))) as PersonRow[];
  if (!row) throw notFound('Person');
  return presentPerson(row);
}

export async function getPerson(ctx: AppContext, actor: Actor, id: string) {
  if (actor.id !== id) assertCan(actor, 'people:read');
  return personById(ctx.db, id);
}

/** Where a person works, as stored: `district`/`region` of the input become the scope columns. */
function placeColumns(input: { district?: string | null; region?: string | null }) {
  const out: { scopeDistrict?: string | null; scopeRegion?: string | null } = {};
  if (input.district !== undefined) out.scopeDistrict = input.district;
  if (input.region !== undefined) out.scopeRegion = input.region;
  return out;
}

async function assertReferences(tx: DbOrTx, input: { departmentId?: string | null; storeId?: string | null; district?: string | null; region?: string | null }) {
  const places = [input.storeId, input.district, input.region].filter((v) => v != null).length;
  if (places > 1) throw invalid(input.storeId ? 'storeId' : 'district', 'choose one store, one district or one region (or none for headquarters)');
  if (input.district) {
    const [s] = await tx.select({ id: stores.id }).from(stores).where(eq(stores.district, input.district)).limit(1);
    if (!s) throw invalid('district', `no store is in district "${input.district}"`);
  }
  if (input.region) {
    const [s] = await tx.select({ id: stores.id }).from(stores).where(eq(stores.region, input.region)).limit(1);
    if (!s) throw invalid('region', `no store is in region "${input.region}"`);
  }
  if (input.departmentId) {
    const [d] = await tx.select({ id: departments.id, active: departments.active }).from(departments).where(eq(departments.id, input.departmentId));
    if (!d) throw invalid('departmentId', 'no such department');
    if (!d.active) throw invalid('departmentId', 'the department is deactivated');
  }
  if (input.storeId) {
    const [s] = await tx.select({ id: stores.id }).from(stores).where(eq(stores.id, input.storeId));
    if (!s) throw invalid('storeId', 'no such store');
  }
}

export async function createPerson(ctx: AppContext, actor: Actor, input: z.infer<typeof personCreate>) {
  assertCan(actor, 'people:manage');
  const { sendInvitation, ...values } = input;
  return ctx.db.transaction(async (tx) => {
    await assertReferences(tx, values);
    const [clash] = await tx.select({ id: people.id }).from(people).where(eq(people.email, values.email));
    if (clash) throw conflict('email', 'a person with this email already exists');
    const id = uuidv7();
    const { district: _d, region: _r, ...personValues } = values;
    await tx.insert(people).values({ id, ...personValues, ...placeColumns(values) });
    await recordAudit(tx, actor, { action: 'create', entity: 'person', entityId: id, summary: `Added ${values.name} <${values.email}> as ${values.role}`, after: values });
    if (sendInvitation) await inviteInTx(ctx, tx, actor, { id, name: values.name, email: values.email });
    return personById(tx, id);
  });
}

export async function updatePerson(ctx: AppContext, actor: Actor, id: string, patch: z.infer<typeof personPatch>) {
  assertCan(actor, 'people:manage');
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(people).where(eq(people.id, id)).for('update');
    if (!before) throw notFound('Person');
    // A patch naming one place clears the others: a person works in one store, district or region.
    if (patch.storeId || patch.district || patch.region) {
      patch = { storeId: null, district: null, region: null, ...patch };
    }
    await assertReferences(tx, patch);
    if (patch.email && patch.email !== before.email) {
      const [clash] = await tx.select({ id: people.id }).from(people).where(eq(people.email, patch.email));
      if (clash) throw conflict('email', 'a person with this email already exists');
    }
    if (patch.role && patch.role !== 'admin' && before.role === 'admin') await assertAnotherAdmin(tx, id);
    const { district: _d, region: _r, ...personPatchValues } = patch;
    const changes = { ...personPatchValues, ...placeColumns(patch) };
    const diff = changedFields(before, changes);
    if (diff.changed.length) {
      await tx.update(people).set({ ...changes, updatedAt: new Date() }).where(eq(people.id, id));
      await recordAudit(tx, actor, { action: 'update', entity: 'person', entityId: id, summary: `Updated ${before.name}: ${diff.changed.join(', ')}`, before: diff.before, after: diff.after });
    }
    return personById(tx, id);
  });
}

async function assertAnotherAdmin(tx: DbOrTx, exceptId: string) {
  const [row] = await tx.select({ n: sql<number>`count(*)::int` }).from(people).where(and(eq(people.role, 'admin'), eq(people.active, true), sql`${people.id} <> ${exceptId}`));
  if (!row || Number(row.n) === 0) throw invalid('role', 'Tandem needs at least one active admin');
}

export async function setPersonActive(ctx: AppContext, actor: Actor, id: string, active: boolean) {
  assertCan(actor, 'people:manage');
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(people).where(eq(people.id, id)).for('update');
    if (!before) throw notFound('Person');
    if (!active && actor.id === id) throw invalid('id', 'you cannot deactivate yourself');
    if (!active && before.role === 'admin') await assertAnotherAdmin(tx, id);
    if (before.active !== active) {
      await tx.update(people).set({ active, updatedAt: new Date() }).where(eq(people.id, id));
      // Signing out everywhere: a deactivated person's sessions end now.
      if (!active) await tx.execute(sql`delete from sessions where person_id = ${id}`);
      await recordAudit(tx, actor, { action: active ? 'reactivate' : 'deactivate', entity: 'person', entityId: id, summary: `${active ? 'Reactivated' : 'Deactivated'} ${before.name}`, before: { active: before.active }, after: { active } });
    }
    return personById(tx, id);
  });
}

export async function resendInvitation(ctx: AppContext, actor: Actor, id: string) {
  assertCan(actor, 'people:manage');
  await ctx.db.transaction(async (tx) => {
    const [person] = await tx.select().from(people).where(eq(people.id, id));
    if (!person) throw notFound('Person');
    if (!person.active) throw invalid('id', 'the person is deactivated; reactivate them first');
    await inviteInTx(ctx, tx, actor, person);
  });
}

const personCsvRow = z.object({
  name: personInput.shape.name,
  email: personInput.shape.email,
  title: z.string().trim().max(120).default(''),
  role: z.string().trim().toLowerCase().pipe(z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` })),
  department: z.string().trim().min(1, 'is required (department code or name)'),
  store: z.string().trim().default(''),
  invite: z.string().trim().toLowerCase().optional(),
});

/**
 * CSV import of people: department by code or name, store by code (empty or "HQ" = headquarters).
 * Every line is checked first; one bad line and nothing is written. New people are invited
 * unless the file's `invite` column says "no".
 */
export async function importPeople(ctx: AppContext, actor: Actor, csvText: string) {
  assertCan(actor, 'people:manage');
  const { rows, problems, total } = parseCsvRows(csvText, personCsvRow, { required: PEOPLE_CSV_COLUMNS });
  const parseProblems = problems.length;
  const deptRows = await ctx.db.select({ id: departments.id, code: departments.code, name: departments.name }).from(departments).where(eq(departments.active, true));
  const deptByKey = new Map<string, string>();
  for (const d of deptRows) {
    deptByKey.set(d.code.toLowerCase(), d.id);
    deptByKey.set(d.name.toLowerCase(), d.id);
  }
  const storeByCode = new Map((await ctx.db.select({ id: stores.id, code: stores.code }).from(stores)).map((s) => [s.code.toLowerCase(), s.id]));
  const seen = new Map<string, number>();
  const resolved = rows.map(({ line, value }) => {
    const departmentId = deptByKey.get(value.department.toLowerCase());
    if (!departmentId) problems.push({ line, field: 'department', message: `unknown department "${value.department}"` });
    const storeKey = value.store.toLowerCase();
    const storeId = storeKey === '' || storeKey === 'hq' ? null : storeByCode.get(storeKey);
    if (storeId === undefined) problems.push({ line, field: 'store', message: `unknown store code "${value.store}"` });
    if (seen.has(value.email)) problems.push({ line, field: 'email', message: `duplicate of line ${seen.get(value.email)}` });
    else seen.set(value.email, line);
    return { line, invite: value.invite !== 'no' && value.invite !== 'false', values: { name: value.name, email: value.email, title: value.title, role: value.role, departmentId: departmentId!, storeId: storeId ?? null } };
  });
  if (problems.length) throw importError(problems, total + problems.length - parseProblems);
  return ctx.db.transaction(async (tx) => {
    const existing = new Map((await tx.select({ id: people.id, email: people.email }).from(people)).map((p) => [p.email, p.id]));
    let created = 0;
    let updated = 0;
    for (const row of resolved) {
      const id = existing.get(row.values.email);
      if (id) {
        await tx.update(people).set({ ...row.values, updatedAt: new Date() }).where(eq(people.id, id));
        updated++;
      } else {
        const newId = uuidv7();
        await tx.insert(people).values({ id: newId, ...row.values });
        if (row.invite) await inviteInTx(ctx, tx, actor, { id: newId, name: row.values.name, email: row.values.email });
        created++;
      }
    }
    await recordAudit(tx, actor, { action: 'import', entity: 'person', summary: `Imported people from CSV: ${created} created, ${updated} updated`, after: { created, updated, lines: resolved.length } });
    return { created, updated, lines: resolved.length };
  });
}

// ---------------------------------------------------------------- global search

registerSearchProvider({
  kind: 'people',
  label: 'People',
  order: 10,
  async search(ctx, actor, terms, limit) {
    if (!can(actor, 'people:read') || !terms.tsquery) return [];
    // The same expression as the GIN index people_search_idx.
    const document = sql`to_tsvector('simple', ${people.name} || ' ' || ${people.email} || ' ' || ${people.title})`;
    const query = sql`to_tsquery('simple', ${terms.tsquery})`;
    const rows = await ctx.db
      .select({ id: people.id, name: people.name, title: people.title, active: people.active, departmentName: departments.name, storeCode: stores.code })
      .from(people)
      .leftJoin(departments, eq(departments.id, people.departmentId))
      .leftJoin(stores, eq(stores.id, people.storeId))
      .where(and(peopleVisibleSql(actor), sql`${document} @@ ${query}`))
      .orderBy(desc(people.active), sql`ts_rank(${document}, ${query}) desc`, asc(people.name))
      .limit(limit);
    return rows.map((p) => ({
      id: p.id,
      ref: null,
      title: p.name,
      subtitle: [p.title, p.departmentName, p.storeCode ?? 'HQ', p.active ? null : 'deactivated'].filter(Boolean).join(' · '),
      link: `/people/${p.id}`,
    }));
  },
});

registerSearchProvider({
  kind: 'stores',
  label: 'Stores',
  order: 15,
  async search(ctx, actor, terms, limit) {
    if (!can(actor, 'workspace:read') || !terms.text) return [];
    // The same expression as the GIN index stores_search_idx; store codes ("NE-101") also match by prefix,
    // since the text parser reads "-101" as a signed number.
    const document = sql`to_tsvector('simple', ${stores.code} || ' ' || ${stores.name} || ' ' || ${stores.region} || ' ' || ${stores.district})`;
    const query = sql`to_tsquery('simple', ${terms.tsquery ?? ''})`;
    const codePrefix = ilike(stores.code, `${terms.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    const rows = await ctx.db
      .select({ id: stores.id, code: stores.code, name: stores.name, region: stores.region, district: stores.district })
      .from(stores)
      .where(and(storesVisibleSql(actor), or(codePrefix, terms.tsquery ? sql`${document} @@ ${query}` : undefined)))
      .orderBy(sql`lower(${stores.code}) = ${terms.text.toLowerCase()} desc`, ...(terms.tsquery ? [sql`ts_rank(${document}, ${query}) desc`] : []), asc(stores.code))
      .limit(limit);
    // Cashier-monitoring readers land on the store's POS page; everyone else on the store list.
    return rows.map((s) => ({ id: s.id, ref: s.code, title: s.name, subtitle: `${s.region} · ${s.district}`, link: can(actor, 'pos:read') ? `/pos/stores/${s.id}` : '/stores' }));
  },
});
