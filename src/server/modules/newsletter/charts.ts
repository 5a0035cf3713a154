import { Resvg } from '@resvg/resvg-js';
import type { NewsletterBlock } from '../../platform/newsletter-sections.js';

type Chart = Extract<NewsletterBlock, { type: 'chart' }>;

const WIDTH = 560;
const HEIGHT = 260;
const PAD = { top: 34, right: 16, bottom: 44, left: 48 };
const BLUE = '#1c7ed6';
const REF = '#e8590c';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const fmt = (v: number) => (Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : String(Math.round(v * 10) / 10));

/** 1, 2, 2.5 or 5 times a power of ten, at or above `v`: axis labels people read at a glance. */
function niceCeiling(v: number) {
  const p = 10 ** Math.floor(Math.log10(v));
  return ([1, 2, 2.5, 5, 10].find((m) => m * p >= v) ?? 10) * p;
}

/**
 * The chart as SVG, drawn here so that mail gets a plain picture (mail clients run no script and
 * many drop SVG): bars or a line, the values above them, a dashed reference where the point has one.
 */
export function chartSvg(chart: Chart): string {
  const points = chart.points;
  const values = points.flatMap((p) => (p.reference === undefined ? [p.value] : [p.value, p.reference]));
  const max = niceCeiling(Math.max(1, ...values) * 1.1);
  const min = Math.min(0, ...values);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const y = (v: number) => PAD.top + plotH - ((v - min) / (max - min)) * plotH;
  const step = plotW / points.length;
  const x = (i: number) => PAD.left + step * i + step / 2;
  const unit = chart.unit ? ` ${chart.unit}` : '';
  const parts: string[] = [];
  parts.push(`<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`);
  parts.push(`<text x="${PAD.left}" y="20" font-size="14" font-weight="bold" fill="#212529">${esc(chart.title)}</text>`);
  for (const f of [0, 0.5, 1]) {
    const v = min + (max - min) * f;
    parts.push(`<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y(v)}" y2="${y(v)}" stroke="#dee2e6" stroke-width="1"/>`);
    parts.push(`<text x="${PAD.left - 6}" y="${y(v) + 4}" font-size="10" text-anchor="end" fill="#495057">${esc(fmt(v))}</text>`);
  }
  const labelEvery = Math.ceil(points.length / 12);
  points.forEach((p, i) => {
    if (i % labelEvery === 0) parts.push(`<text x="${x(i)}" y="${HEIGHT - PAD.bottom + 16}" font-size="10" text-anchor="middle" fill="#495057">${esc(p.label)}</text>`);
  });
  if (chart.kind === 'bar') {
    const bw = Math.min(48, step * 0.6);
    points.forEach((p, i) => {
      const top = y(Math.max(p.value, 0));
      const h = Math.abs(y(p.value) - y(0));
      parts.push(`<rect x="${x(i) - bw / 2}" y="${top}" width="${bw}" height="${Math.max(h, 1)}" fill="${BLUE}" rx="2"/>`);
      if (points.length <= 16) parts.push(`<text x="${x(i)}" y="${top - 4}" font-size="10" text-anchor="middle" fill="#212529">${esc(fmt(p.value) + unit)}</text>`);
    });
  } else {
    const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
    parts.push(`<path d="${path}" fill="none" stroke="${BLUE}" stroke-width="2.5"/>`);
    points.forEach((p, i) => parts.push(`<circle cx="${x(i)}" cy="${y(p.value)}" r="3" fill="${BLUE}"/>`));
  }
  const refs = points.map((p, i) => ({ i, r: p.reference })).filter((p): p is { i: number; r: number } => p.r !== undefined);
  for (const { i, r } of refs) {
    parts.push(`<line x1="${x(i) - step / 2 + 4}" x2="${x(i) + step / 2 - 4}" y1="${y(r)}" y2="${y(r)}" stroke="${REF}" stroke-width="2" stroke-dasharray="5 3"/>`);
  }
  const legendY = HEIGHT - 10;
  parts.push(`<rect x="${PAD.left}" y="${legendY - 9}" width="10" height="10" fill="${BLUE}"/><text x="${PAD.left + 14}" y="${legendY}" font-size="10" fill="#212529">Value${esc(unit)}</text>`);
  if (refs.length) parts.push(`<line x1="${PAD.left + 90}" x2="${PAD.left + 110}" y1="${legendY - 4}" y2="${legendY - 4}" stroke="${REF}" stroke-width="2" stroke-dasharray="5 3"/><text x="${PAD.left + 114}" y="${legendY}" font-size="10" fill="#212529">Reference</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif">${parts.join('')}</svg>`;
}

/** PNG at twice the size (sharp on phones), drawn on the server with resvg (no browser, no network). */
export function chartPng(chart: Chart): Buffer {
  const resvg = new Resvg(chartSvg(chart), { fitTo: { mode: 'width', value: WIDTH * 2 }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' } });
  return Buffer.from(resvg.render().asPng());
}

export const CHART_WIDTH = WIDTH;
export const CHART_HEIGHT = HEIGHT;
