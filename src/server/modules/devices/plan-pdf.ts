import { pdfDocument } from '../../platform/pdf.js';
import type { CameraPlan } from '../../../contracts/devices.js';

const MARGIN = 48;
const RED = '#b42318';
const INK = '#1f2328';
const MUTED = '#4b5563';

const num = (n: number, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });

/**
 * A camera plan as a printable A4 page for a capex request or a project gate: the store, each line
 * with its bitrate, storage and PoE, the totals, and the checks against the store's uplink and the
 * switch's PoE budget (over budget in red, in words as well as colour).
 */
export function planPdf(plan: CameraPlan, generatedAt = new Date()): Promise<Buffer> {
  const doc = pdfDocument({
    size: 'A4',
    layout: 'landscape',
    margin: MARGIN,
    info: { Title: `Camera plan ${plan.storeCode} ${plan.name}`, Author: 'Tandem', Subject: `Camera roll-out plan for ${plan.storeName}` },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const width = doc.page.width - MARGIN * 2;
  doc.fillColor(INK).font('Helvetica-Bold').fontSize(18).text(`Camera plan: ${plan.name}`);
  doc.moveDown(0.2).font('Helvetica').fontSize(11).fillColor(MUTED);
  doc.text(`${plan.storeCode} ${plan.storeName}${plan.project ? `  ·  Project: ${plan.project}` : ''}`);
  doc.text(`Video off site: ${plan.offsitePercent} %  ·  Last changed ${plan.updatedAt.slice(0, 10)}${plan.createdByName ? ` by ${plan.createdByName}` : ''}  ·  Printed ${generatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`);
  doc.moveDown(1);

  const columns: Array<{ label: string; width: number; align?: 'left' | 'right'; value: (i: number) => string }> = [
    { label: 'Line', width: 150, value: (i) => plan.lines[i].label || `Line ${i + 1}` },
    { label: 'Cameras', width: 55, align: 'right', value: (i) => String(plan.lines[i].quantity) },
    { label: 'MP', width: 35, align: 'right', value: (i) => num(plan.lines[i].resolutionMp) },
    { label: 'Codec', width: 50, value: (i) => plan.lines[i].codec.toUpperCase() },
    { label: 'fps', width: 35, align: 'right', value: (i) => String(plan.lines[i].fps) },
    { label: 'Scene', width: 55, value: (i) => plan.lines[i].activity },
    { label: 'Recording', width: 80, value: (i) => (plan.lines[i].recording === 'motion' ? `motion ${plan.lines[i].motionPercent} %` : 'continuous') },
    { label: 'Days', width: 40, align: 'right', value: (i) => String(plan.lines[i].retentionDays) },
    { label: 'PoE', width: 50, value: (i) => String(plan.lines[i].poeClass) },
    { label: 'Mbps/cam', width: 60, align: 'right', value: (i) => num(plan.figures.lines[i].mbpsPerCamera, 2) },
    { label: 'Mbps', width: 55, align: 'right', value: (i) => num(plan.figures.lines[i].mbps, 1) },
    { label: 'TB', width: 50, align: 'right', value: (i) => num(plan.figures.lines[i].storageTb, 2) },
    { label: 'W', width: 45, align: 'right', value: (i) => num(plan.figures.lines[i].poeWatts, 1) },
  ];
  const scale = width / columns.reduce((s, c) => s + c.width, 0);
  const row = (cells: string[], bold = false) => {
    const y = doc.y;
    let x = MARGIN;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9.5).fillColor(INK);
    let height = 0;
    columns.forEach((c, i) => {
      const w = c.width * scale;
      doc.text(cells[i], x + 3, y, { width: w - 6, align: c.align ?? 'left' });
      height = Math.max(height, doc.y - y);
      x += w;
    });
    doc.y = y + height + 4;
    doc.moveTo(MARGIN, doc.y - 2).lineTo(MARGIN + width, doc.y - 2).lineWidth(0.5).strokeColor('#d0d7de').stroke();
  };
  row(columns.map((c) => c.label), true);
  plan.lines.forEach((_, i) => {
    if (doc.y > doc.page.height - MARGIN - 140) doc.addPage();
    row(columns.map((c) => c.value(i)));
  });
  const f = plan.figures;
  row(['Total', String(f.cameras), '', '', '', '', '', '', '', '', num(f.totalMbps, 1), num(f.storageTb, 2), num(f.poeWatts, 1)], true);

  doc.moveDown(1.2);
  if (doc.y > doc.page.height - MARGIN - 120) doc.addPage();
  doc.font('Helvetica-Bold').fontSize(12).fillColor(INK).text('Checks against the store', MARGIN);
  doc.moveDown(0.3);
  const check = (label: string, detail: string, over: boolean) => {
    doc.font('Helvetica-Bold').fontSize(10.5).fillColor(over ? RED : INK).text(`${over ? 'OVER' : 'Within'}  ${label}: `, { continued: true });
    doc.font('Helvetica').fillColor(over ? RED : INK).text(detail);
  };
  check(
    'uplink',
    `${num(f.uplinkNeededMbps, 1)} Mbps needed (${plan.offsitePercent} % of ${num(f.totalMbps, 1)} Mbps off site) of ${num(f.uplinkMbps, 0)} Mbps; headroom ${num(f.uplinkHeadroomMbps, 1)} Mbps`,
    f.overUplink,
  );
  if (f.poeBudgetW != null) {
    check('switch PoE budget', `${num(f.poeWatts, 1)} W planned + ${num(f.existingPoeWatts, 1)} W already drawn of ${num(f.poeBudgetW, 0)} W; headroom ${num(f.poeHeadroomW ?? 0, 1)} W`, f.overPoe);
  } else {
    doc.font('Helvetica').fontSize(10.5).fillColor(MUTED).text('Switch PoE budget: not known (set it on the plan or record the switch in the inventory).');
  }
  doc.moveDown(1);
  doc.font('Helvetica').fontSize(8.5).fillColor(MUTED).text(
    'Bitrate per camera from resolution, frame rate, codec and scene activity, calibrated against published vendor bandwidth calculators; storage in decimal terabytes; PoE at the class maximum (802.3af/at/bt). Method and sources: docs/camera-planner.md.',
    { width },
  );
  doc.end();
  return done;
}
