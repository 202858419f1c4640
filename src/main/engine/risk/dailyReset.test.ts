import { describe, expect, it } from 'vitest';
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
});
