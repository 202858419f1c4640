/**
 * Pairs a live instance's orders with its replay's, one to one, and says
 * for each pair or lone order why they differ. Pure: orders, bars and the
 * instance's deciding windows in, rows out.
 *
 * Pairing: an order belongs to the newest bar that had closed when it was
 * sent (the replay sends at the close itself). First, orders of the same
 * bar and side pair in the order they were sent; then a live order left
 * over pairs with the replay's left-over order of the same side on the
 * nearest earlier bar, at most `maxLagBars` back (an order so late that it
 * went out after the next bar had closed).
 *
 * A pair is, in this order of precedence: `fillModel` when one filled and
 * the other did not; `latency` when the live order went out more than the
 * threshold after its bar's close; `price` when both filled at different
 * average prices; else `same`. A replay order alone is `missedBar` when the
 * instance was not deciding as its bar closed, else `missing`; a live order
 * alone is `extra`. Bars the instance missed without a replay decision on
 * them are reported as stretches, so a gap is visible even when it cost
 * nothing.
 */
import type { ParityOrder, ParityRow, ParitySeverity } from '../../shared/contract/parity';
import { Dec } from '../../shared/decimal';

export interface MatchInput {
  /** Open times of the period's bars (the ones decided on), oldest first. */
  barTimes: readonly number[];
  timeframeMs: number;
  live: readonly ParityOrder[];
  replay: readonly ParityOrder[];
  /** True when the live instance was deciding as a bar closing then closed. */
  processed: (closeTime: number) => boolean;
  latencyMs: number;
  /** How many bars back a late live order may still pair; default 3. */
  maxLagBars?: number;
  /** Slippage beyond this many basis points is a warning, below it information; default 10. */
  slippageWarnBps?: number;
}

interface Placed {
  order: ParityOrder;
  /** Index into `barTimes` of the bar it was sent for; -1 when sent before the first bar closed. */
  bar: number;
  paired: boolean;
}

export function matchDecisions(input: MatchInput): ParityRow[] {
  const { barTimes, timeframeMs: tf } = input;
  const maxLag = input.maxLagBars ?? 3;
  const closes = barTimes.map((t) => t + tf);
  const place = (order: ParityOrder): Placed => ({ order, bar: latestAtOrBefore(closes, order.createdAt), paired: false });
  const byTime = (a: ParityOrder, b: ParityOrder) => a.createdAt - b.createdAt || a.orderId.localeCompare(b.orderId);
  const live = [...input.live].sort(byTime).map(place);
  const replay = [...input.replay].sort(byTime).map(place);
  const rows: ParityRow[] = [];

  // Same bar, same side, in the order they were sent.
  const waiting = new Map<string, Placed[]>();
  for (const r of replay) {
    const key = `${r.bar}|${r.order.side}`;
    waiting.set(key, [...(waiting.get(key) ?? []), r]);
  }
  for (const l of live) {
    const r = waiting.get(`${l.bar}|${l.order.side}`)?.find((c) => !c.paired);
    if (!r) continue;
    l.paired = r.paired = true;
    rows.push(pairRow(l, r, input, closes));
  }
  // Late: the nearest earlier bar's left-over order of the same side.
  for (const l of live) {
    if (l.paired) continue;
    let best: Placed | null = null;
    for (const r of replay) {
      if (r.paired || r.order.side !== l.order.side || r.bar >= l.bar || r.bar < l.bar - maxLag) continue;
      if (best === null || r.bar > best.bar) best = r;
    }
    if (!best) continue;
    l.paired = best.paired = true;
    rows.push(pairRow(l, best, input, closes));
  }

  for (const r of replay) {
    if (r.paired) continue;
    const missed = r.bar >= 0 && !input.processed(closes[r.bar]!);
    rows.push({
      reason: missed ? 'missedBar' : 'missing',
      severity: missed ? 'warning' : 'error',
      barTime: barTimeOf(r, barTimes, tf),
      bars: 1,
      side: r.order.side,
      live: null,
      replay: r.order,
      slippage: null,
      lagMs: null,
      note: missed
        ? `The instance was not deciding when this bar closed (paused, stopped or in error); the replay sent ${describe(r.order)}.`
        : `The replay sent ${describe(r.order)} on this bar; the instance processed the bar and sent nothing like it (its position, orders or state differed).`,
    });
  }
  for (const l of live) {
    if (l.paired) continue;
    rows.push({
      reason: 'extra',
      severity: 'error',
      barTime: barTimeOf(l, barTimes, tf),
      bars: 1,
      side: l.order.side,
      live: l.order,
      replay: null,
      slippage: null,
      lagMs: l.bar >= 0 ? l.order.createdAt - closes[l.bar]! : null,
      note: `The instance sent ${describe(l.order)}; the replay sent nothing like it on this bar (a stop that flattened, a restart, or a position that differed).`,
    });
  }
  rows.push(...missedStretches(input, closes, replay));
  return rows.sort((a, b) => a.barTime - b.barTime || sentAt(a) - sentAt(b));
}

/** Live average fill minus the replay's, signed against the trader, in price and basis points of the replay's price. */
export function slippageOf(side: 'buy' | 'sell', live: string, replay: string): { price: string; bps: number } {
  const diff = Dec.parse(live).sub(Dec.parse(replay));
  const adverse = side === 'buy' ? diff : diff.neg();
  const bps = (adverse.toNumber() / Number(replay)) * 10_000;
  return { price: adverse.toString(), bps: Math.round(bps * 100) / 100 };
}

function pairRow(l: Placed, r: Placed, input: MatchInput, closes: readonly number[]): ParityRow {
  const live = l.order;
  const replay = r.order;
  const lag = r.bar >= 0 ? live.createdAt - closes[r.bar]! : live.createdAt - replay.createdAt;
  const liveFilled = Dec.parse(live.filledQuantity).isPositive();
  const replayFilled = Dec.parse(replay.filledQuantity).isPositive();
  const slippage = liveFilled && replayFilled && live.averagePrice !== null && replay.averagePrice !== null ? slippageOf(live.side, live.averagePrice, replay.averagePrice) : null;
  const base = { barTime: barTimeOf(r, input.barTimes, input.timeframeMs), bars: 1, side: live.side, live, replay, slippage, lagMs: lag };
  const priced = slippage === null ? '' : ` ${slippageText(slippage.bps, live.averagePrice!, replay.averagePrice!)}`;
  if (liveFilled !== replayFilled) {
    const where = liveFilled ? 'filled live, not in the replay' : 'filled in the replay, not live';
    return { ...base, reason: 'fillModel', severity: 'warning', note: `Same decision (${describe(live)}), ${where} (live ${live.status}, replay ${replay.status}).` };
  }
  if (lag > input.latencyMs) {
    return { ...base, reason: 'latency', severity: 'warning', note: `Same decision, sent ${seconds(lag)} after its bar closed (threshold ${seconds(input.latencyMs)}).${priced}` };
  }
  if (slippage !== null && slippage.bps !== 0) {
    const severity: ParitySeverity = Math.abs(slippage.bps) > (input.slippageWarnBps ?? 10) ? 'warning' : 'info';
    return { ...base, reason: 'price', severity, note: `Same decision;${priced}` };
  }
  return { ...base, reason: 'same', severity: 'ok', note: liveFilled ? 'Same decision, filled at the same price.' : `Same decision; neither filled (live ${live.status}, replay ${replay.status}).` };
}

/** Bars the instance did not process and the replay decided nothing on, one row per unbroken stretch. */
function missedStretches(input: MatchInput, closes: readonly number[], replay: readonly Placed[]): ParityRow[] {
  const decided = new Set(replay.map((r) => r.bar));
  const rows: ParityRow[] = [];
  let start = -1;
  const flush = (end: number): void => {
    if (start < 0) return;
    const count = end - start;
    rows.push({
      reason: 'missedBar',
      severity: 'info',
      barTime: input.barTimes[start]!,
      bars: count,
      side: null,
      live: null,
      replay: null,
      slippage: null,
      lagMs: null,
      note: `${count === 1 ? 'A bar' : `${count} bars`} the instance did not process (paused, stopped or in error); the replay decided nothing on ${count === 1 ? 'it' : 'them'}.`,
    });
    start = -1;
  };
  for (let i = 0; i < closes.length; i++) {
    const quietMiss = !input.processed(closes[i]!) && !decided.has(i);
    if (quietMiss && start < 0) start = i;
    if (!quietMiss) flush(i);
  }
  flush(closes.length);
  return rows;
}

/** Index of the newest close at or before `time` (closes oldest first); -1 when none. */
export function latestAtOrBefore(closes: readonly number[], time: number): number {
  let lo = 0;
  let hi = closes.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (closes[mid]! <= time) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

function barTimeOf(placed: Placed, barTimes: readonly number[], tf: number): number {
  return placed.bar >= 0 ? barTimes[placed.bar]! : Math.max(0, Math.floor(placed.order.createdAt / tf) * tf - tf);
}

function sentAt(row: ParityRow): number {
  return row.replay?.createdAt ?? row.live?.createdAt ?? row.barTime;
}

function describe(order: ParityOrder): string {
  return `a ${order.side} ${order.type} of ${order.quantity}${order.price === null ? '' : ` at ${order.price}`}`;
}

function slippageText(bps: number, live: string, replay: string): string {
  if (bps === 0) return `filled at the same price (${live}).`;
  return `filled ${Math.abs(bps)} bps ${bps > 0 ? 'worse' : 'better'} live (${live} against ${replay} in the replay).`;
}

function seconds(ms: number): string {
  return ms >= 10_000 ? `${Math.round(ms / 1000)} s` : `${(ms / 1000).toFixed(1)} s`;
}
