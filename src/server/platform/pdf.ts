import PDFDocument from 'pdfkit';

/**
 * Characters the PDF's standard fonts (Helvetica, Courier: WinAnsi encoding) cannot draw, and what
 * is printed instead; without this "12.5σ" and "Open → Closed" came out as garbage.
 */
const SUBSTITUTES: Record<string, string> = { '→': '->', '←': '<-', '≈': '~', '≤': '<=', '≥': '>=', '−': '-', 'σ': ' sd', '✓': 'x', '✗': 'x', '\u00a0': ' ' };
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

export function winAnsiText(value: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || ch === '\n' || WIN_ANSI_EXTRA.has(ch)) out += SUBSTITUTES[ch] ?? ch;
    else out += SUBSTITUTES[ch] ?? '?';
  }
  return out;
}

/** A pdfkit document whose `text()` prints every string through `winAnsiText`. */
export function pdfDocument(options: PDFKit.PDFDocumentOptions): PDFKit.PDFDocument {
  const doc = new PDFDocument(options);
  const text = doc.text.bind(doc) as (...args: unknown[]) => PDFKit.PDFDocument;
  (doc as unknown as { text: (...args: unknown[]) => PDFKit.PDFDocument }).text = (value: unknown, ...rest: unknown[]) => text(typeof value === 'string' ? winAnsiText(value) : value, ...rest);
  return doc;
}
