import { parse } from 'csv-parse/sync';
import type { z } from 'zod';
import type { Problem } from '../../contracts/errors.js';
import { AppError } from './errors.js';

const MAX_LISTED = 100;

/**
 * Parses a CSV file with a header line and validates every row against `schema`.
 * All rows are checked before anything is written: the caller adds its own checks (unknown
 * references, duplicates) to the problems and raises one error listing every bad line.
 */
export function parseCsvRows<S extends z.ZodTypeAny>(
  text: string,
  schema: S,
  options: { required: readonly string[]; rename?: Record<string, string> },
): { rows: Array<{ line: number; value: z.infer<S> }>; problems: Problem[]; total: number } {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true });
  } catch (err) {
    const e = err as { lines?: number; message: string };
    throw new AppError(400, 'invalid_csv', `The file is not valid CSV (line ${e.lines ?? '?'}): ${e.message}`, [
      { line: e.lines, message: e.message },
    ]);
  }
  if (records.length === 0) throw new AppError(400, 'invalid_csv', 'The file is empty: expected a header line', [{ line: 1, message: 'empty file' }]);
  const header = records[0].map((h) => h.trim().toLowerCase().replace(/\s+/g, '_'));
  const missing = options.required.filter((c) => !header.includes(c));
  if (missing.length) {
    throw new AppError(400, 'invalid_csv', `Line 1: missing column(s) ${missing.join(', ')}`, missing.map((m) => ({ line: 1, field: m, message: 'column is missing' })));
  }
  const problems: Problem[] = [];
  let total = 0;
  const rows: Array<{ line: number; value: z.infer<S> }> = [];
  for (let i = 1; i < records.length; i++) {
    const line = i + 1;
    const raw: Record<string, string> = {};
    header.forEach((h, idx) => {
      raw[options.rename?.[h] ?? h] = records[i][idx] ?? '';
    });
    const result = schema.safeParse(raw);
    if (result.success) rows.push({ line, value: result.data });
    else {
      for (const issue of result.error.issues) {
        total++;
        const key = String(issue.path[0] ?? '');
        const field = Object.entries(options.rename ?? {}).find(([, v]) => v === key)?.[0] ?? key;
        if (problems.length < MAX_LISTED) problems.push({ line, field, message: issue.message });
      }
    }
  }
  if (rows.length === 0 && total === 0) throw new AppError(400, 'invalid_csv', 'The file has a header but no rows', [{ line: 2, message: 'no rows' }]);
  return { rows, problems, total };
}

export function importError(allProblems: Problem[], total = allProblems.length) {
  const problems = [...allProblems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const lines = [...new Set(problems.map((p) => p.line))];
  return new AppError(
    400,
    'invalid_rows',
    `${total} problem${total === 1 ? '' : 's'} on line${lines.length === 1 ? '' : 's'} ${lines.slice(0, 10).join(', ')}${lines.length > 10 ? '…' : ''}; nothing was imported`,
    problems.slice(0, MAX_LISTED),
    total,
  );
}
