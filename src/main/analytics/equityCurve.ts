/**
 * The equity curve of a scope over a range, in exact decimals, from the
 * legs of its round trips (each fill, or each part of a flip's fill) and the
 * funding they were charged:
 *
 *   equity(t) = startEquity + cash(t) + Σ qty(t) · mark(t) − Σ qty(from) · mark(from)
 *   cash(t)   = Σ over legs in (from, t] of (−signedQty · price − fee) + funding in (from, t]
 *
 * which is the ledger's own identity (balance + unrealized = start − fees +
 * Σ signedQty · (mark − price)), so a position's realized PnL and the mark
 * of what is still open are counted once each, however it was closed. A
 * position open at `from` is counted from its mark then.
 *
 * The curve is sampled after each fill, at each UTC day's close (stamped at
 * its last millisecond: fills before midnight, marked at the last price
 * known by then) and at the end of the range. A mark is the newest price
 * known at the time (the instrument's fills and the venue's bar closes,
 * from the caller); at the end of a range that runs until now, the current
 * mark.
 */
import { Dec } from '../../shared/decimal';

export const DAY_MS = 86_400_000;

export interface CurveLeg {
  venue: string;
  symbol: string;
  time: number;
  /** Positive bought, negative sold. */
  signedQuantity: Dec;
  price: Dec;
  fee: Dec;
}

/** Funding as it moved the balance: negative when paid. */
export interface CurveFunding {
  venue: string;
  symbol: string;
  time: number;
  amount: Dec;
}

/** The newest price known for an instrument at or before a time; null when none is. */
export type MarkAt = (venue: string, symbol: string, time: number) => Dec | null;

export interface EquityCurveInput {
  /** Every leg of the scope, before the range too (positions open at `from` come from them), in time order. */
  legs: readonly CurveLeg[];
  funding: readonly CurveFunding[];
  markAt: MarkAt;
  /** Marks for the last point, when the range ends now (the venue's current marks). */
  endMarkAt?: (venue: string, symbol: string) => Dec | null;
  /** Equity at `from`. */
  startEquity: Dec;
  from: number;
  to: number;
}

export interface CurvePoint {
  time: number;
  equity: Dec;
  /** equity − startEquity. */
  pnl: Dec;
  /** Set on a UTC day's close (its last millisecond) and on the range's last point. */
  dayClose: boolean;
}

export interface EquityCurve {
  points: CurvePoint[];
  /** Time inside the range with a position open. */
  exposureMs: number;
  /** Fees paid by the legs inside the range. */
  fees: Dec;
  /** Funding inside the range, as it moved the balance. */
  funding: Dec;
  /** Open positions at the end of the range, at their end marks, less what they cost (unrealized PnL). */
  unrealized: Dec;
}

interface Position {
  venue: string;
  symbol: string;
  quantity: Dec;
  /** The last leg's price: what the curve falls back on when no price is known (never, for legs the mark source saw). */
  lastPrice: Dec;
  /** Σ signedQty · price of what is open, for the unrealized figure. */
  cost: Dec;
}

function instrumentKey(venue: string, symbol: string): string {
  return `${venue}\u0000${symbol}`;
}

export function buildEquityCurve(input: EquityCurveInput): EquityCurve {
  const { legs, funding, markAt, startEquity, from, to } = input;
  if (!(from < to)) throw new RangeError(`an equity curve needs from < to (${from}, ${to})`);
  const positions = new Map<string, Position>();
  const position = (venue: string, symbol: string, price: Dec): Position => {
    const key = instrumentKey(venue, symbol);
    let p = positions.get(key);
    if (!p) {
      p = { venue, symbol, quantity: Dec.ZERO, lastPrice: price, cost: Dec.ZERO };
      positions.set(key, p);
    }
    return p;
  };
  const applyLeg = (leg: CurveLeg): void => {
    const p = position(leg.venue, leg.symbol, leg.price);
    const before = p.quantity;
    p.quantity = p.quantity.add(leg.signedQuantity);
    p.lastPrice = leg.price;
    // The cost of what is open, average-cost: only for the unrealized figure at the end.
    if (p.quantity.isZero()) p.cost = Dec.ZERO;
    else if (before.isZero() || before.sign() === leg.signedQuantity.sign()) p.cost = p.cost.add(leg.signedQuantity.mul(leg.price));
    else if (p.quantity.sign() === before.sign()) p.cost = p.cost.mul(p.quantity).div(before);
    else p.cost = p.quantity.mul(leg.price);
  };
  const markOf = (p: Position, time: number, end: boolean): Dec => {
    const known = end && input.endMarkAt ? input.endMarkAt(p.venue, p.symbol) : markAt(p.venue, p.symbol, time);
    return known ?? p.lastPrice;
  };
  const openValue = (time: number, end = false): Dec => {
    let value = Dec.ZERO;
    for (const p of positions.values()) if (!p.quantity.isZero()) value = value.add(p.quantity.mul(markOf(p, time, end)));
    return value;
  };

  let i = 0;
  while (i < legs.length && legs[i]!.time <= from) applyLeg(legs[i++]!);
  const startValue = openValue(from);

  // Sample times: after each fill and funding payment, each day's last millisecond, the end.
  const times = new Set<number>([to]);
  for (let k = i; k < legs.length && legs[k]!.time <= to; k++) times.add(legs[k]!.time);
  for (const f of funding) if (f.time > from && f.time <= to) times.add(f.time);
  const closes = new Set<number>([to]);
  for (let end = (Math.floor(from / DAY_MS) + 1) * DAY_MS; end - 1 < to; end += DAY_MS) {
    if (end - 1 > from) {
      times.add(end - 1);
      closes.add(end - 1);
    }
  }
  const sampleTimes = [...times].sort((a, b) => a - b);

  const fundingInRange = funding.filter((f) => f.time > from && f.time <= to).sort((a, b) => a.time - b.time);
  let f = 0;
  let cash = Dec.ZERO;
  let fees = Dec.ZERO;
  let fundingTotal = Dec.ZERO;
  let exposureMs = 0;
  let lastTime = from;
  let open = [...positions.values()].some((p) => !p.quantity.isZero());
  const points: CurvePoint[] = [{ time: from, equity: startEquity, pnl: Dec.ZERO, dayClose: false }];
  for (const t of sampleTimes) {
    if (open) exposureMs += t - lastTime;
    lastTime = t;
    while (i < legs.length && legs[i]!.time <= t) {
      const leg = legs[i++]!;
      cash = cash.sub(leg.signedQuantity.mul(leg.price)).sub(leg.fee);
      fees = fees.add(leg.fee);
      applyLeg(leg);
    }
    while (f < fundingInRange.length && fundingInRange[f]!.time <= t) {
      cash = cash.add(fundingInRange[f]!.amount);
      fundingTotal = fundingTotal.add(fundingInRange[f++]!.amount);
    }
    open = [...positions.values()].some((p) => !p.quantity.isZero());
    const pnl = cash.add(openValue(t, t === to)).sub(startValue);
    points.push({ time: t, equity: startEquity.add(pnl), pnl, dayClose: closes.has(t) });
  }

  let unrealized = Dec.ZERO;
  for (const p of positions.values()) {
    if (!p.quantity.isZero()) unrealized = unrealized.add(p.quantity.mul(markOf(p, to, true)).sub(p.cost));
  }
  return { points, exposureMs, fees, funding: fundingTotal, unrealized };
}

/** Running-high drawdown of each point, in money and in percent of the high (0 when the high is not positive). */
export function drawdowns(points: readonly CurvePoint[]): Array<{ drawdown: Dec; drawdownPct: number }> {
  let peak: Dec | null = null;
  return points.map((p) => {
    peak = peak === null ? p.equity : Dec.max(peak, p.equity);
    const drawdown = peak.sub(p.equity);
    return { drawdown, drawdownPct: peak.isPositive() ? drawdown.div(peak).toNumber() * 100 : 0 };
  });
}

/** UTC day number of a time (days since the epoch). */
export function utcDay(time: number): number {
  return Math.floor(time / DAY_MS);
}

/** "2025-03-14" for a UTC day number. */
export function isoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/**
 * What legs and funding up to `time` (inclusive) have made, marked at `time`:
 * Σ (−signedQty · price − fee) + Σ qty · mark + funding. From the first fill,
 * this is the change of equity since before it; the start of a range's
 * equity is the capital plus this at its `from`.
 */
export function pnlAt(legs: readonly CurveLeg[], funding: readonly CurveFunding[], markAt: MarkAt, time: number): Dec {
  let cash = Dec.ZERO;
  const open = new Map<string, { venue: string; symbol: string; quantity: Dec; lastPrice: Dec }>();
  for (const leg of legs) {
    if (leg.time > time) continue;
    cash = cash.sub(leg.signedQuantity.mul(leg.price)).sub(leg.fee);
    const key = instrumentKey(leg.venue, leg.symbol);
    const p = open.get(key) ?? { venue: leg.venue, symbol: leg.symbol, quantity: Dec.ZERO, lastPrice: leg.price };
    p.quantity = p.quantity.add(leg.signedQuantity);
    p.lastPrice = leg.price;
    open.set(key, p);
  }
  for (const f of funding) if (f.time <= time) cash = cash.add(f.amount);
  for (const p of open.values()) {
    if (!p.quantity.isZero()) cash = cash.add(p.quantity.mul(markAt(p.venue, p.symbol, time) ?? p.lastPrice));
  }
  return cash;
}
