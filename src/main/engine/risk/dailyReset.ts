/**
 * When the trading day starts: the most recent moment the wall clock in a
 * time zone showed the configured reset time ("17:00" in New York, "00:00"
 * UTC). Daily loss is measured from equity at that moment. A reset time
 * that a daylight-saving change skips or repeats is placed as the daily
 * report's schedule places it (zonedTime's `instantOfLocal`): past the gap,
 * or at its first occurrence. The loss limit's day and the report's day are
 * then always the same day.
 */
import type { DailyReset } from '../../../shared/risk';
import { instantOfLocal, localTimeAt } from '../../core/zonedTime';

/** The last trading day found per reset, with the instant the next one starts: valuations ask many times a day. */
const lastDays = new Map<string, { start: number; next: number }>();
const HOUR_MS = 3_600_000;

/** The start of the trading day that `now` falls in. */
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
  const today = localTimeAt(now, reset.timeZone);
  const candidate = instantOfLocal(today.year, today.month, today.day, hour, minute, reset.timeZone);
  if (candidate <= now) return candidate;
  // Not reached yet today: the day began at yesterday's reset (Date.UTC rolls the day back across months).
  return instantOfLocal(today.year, today.month, today.day - 1, hour, minute, reset.timeZone);
}

/** Describes the reset for messages: "00:00 UTC". */
export function describeReset(reset: DailyReset): string {
  return `${reset.time} ${reset.timeZone}`;
}
