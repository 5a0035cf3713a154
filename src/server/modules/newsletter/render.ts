import mjml2html from 'mjml';
import type { EditionSection } from '../../../contracts/newsletter.js';
import { escapeHtml } from '../../platform/mail.js';
import { chartPng, CHART_HEIGHT, CHART_WIDTH } from './charts.js';

/** Replaced per recipient after rendering (the template is rendered once per edition). */
export const PREFERENCES_PLACEHOLDER = '%%TANDEM_PREFERENCES_URL%%';

export interface RenderableEdition {
  ref: string;
  title: string;
  periodLabel: string;
  editorNote: string;
  sections: EditionSection[];
}

export interface RenderedEdition {
  subject: string;
  html: string;
  text: string;
  /** Chart pictures: attached to each message and referenced as cid: (mail), or inlined as data: (web preview). */
  images: { cid: string; filename: string; content: Buffer; alt: string }[];
}

const FONT = 'Arial, Helvetica, sans-serif';
const attr = (s: string) => escapeHtml(s);
/** Text for mj-text: escaped, line breaks kept. */
const para = (s: string) => escapeHtml(s).replace(/\r?\n/g, '<br>');

export function periodLabel(cadence: 'weekly' | 'monthly', from: Date, to: Date) {
  const last = new Date(to.getTime() - 1);
  if (cadence === 'monthly') return from.toLocaleDateString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
  const d = (x: Date) => x.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
  return `Week of ${d(from)} – ${d(last)} ${last.getUTCFullYear()}`;
}

/**
 * The edition as mail: MJML (tables for layout, CSS inlined, one column at most 600 px wide, no web
 * fonts, no script), a plain-text twin, and the charts as PNG pictures with their alt text.
 * `imageMode` 'data' inlines pictures for the in-app preview; 'cid' references attachments for mail.
 */
export async function renderEdition(edition: RenderableEdition, options: { imageMode: 'cid' | 'data'; preferencesUrl?: string; archiveUrl?: string }): Promise<RenderedEdition> {
  const images: RenderedEdition['images'] = [];
  const body: string[] = [];
  const textParts: string[] = [];
  const subject = `${edition.title} — ${edition.periodLabel}`;

  body.push(`<mj-section background-color="#1c7ed6" padding="20px 24px"><mj-column>
    <mj-text color="#ffffff" font-size="13px" padding="0 0 4px">Tandem · Loss prevention, security and IT · ${attr(edition.ref)}</mj-text>
    <mj-text color="#ffffff" font-size="24px" font-weight="bold" line-height="30px" padding="0"><h1 style="margin:0;font-size:24px;line-height:30px">${para(edition.title)}</h1></mj-text>
    <mj-text color="#ffffff" font-size="14px" padding="4px 0 0">${para(edition.periodLabel)}</mj-text>
  </mj-column></mj-section>`);
  textParts.push(edition.title.toUpperCase(), edition.periodLabel, '');

  if (edition.editorNote.trim()) {
    body.push(`<mj-section background-color="#ffffff" padding="16px 24px 0"><mj-column border-left="4px solid #1c7ed6" padding-left="12px">
      <mj-text font-size="12px" color="#495057" padding="0 0 4px" font-weight="bold">EDITOR'S NOTE</mj-text>
      <mj-text font-size="15px" line-height="22px" padding="0">${para(edition.editorNote)}</mj-text>
    </mj-column></mj-section>`);
    textParts.push("EDITOR'S NOTE", edition.editorNote.trim(), '');
  }

  edition.sections.forEach((section, si) => {
    const parts: string[] = [`<mj-text font-size="18px" font-weight="bold" color="#1c7ed6" padding="0 0 8px"><h2 style="margin:0;font-size:18px">${para(section.title)}</h2></mj-text>`];
    textParts.push(`## ${section.title}`, '');
    section.blocks.forEach((block, bi) => {
      switch (block.type) {
        case 'paragraph':
          parts.push(`<mj-text font-size="15px" line-height="22px" padding="0 0 10px">${para(block.text)}</mj-text>`);
          textParts.push(block.text, '');
          break;
        case 'figures': {
          const cells = block.items
            .map(
              (f) =>
                `<td width="${Math.floor(100 / Math.min(block.items.length, 3))}%" valign="top" style="padding:8px;border:1px solid #dee2e6;background:#f8f9fa"><div style="font-size:22px;font-weight:bold;color:#212529">${escapeHtml(f.value)}</div><div style="font-size:12px;color:#495057">${escapeHtml(f.label)}</div>${f.note ? `<div style="font-size:11px;color:#495057">${escapeHtml(f.note)}</div>` : ''}</td>`,
            );
          const rows: string[] = [];
          for (let i = 0; i < cells.length; i += 3) rows.push(`<tr>${cells.slice(i, i + 3).join('')}</tr>`);
          parts.push(`<mj-table font-size="14px" padding="0 0 12px" cellpadding="0" cellspacing="4" width="100%">${rows.join('')}</mj-table>`);
          for (const f of block.items) textParts.push(`* ${f.label}: ${f.value}${f.note ? ` (${f.note})` : ''}`);
          textParts.push('');
          break;
        }
        case 'items':
          for (const item of block.items) {
            const title = item.link ? `<a href="${attr(item.link)}" style="color:#1c7ed6">${escapeHtml(item.title)}</a>` : escapeHtml(item.title);
            parts.push(
              `<mj-text font-size="15px" line-height="21px" padding="0 0 8px"><strong>${title}</strong>${item.text ? `<br>${para(item.text)}` : ''}${item.credit ? `<br><span style="font-size:12px;color:#495057">${escapeHtml(item.credit)}</span>` : ''}</mj-text>`,
            );
            textParts.push(`- ${item.title}${item.text ? `\n  ${item.text}` : ''}${item.credit ? `\n  ${item.credit}` : ''}${item.link ? `\n  ${item.link}` : ''}`);
          }
          textParts.push('');
          break;
        case 'chart': {
          const cid = `chart-${si}-${bi}@tandem`;
          const content = chartPng(block);
          images.push({ cid, filename: `chart-${si + 1}-${bi + 1}.png`, content, alt: block.alt });
          const src = options.imageMode === 'cid' ? `cid:${cid}` : `data:image/png;base64,${content.toString('base64')}`;
          parts.push(`<mj-image src="${attr(src)}" alt="${attr(block.alt)}" title="${attr(block.title)}" width="${CHART_WIDTH}px" height="${Math.round(CHART_HEIGHT)}px" padding="0 0 12px" />`);
          textParts.push(`[Chart] ${block.title}: ${block.alt}`);
          for (const p of block.points) textParts.push(`  ${p.label}: ${p.value}${block.unit ? ` ${block.unit}` : ''}${p.reference !== undefined ? ` (reference ${p.reference})` : ''}`);
          textParts.push('');
          break;
        }
      }
    });
    body.push(`<mj-section background-color="#ffffff" padding="16px 20px 4px" border-top="1px solid #e9ecef"><mj-column>${parts.join('\n')}</mj-column></mj-section>`);
  });

  const prefs = options.preferencesUrl ?? PREFERENCES_PLACEHOLDER;
  const footerLinks = [
    options.archiveUrl ? `<a href="${attr(options.archiveUrl)}" style="color:#1c7ed6">Read it in Tandem</a>` : '',
    `<a href="${attr(prefs)}" style="color:#1c7ed6">Unsubscribe or change how often you receive it</a>`,
  ].filter(Boolean);
  body.push(`<mj-section padding="16px 24px"><mj-column>
    <mj-text font-size="12px" line-height="18px" color="#495057" align="center">You receive this as a member of the retailer's loss prevention, security and IT community, or because you subscribed.<br>${footerLinks.join(' · ')}</mj-text>
  </mj-column></mj-section>`);
  textParts.push('--', ...(options.archiveUrl ? [`Read it in Tandem: ${options.archiveUrl}`] : []), `Unsubscribe or change how often you receive it: ${prefs}`);

  const source = `<mjml lang="en">
  <mj-head>
    <mj-title>${attr(subject)}</mj-title>
    <mj-preview>${attr(edition.editorNote.trim().slice(0, 120) || edition.periodLabel)}</mj-preview>
    <mj-attributes><mj-all font-family="${FONT}" /><mj-text color="#212529" /></mj-attributes>
  </mj-head>
  <mj-body width="600px" background-color="#f1f3f5">${body.join('\n')}</mj-body>
</mjml>`;
  // No web fonts (a link to a font host is an outside request and blocked by many clients); minified
  // output keeps big audiences' messages small.
  const result = await mjml2html(source, { validationLevel: 'strict', fonts: {}, keepComments: false });
  if (result.errors?.length) throw new Error(`newsletter template: ${result.errors.map((e) => e.formattedMessage).join('; ')}`);
  return { subject, html: result.html, text: textParts.join('\n').replace(/\n{3,}/g, '\n\n'), images };
}
