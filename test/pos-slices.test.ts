import { describe, expect, it } from 'vitest';
import { rowParts, SliceSize, sliceSize } from '../src/server/modules/pos/slices.js';

const text = (s: string) => new TextEncoder().encode(s);
const parts = (s: string, max: number) => [...rowParts(text(s), max)].map((p) => new TextDecoder().decode(p));

describe('COPY text cut into parts', () => {
  it('cuts at row ends, each part at most the size asked', () => {
    expect(parts('aa\nbb\ncc\ndd\n', 6)).toEqual(['aa\nbb\n', 'cc\ndd\n']);
    expect(parts('aa\nbb\ncc\ndd\n', 7)).toEqual(['aa\nbb\n', 'cc\ndd\n']);
    expect(parts('aa\nbb\ncc\ndd\n', 5)).toEqual(['aa\n', 'bb\n', 'cc\n', 'dd\n']);
  });

  it('keeps a row longer than the size whole, and the whole text when it fits', () => {
    expect(parts('a\nbbbbbbbb\nc\n', 4)).toEqual(['a\n', 'bbbbbbbb\n', 'c\n']);
    expect(parts('aa\nbb\n', 100)).toEqual(['aa\nbb\n']);
    expect(parts('', 4)).toEqual([]);
  });

  it('loses and repeats no byte', () => {
    const rows = Array.from({ length: 500 }, (_, i) => `${i}\t${'x'.repeat(i % 37)}\n`).join('');
    for (const max of [1, 10, 64, 1000, 100000]) expect(parts(rows, max).join('')).toBe(rows);
  });
});

describe('slice sizes', () => {
  it('on PGlite: shrink at once after a slow slice, grow back a little at a time, within bounds', () => {
    const size = new SliceSize(500, { min: 20, max: 5000 }, 40);
    expect(size.value).toBe(500);
    size.record(500, 200); // 0.4 ms a unit: 100 units make 40 ms
    expect(size.value).toBe(100);
    size.record(100, 4); // quick: grows, but not to 1,000 at once
    expect(size.value).toBeGreaterThan(100);
    expect(size.value).toBeLessThan(200);
    size.record(100, 100_000);
    expect(size.value).toBe(20);
    for (let i = 0; i < 200; i++) size.record(1000, 0.001);
    expect(size.value).toBe(5000);
  });

  it('on PostgreSQL: fixed (statements run in the server, not on this thread)', () => {
    const size = sliceSize('postgres', { pglite: 500, postgres: 10000, min: 20, max: 5000 });
    size.record(10000, 5000);
    expect(size.value).toBe(10000);
    expect(sliceSize('pglite', { pglite: 500, postgres: 10000, min: 20, max: 5000 }).value).toBe(500);
  });

  it('times what it runs', async () => {
    const size = new SliceSize(100, { min: 1, max: 1000 }, 40);
    await size.time(100, () => new Promise((r) => setTimeout(r, 80)));
    expect(size.value).toBeLessThanOrEqual(50);
  });
});
