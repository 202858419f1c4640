/**
 * When a live instance was deciding, read from its lifecycle (started,
 * paused, resumed, stopped, error, and the emergency stop that halts every
 * instance). A bar the instance processed is one that closed inside a
 * window; any other bar of the period is a missed bar. A restart of Keel
 * itself leaves no lifecycle entry, so the time it was down counts as
 * deciding (docs/parity.md says so).
 */

export type LifecycleKind = 'started' | 'paused' | 'resumed' | 'stopped' | 'error';

export interface LifecycleEvent {
  time: number;
  kind: LifecycleKind;
}

/** A stretch of time the instance decided on the bars that closed in it: (from, to]. */
export interface DecidingWindow {
  from: number;
  /** Infinity while it still decides. */
  to: number;
}

/**
 * The instance's events since it was created, with a start at its creation
 * assumed when the log no longer holds its first start (the activity log is
 * pruned): its earliest event left is a pause or a stop, or it has none left
 * and is running now.
 */
export function withAssumedStart(events: readonly LifecycleEvent[], createdAt: number, runningNow: boolean): LifecycleEvent[] {
  const own = events.filter((e) => e.time >= createdAt);
  const first = own.reduce<LifecycleEvent | null>((earliest, e) => (earliest === null || e.time < earliest.time ? e : earliest), null);
  const startLost = first === null ? runningNow : first.kind !== 'started' && first.kind !== 'resumed';
  return startLost ? [{ time: createdAt, kind: 'started' }, ...own] : own;
}

/** The windows in time order; events may come in any order. */
export function decidingWindows(events: readonly LifecycleEvent[]): DecidingWindow[] {
  const sorted = [...events].sort((a, b) => a.time - b.time);
  const windows: DecidingWindow[] = [];
  let openedAt: number | null = null;
  for (const event of sorted) {
    const opens = event.kind === 'started' || event.kind === 'resumed';
    if (opens && openedAt === null) openedAt = event.time;
    else if (!opens && openedAt !== null) {
      windows.push({ from: openedAt, to: event.time });
      openedAt = null;
    }
  }
  if (openedAt !== null) windows.push({ from: openedAt, to: Number.POSITIVE_INFINITY });
  return windows;
}

/** True when a bar closing at `closeTime` was handed to the deciding instance. */
export function processedAt(windows: readonly DecidingWindow[], closeTime: number): boolean {
  return windows.some((w) => closeTime > w.from && closeTime <= w.to);
}

/**
 * The period a report covers by default: from the first start to now while
 * it decides, or to the moment it last stopped deciding. An explicit bound
 * replaces the default one. Null when the instance never started.
 */
export function defaultPeriod(windows: readonly DecidingWindow[], now: number, asked: { from?: number; to?: number }): { from: number; to: number } | null {
  const from = asked.from ?? windows[0]?.from;
  if (from === undefined) return null;
  const last = windows[windows.length - 1];
  const to = asked.to ?? (last ? Math.min(now, last.to) : now);
  return { from, to };
}
