import { describe, expect, it } from 'vitest';
import { instantOfLocal, localTimeAt } from '../core/zonedTime';
import { nextLocalTime, previousLocalDay } from './dailySchedule';

const iso = (t: number) => new Date(t).toISOString();

describe('the daily schedule', () => {
  it('finds the next local time later today, or tomorrow once it has passed', () => {
    const morning = Date.parse('2026-03-10T06:00:00Z');
    expect(iso(nextLocalTime(morning, '18:00', 'UTC'))).toBe('2026-03-10T18:00:00.000Z');
    expect(iso(nextLocalTime(Date.parse('2026-03-10T18:00:00Z'), '18:00', 'UTC'))).toBe('2026-03-11T18:00:00.000Z');
    expect(iso(nextLocalTime(Date.parse('2026-03-10T18:00:01Z'), '18:00', 'UTC'))).toBe('2026-03-11T18:00:00.000Z');
  });

  it('reads the time in the zone given, whatever day it is in UTC', () => {
    // 23:30 UTC on the 10th is already the 11th in Tokyo (UTC+9); 08:00 Tokyo on the 12th is 23:00 UTC on the 11th.
    expect(iso(nextLocalTime(Date.parse('2026-03-10T23:30:00Z'), '08:00', 'Asia/Tokyo'))).toBe('2026-03-11T23:00:00.000Z');
    // New York is UTC-5 in January: 18:00 there is 23:00 UTC.
    expect(iso(nextLocalTime(Date.parse('2026-01-15T12:00:00Z'), '18:00', 'America/New_York'))).toBe('2026-01-15T23:00:00.000Z');
    // A zone with a half-hour offset.
    expect(iso(nextLocalTime(Date.parse('2026-01-15T00:00:00Z'), '09:00', 'Asia/Kolkata'))).toBe('2026-01-15T03:30:00.000Z');
  });

  it('keeps the local time across daylight saving changes (the day is 23 or 25 hours long)', () => {
    // Berlin springs forward on 29 March 2026 (CET +1 -> CEST +2) and falls back on 25 October 2026.
    const beforeSpring = nextLocalTime(Date.parse('2026-03-28T12:00:00Z'), '18:00', 'Europe/Berlin');
    expect(iso(beforeSpring)).toBe('2026-03-28T17:00:00.000Z');
    const afterSpring = nextLocalTime(beforeSpring, '18:00', 'Europe/Berlin');
    expect(iso(afterSpring)).toBe('2026-03-29T16:00:00.000Z');
    expect(afterSpring - beforeSpring).toBe(23 * 3_600_000);
    const beforeFall = nextLocalTime(Date.parse('2026-10-24T12:00:00Z'), '18:00', 'Europe/Berlin');
    const afterFall = nextLocalTime(beforeFall, '18:00', 'Europe/Berlin');
    expect(iso(afterFall)).toBe('2026-10-25T17:00:00.000Z');
    expect(afterFall - beforeFall).toBe(25 * 3_600_000);
    // And the day a report covers is the local day: 23 hours that spring Sunday.
    expect(afterSpring - previousLocalDay(afterSpring, '18:00', 'Europe/Berlin')).toBe(23 * 3_600_000);
  });

  it('moves a time the clocks skip past the gap, and takes the first of a time that happens twice', () => {
    // 02:30 does not exist in Berlin on 29 March 2026 (02:00 CET -> 03:00 CEST): it falls at 03:30 CEST = 01:30 UTC.
    expect(iso(instantOfLocal(2026, 3, 29, 2, 30, 'Europe/Berlin'))).toBe('2026-03-29T01:30:00.000Z');
    expect(localTimeAt(instantOfLocal(2026, 3, 29, 2, 30, 'Europe/Berlin'), 'Europe/Berlin')).toMatchObject({ hour: 3, minute: 30 });
    // 02:30 happens twice on 25 October 2026: first in CEST (00:30 UTC), then in CET (01:30 UTC).
    expect(iso(instantOfLocal(2026, 10, 25, 2, 30, 'Europe/Berlin'))).toBe('2026-10-25T00:30:00.000Z');
    // Each of those nights still has exactly one report at 02:30.
    const spring = nextLocalTime(Date.parse('2026-03-28T12:00:00Z'), '02:30', 'Europe/Berlin');
    expect(iso(spring)).toBe('2026-03-29T01:30:00.000Z');
    const fall = nextLocalTime(Date.parse('2026-10-24T12:00:00Z'), '02:30', 'Europe/Berlin');
    expect(iso(fall)).toBe('2026-10-25T00:30:00.000Z');
    expect(iso(nextLocalTime(fall, '02:30', 'Europe/Berlin'))).toBe('2026-10-26T01:30:00.000Z');
    // New York too (spring forward on 8 March 2026 at 02:00 EST).
    expect(iso(instantOfLocal(2026, 3, 8, 2, 15, 'America/New_York'))).toBe('2026-03-08T07:15:00.000Z');
  });

  it('crosses month and year ends', () => {
    expect(iso(nextLocalTime(Date.parse('2026-12-31T20:00:00Z'), '07:00', 'Europe/Berlin'))).toBe('2027-01-01T06:00:00.000Z');
    expect(iso(previousLocalDay(Date.parse('2027-03-01T06:00:00Z'), '07:00', 'Europe/Berlin'))).toBe('2027-02-28T06:00:00.000Z');
  });
});
