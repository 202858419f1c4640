import { describe, expect, it } from 'vitest';
import { nextLocalTime } from '../../alerts/dailySchedule';
import { tradingDayStart } from './dailyReset';

const utc = (iso: string) => Date.parse(iso);

describe('tradingDayStart', () => {
  it('starts the day at midnight UTC', () => {
    expect(tradingDayStart(utc('2026-11-21T10:15:00Z'), { time: '00:00', timeZone: 'UTC' })).toBe(utc('2026-11-21T00:00:00Z'));
  });

  it('is the previous day until the reset time is reached, and the same day from it on', () => {
    const reset = { time: '17:00', timeZone: 'UTC' };
    expect(tradingDayStart(utc('2026-11-21T16:59:59Z'), reset)).toBe(utc('2026-11-20T17:00:00Z'));
    expect(tradingDayStart(utc('2026-11-21T17:00:00Z'), reset)).toBe(utc('2026-11-21T17:00:00Z'));
    expect(tradingDayStart(utc('2026-11-21T17:00:01Z'), reset)).toBe(utc('2026-11-21T17:00:00Z'));
  });

  it('follows the time zone, daylight saving included', () => {
    const reset = { time: '17:00', timeZone: 'America/New_York' };
    // Winter: New York is UTC-5, so 17:00 there is 22:00 UTC.
    expect(tradingDayStart(utc('2026-01-15T23:00:00Z'), reset)).toBe(utc('2026-01-15T22:00:00Z'));
    expect(tradingDayStart(utc('2026-01-15T21:00:00Z'), reset)).toBe(utc('2026-01-14T22:00:00Z'));
    // Summer: UTC-4, so 21:00 UTC.
    expect(tradingDayStart(utc('2026-07-15T21:30:00Z'), reset)).toBe(utc('2026-07-15T21:00:00Z'));
  });

  it('rolls back across a month boundary', () => {
    expect(tradingDayStart(utc('2026-03-01T03:00:00Z'), { time: '08:00', timeZone: 'UTC' })).toBe(utc('2026-02-28T08:00:00Z'));
  });

  it('handles zones east of UTC', () => {
    // Tokyo is UTC+9: 00:00 there is 15:00 UTC the day before.
    expect(tradingDayStart(utc('2026-11-21T14:00:00Z'), { time: '00:00', timeZone: 'Asia/Tokyo' })).toBe(utc('2026-11-20T15:00:00Z'));
    expect(tradingDayStart(utc('2026-11-21T15:00:00Z'), { time: '00:00', timeZone: 'Asia/Tokyo' })).toBe(utc('2026-11-21T15:00:00Z'));
  });

  it('places a reset time the clocks skip past the gap, and one they repeat at its first occurrence, as the daily report does', () => {
    // 02:30 does not exist in New York on 8 March 2026 (02:00 EST -> 03:00 EDT): the day starts at 03:30 EDT = 07:30 UTC.
    const skipped = { time: '02:30', timeZone: 'America/New_York' };
    expect(tradingDayStart(utc('2026-03-08T07:29:00Z'), skipped)).toBe(utc('2026-03-07T07:30:00Z'));
    expect(tradingDayStart(utc('2026-03-08T07:30:00Z'), skipped)).toBe(utc('2026-03-08T07:30:00Z'));
    // 02:30 happens twice in Berlin on 25 October 2026 (00:30 and 01:30 UTC): the day starts at the first, once.
    const repeated = { time: '02:30', timeZone: 'Europe/Berlin' };
    expect(tradingDayStart(utc('2026-10-25T00:30:00Z'), repeated)).toBe(utc('2026-10-25T00:30:00Z'));
    expect(tradingDayStart(utc('2026-10-25T01:45:00Z'), repeated)).toBe(utc('2026-10-25T00:30:00Z'));
    // The same instants the daily report's schedule gives for those days.
    expect(nextLocalTime(utc('2026-03-07T12:00:00Z'), skipped.time, skipped.timeZone)).toBe(utc('2026-03-08T07:30:00Z'));
    expect(nextLocalTime(utc('2026-10-24T12:00:00Z'), repeated.time, repeated.timeZone)).toBe(utc('2026-10-25T00:30:00Z'));
  });

  it('agrees with the daily report on every day start through two years of daylight-saving changes', () => {
    for (const timeZone of ['America/New_York', 'Europe/Berlin', 'Australia/Sydney']) {
      for (const time of ['00:00', '01:30', '02:00', '02:30', '03:00', '17:00']) {
        let start = tradingDayStart(utc('2026-01-01T00:00:00Z'), { time, timeZone });
        for (let day = 0; day < 730; day++) {
          const next = nextLocalTime(start, time, timeZone);
          // The whole day, to its last millisecond, belongs to the day that started at `start`.
          expect(tradingDayStart(next - 1, { time, timeZone })).toBe(start);
          expect(tradingDayStart(next, { time, timeZone })).toBe(next);
          start = next;
        }
      }
    }
  });
});

