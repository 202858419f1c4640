/**
 * Reads the time of a bar from a price file, straight from the file's text
 * (a start and end index, no substring) because it runs once per row.
 *
 * Accepted forms:
 * - ISO 8601 date `2024-01-31` (midnight UTC);
 * - ISO 8601 date-time `2024-01-31T09:30`, `2024-01-31 09:30:15`,
 *   `2024-01-31T09:30:15.250`, with an optional zone `Z`, `+02:00`, `+0200`
 *   or `+02`. Without a zone the time is UTC, never the machine's local
 *   time, so a dataset reads the same on every computer;
 * - epoch integers, whose unit is decided by magnitude: 10^8 <= n < 10^11 is
 *   seconds, 10^11 <= n < 10^14 is milliseconds. Both ranges start at the
 *   same instant (1973-03-03T09:46:40Z) and end in the year 5138, so the
 *   unit is never ambiguous. Smaller numbers are refused (an 8-digit number
 *   is far more likely a compact `YYYYMMDD` date than a time in 1970-1973),
 *   and larger ones too (microseconds and nanoseconds are not read).
 */

export type TimeFormat = 'iso' | 'epoch-seconds' | 'epoch-milliseconds';

/** Where `readBarTime` leaves its answer, reused across rows so a million rows allocate nothing. */
export interface TimeReading {
  ms: number;
  format: TimeFormat;
  /** Why the last read failed, for the refusal message. */
  problem: string;
}

export function newTimeReading(): TimeReading {
  return { ms: Number.NaN, format: 'iso', problem: '' };
}

const EPOCH_SECONDS_MIN = 1e8;
const EPOCH_MILLISECONDS_MIN = 1e11;
const EPOCH_MILLISECONDS_END = 1e14;

const MS_PER_DAY = 86_400_000;
const FORMS =
  'use an ISO date or date-time (2024-01-31, 2024-01-31T09:30:00, optionally ending in Z or a ±hh:mm zone; without a zone it is UTC) or epoch seconds or milliseconds';

const PLUS = 43;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
const COLON = 58;
const SPACE = 32;
const UPPER_T = 84;
const LOWER_T = 116;
const UPPER_Z = 90;
const LOWER_Z = 122;

/** Reads `text[start, end)` into `out`; false (with `out.problem`) when it is not a time. */
export function readBarTime(text: string, start: number, end: number, out: TimeReading): boolean {
  if (start >= end) {
    out.problem = `the time is empty: ${FORMS}`;
    return false;
  }
  let allDigits = true;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < ZERO || c > NINE) {
      allDigits = false;
      break;
    }
  }
  return allDigits ? readEpoch(text, start, end, out) : readIso(text, start, end, out);
}

function readEpoch(text: string, start: number, end: number, out: TimeReading): boolean {
  // 15 digits and more are out of range anyway; stopping there keeps the value exact.
  if (end - start > 14) return epochOutOfRange(text, start, end, out);
  let n = 0;
  for (let i = start; i < end; i++) n = n * 10 + (text.charCodeAt(i) - ZERO);
  if (n >= EPOCH_MILLISECONDS_MIN && n < EPOCH_MILLISECONDS_END) {
    out.ms = n;
    out.format = 'epoch-milliseconds';
    return true;
  }
  if (n >= EPOCH_SECONDS_MIN && n < EPOCH_MILLISECONDS_MIN) {
    out.ms = n * 1000;
    out.format = 'epoch-seconds';
    return true;
  }
  return epochOutOfRange(text, start, end, out);
}

function epochOutOfRange(text: string, start: number, end: number, out: TimeReading): false {
  out.problem =
    `"${excerpt(text, start, end)}" is not a usable epoch time: epoch seconds must be from 100000000 up to 11 digits, ` +
    `epoch milliseconds from 100000000000 up to 14 digits (both from 1973-03-03); ${FORMS}`;
  return false;
}

function readIso(text: string, start: number, end: number, out: TimeReading): boolean {
  // Fixed-width fields read in place; any deviation falls through to the one refusal message.
  if (end - start < 10) return notATime(text, start, end, out);
  let p = start;
  const year = digitsAt(text, p, 4, end);
  if (year < 0 || text.charCodeAt(p + 4) !== MINUS) return notATime(text, start, end, out);
  const month = digitsAt(text, p + 5, 2, end);
  if (month < 1 || month > 12 || text.charCodeAt(p + 7) !== MINUS) return notATime(text, start, end, out);
  const day = digitsAt(text, p + 8, 2, end);
  if (day < 1 || day > daysInMonth(year, month)) return notATime(text, start, end, out);
  p += 10;
  const days = daysFromCivil(year, month, day);
  out.format = 'iso';
  if (p === end) {
    out.ms = days * MS_PER_DAY;
    return true;
  }

  const sep = text.charCodeAt(p);
  if (sep !== UPPER_T && sep !== LOWER_T && sep !== SPACE) return notATime(text, start, end, out);
  const hour = digitsAt(text, p + 1, 2, end);
  if (hour < 0 || hour > 23 || p + 3 >= end || text.charCodeAt(p + 3) !== COLON) return notATime(text, start, end, out);
  const minute = digitsAt(text, p + 4, 2, end);
  if (minute < 0 || minute > 59) return notATime(text, start, end, out);
  p += 6;
  let second = 0;
  let millis = 0;
  if (p < end && text.charCodeAt(p) === COLON) {
    second = digitsAt(text, p + 1, 2, end);
    if (second < 0 || second > 59) return notATime(text, start, end, out);
    p += 3;
    const mark = p < end ? text.charCodeAt(p) : -1;
    if (mark === DOT || mark === COMMA) {
      // Up to nanoseconds are read; digits past the millisecond are dropped (bars are stamped in ms).
      const fracStart = ++p;
      let scale = 100;
      while (p < end) {
        const c = text.charCodeAt(p);
        if (c < ZERO || c > NINE) break;
        millis += (c - ZERO) * scale;
        scale /= 10;
        p++;
      }
      if (p === fracStart || p - fracStart > 9) return notATime(text, start, end, out);
      millis = Math.floor(millis);
    }
  }

  let offsetMinutes = 0;
  if (p < end) {
    const z = text.charCodeAt(p);
    if (z === UPPER_Z || z === LOWER_Z) {
      p++;
    } else if (z === PLUS || z === MINUS) {
      const oh = digitsAt(text, p + 1, 2, end);
      if (oh < 0 || oh > 23) return notATime(text, start, end, out);
      p += 3;
      let om = 0;
      if (p < end) {
        if (text.charCodeAt(p) === COLON) p++;
        om = digitsAt(text, p, 2, end);
        if (om < 0 || om > 59) return notATime(text, start, end, out);
        p += 2;
      }
      offsetMinutes = (z === MINUS ? -1 : 1) * (oh * 60 + om);
    }
    if (p !== end) return notATime(text, start, end, out);
  }

  out.ms = days * MS_PER_DAY + hour * 3_600_000 + minute * 60_000 + second * 1000 + millis - offsetMinutes * 60_000;
  return true;
}

function notATime(text: string, start: number, end: number, out: TimeReading): false {
  out.problem = `"${excerpt(text, start, end)}" is not a time: ${FORMS}`;
  return false;
}

/** The decimal value of exactly `count` digits at `at`, or -1. */
function digitsAt(text: string, at: number, count: number, end: number): number {
  if (at + count > end) return -1;
  let n = 0;
  for (let k = at; k < at + count; k++) {
    const c = text.charCodeAt(k);
    if (c < ZERO || c > NINE) return -1;
    n = n * 10 + (c - ZERO);
  }
  return n;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeap(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The field as a refusal message quotes it: at most 40 characters. */
export function excerpt(text: string, start: number, end: number): string {
  return end - start > 40 ? `${text.slice(start, start + 37)}...` : text.slice(start, end);
}
