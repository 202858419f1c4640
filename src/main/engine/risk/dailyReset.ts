/**
 * When the trading day starts: the most recent moment the wall clock in a
 * time zone showed the configured reset time ("17:00" in New York, "00:00"
 * UTC). Daily loss is measured from equity at that moment. Daylight saving
 * is handled by asking Intl for the zone's offset at the candidate instant.
 */
import type { DailyReset } from '../../../shared/risk';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallTime(utcMs: number, timeZone: string): WallTime {
  if (timeZone === 'UTC') {
    // The default zone needs no time-zone database: plain calendar arithmetic (Intl is slow on a hot path).
    const d = new Date(utcMs);
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
  }
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(utcMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** The zone's offset from UTC at an instant, in ms (positive east of Greenwich). */
function offsetAt(utcMs: number, timeZone: string): number {
  if (timeZone === 'UTC') return 0;
  const w = wallTime(utcMs, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/** The UTC instant at which the zone's wall clock shows the given local date and time. */
function instantOf(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
  const naive = Date.UTC(year, month - 1, day, hour, minute);
  let guess = naive - offsetAt(naive, timeZone);
  // Once more with the offset at the guess itself: right across a daylight-saving change.
  guess = naive - offsetAt(guess, timeZone);
  return guess;
}

/** The start of the trading day that `now` falls in. */
/** The last trading day found per reset, with the instant the next one starts: valuations ask many times a day. */
const lastDays = new Map<string, { start: number; next: number }>();
const HOUR_MS = 3_600_000;

export function tradingDayStart(now: number, reset: DailyReset): number {
  const key = `${reset.time}|${reset.timeZone}`;
  const known = lastDays.get(key);
  if (known && known.start <= now && now < known.next) return known.start;
  const start = computeTradingDayStart(now, reset);
  // A day is 23 to 25 hours long: 26 hours after its start lies inside the next day.
  const next = computeTradingDayStart(start + 26 * HOUR_MS, reset);
  if (lastDays.size > 16) lastDays.clear();
  lastDays.set(key, { start, next });
  return start;
}

function computeTradingDayStart(now: number, reset: DailyReset): number {
  const [hour, minute] = reset.time.split(':').map(Number) as [number, number];
  const today = wallTime(now, reset.timeZone);
  const candidate = instantOf(today.year, today.month, today.day, hour, minute, reset.timeZone);
  if (candidate <= now) return candidate;
  // Not reached yet today: the day began at yesterday's reset (Date.UTC rolls the day back across months).
  const yesterday = new Date(Date.UTC(today.year, today.month - 1, today.day - 1));
  return instantOf(yesterday.getUTCFullYear(), yesterday.getUTCMonth() + 1, yesterday.getUTCDate(), hour, minute, reset.timeZone);
}

/** Describes the reset for messages: "00:00 UTC". */
export function describeReset(reset: DailyReset): string {
  return `${reset.time} ${reset.timeZone}`;
}
