import { describe, expect, it } from 'vitest';
import type { ParityOrder } from '../../shared/contract/parity';
import { Dec } from '../../shared/decimal';
import { matchDecisions, slippageOf, type MatchInput } from './matchDecisions';

const TF = 60_000;
const T0 = Date.parse('2026-11-20T12:00:00Z');
const barTimes = Array.from({ length: 10 }, (_, i) => T0 + i * TF);
/** Close of bar i. */
const close = (i: number): number => T0 + (i + 1) * TF;

let seq = 0;
function order(side: 'buy' | 'sell', createdAt: number, fill: { price?: string; status?: ParityOrder['status']; type?: ParityOrder['type']; limit?: string } = {}): ParityOrder {
  const filled = fill.price !== undefined;
  seq += 1;
  return {
    orderId: `o${seq}`,
    type: fill.type ?? 'market',
    side,
    createdAt,
    quantity: '0.5',
    price: fill.limit ?? null,
    status: fill.status ?? (filled ? 'filled' : 'canceled'),
    filledQuantity: filled ? '0.5' : '0',
    averagePrice: fill.price ?? null,
  };
}

function match(live: ParityOrder[], replay: ParityOrder[], extra: Partial<MatchInput> = {}) {
  return matchDecisions({ barTimes, timeframeMs: TF, live, replay, processed: () => true, latencyMs: 5_000, ...extra });
}

describe('pairing live orders with the replay', () => {
  it('calls a decision sent just after its bar closed and filled at the same price "same"', () => {
    const rows = match([order('buy', close(2) + 800, { price: '100.5' })], [order('buy', close(2), { price: '100.5' })]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ reason: 'same', severity: 'ok', barTime: barTimes[2], side: 'buy', lagMs: 800, slippage: { bps: 0 } });
    expect(Dec.parse(rows[0]!.slippage!.price).isZero()).toBe(true);
  });

  it('gives the slippage against the trader, in price and basis points, for buys and sells', () => {
    const [buy] = match([order('buy', close(1) + 100, { price: '100.5' })], [order('buy', close(1), { price: '100' })]);
    expect(buy).toMatchObject({ reason: 'price', severity: 'warning', slippage: { bps: 50 } });
    expect(Dec.parse(buy!.slippage!.price).eq(Dec.parse('0.5'))).toBe(true);
    // A sell that got more live did better: negative slippage, and a small one is information.
    const [sell] = match([order('sell', close(1) + 100, { price: '100.05' })], [order('sell', close(1), { price: '100' })]);
    expect(sell).toMatchObject({ reason: 'price', severity: 'info', slippage: { bps: -5 } });
    expect(Dec.parse(sell!.slippage!.price).eq(Dec.parse('-0.05'))).toBe(true);
    expect(slippageOf('sell', '99', '100')).toEqual({ price: '1', bps: 100 });
  });

  it('calls a limit filled on one side only "fill model"', () => {
    const live = order('buy', close(3) + 200, { type: 'limit', limit: '99', price: '99' });
    const replay = order('buy', close(3), { type: 'limit', limit: '99', status: 'open' });
    const [row] = match([live], [replay]);
    expect(row).toMatchObject({ reason: 'fillModel', severity: 'warning', slippage: null });
    expect(row!.note).toMatch(/filled live, not in the replay/);
    const [other] = match([order('buy', close(3) + 200, { type: 'limit', limit: '99', status: 'canceled' })], [order('buy', close(3), { type: 'limit', limit: '99', price: '98.5' })]);
    expect(other!.note).toMatch(/filled in the replay, not live/);
  });

  it('calls an order sent later than the threshold after its close "latency", keeping its price difference', () => {
    const [row] = match([order('sell', close(4) + 20_000, { price: '99' })], [order('sell', close(4), { price: '100' })]);
    expect(row).toMatchObject({ reason: 'latency', severity: 'warning', lagMs: 20_000, slippage: { bps: 100 } });
    // At the threshold it is not late.
    const [onTime] = match([order('sell', close(4) + 5_000, { price: '100' })], [order('sell', close(4), { price: '100' })]);
    expect(onTime!.reason).toBe('same');
  });

  it('pairs an order so late that the next bar had closed with its own bar, not the next', () => {
    const rows = match([order('buy', close(4) + 70_000, { price: '101' })], [order('buy', close(4), { price: '100' })]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ reason: 'latency', barTime: barTimes[4], lagMs: 70_000 });
    // Beyond three bars back it is not paired.
    const far = match([order('buy', close(8) + 1_000, { price: '101' })], [order('buy', close(4), { price: '100' })]);
    expect(far.map((r) => r.reason).sort()).toEqual(['extra', 'missing']);
  });

  it('pairs two orders of one bar and side in the order they were sent (a close, then the new entry)', () => {
    const live = [order('sell', close(5) + 300, { price: '100' }), order('sell', close(5) + 900, { price: '100.1' })];
    const replay = [order('sell', close(5), { price: '100' }), order('sell', close(5), { price: '100.1' })];
    replay[1]!.quantity = '2';
    live[1]!.quantity = '2';
    const rows = match(live, replay);
    expect(rows.map((r) => [r.reason, r.live!.quantity, r.replay!.quantity])).toEqual([
      ['same', '0.5', '0.5'],
      ['same', '2', '2'],
    ]);
  });

  it('calls a replay decision on a bar the instance did not process "missed bar", and reports a quiet gap as one stretch', () => {
    const processed = (c: number) => c !== close(3) && c !== close(4) && c !== close(5);
    const rows = match([], [order('buy', close(3), { price: '100' })], { processed });
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ reason: 'missedBar', severity: 'warning', barTime: barTimes[3], bars: 1, live: null, side: 'buy' });
    expect(rows[1]).toMatchObject({ reason: 'missedBar', severity: 'info', barTime: barTimes[4], bars: 2, live: null, replay: null, side: null });
  });

  it('calls a lone replay decision on a processed bar "missing" and a lone live order "extra"', () => {
    const rows = match([order('sell', close(7) + 500, { price: '100' })], [order('buy', close(2), { price: '100' })]);
    expect(rows.map((r) => [r.reason, r.severity, r.barTime])).toEqual([
      ['missing', 'error', barTimes[2]],
      ['extra', 'error', barTimes[7]],
    ]);
    expect(rows[1]!.lagMs).toBe(500);
  });

  it('lists rows in bar order whatever order the orders come in', () => {
    const live = [order('buy', close(6) + 100, { price: '1' }), order('sell', close(1) + 100, { price: '1' })];
    const replay = [order('sell', close(1), { price: '1' }), order('buy', close(6), { price: '1' })];
    expect(match(live, replay).map((r) => r.barTime)).toEqual([barTimes[1], barTimes[6]]);
  });
});
