/**
 * The journal's figures against the backtest's statistics for the same
 * trades. Seeded random trading on daily bars (one entry and one exit per
 * round trip, or a flip that is both, commissions on every fill) is booked
 * twice: by the backtest's trade book with its floating-point equity at the
 * same sample times, then through `computeStatistics`; and by the round trip
 * book, the exact equity curve and the journal's figures. Every figure whose
 * definition is shared must agree.
 */
import { describe, expect, it } from 'vitest';
import { Dec } from '../../shared/decimal';
import type { OrderSide } from '../../shared/domain';
import { Prng } from '../core/prng';
import { TradeBook, type BacktestFill } from '../backtest/roundTrips';
import { computeStatistics, dataPeriodMs, resolutionMs } from '../backtest/statistics';
import { syntheticBars } from '../../../tests/support/syntheticBars';
import { buildEquityCurve, type CurveLeg } from './equityCurve';
import type { LotFill } from './fifoLots';
import { computeFigures } from './performance';
import { RoundTripBook } from './roundTripBook';

const DAY = 86_400_000;
const COMMISSION = 0.001;
const CASH = 100_000;

interface Scenario {
  fills: LotFill[];
  /** Prices known over time: the fills, and each bar's close at its last millisecond. */
  prices: Array<{ time: number; price: number }>;
  from: number;
  to: number;
}

function scenario(seed: number): Scenario {
  const bars = syntheticBars({ seed, count: 240, from: Date.UTC(2023, 0, 1) });
  const rng = new Prng(seed * 7 + 1);
  const fills: LotFill[] = [];
  let position = 0;
  for (let i = 1; i < bars.length - 1; i++) {
    if (!(rng.next() < 0.12)) continue;
    const bar = bars[i]!;
    // Trade at the bar's open, a whole number of units: open from flat, close, or flip.
    const size = 1 + Math.floor(rng.next() * 20);
    let side: OrderSide;
    let quantity: number;
    if (position === 0) {
      side = (rng.next() < 0.5) ? 'buy' : 'sell';
      quantity = size;
    } else {
      side = position > 0 ? 'sell' : 'buy';
      quantity = Math.abs(position) + ((rng.next() < 0.5) ? 0 : size);
    }
    position += side === 'buy' ? quantity : -quantity;
    const price = Dec.fromNumber(bar.open);
    const q = Dec.fromBigInt(BigInt(quantity));
    fills.push({
      tradeId: `t${i}`,
      orderId: `o${i}`,
      venue: 'paper',
      symbol: 'BTC/USDT:USDT',
      side,
      quantity: q,
      price,
      fee: q.mul(price).mul(Dec.fromNumber(COMMISSION)),
      timestamp: bar.time,
    });
  }
  const prices = [...fills.map((f) => ({ time: f.timestamp, price: f.price.toNumber() })), ...bars.map((b) => ({ time: b.time + DAY - 1, price: b.close }))].sort(
    (a, b) => a.time - b.time,
  );
  return { fills, prices, from: bars[0]!.time, to: bars[bars.length - 1]!.time + DAY - 1 };
}

describe.each([31, 32, 33, 34])('seed %i: the journal and the backtest, same trades', (seed) => {
  const s = scenario(seed);

  // The journal: round trips, the exact curve, the figures.
  const book = new RoundTripBook();
  for (const f of s.fills) book.apply(f);
  const trips = book.trips();
  const legs: CurveLeg[] = trips
    .flatMap((t) => t.legs.map((l) => ({ venue: t.venue, symbol: t.symbol, time: l.time, signedQuantity: l.signedQuantity, price: l.price, fee: l.fee })))
    .sort((a, b) => a.time - b.time);
  const markAt = (_v: string, _s: string, time: number): Dec | null => {
    let price: number | null = null;
    for (const p of s.prices) if (p.time <= time) price = p.price;
    return price === null ? null : Dec.fromNumber(price);
  };
  const curve = buildEquityCurve({ legs, funding: [], markAt, startEquity: Dec.fromNumber(CASH), from: s.from, to: s.to });
  const closed = trips.filter((t) => t.closedAt !== null);
  const figures = computeFigures({
    closed: closed.map((t) => ({ openedAt: t.openedAt, closedAt: t.closedAt, netPnl: t.grossPnl.sub(t.fees), entryValue: t.entryValue, rMultiple: null })),
    openTrades: trips.length - closed.length,
    curve,
    startEquity: Dec.fromNumber(CASH),
  });

  // The backtest: its trade book, and its own float equity at the same times (cash + position at the mark).
  const times = curve.points.map((p) => p.time);
  const tradeBook = new TradeBook();
  const equity: number[] = [];
  let cash = CASH;
  let held = 0;
  let f = 0;
  times.forEach((time, bar) => {
    while (f < s.fills.length && s.fills[f]!.timestamp <= time) {
      const fill = s.fills[f++]!;
      const signed = fill.side === 'buy' ? fill.quantity.toNumber() : -fill.quantity.toNumber();
      const backtestFill: BacktestFill = { bar, time: fill.timestamp, side: fill.side, quantity: fill.quantity.toNumber(), price: fill.price.toNumber(), fee: fill.fee.toNumber() };
      tradeBook.apply(backtestFill);
      cash -= signed * backtestFill.price + backtestFill.fee;
      held += signed;
    }
    equity.push(cash + held * (markAt('paper', 'BTC/USDT:USDT', time)?.toNumber() ?? 0));
  });
  const stats = computeStatistics({
    bars: times.map((time, i) => ({ time, open: equity[i]!, high: equity[i]!, low: equity[i]!, close: equity[i]! })),
    equity,
    trades: tradeBook.closed,
    firstTradableBar: 0,
  });
  const close = (actual: number | null, expected: number | null, digits = 9) => {
    expect(actual === null, `${actual} vs ${expected}`).toBe(expected === null);
    if (actual !== null && expected !== null) expect(actual).toBeCloseTo(expected, digits);
  };

  it('has trades to compare', () => {
    expect(closed.length).toBeGreaterThan(5);
    expect(closed.length).toBe(stats.trades);
  });

  it('counts the same trades, wins, mean return, best and worst', () => {
    close(figures.winRatePct, stats.winRatePct);
    close(figures.expectancyPct, stats.expectancyPct);
    close(figures.bestTradePct, stats.bestTradePct);
    close(figures.worstTradePct, stats.worstTradePct);
    // Same trades, one by one: net PnL and commission.
    closed.forEach((t, i) => {
      const trade = tradeBook.closed[i]!;
      expect(trade.pnl).toBeCloseTo(t.grossPnl.sub(t.fees).toNumber(), 6);
      expect(trade.commission).toBeCloseTo(t.fees.toNumber(), 6);
    });
  });

  it('has the same equity, return, Sharpe and Sortino', () => {
    curve.points.forEach((p, i) => expect(p.equity.toNumber()).toBeCloseTo(equity[i]!, 6));
    expect(Number(figures.endEquity)).toBeCloseTo(stats.equityFinal, 6);
    close(figures.returnPct, stats.returnPct);
    close(figures.sharpeRatio, stats.sharpeRatio, 7);
    close(figures.sortinoRatio, stats.sortinoRatio, 7);
  });

  it('has the same deepest drawdown and its duration', () => {
    close(figures.maxDrawdownPct, -stats.maxDrawdownPct);
    const resolution = resolutionMs(dataPeriodMs(times));
    const rounded = figures.maxDrawdownDurationMs === null ? null : Math.ceil(figures.maxDrawdownDurationMs / resolution) * resolution;
    expect(rounded).toBe(stats.maxDrawdownDurationMs);
  });
});
