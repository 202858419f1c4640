/**
 * Liquidation, margin modes and leverage changes on the paper venue, on a
 * scripted price path (the market does not move by itself: `stepMs: 0`, and
 * every move is a `setMarketPrice`). Expected prices are worked out here by
 * hand from the instrument's first bracket (BTC 0.4 % maintenance, 0.2 %
 * liquidation fee; ETH 0.5 % and 0.25 %) and the fills the venue made, not
 * taken from the module that computes them.
 */
import { describe, expect, it } from 'vitest';
import { Dec } from '../../../shared/decimal';
import type { ExecutionEvent } from '../../engine/ports/venue';
import { BTC, D, ETH, fillsOf, harness, order, types } from './testSupport';

const SCRIPTED = { stepMs: 0 };

/** Σ signed quantity × price of the fills: the position's cost. */
function costOf(events: readonly ExecutionEvent[], symbol: string): Dec {
  return fillsOf(events)
    .filter((f) => f.symbol === symbol)
    .reduce((cost, f) => cost.add(D(f.quantity).mul(D(f.price)).mul(D(f.side === 'buy' ? '1' : '-1'))), D('0'));
}

const balanceOf = async (venue: { balanceReports(): Promise<Array<{ total: string }>> }): Promise<Dec> => D((await venue.balanceReports())[0]!.total);

describe('liquidation on the paper venue', () => {
  it('isolated long: nothing above the liquidation price; below it, orders cancelled and the position closed at the bankruptcy price with the fee', async () => {
    const { venue, events } = harness(SCRIPTED);
    await venue.setMarginMode(BTC, 'isolated');
    await venue.setLeverage(BTC, 50);
    await venue.submit(order({ symbol: BTC, side: 'buy', type: 'market', quantity: '0.1' }));
    const q = D('0.1');
    const cost = costOf(events, BTC);
    const margin = cost.div(D('50'));
    // Bracket 1 (notional ≈ 7,500 < 50,000): (IM − c) / (Q × 0.004 − Q).
    const liquidation = margin.sub(cost).div(q.mul(D('0.004')).sub(q));
    // Bankruptcy (c − IM) / (Q − Q × 0.002), on the tick above (the trader's side).
    const bankruptcy = cost.sub(margin).div(q.sub(q.mul(D('0.002')))).ceilTo(D('0.1'));
    expect(bankruptcy.lt(liquidation)).toBe(true);

    const bid = D(venue.ticker(BTC).bid);
    const resting = order({ symbol: BTC, side: 'buy', type: 'limit', price: bid.mul(D('0.9')).floorTo(D('0.1')).toString(), quantity: '0.01' });
    const takeProfit = order({ symbol: BTC, side: 'sell', type: 'limit', price: bid.mul(D('1.05')).floorTo(D('0.1')).toString(), quantity: '0.1', reduceOnly: true });
    await venue.submit(resting);
    await venue.submit(takeProfit);
    const balanceBefore = await balanceOf(venue);
    events.length = 0;

    // 20 ticks above: the margin still covers the maintenance.
    venue.setMarketPrice(BTC, liquidation.add(D('2')).toNumber());
    expect(events).toEqual([]);
    expect(await venue.positionReports()).toHaveLength(1);

    // 20 ticks below: liquidated.
    venue.setMarketPrice(BTC, liquidation.sub(D('2')).toNumber());
    expect(types(events)).toEqual(['OrderCanceled', 'OrderCanceled', 'OrderFilled']);
    expect(events.slice(0, 2).map((e) => e.clientOrderId).sort()).toEqual([resting.clientOrderId, takeProfit.clientOrderId].sort());
    const [fill] = fillsOf(events);
    expect(fill).toMatchObject({ symbol: BTC, side: 'sell', quantity: '0.1', liquidation: true, liquidity: 'taker' });
    expect(D(fill!.price).eq(bankruptcy)).toBe(true);
    expect(D(fill!.fee).eq(q.mul(bankruptcy).mul(D('0.002')))).toBe(true);
    expect(fill!.clientOrderId).toMatch(/^paper-liq-/);
    expect(await venue.orderReport(fill!.clientOrderId, BTC)).toMatchObject({ status: 'filled', type: 'market', side: 'sell', filledQuantity: '0.1' });
    expect(await venue.positionReports()).toEqual([]);
    // The trader loses the margin set aside, never more (less by the tick rounding in their favour).
    const change = (await balanceOf(venue)).sub(balanceBefore);
    expect(change.eq(q.mul(D(fill!.price)).sub(cost).sub(D(fill!.fee)))).toBe(true);
    expect(change.gte(margin.neg())).toBe(true);
    expect(change.lt(margin.neg().add(q.mul(D('0.1'))))).toBe(true);
    // The fill is in the venue's history, for reconciliation to recover.
    expect((await venue.fillReports(0)).filter((f) => f.liquidation)).toHaveLength(1);
  });

  it('cross short: the whole cross wallet backs it, and it is bought back at the bankruptcy price on the tick below', async () => {
    const { venue, events } = harness({ ...SCRIPTED, initialBalance: '300' });
    await venue.setLeverage(ETH, 20);
    await venue.submit(order({ symbol: ETH, side: 'sell', type: 'market', quantity: '1' }));
    const q = D('-1');
    const cost = costOf(events, ETH);
    const wallet = await balanceOf(venue);
    // (W + 0 − c) / (|q| × 0.005 − q)
    const liquidation = wallet.sub(cost).div(D('0.005').sub(q));
    // (c − W) / (q − |q| × 0.0025), on the tick below.
    const bankruptcy = cost.sub(wallet).div(q.sub(D('0.0025'))).floorTo(D('0.01'));
    expect(bankruptcy.gt(liquidation)).toBe(true);
    events.length = 0;

    venue.setMarketPrice(ETH, liquidation.sub(D('0.3')).toNumber());
    expect(events).toEqual([]);
    venue.setMarketPrice(ETH, liquidation.add(D('0.3')).toNumber());
    const [fill] = fillsOf(events);
    expect(fill).toMatchObject({ symbol: ETH, side: 'buy', quantity: '1', liquidation: true });
    expect(D(fill!.price).eq(bankruptcy)).toBe(true);
    expect(await venue.positionReports()).toEqual([]);
    // What is left of the cross wallet is the rounding in the trader's favour.
    const left = await balanceOf(venue);
    expect(left.gte(D('0'))).toBe(true);
    expect(left.lt(D('0.01'))).toBe(true);
  });
});

describe('margin modes and leverage on an open position', () => {
  it('changes the margin mode only while flat and without open orders', async () => {
    const { venue } = harness(SCRIPTED);
    await venue.setMarginMode(BTC, 'isolated');
    await venue.setMarginMode(BTC, 'cross');
    const bid = D(venue.ticker(ETH).bid);
    const resting = order({ symbol: ETH, side: 'buy', type: 'limit', price: bid.mul(D('0.9')).floorTo(D('0.01')).toString(), quantity: '0.1' });
    await venue.submit(resting);
    await expect(venue.setMarginMode(ETH, 'isolated')).rejects.toThrow(/open orders: cancel them/);
    await venue.cancel({ clientOrderId: resting.clientOrderId, symbol: ETH });
    await venue.submit(order({ symbol: ETH, side: 'buy', type: 'market', quantity: '0.1' }));
    await expect(venue.setMarginMode(ETH, 'isolated')).rejects.toThrow(/open position: its margin mode can change only while it is flat/);
  });

  it('raises leverage within the bracket, refuses beyond it, and lowers it only when the margin is there', async () => {
    const { venue } = harness(SCRIPTED);
    await venue.submit(order({ symbol: BTC, side: 'buy', type: 'market', quantity: '1' }));
    // About 75,000 of notional: bracket 2, 75x at most.
    await venue.setLeverage(BTC, 75);
    await expect(venue.setLeverage(BTC, 80)).rejects.toThrow(/allows at most 75x/);
    await venue.setLeverage(BTC, 10);
    // 1x would tie up the whole notional, far more than a 10,000 account has.
    await expect(venue.setLeverage(BTC, 1)).rejects.toThrow(/more margin than is available/);
    expect((await venue.positionReports())[0]!.leverage).toBe(10);
  });

  it('refuses to raise an isolated position’s leverage into its own liquidation', async () => {
    const { venue, events } = harness(SCRIPTED);
    await venue.setMarginMode(BTC, 'isolated');
    await venue.submit(order({ symbol: BTC, side: 'buy', type: 'market', quantity: '0.1' }));
    const entry = costOf(events, BTC).div(D('0.1'));
    // 8 % down: fine at 10x (about 2 % of margin left after the loss would be gone at 50x).
    venue.setMarketPrice(BTC, entry.mul(D('0.92')).toNumber());
    await expect(venue.setLeverage(BTC, 50)).rejects.toThrow(/would be liquidated/);
    await venue.setLeverage(BTC, 11);
    expect(await venue.positionReports()).toHaveLength(1);
  });
});
