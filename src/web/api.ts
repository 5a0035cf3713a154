import type { Problem } from '../contracts/errors';
import type { Page } from '../contracts/list';

/** An API call that came back with a 4xx/5xx status, carrying the server's error body. */
export class ApiRequestError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    public readonly problems: Problem[] = [],
    public readonly total?: number,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

export const isApiError = (err: unknown, status?: number): err is ApiRequestError =>
  err instanceof ApiRequestError && (status === undefined || err.status === status);

type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** JSON body; serialised with JSON.stringify. */
  body?: unknown;
  /** Raw text body (e.g. a CSV file); sent as is with `contentType`. */
  text?: string;
  contentType?: string;
  query?: Query;
  signal?: AbortSignal;
}

/** `?a=1&b=2` from an object, leaving out empty values. */
export function toQueryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

async function parseError(res: Response): Promise<ApiRequestError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    /* not JSON */
  }
  const b = body as
    | { error?: { code?: string; message?: string; problems?: Problem[]; total?: number } | string; code?: string; message?: string }
    | null;
  if (b && typeof b.error === 'object' && b.error) {
    return new ApiRequestError(res.status, b.error.code ?? 'error', b.error.message ?? res.statusText, b.error.problems ?? [], b.error.total);
  }
  // better-auth speaks its own shape: { code, message }.
  const message = (b && (b.message || (typeof b.error === 'string' ? b.error : undefined))) || defaultMessage(res.status);
  return new ApiRequestError(res.status, (b && b.code) || `http_${res.status}`, message);
}

function defaultMessage(status: number): string {
  if (status === 401) return 'Sign in to continue';
  if (status === 403) return 'You do not have permission to do this';
  if (status === 404) return 'Not found';
  if (status === 429) return 'Too many requests — wait a minute and try again';
  if (status >= 500) return 'Something went wrong on our side';
  return `Request failed (${status})`;
}

/**
 * Requests index.html starts before the app's scripts arrive (/api/me, the landing page's data),
 * keyed by address. Each is taken once, by the first GET of that address while the app starts;
 * main.tsx drops what is left once the first page has rendered.
 */
declare global {
  interface Window {
    __tandemStarted?: Record<string, Promise<Response>>;
  }
}
function takeStarted(url: string): Promise<Response> | undefined {
  const started = typeof window === 'undefined' ? undefined : window.__tandemStarted;
  const res = started?.[url];
  if (res) delete started![url];
  return res;
}

export async function api<T = unknown>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: BodyInit | undefined;
  if (options.text !== undefined) {
    body = options.text;
    headers['content-type'] = options.contentType ?? 'text/csv';
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  const url = path + toQueryString(options.query);
  let res: Response;
  try {
    const early = !options.method && body === undefined ? takeStarted(url) : undefined;
    res = await (early ?? fetch(url, {
      method: options.method ?? (body === undefined ? 'GET' : 'POST'),
      credentials: 'same-origin',
      headers,
      body,
      signal: options.signal,
    }));
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiRequestError(0, 'network', 'Cannot reach the Tandem server. Check your connection and try again.');
  }
  if (!res.ok) throw await parseError(res);
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  if (!type.includes('json')) return (await res.text()) as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const get = <T>(path: string, query?: Query, signal?: AbortSignal) => api<T>(path, { query, signal });
export const post = <T>(path: string, body: unknown = {}) => api<T>(path, { method: 'POST', body });
export const patch = <T>(path: string, body: unknown) => api<T>(path, { method: 'PATCH', body });
export const del = <T>(path: string) => api<T>(path, { method: 'DELETE' });

/** Every item of a list endpoint, following `nextCursor` (for small lists used in selects). */
export async function getAll<T>(path: string, query: Query = {}, maxPages = 20): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null | undefined;
  for (let i = 0; i < maxPages; i++) {
    const page: Page<T> = await get<Page<T>>(path, { ...query, limit: 200, cursor: cursor ?? undefined });
    items.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return items;
}
