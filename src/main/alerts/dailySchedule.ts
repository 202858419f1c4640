/**
 * When a daily event at a local wall-clock time falls, in an IANA time zone,
 * as instants on the engine's clock. Days are local days, so across a
 * daylight-saving change the report still goes out at the same local time
 * (the day is then 23 or 25 hours long). A time the change skips (02:30 on
 * the spring-forward night) falls as far past the gap's start as it was
 * meant to (03:30); a time that happens twice (the fall-back night) falls on
 * its first occurrence (see instantOfLocal).
 */

import { instantOfLocal, localTimeAt } from '../core/zonedTime';

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
