import { and, asc, count, desc, gt, lt, or, eq, type SQL, type AnyColumn } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { stringify } from 'csv-stringify';
import type { FastifyReply } from 'fastify';
import type { DbOrTx } from './db.js';
import { invalid } from './errors.js';

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

/** Opaque keyset cursor: the last row's sort value and id. Dates survive the round trip. */
export function encodeCursor(value: unknown, id: string) {
  const v = value instanceof Date ? { d: value.toISOString() } : value;
  return Buffer.from(JSON.stringify([v, id])).toString('base64url');
}

export function decodeCursor(cursor: string): [unknown, string] {
  try {
    const [v, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, string];
    const value = v && typeof v === 'object' && 'd' in (v as object) ? new Date((v as { d: string }).d) : v;
    if (typeof id !== 'string') throw new Error('bad');
    return [value, id];
  } catch {
    throw invalid('cursor', 'is not a cursor this list returned');
  }
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
    const [value, id] = decodeCursor(params.cursor);
    cursorWhere = value === null ? beyond(opts.idColumn, id) : or(beyond(sortColumn, value), and(eq(sortColumn, value), beyond(opts.idColumn, id)));
  }
  const join = opts.joins ?? ((q: unknown) => q);
  const query = join(db.select({ ...opts.select, __sort: sortColumn } as never).from(opts.table))
    .where(and(opts.where, cursorWhere))
    .orderBy(direction(sortColumn), direction(opts.idColumn))
    .limit(params.limit + 1);
  const countQuery = db.select({ n: count() }).from(opts.table).where(opts.where);
  const [rows, totals] = (await Promise.all([query, countQuery])) as [Array<Row & { __sort: unknown }>, Array<{ n: number }>];
  const hasMore = rows.length > params.limit;
  const page = rows.slice(0, params.limit);
  const last = page[page.length - 1];
  const items = page.map(({ __sort: _ignored, ...rest }) => rest as unknown as Row);
  return { items, total: Number(totals[0]?.n ?? 0), nextCursor: hasMore && last ? encodeCursor(last.__sort, last.id) : null };
}

/** Streams rows as a CSV download with a header line. */
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
          return v ?? '';
        }),
      );
    }
    stringifier.end();
  });
  return reply.send(stringifier);
}
