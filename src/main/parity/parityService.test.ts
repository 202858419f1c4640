import { describe, expect, it } from 'vitest';
import type { StrategyInstance } from '../../shared/contract/strategies';
import { Dec } from '../../shared/decimal';
import type { Bar, Fill, Order } from '../../shared/domain';
import { KeelError } from '../../shared/errors';
import { defineStrategy } from '../engine/strategies/definition';
import { PAPER_INSTRUMENTS } from '../venues/paper/instruments';
import type { LifecycleEvent } from './decidingWindows';
import { ParityService, halfSpreadOf, type ParitySources } from './parityService';
import { replayInstance } from './replayInstance';

const TF = 60_000;
const T0 = Date.parse('2026-11-20T12:00:00Z');
const INSTRUMENT = PAPER_INSTRUMENTS[0]!.instrument;
const close = (i: number): number => T0 + (i + 1) * TF;

/** Buys on even minutes and sells on odd ones, 0.001 each: a decision on every bar whatever the prices. */
const clockwork = defineStrategy<{ lookback: number }>({
  type: 'clockwork',
  name: 'Clockwork',
  summary: 'By the clock.',
  explanation: 'Buys on even minutes, sells on odd ones.',
  params: [{ name: 'lookback', type: 'int', default: 2, min: 0, max: 10, description: 'Warm-up bars.' }],
  warmupBars: (p) => p.lookback,
  create: (ctx) => ({
    onBar: (bar) => (Math.floor(bar.time / TF) % 2 === 0 ? ctx.buy({ quantity: '0.001' }) : ctx.sell({ quantity: '0.001' })).then(() => undefined),
  }),
});

/** Twelve one-minute bars on the tick, the last still forming at `NOW`. */
const BARS: Bar[] = Array.from({ length: 12 }, (_, i) => {
  const open = 60_000 + i * 10;
  const last = open + (i % 3 === 0 ? -5.5 : 7.3);
  return { time: T0 + i * TF, open, high: Math.max(open, last) + 4, low: Math.min(open, last) - 4, close: last, volume: 3 };
});
const NOW = T0 + 11 * TF + 30_000;
const STARTED = T0 + 3 * TF + 500;

const instance = {
  id: 's-1', type: 'clockwork', name: 'Clockwork BTC 1m', venue: 'paper', symbol: INSTRUMENT.symbol, timeframe: '1m', params: { lookback: 2 },
  limits: { maxPositionValue: null, maxOpenOrders: null, maxDailyLoss: null }, status: 'running', createdAt: T0,
} as unknown as StrategyInstance;

let seq = 0;
/** What the instance did live on bar i: its order, sent `lag` after the close, filled at `price` (the close by default). */
function liveTrade(i: number, lag = 1_000, price?: string): { order: Order; fill: Fill } {
  seq += 1;
  const at = Dec.parse(price ?? Dec.fromNumber(BARS[i]!.close).toString());
  const side = Math.floor(BARS[i]!.time / TF) % 2 === 0 ? 'buy' : 'sell';
  const order = {
    id: `live-${seq}`, clientOrderId: `c-${seq}`, venueOrderId: null, venue: 'paper', symbol: INSTRUMENT.symbol, side, type: 'market', quantity: '0.001', price: null,
    stopPrice: null, timeInForce: 'GTC', postOnly: false, reduceOnly: false, status: 'filled', filledQuantity: '0.001', averagePrice: at.toString(), triggered: false,
    source: 'strategy', sourceId: 's-1', createdAt: close(i) + lag, updatedAt: close(i) + lag, rejectReason: null,
  } as Order;
  const fee = Dec.parse('0.001').mul(at).mul(Dec.parse('0.0005'));
  const fill: Fill = {
    tradeId: `t-${seq}`, orderId: order.id, clientOrderId: order.clientOrderId, venue: 'paper', symbol: INSTRUMENT.symbol, side, quantity: '0.001', price: at.toString(),
    fee: fee.toString(), feeCurrency: 'USDT', liquidity: 'taker', realizedPnl: '0', timestamp: order.createdAt,
  };
  return { order, fill };
}

function service(trades: Array<{ order: Order; fill: Fill }>, lifecycle: LifecycleEvent[] = [{ time: STARTED, kind: 'started' }], bars = BARS, status: StrategyInstance['status'] = 'running') {
  const sources: ParitySources = {
    now: () => NOW,
    instance: (id) => {
      if (id !== 's-1') throw new KeelError('NOT_FOUND', `There is no strategy ${id}`);
      return { ...instance, status };
    },
    definition: () => clockwork as never,
    orders: (_id, from, to) => trades.map((t) => t.order).filter((o) => o.createdAt >= from && o.createdAt <= to),
    fills: (ids) => trades.map((t) => t.fill).filter((f) => ids.has(f.orderId)),
    bars: async (_v, _s, _tf, limit) => bars.slice(-limit),
    instrument: () => INSTRUMENT,
    lifecycle: () => lifecycle,
    touch: () => null,
    account: () => ({ equity: Dec.parse('10000'), leverage: null }),
    risk: () => null,
  };
  return new ParityService({ sources, replay: (job) => replayInstance(clockwork as never, job) });
}

const period = [3, 4, 5, 6, 7, 8, 9, 10];

describe('the parity service over a replay in the kernel', () => {
  it('replays after the warm-up, trading at each bar\'s close, and finds a faithful run the same throughout', async () => {
    const report = await service(period.map((i) => liveTrade(i))).report({ id: 's-1' });
    expect(report.summary).toMatchObject({ from: STARTED, to: NOW, bars: 8, warmupBars: 2, liveOrders: 8, replayOrders: 8, matched: 8, same: 8, missing: 0, extra: 0, missedBars: 0 });
    expect(report.rows.map((r) => r.barTime)).toEqual(period.map((i) => BARS[i]!.time));
    for (const row of report.rows) {
      expect(row.replay!.createdAt).toBe(row.barTime + TF);
      expect(Dec.parse(row.replay!.averagePrice!).eq(Dec.fromNumber(BARS.find((b) => b.time === row.barTime)!.close))).toBe(true);
    }
    expect(report.summary.liveTrades).toBe(4);
    expect(report.summary.replayTrades).toBe(4);
    expect(Dec.parse(report.summary.livePnl).eq(Dec.parse(report.summary.replayPnl))).toBe(true);
    expect(report.summary.trackingErrorBps).toBeCloseTo(0, 9);
    expect(report.summary.fillModel).toMatch(/half spread of 0 bps.*starting balance 10000/);
  });

  it('names a pause, a late order, a different price and a decision not taken', async () => {
    const trades = [liveTrade(3), liveTrade(4), /* none on 5 */ /* paused over 6 and 7 */ liveTrade(8, 25_000), liveTrade(9, 800, '60105'), liveTrade(10)];
    const lifecycle: LifecycleEvent[] = [
      { time: STARTED, kind: 'started' },
      { time: close(6) - 10_000, kind: 'paused' },
      { time: close(7) + 10_000, kind: 'resumed' },
    ];
    const report = await service(trades, lifecycle).report({ id: 's-1' });
    expect(report.rows.map((r) => [BARS.findIndex((b) => b.time === r.barTime), r.reason])).toEqual([
      [3, 'same'],
      [4, 'same'],
      [5, 'missing'],
      [6, 'missedBar'],
      [7, 'missedBar'],
      [8, 'latency'],
      [9, 'price'],
      [10, 'same'],
    ]);
    const price = report.rows.find((r) => r.reason === 'price')!;
    // Bar 9 is a sell (odd minute): 60105 against a close of 60084.5 got 20.5 more live.
    expect(price.side).toBe('sell');
    expect(Dec.parse(price.slippage!.price).eq(Dec.parse('-20.5'))).toBe(true);
    expect(report.rows.find((r) => r.reason === 'latency')!.lagMs).toBe(25_000);
    expect(report.summary).toMatchObject({ missing: 1, missedBars: 2, matched: 5, same: 3 });
    expect(report.summary.trackingErrorBps).toBeGreaterThan(0);
    // A stricter latency threshold turns the on-time orders into latency too.
    const strict = await service(trades, lifecycle).report({ id: 's-1', latencyMs: 500 });
    expect(strict.rows.filter((r) => r.reason === 'latency')).toHaveLength(5);
  });

  it('covers a period asked for, and refuses one with nothing to compare or too little warm-up', async () => {
    const trades = period.map((i) => liveTrade(i));
    const part = await service(trades).report({ id: 's-1', from: close(6), to: close(9) });
    expect(part.summary).toMatchObject({ bars: 3, liveOrders: 3, matched: 3 });
    await expect(service(trades).report({ id: 's-1', from: close(9), to: close(6) })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(service(trades, [{ time: STARTED, kind: 'started' }], BARS.slice(2)).report({ id: 's-1' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringMatching(/keeps 1 1m bars before the period; .* needs 2/),
    });
    // Never started: stopped, and nothing in its lifecycle.
    await expect(service([], [], BARS, 'stopped').report({ id: 's-1' })).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await expect(service([]).report({ id: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('gives the pipeline a tracking error, null when there is nothing to compare', async () => {
    expect(await service(period.map((i) => liveTrade(i))).trackingError('s-1')).toBeCloseTo(0, 9);
    expect(await service([], [], BARS, 'stopped').trackingError('s-1')).toBeNull();
    await expect(service([]).trackingError('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('fills replayed takers across the half spread', async () => {
    const bars = BARS.slice(0, 6);
    const replay = await replayInstance(clockwork as never, {
      strategy: { type: 'clockwork', params: { lookback: 2 } }, instrument: INSTRUMENT, timeframe: '1m', bars, cash: '10000', halfSpread: '0.001',
      leverage: null, risk: null, limits: instance.limits,
    });
    expect(replay.failure).toBeNull();
    expect(replay.orders.map((o) => o.createdAt)).toEqual([2, 3, 4, 5].map(close));
    for (const order of replay.orders) {
      const bar = bars.find((b) => b.time + TF === order.createdAt)!;
      const price = Number(order.averagePrice);
      // A buy pays about 0.1 % over the close, a sell gets about 0.1 % under it (on the tick).
      if (order.side === 'buy') expect(price).toBeCloseTo(bar.close * 1.001, 0);
      else expect(price).toBeCloseTo(bar.close * 0.999, 0);
    }
    expect(halfSpreadOf({ bid: 99.9, ask: 100.1 })).toBe('0.001');
    expect(halfSpreadOf(null)).toBe('0');
  });
});
