/**
 * The figures against a fixture worked out by hand: three round trips over
 * five days on two instruments, a mark between fills, a drawdown, a trade
 * with an R multiple. Every expected number below is written out, not
 * computed by the code under test.
 */
import { describe, expect, it } from 'vitest';
import { Dec } from '../../shared/decimal';
import { buildEquityCurve, drawdowns, type CurveLeg } from './equityCurve';
import { bucketFigures, computeFigures, dailyResults, returnHistogram, type TripOutcome } from './performance';

const d = (text: string) => Dec.parse(text);
const DAY = 86_400_000;
const HOUR = 3_600_000;
/** Monday 1 January 2024, 00:00 UTC. */
const D0 = Date.UTC(2024, 0, 1);
const at = (day: number, hour: number) => D0 + day * DAY + hour * HOUR;

const BTC = 'BTC/USDT:USDT';
const ETH = 'ETH/USDT:USDT';
const leg = (symbol: string, time: number, signed: string, price: string, fee: string): CurveLeg => ({
  venue: 'paper',
  symbol,
  time,
  signedQuantity: d(signed),
  price: d(price),
  fee: d(fee),
});

// A: long 1 BTC 100 → 110, fees 1 + 1: net 8, return 8 %.
// B: short 2 ETH 50 → 55, fees 0.5 + 0.5: net −11, return −11 %.
// C: long 2 BTC at 100, half sold at 120, half at 90, no fees: net 10, return 5 %, risk (100 − 95) × 2 = 10: 1 R.
const legs: CurveLeg[] = [
  leg(BTC, at(0, 10), '1', '100', '1'),
  leg(BTC, at(0, 14), '-1', '110', '1'),
  leg(ETH, at(1, 9), '-2', '50', '0.5'),
  leg(ETH, at(2, 16), '2', '55', '0.5'),
  leg(BTC, at(3, 8), '2', '100', '0'),
  leg(BTC, at(3, 12), '-1', '120', '0'),
  leg(BTC, at(4, 8), '-1', '90', '0'),
];
const trips: TripOutcome[] = [
  { openedAt: at(0, 10), closedAt: at(0, 14), netPnl: d('8'), entryValue: d('100'), rMultiple: null },
  { openedAt: at(1, 9), closedAt: at(2, 16), netPnl: d('-11'), entryValue: d('100'), rMultiple: null },
  { openedAt: at(3, 8), closedAt: at(4, 8), netPnl: d('10'), entryValue: d('200'), rMultiple: 1 },
];

/** Fill prices, and one bar close: ETH closed day 1 at 52 (known at the day's last millisecond). */
function markAt(_venue: string, symbol: string, time: number): Dec | null {
  if (symbol === ETH && time >= at(2, 0) - 1) return time >= at(2, 16) ? d('55') : d('52');
  if (symbol === ETH) return time >= at(1, 9) ? d('50') : null;
  const prices: Array<[number, string]> = [[at(0, 10), '100'], [at(0, 14), '110'], [at(3, 8), '100'], [at(3, 12), '120'], [at(4, 8), '90']];
  let price: string | null = null;
  for (const [t, p] of prices) if (t <= time) price = p;
  return price === null ? null : d(price);
}

const curve = buildEquityCurve({ legs, funding: [], markAt, startEquity: d('10000'), from: D0, to: at(4, 12) });

describe('the equity curve of the fixture', () => {
  it('is sampled after each fill and at each day close, valued at the known marks', () => {
    const rows = curve.points.map((p) => [p.time, p.equity.toString(), p.dayClose]);
    expect(rows).toEqual([
      [D0, '10000', false],
      [at(0, 10), '9999', false],
      [at(0, 14), '10008', false],
      [at(1, 0) - 1, '10008', true],
      [at(1, 9), '10007.5', false],
      [at(2, 0) - 1, '10003.5', true], // short 2 ETH marked at 52: −4 on the day's fill
      [at(2, 16), '9997', false],
      [at(3, 0) - 1, '9997', true],
      [at(3, 8), '9997', false],
      [at(3, 12), '10037', false], // +20 sold, +20 on the BTC still held at 120
      [at(4, 0) - 1, '10037', true],
      [at(4, 8), '10007', false],
      [at(4, 12), '10007', true],
    ]);
    expect(curve.fees.toString()).toBe('3');
    expect(curve.unrealized.toString()).toBe('0');
    // Open 10:00–14:00, day 1 09:00 – day 2 16:00, day 3 08:00 – day 4 08:00: 59 hours.
    expect(curve.exposureMs).toBe(59 * HOUR);
  });

  it('has its drawdown below the running high', () => {
    const dd = drawdowns(curve.points);
    expect(dd.map((x) => x.drawdown.toString())).toEqual(['0', '1', '0', '0', '0.5', '4.5', '11', '11', '11', '0', '0', '30', '30']);
    expect(dd[11]!.drawdownPct).toBeCloseTo((30 / 10037) * 100, 12);
  });

  it('counts a position open at the start from its mark then, and funding as it moved the balance', () => {
    const later = buildEquityCurve({
      legs,
      funding: [{ venue: 'paper', symbol: BTC, time: at(3, 20), amount: d('-2') }],
      markAt,
      startEquity: d('10037'),
      from: at(3, 12),
      to: at(4, 12),
    });
    // 1 BTC open at 120 when the range starts; sold at 90: −30, and 2 of funding paid.
    expect(later.points.at(-1)!.equity.toString()).toBe('10005');
    expect(later.funding.toString()).toBe('-2');
    expect(later.points.map((p) => p.time)).toContain(at(3, 20));
  });
});

describe('the figures of the fixture', () => {
  const figures = computeFigures({ closed: trips, openTrades: 0, curve, startEquity: d('10000') });

  it('count the trades and their money as worked out by hand', () => {
    expect(figures).toMatchObject({
      trades: 3,
      openTrades: 0,
      wins: 2,
      losses: 1,
      netPnl: '7',
      grossProfit: '18',
      grossLoss: '-11',
      averageWin: '9',
      averageLoss: '-11',
      expectancy: '2.333333333333333333',
      rTrades: 1,
      expectancyR: 1,
      bestTradePct: 8,
      worstTradePct: -11,
      maxDrawdown: '30',
      feesPaid: '3',
      fundingPaid: '0',
      startEquity: '10000',
      endEquity: '10007',
      unrealizedPnl: '0',
    });
    expect(figures.profitFactor).toBeCloseTo(18 / 11, 12);
    expect(figures.winRatePct).toBeCloseTo(200 / 3, 12);
    expect(figures.payoffRatio).toBeCloseTo(9 / 11, 12);
    expect(figures.expectancyPct).toBeCloseTo(2 / 3, 12);
    expect(figures.returnPct).toBeCloseTo(0.07, 12);
    expect(figures.maxDrawdownPct).toBeCloseTo((30 / 10037) * 100, 9);
    // The longest stretch below a high: from day 0's close (10008) to day 3 12:00 (10037).
    expect(figures.maxDrawdownDurationMs).toBe(at(3, 12) - (at(1, 0) - 1));
    expect(figures.exposurePct).toBeCloseTo((59 / 108) * 100, 12);
    expect(figures.averageDurationMs).toBeCloseTo((4 + 31 + 24) * HOUR / 3, 6);
  });

  it('annualise daily returns into Sharpe and Sortino', () => {
    const closes = [10008, 10003.5, 9997, 10037, 10007];
    const r = closes.slice(1).map((c, i) => c / closes[i]! - 1);
    const g = Math.exp(r.reduce((s, x) => s + Math.log(1 + x), 0) / r.length) - 1;
    const annual = (1 + g) ** 365 - 1;
    const mean = r.reduce((s, x) => s + x, 0) / r.length;
    const variance = r.reduce((s, x) => s + (x - mean) ** 2, 0) / (r.length - 1);
    const vol = Math.sqrt((variance + (1 + g) ** 2) ** 365 - (1 + g) ** 730);
    const downside = Math.sqrt(r.reduce((s, x) => s + Math.min(x, 0) ** 2, 0) / r.length) * Math.sqrt(365);
    expect(figures.sharpeRatio).toBeCloseTo(annual / vol, 9);
    expect(figures.sortinoRatio).toBeCloseTo(annual / downside, 9);
  });

  it('group the trades by the UTC weekday and hour they opened', () => {
    const days = bucketFigures(trips, 'dayOfWeek');
    expect(days.map((b) => [b.trades, b.wins, b.netPnl])).toEqual([
      [1, 1, '8'], // Monday
      [1, 0, '-11'],
      [0, 0, '0'],
      [1, 1, '10'], // Thursday
      [0, 0, '0'],
      [0, 0, '0'],
      [0, 0, '0'],
    ]);
    const hours = bucketFigures(trips, 'hour');
    expect(hours.filter((b) => b.trades > 0).map((b) => [b.key, b.netPnl])).toEqual([[8, '10'], [9, '-11'], [10, '8']]);
  });

  it('give one row per day with its close, its change and the trades closed', () => {
    const daily = dailyResults(curve, d('10000'), trips);
    expect(daily.map((r) => [r.date, r.equity, r.pnl, r.trades])).toEqual([
      ['2024-01-01', '10008', '8', 1],
      ['2024-01-02', '10003.5', '-4.5', 0],
      ['2024-01-03', '9997', '-6.5', 1],
      ['2024-01-04', '10037', '40', 0],
      ['2024-01-05', '10007', '-30', 1],
    ]);
    expect(daily[4]!.returnPct).toBeCloseTo((-30 / 10037) * 100, 12);
  });

  it('bin the trade returns', () => {
    expect(returnHistogram([8, -11, 5])).toEqual([
      { fromPct: -12, toPct: -10, count: 1 },
      { fromPct: -10, toPct: -8, count: 0 },
      { fromPct: -8, toPct: -6, count: 0 },
      { fromPct: -6, toPct: -4, count: 0 },
      { fromPct: -4, toPct: -2, count: 0 },
      { fromPct: -2, toPct: 0, count: 0 },
      { fromPct: 0, toPct: 2, count: 0 },
      { fromPct: 2, toPct: 4, count: 0 },
      { fromPct: 4, toPct: 6, count: 1 },
      { fromPct: 6, toPct: 8, count: 0 },
      { fromPct: 8, toPct: 10, count: 1 },
    ]);
    expect(returnHistogram([])).toEqual([]);
    // A lone trade is drawn against zero, in six bins of a width that fits it.
    expect(returnHistogram([3])).toEqual([
      { fromPct: -15, toPct: -10, count: 0 },
      { fromPct: -10, toPct: -5, count: 0 },
      { fromPct: -5, toPct: 0, count: 0 },
      { fromPct: 0, toPct: 5, count: 1 },
      { fromPct: 5, toPct: 10, count: 0 },
      { fromPct: 10, toPct: 15, count: 0 },
    ]);
    expect(returnHistogram([-0.11]).map((b) => b.count)).toEqual([0, 0, 1, 0, 0, 0]);
  });

  it('leave undefined what the data cannot give', () => {
    const flat = buildEquityCurve({ legs: [], funding: [], markAt, startEquity: d('500'), from: D0, to: at(0, 5) });
    const none = computeFigures({ closed: [], openTrades: 0, curve: flat, startEquity: d('500') });
    expect(none).toMatchObject({
      trades: 0,
      netPnl: '0',
      profitFactor: null,
      winRatePct: null,
      averageWin: null,
      averageLoss: null,
      payoffRatio: null,
      expectancy: null,
      expectancyPct: null,
      expectancyR: null,
      sharpeRatio: null,
      sortinoRatio: null,
      maxDrawdown: '0',
      maxDrawdownPct: 0,
      maxDrawdownDurationMs: null,
      exposurePct: 0,
      returnPct: 0,
    });
    // Without positive starting equity no percentage is meaningful.
    const broke = computeFigures({ closed: trips, openTrades: 0, curve, startEquity: Dec.ZERO });
    expect([broke.returnPct, broke.maxDrawdownPct, broke.sharpeRatio]).toEqual([null, null, null]);
  });
});
