/**
 * When a daily event at a local wall-clock time falls, in an IANA time zone,
 * as instants on the engine's clock. Days are local days, so across a
 * daylight-saving change the report still goes out at the same local time
 * (the day is then 23 or 25 hours long). A time the change skips (02:30 on
 * the spring-forward night) falls as far past the gap's start as it was
 * meant to (03:30); a time that happens twice (the fall-back night) falls on
 * its first occurrence. These are the rules of Temporal's "compatible"
 * disambiguation, the calendar applications' usual choice.
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

interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock reading in `timeZone` at `instant`. */
export function localTimeAt(instant: number, timeZone: string): LocalTime {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instant))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** How far `timeZone`'s wall clock is ahead of UTC at `instant`, in ms. */
function offsetAt(instant: number, timeZone: string): number {
  const whole = Math.floor(instant / 1000) * 1000;
  const t = localTimeAt(whole, timeZone);
  return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second) - whole;
}

/** The instant the wall clock in `timeZone` reads `hour:minute` on the local date given (month 1-12; day may overflow, as Date.UTC allows). */
export function instantOfLocal(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // Offsets in force a day either side cover any single change near this time.
  const before = offsetAt(wall - DAY_MS, timeZone);
  const after = offsetAt(wall + DAY_MS, timeZone);
  const candidates = [...new Set([wall - before, wall - after])].filter((instant) => instant + offsetAt(instant, timeZone) === wall).sort((a, b) => a - b);
  // Twice (fall back): the first. Never (spring forward): read with the offset from before the gap, which lands past it.
  return candidates[0] ?? wall - before;
}

export function parseTimeOfDay(time: string): { hour: number; minute: number } {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!match) throw new RangeError(`Not a time of day (HH:MM): ${time}`);
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

/** The first instant strictly after `after` at which the wall clock in `timeZone` reads `time` (HH:MM). */
export function nextLocalTime(after: number, time: string, timeZone: string): number {
  const { hour, minute } = parseTimeOfDay(time);
  const today = localTimeAt(after, timeZone);
  for (let days = 0; days <= 2; days++) {
    const at = instantOfLocal(today.year, today.month, today.day + days, hour, minute, timeZone);
    if (at > after) return at;
  }
  throw new Error(`No ${time} in ${timeZone} within two days of ${new Date(after).toISOString()}`);
}

/** The same local time on the local day before the one `at` falls on: where a daily report's day begins. */
export function previousLocalDay(at: number, time: string, timeZone: string): number {
  const { hour, minute } = parseTimeOfDay(time);
  const day = localTimeAt(at, timeZone);
  return instantOfLocal(day.year, day.month, day.day - 1, hour, minute, timeZone);
}
