import dayjs from 'dayjs';
import relativeTime from 'dayjs/plugin/relativeTime';

dayjs.extend(relativeTime);

/**
 * The one place dates, times and numbers are formatted in the web app: the reader's locale
 * (browser language), one style everywhere. Store-bound times (POS transactions, exceptions) use
 * the store's time zone and name it; other times are the reader's own clock.
 */
const locale = typeof navigator !== 'undefined' ? navigator.language : 'en-US';

// Intl formatters are costly to build (the first loads locale data): each is built on first use and
// kept, so a page pays only for the ones it shows and a table of 50 amounts builds one, not 50.
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const numberFormats = new Map<string, Intl.NumberFormat>();
function dateFormatOf(options: Intl.DateTimeFormatOptions) {
  const key = JSON.stringify(options);
  let f = dateFormats.get(key);
  if (!f) dateFormats.set(key, (f = new Intl.DateTimeFormat(locale, options)));
  return f;
}
function numberFormatOf(options: Intl.NumberFormatOptions) {
  const key = JSON.stringify(options);
  let f = numberFormats.get(key);
  if (!f) numberFormats.set(key, (f = new Intl.NumberFormat(locale, options)));
  return f;
}
const dateFormat = { format: (d: Date) => dateFormatOf({ day: 'numeric', month: 'short', year: 'numeric' }).format(d) };
const dateTimeFormat = { format: (d: Date) => dateFormatOf({ day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(d) };

const valid = (iso: string | null | undefined): iso is string => !!iso && !Number.isNaN(Date.parse(iso));

/** A calendar day: "2026-11-20" stays that day in every time zone. */
export function formatDay(day: string | null | undefined) {
  if (!day) return '—';
  const [y, m, d] = day.slice(0, 10).split('-').map(Number);
  return dateFormat.format(new Date(Date.UTC(y, m - 1, d, 12)));
}
export const formatDate = (iso: string | null | undefined) => (valid(iso) ? (/^\d{4}-\d{2}-\d{2}$/.test(iso) ? formatDay(iso) : dateFormat.format(new Date(iso))) : '—');
export const formatDateTime = (iso: string | null | undefined) => (valid(iso) ? dateTimeFormat.format(new Date(iso)) : '—');

/** A time at a store, in the store's zone, with the zone named: "20 Nov 2026, 14:05 CST". */
export function formatStoreTime(iso: string | null | undefined, timeZone: string | null | undefined) {
  if (!valid(iso)) return '—';
  if (!timeZone) return formatDateTime(iso);
  return dateFormatOf({ day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short' }).format(new Date(iso));
}

export const fromNow = (iso: string | null | undefined) => (iso ? dayjs(iso).fromNow() : '—');
export const formatNumber = (n: number) => numberFormatOf({}).format(n);
/** Integer cents as money: "$1,234" (whole units for figures; cents where they matter). */
export function formatMoney(cents: number, options: { cents?: boolean; currency?: string } = {}) {
  return numberFormatOf({ style: 'currency', currency: options.currency ?? 'USD', maximumFractionDigits: options.cents ? 2 : 0, minimumFractionDigits: options.cents ? 2 : 0 }).format(cents / 100);
}
/** A window in words: "1 Nov 2026 – 30 Nov 2026". */
export const formatWindow = (from: string | null | undefined, to: string | null | undefined) => (from && to ? `${formatDay(from)} – ${formatDay(to)}` : 'all time');

const dayParts = (day: string) => {
  const [y, m, d] = day.slice(0, 10).split('-').map(Number);
  return new Date(Date.UTC(y, (m || 1) - 1, d || 1, 12));
};
/** A month for chart axes: "Nov 26" ("2026-11"); `short` leaves the year out. */
export const formatMonth = (month: string, options: { short?: boolean } = {}) => dateFormatOf(options.short ? { month: 'short', timeZone: 'UTC' } : { month: 'short', year: '2-digit', timeZone: 'UTC' }).format(dayParts(`${month.slice(0, 7)}-01`));
/** A calendar day for chart axes: "20 Nov" ("2026-11-20"), the reader's locale. */
export const formatShortDay = (day: string) => dateFormatOf({ day: 'numeric', month: 'short', timeZone: 'UTC' }).format(dayParts(day));
/** A figure with up to `digits` decimals: "1,234.5". */
export const formatDecimal = (n: number, digits = 1) => numberFormatOf({ maximumFractionDigits: digits }).format(n);
