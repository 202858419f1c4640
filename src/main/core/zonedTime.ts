/**
 * Wall-clock readings in an IANA time zone, and the instants they fall on.
 * The risk governor's trading day and the daily report's schedule both count
 * local days. UTC, the default zone, is answered by plain calendar arithmetic:
 * Intl is slow, and the trading day is asked for on every valuation.
 */

const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** A local date and time (month 1-12). */
export interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock reading in `timeZone` at `instant`. */
export function localTimeAt(instant: number, timeZone: string): LocalTime {
  if (timeZone === 'UTC') {
    const d = new Date(instant);
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
  }
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instant))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** How far `timeZone`'s wall clock is ahead of UTC at `instant`, in ms (positive east of Greenwich). */
export function offsetAt(instant: number, timeZone: string): number {
  if (timeZone === 'UTC') return 0;
  const whole = Math.floor(instant / 1000) * 1000;
  const t = localTimeAt(whole, timeZone);
  return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second) - whole;
}

/**
 * The instant the wall clock in `timeZone` reads `hour:minute` on the local
 * date given (month 1-12; day may overflow, as Date.UTC allows). A time a
 * daylight-saving change skips (02:30 on the spring-forward night) falls as
 * far past the gap's start as it was meant to (03:30); a time that happens
 * twice (the fall-back night) falls on its first occurrence. These are the
 * rules of Temporal's "compatible" disambiguation.
 */
export function instantOfLocal(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  if (timeZone === 'UTC') return wall;
  // Offsets in force a day either side cover any single change near this time.
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const candidates = [...new Set([wall - before, wall - after])].filter((instant) => instant + offsetAt(instant, timeZone) === wall).sort((a, b) => a - b);
  // Twice (fall back): the first. Never (spring forward): read with the offset from before the gap, which lands past it.
  return candidates[0] ?? wall - before;
}
