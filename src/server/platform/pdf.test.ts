import { describe, expect, it } from 'vitest';
import { winAnsiText } from './pdf.js';

describe('winAnsiText', () => {
  it('keeps what the standard fonts draw and replaces the rest', () => {
    expect(winAnsiText('EXC-468 · refunds 11% vs peers 0.8% (12.5σ) — Open → Closed – “ok” €5 × 2')).toBe('EXC-468 · refunds 11% vs peers 0.8% (12.5 sd) — Open -> Closed – “ok” €5 × 2');
    expect(winAnsiText('Zoë naïve café')).toBe('Zoë naïve café');
    expect(winAnsiText('東京 🎥')).toBe('?? ?');
  });
});
