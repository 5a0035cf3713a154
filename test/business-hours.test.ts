import { describe, expect, it } from 'vitest';
import { addBusinessMinutes, describeCalendar, type BusinessCalendar } from '../src/server/platform/business-hours.js';

// Weekdays 08:00–18:00 in New York, closed on Thanksgiving: the targets a service desk counts.
const NY: BusinessCalendar = { timezone: 'America/New_York', workDays: [1, 2, 3, 4, 5], start: '08:00', end: '18:00', holidays: [{ date: '2026-11-26', name: 'Thanksgiving' }] };
const at = (iso: string) => new Date(iso);

describe('business hours', () => {
  it('counts round the clock without a calendar', () => {
    expect(addBusinessMinutes(at('2026-12-05T12:00:00Z'), 240, null).toISOString()).toBe('2026-12-05T16:00:00.000Z');
  });

  it('within one working day adds the minutes', () => {
    // Tuesday 09:00 EST (14:00Z) + 4 h = 13:00 EST.
    expect(addBusinessMinutes(at('2026-12-01T14:00:00Z'), 240, NY).toISOString()).toBe('2026-12-01T18:00:00.000Z');
  });

  it('a request filed at Friday 17:00 with 4 hours to answer is due Monday 11:00', () => {
    expect(addBusinessMinutes(at('2026-12-04T22:00:00Z'), 240, NY).toISOString()).toBe('2026-12-07T16:00:00.000Z');
  });

  it('filed on a Saturday or before opening, the clock starts at the next opening', () => {
    expect(addBusinessMinutes(at('2026-12-05T15:00:00Z'), 60, NY).toISOString()).toBe('2026-12-07T14:00:00.000Z');
    // Tuesday 06:00 EST: counting starts at 08:00.
    expect(addBusinessMinutes(at('2026-12-01T11:00:00Z'), 30, NY).toISOString()).toBe('2026-12-01T13:30:00.000Z');
    // After closing: the next morning.
    expect(addBusinessMinutes(at('2026-12-01T23:30:00Z'), 30, NY).toISOString()).toBe('2026-12-02T13:30:00.000Z');
  });

  it('skips holidays', () => {
    // Wednesday 25 Nov 17:00 EST + 3 h: one hour that day, Thanksgiving closed, two hours on Friday → 10:00.
    expect(addBusinessMinutes(at('2026-11-25T22:00:00Z'), 180, NY).toISOString()).toBe('2026-11-27T15:00:00.000Z');
  });

  it('keeps the wall-clock hours across the change from summer time', () => {
    // Friday 30 Oct 17:00 EDT (21:00Z) + 2 h: one hour Friday, one hour from Monday 2 Nov 08:00 EST (13:00Z).
    expect(addBusinessMinutes(at('2026-10-30T21:00:00Z'), 120, NY).toISOString()).toBe('2026-11-02T14:00:00.000Z');
  });

  it('spreads a three-day target over working days (10-hour days)', () => {
    // Monday 30 Nov 08:00 EST + 72 h of working time = seven 10-hour days and 2 hours: Wednesday 9 Dec 10:00.
    expect(addBusinessMinutes(at('2026-11-30T13:00:00Z'), 72 * 60, NY).toISOString()).toBe('2026-12-09T15:00:00.000Z');
  });

  it('says what it counts in words', () => {
    expect(describeCalendar(null)).toBe('round the clock');
    expect(describeCalendar(NY)).toBe('Mon–Fri 08:00–18:00 (America/New_York), 1 holiday');
    expect(describeCalendar({ ...NY, workDays: [1, 3, 5], holidays: [] })).toBe('Mon, Wed, Fri 08:00–18:00 (America/New_York)');
    expect(describeCalendar({ ...NY, workDays: [1, 2, 3, 4, 5, 6, 7], holidays: [] })).toBe('every day 08:00–18:00 (America/New_York)');
  });
});
