/**
 * Bar times: every accepted ISO form against `Date.parse` (UTC when no zone
 * is written), the epoch units decided by magnitude, and the refusals.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../tests/support/rng';
import { newTimeReading, readBarTime, type TimeFormat } from './barTime';

function read(text: string): { ms: number; format: TimeFormat } | string {
  const out = newTimeReading();
  return readBarTime(text, 0, text.length, out) ? { ms: out.ms, format: out.format } : out.problem;
}

describe('readBarTime', () => {
  it.each([
    ['2024-01-31', Date.UTC(2024, 0, 31)],
    ['2024-02-29', Date.UTC(2024, 1, 29)],
    ['1969-12-31', Date.UTC(1969, 11, 31)],
    ['2024-01-31T09:30', Date.UTC(2024, 0, 31, 9, 30)],
    ['2024-01-31 09:30:15', Date.UTC(2024, 0, 31, 9, 30, 15)],
    ['2024-01-31t09:30:15', Date.UTC(2024, 0, 31, 9, 30, 15)],
    ['2024-01-31T09:30:15.25', Date.UTC(2024, 0, 31, 9, 30, 15, 250)],
    ['2024-01-31T09:30:15,250', Date.UTC(2024, 0, 31, 9, 30, 15, 250)],
    ['2024-01-31T09:30:15.123456789', Date.UTC(2024, 0, 31, 9, 30, 15, 123)],
    ['2024-01-31T09:30:15Z', Date.UTC(2024, 0, 31, 9, 30, 15)],
    ['2024-01-31T09:30:15+02:00', Date.UTC(2024, 0, 31, 7, 30, 15)],
    ['2024-01-31T09:30:15+0200', Date.UTC(2024, 0, 31, 7, 30, 15)],
    ['2024-01-31T09:30-05', Date.UTC(2024, 0, 31, 14, 30)],
    ['2024-01-01T00:30:00+01:00', Date.UTC(2023, 11, 31, 23, 30)],
  ])('reads the ISO time %s, without a zone as UTC', (text, ms) => {
    expect(read(text)).toEqual({ ms, format: 'iso' });
  });

  it('agrees with Date.parse on seeded random date-times, zoned and not', () => {
    const rng = new Rng(20240131);
    const two = (n: number): string => String(n).padStart(2, '0');
    for (let i = 0; i < 2000; i++) {
      const ms = rng.between(Date.UTC(1900, 0, 1), Date.UTC(2100, 0, 1) - 1);
      const d = new Date(ms);
      const base = `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}T${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, '0')}`;
      const offset = rng.between(-12 * 60, 14 * 60);
      const zone = `${offset < 0 ? '-' : '+'}${two(Math.floor(Math.abs(offset) / 60))}:${two(Math.abs(offset) % 60)}`;
      expect(read(base)).toEqual({ ms: Date.parse(`${base}Z`), format: 'iso' });
      expect(read(`${base}${zone}`)).toEqual({ ms: Date.parse(`${base}${zone}`), format: 'iso' });
    }
  });

  it('tells epoch seconds from milliseconds by magnitude, both ranges starting at 1973-03-03T09:46:40Z', () => {
    expect(read('100000000')).toEqual({ ms: 1e11, format: 'epoch-seconds' });
    expect(read('1704067200')).toEqual({ ms: Date.UTC(2024, 0, 1), format: 'epoch-seconds' });
    expect(read('99999999999')).toEqual({ ms: 99_999_999_999_000, format: 'epoch-seconds' });
    expect(read('100000000000')).toEqual({ ms: 1e11, format: 'epoch-milliseconds' });
    expect(read('1704067200000')).toEqual({ ms: Date.UTC(2024, 0, 1), format: 'epoch-milliseconds' });
    expect(read('99999999999999')).toEqual({ ms: 99_999_999_999_999, format: 'epoch-milliseconds' });
    expect(new Date(1e11).toISOString()).toBe('1973-03-03T09:46:40.000Z');
  });

  it.each([
    ['20240131', 'epoch'], // a compact date, not a 1970 epoch second
    ['99999999', 'epoch'],
    ['0', 'epoch'],
    ['100000000000000', 'epoch'], // microseconds
    ['1704067200000000000', 'epoch'],
    ['', 'empty'],
    ['2023-02-29', 'not a time'],
    ['2024-13-01', 'not a time'],
    ['2024-04-31', 'not a time'],
    ['2024-1-31', 'not a time'],
    ['2024/01/31', 'not a time'],
    ['31.01.2024', 'not a time'],
    ['2024-01-31T24:00', 'not a time'],
    ['2024-01-31T09:60', 'not a time'],
    ['2024-01-31T09:30:60', 'not a time'],
    ['2024-01-31T09', 'not a time'],
    ['2024-01-31T09:30:15.', 'not a time'],
    ['2024-01-31T09:30:15.1234567890', 'not a time'],
    ['2024-01-31T09:30+2', 'not a time'],
    ['2024-01-31T09:30+02:60', 'not a time'],
    ['2024-01-31T09:30Z junk', 'not a time'],
    ['2024-01-31Z', 'not a time'],
    ['1704067200.5', 'not a time'],
    ['-1704067200', 'not a time'],
  ])('refuses %j', (text, problem) => {
    expect(read(text)).toEqual(expect.stringContaining(problem));
  });
});
