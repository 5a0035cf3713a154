import { and, asc, count, desc, gt, lt, or, eq, sql, type SQL, type AnyColumn } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { stringify } from 'csv-stringify';
import type { FastifyReply } from 'fastify';
import type { DbOrTx } from './db.js';
import { invalid } from './errors.js';
import { badText } from './input.js';

export interface ListParams<S extends string> {
  sort: S;
  order: 'asc' | 'desc';
  cursor?: string;
  limit: number;
}

/** `%q%` for ILIKE, with the pattern characters of `q` (\\, %, _) matched literally. */
export const containsPattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The number in a short reference such as `IDEA-7` or `REQ-42` (any case, surrounding space ignored).
 * With `bare` (lookups and search boxes), a plain `42` and a hyphenless `REQ42` count too.
 * Undefined when the text is no such reference.
 */
export function refNumber(prefix: string, text: string, options: { bare?: boolean } = {}): number | undefined {
  const m = new RegExp(`^(?:(${prefix})(-)?)?(\\d{1,9})$`, 'i').exec(text.trim());
  if (!m) return undefined;
  const strict = m[1] !== undefined && m[2] !== undefined;
  return strict || options.bare ? Number(m[3]) : undefined;
}

/** What a cursor's sort value or id must be, so a forged or reused cursor is a 400, not a database error. */
export type CursorKind = 'date' | 'integer' | 'number' | 'bigint' | 'string' | 'uuid' | 'any';

/** Opaque keyset cursor: the last row's sort value and id, and the sort it belongs to. Dates survive the round trip. */
export function encodeCursor(value: unknown, id: string | number, sort?: string) {
  const v = value instanceof Date ? { d: value.toISOString() } : value;
  return Buffer.from(JSON.stringify(sort === undefined ? [v, id] : [v, id, sort])).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// PostgreSQL's timestamptz starts at 4713 BC; JavaScript's Date ends at +275760.
const MIN_TIME = Date.UTC(-4712, 0, 1);
const MAX_TIME = 8.64e15;

function fits(value: unknown, kind: CursorKind): boolean {
  switch (kind) {
    case 'any':
      return true;
    case 'date': {
      const time = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : NaN;
      return Number.isFinite(time) && time >= MIN_TIME && time <= MAX_TIME;
    }
    case 'integer':
      return Number.isSafeInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'bigint':
      return (typeof value === 'string' && /^-?\d{1,18}$/.test(value)) || Number.isSafeInteger(value);
    case 'uuid':
      return typeof value === 'string' && UUID.test(value);
    case 'string':
      return typeof value === 'string' && value.length <= 2000 && !badText(value);
  }
}

export function decodeCursor(cursor: string, expected: { value?: CursorKind; id?: CursorKind; sort?: string } = {}): [unknown, string] {
  const refuse = () => invalid('cursor', 'is not a cursor this list returned (the sort or filters may have changed); start from the first page');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refuse();
  }
  if (!Array.isArray(parsed) || parsed.length < 2 || parsed.length > 3) throw refuse();
  const [v, id, sort] = parsed as [unknown, unknown, unknown];
  if (sort !== undefined && expected.sort !== undefined && sort !== expected.sort) throw refuse();
  const value = v && typeof v === 'object' && 'd' in (v as object) ? new Date(String((v as { d: unknown }).d)) : v;
  if (typeof id !== 'string' && typeof id !== 'number') throw refuse();
  if (!fits(id, expected.id ?? 'any')) throw refuse();
  // null: rows whose sort value is empty (nullable sort columns).
  if (value !== null && !fits(value, expected.value ?? 'any')) throw refuse();
  if (value instanceof Date && Number.isNaN(value.getTime())) throw refuse();
  return [value, String(id)];
}

/** The cursor kind of a Drizzle column, from its type. */
function kindOf(column: AnyColumn): CursorKind {
  const type = (column as unknown as { columnType?: string }).columnType ?? '';
  if (type === 'PgUUID') return 'uuid';
  if (type.startsWith('PgTimestamp') || type.startsWith('PgDate')) return 'date';
  if (['PgInteger', 'PgSmallInt', 'PgBigInt53', 'PgSerial', 'PgSmallSerial', 'PgBigSerial53'].includes(type)) return 'integer';
  if (type === 'PgBigInt64') return 'bigint';
  if (column.dataType === 'number') return 'number';
  if (column.dataType === 'string') return 'string';
  return 'any';
}

/**
 * Keyset pagination over any sort column, with the id as tie-breaker, so pages stay stable
 * while records are added. `select` is the projection; rows must carry `id` and the sort key.
 */
export async function paginate<Row extends { id: string }, S extends string>(
  db: DbOrTx,
  opts: {
    table: PgTable;
    select: Record<string, PgColumn | SQL.Aliased | SQL>;
    /** Joins that add columns to the projection; filters must only use the main table. */
    joins?: (q: any) => any;
    where?: SQL;
    sortColumns: Record<S, AnyColumn>;
    idColumn: AnyColumn;
    params: ListParams<S>;
  },
): Promise<{ items: Row[]; total: number; nextCursor: string | null }> {
  const { params } = opts;
  const sortColumn = opts.sortColumns[params.sort];
  const direction = params.order === 'desc' ? desc : asc;
  const beyond = params.order === 'desc' ? lt : gt;
  let cursorWhere: SQL | undefined;
  if (params.cursor) {
    const [value, id] = decodeCursor(params.cursor, { value: kindOf(sortColumn), id: kindOf(opts.idColumn), sort: params.sort });
    cursorWhere = value === null ? beyond(opts.idColumn, id) : or(beyond(sortColumn, value), and(eq(sortColumn, value), beyond(opts.idColumn, id)));
  }
  const join = opts.joins ?? ((q: unknown) => q);
  // One statement: the page, and the total in a CTE over the main table and the filters only (a
  // filter naming a joined table fails there instead of counting something else). Rows carry the
  // total; only an empty page after a cursor needs a second statement to learn it.
  const totals = db.$with('list_total').as(db.select({ n: sql<number>`count(*)`.as('n') }).from(opts.table).where(opts.where));
  const rows = (await join(
    db
      .with(totals)
      .select({ ...opts.select, __sort: sortColumn, __total: sql<number>`(select n from list_total)`.mapWith(Number) } as never)
      .from(opts.table),
  )
    .where(and(opts.where, cursorWhere))
    .orderBy(direction(sortColumn), direction(opts.idColumn))
    .limit(params.limit + 1)) as Array<Row & { __sort: unknown; __total: number }>;
  let total = rows[0]?.__total;
  if (total === undefined) total = cursorWhere ? Number((await db.select({ n: count() }).from(opts.table).where(opts.where))[0]?.n ?? 0) : 0;
  const hasMore = rows.length > params.limit;
  const page = rows.slice(0, params.limit);
  const last = page[page.length - 1];
  const items = page.map(({ __sort: _ignored, __total: _total, ...rest }) => rest as unknown as Row);
  return { items, total: Number(total), nextCursor: hasMore && last ? encodeCursor(last.__sort, last.id, params.sort) : null };
}

/**
 * A cell a spreadsheet will not run: text starting with = + - @ tab or CR is a formula to Excel,
 * LibreOffice and Sheets, so it gets a leading apostrophe (OWASP "CSV injection"). Numbers stay numbers.
 */
export function csvCell(value: unknown): unknown {
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(value)) return `'${value}`;
  return value;
}

/** Streams rows as a CSV download with a header line; every cell goes through csvCell. */
export function sendCsv<T>(reply: FastifyReply, filename: string, columns: { header: string; value: (row: T) => unknown }[], rows: Iterable<T>) {
  const stringifier = stringify({ header: true, columns: columns.map((c) => c.header) });
  reply.header('content-type', 'text/csv; charset=utf-8');
  reply.header('content-disposition', `attachment; filename="${filename}"`);
  queueMicrotask(() => {
    for (const row of rows) {
      stringifier.write(
        columns.map((c) => {
          const v = c.value(row);
          if (v instanceof Date) return v.toISOString();
          return csvCell(v ?? '');
        }),
      );
    }
    stringifier.end();
  });
  return reply.send(stringifier);
}
