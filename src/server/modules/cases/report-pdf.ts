import { pdfDocument } from '../../platform/pdf.js';
import {
  CASE_OUTCOME_LABELS,
  CASE_STATUS_LABELS,
  CUSTODY_ACTION_LABELS,
  INCIDENT_TYPE_LABELS,
  SUBJECT_KIND_LABELS,
  type CaseDetail,
} from '../../../contracts/cases.js';
import { formatBytes } from './files.js';

const MARGIN = 48;
const RED = '#b42318';
const INK = '#1f2328';
const MUTED = '#4b5563';
const RULE = '#d0d7de';

const money = (cents: number) => (cents / 100).toLocaleString('en-US', { style: 'currency', currency: 'USD' });
const when = (iso: string | null) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : '');

/** A file name for the report: the case reference, safe anywhere. */
export const reportFilename = (ref: string) => `${ref.replace(/[^A-Za-z0-9-]/g, '_')}-report.pdf`;

/**
 * A case as a printable A4 report: summary, subject, amounts and referrals, people, linked incidents
 * and POS exceptions with their receipts, tasks, the timeline, and the evidence list with each item's
 * SHA-256 and full chain of custody. Restricted cases say so on every page.
 */
export function caseReportPdf(c: CaseDetail, printedBy: string, generatedAt = new Date()): Promise<Buffer> {
  const doc = pdfDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    info: { Title: `${c.ref} case report`, Author: 'Tandem', Subject: c.sealed ? `Restricted case ${c.ref}` : `${c.ref}: ${c.title}` },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - MARGIN * 2;
  const bottom = () => doc.page.height - MARGIN - 24;
  const room = (h: number) => {
    if (doc.y + h > bottom()) doc.addPage();
  };
  const heading = (label: string) => {
    doc.moveDown(0.9);
    room(60);
    doc.x = MARGIN;
    doc.font('Helvetica-Bold').fontSize(13).fillColor(INK).text(label, MARGIN, doc.y, { width });
    doc.moveTo(MARGIN, doc.y + 2).lineTo(MARGIN + width, doc.y + 2).lineWidth(0.75).strokeColor(RULE).stroke();
    doc.moveDown(0.4);
  };
  const field = (label: string, value: string) => {
    room(16);
    doc.font('Helvetica-Bold').fontSize(10).fillColor(INK).text(`${label}: `, MARGIN, doc.y, { continued: true, width });
    doc.font('Helvetica').fillColor(INK).text(value || '—');
  };
  const para = (value: string, colour = INK, size = 10) => {
    room(16);
    doc.font('Helvetica').fontSize(size).fillColor(colour).text(value, MARGIN, doc.y, { width });
  };
  const none = (what: string) => para(`No ${what}.`, MUTED);

  // ---- title block
  doc.font('Helvetica-Bold').fontSize(20).fillColor(INK).text(`${c.ref}: ${c.title}`, { width });
  doc.moveDown(0.2).font('Helvetica').fontSize(10).fillColor(MUTED);
  doc.text(`Case report · printed ${when(generatedAt.toISOString())} by ${printedBy}`, { width });
  if (c.sealed) {
    doc.moveDown(0.3).font('Helvetica-Bold').fontSize(10.5).fillColor(RED);
    doc.text('RESTRICTED: internal-theft case. Visible only to its members and LP leads; do not forward.', { width });
  }

  heading('Summary');
  field('Reference', c.ref);
  field('Type', INCIDENT_TYPE_LABELS[c.type]);
  field('Status', `${CASE_STATUS_LABELS[c.status]}${c.outcome ? ` · outcome: ${CASE_OUTCOME_LABELS[c.outcome]}` : ''}`);
  field('Store', c.storeCode ? `${c.storeCode} ${c.storeName ?? ''}`.trim() : 'Headquarters / chain-wide');
  field('Opened', when(c.createdAt));
  if (c.closedAt) field('Closed', when(c.closedAt));
  field('Lead investigator', c.leadName);
  const others = c.members.filter((m) => !m.lead);
  field('Members', others.length ? others.map((m) => `${m.name}${m.title ? ` (${m.title})` : ''}${m.access === 'read' ? ', read only' : ''}`).join('; ') : 'none besides the lead');
  if (c.summary) {
    doc.moveDown(0.3);
    para(c.summary);
  }

  heading('Subject');
  field('Kind', SUBJECT_KIND_LABELS[c.subjectKind]);
  field('Name', c.subjectName || 'not named');
  if (c.subjectCashierLabel) field('Cashier', c.subjectCashierLabel);
  if (c.subjectDescription) para(c.subjectDescription);

  heading('Amounts and referrals');
  field('Loss', money(c.lossCents));
  field('Recovered', money(c.recoveryCents));
  field('Restitution', money(c.restitutionCents));
  field('Referred to police', c.policeReferralDate ?? 'not referred');
  field('Referred to HR', c.hrReferralDate ?? 'not referred');

  heading('Linked incidents');
  if (!c.incidents.length) none('linked incidents');
  for (const i of c.incidents) {
    room(30);
    doc.font('Helvetica-Bold').fontSize(10).fillColor(INK).text(`${i.ref} · ${INCIDENT_TYPE_LABELS[i.type]} · ${i.storeCode ?? 'HQ'} · ${when(i.occurredAt)} · est. ${money(i.estimatedLossCents)}`, MARGIN, doc.y, { width });
    if (i.narrative) para(i.narrative, MUTED, 9.5);
    doc.moveDown(0.2);
  }

  heading('POS exceptions and transactions');
  if (!c.transactions.length) none('linked exceptions or transactions');
  for (const t of c.transactions) {
    room(30);
    const head = [t.exceptionRef, t.summary, t.occurredAt ? when(t.occurredAt) : null, t.amountCents == null ? null : money(t.amountCents)].filter(Boolean).join(' · ');
    doc.font('Helvetica-Bold').fontSize(10).fillColor(INK).text(head, MARGIN, doc.y, { width });
    if (t.receipt) para(t.receipt, MUTED, 9.5);
    if (t.videoUrl) para(`Video: ${t.videoUrl}`, MUTED, 9);
    doc.moveDown(0.2);
  }

  heading('Tasks');
  if (!c.tasks.length) none('tasks');
  for (const t of c.tasks) {
    const state = t.doneAt ? `done ${t.doneAt.slice(0, 10)}` : t.dueDate ? `due ${t.dueDate}` : 'open';
    para(`${t.doneAt ? '[x]' : '[ ]'} ${t.title} · ${t.ownerName ?? 'unassigned'} · ${state}`);
  }

  heading('Timeline');
  if (!c.timeline.length) none('notes');
  // Oldest first, as a record is read.
  for (const n of [...c.timeline].reverse()) {
    room(28);
    doc.font('Helvetica-Bold').fontSize(9.5).fillColor(MUTED).text(`${when(n.createdAt)} · ${n.authorName}${n.kind === 'event' ? ' · event' : ''}`, MARGIN, doc.y, { width });
    para(n.body, INK, 10);
    doc.moveDown(0.25);
  }

  heading('Evidence and chain of custody');
  if (!c.evidence.length) none('evidence');
  for (const e of c.evidence) {
    room(70);
    doc.font('Helvetica-Bold').fontSize(11).fillColor(INK).text(`${e.label} · ${e.title}`, MARGIN, doc.y, { width });
    if (e.kind === 'file') {
      para(`${e.filename ?? ''} · ${e.contentType ?? ''} · ${e.sizeBytes == null ? '' : formatBytes(e.sizeBytes)} · added ${when(e.createdAt)}${e.createdByName ? ` by ${e.createdByName}` : ''}`, MUTED, 9.5);
      doc.font('Courier').fontSize(9).fillColor(INK).text(`SHA-256 ${e.sha256 ?? ''}`, MARGIN, doc.y, { width });
    } else {
      para(`Video system link · ${e.url ?? ''} · added ${when(e.createdAt)}${e.createdByName ? ` by ${e.createdByName}` : ''}`, MUTED, 9.5);
    }
    if (e.integrityAlarmAt) para(`INTEGRITY ALARM raised ${when(e.integrityAlarmAt)}: the stored file no longer matched its SHA-256.`, RED, 10);
    if (e.description) para(e.description, INK, 9.5);
    doc.moveDown(0.2);
    // Custody table: when, action, who, reason (recipient).
    const cols = [
      { label: 'When', w: 100 },
      { label: 'Action', w: 80 },
      { label: 'Who', w: 100 },
      { label: 'Reason', w: width - 280 },
    ];
    const row = (cells: string[], bold = false, colour = INK) => {
      room(14);
      const y = doc.y;
      let x = MARGIN;
      let h = 0;
      doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(8.5).fillColor(colour);
      cols.forEach((col, i) => {
        doc.text(cells[i], x + 2, y, { width: col.w - 4 });
        h = Math.max(h, doc.y - y);
        x += col.w;
      });
      doc.y = y + h + 2;
      doc.moveTo(MARGIN, doc.y - 1).lineTo(MARGIN + width, doc.y - 1).lineWidth(0.4).strokeColor(RULE).stroke();
    };
    row(cols.map((col) => col.label), true);
    for (const x of e.custody) {
      row([when(x.createdAt), CUSTODY_ACTION_LABELS[x.action], x.actorName, `${x.reason}${x.recipient ? ` (to ${x.recipient})` : ''}`], false, x.action === 'integrity_alarm' ? RED : INK);
    }
    doc.moveDown(0.6);
  }

  // Footer on every page: reference, restriction and page numbers.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Below the bottom margin: lift it while writing, or pdfkit would start a new page.
    doc.page.margins.bottom = 0;
    const y = doc.page.height - MARGIN + 8;
    doc.font('Helvetica').fontSize(8).fillColor(c.sealed ? RED : MUTED);
    doc.text(`${c.ref}${c.sealed ? ' · RESTRICTED' : ''} · page ${i + 1 - range.start} of ${range.count}`, MARGIN, y, { width, align: 'center', lineBreak: false });
  }
  doc.end();
  return done;
}
