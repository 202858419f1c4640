/**
 * The paper venue refuses, as an exchange does, an order that would grow a
 * perpetual's position past the notional its leverage's margin bracket
 * allows, whoever sends it. Quantities are derived from the ticker, so the
 * tests hold wherever the market is.
 */
import { describe, expect, it } from 'vitest';
import type { ExecutionEvent } from '../../engine/ports/venue';
import { BTC, D, fillsOf, harness, order, types } from './testSupport';

const SCRIPTED = { stepMs: 0, initialBalance: '1000000' };
const LOT = D('0.001');

type Rejected = Extract<ExecutionEvent, { type: 'OrderRejected' }>;

describe('the margin bracket limit on the paper venue', () => {
  it('rejects a market buy whose position would pass 50,000 USDT at 100x, and changes nothing', async () => {
    const { venue, events } = harness(SCRIPTED);
    await venue.setLeverage(BTC, 100);
    const ask = D(venue.ticker(BTC).ask);
    const over = D('50000').div(ask).floorTo(LOT).add(LOT.mul(D('2')));
    const balanceBefore = (await venue.balanceReports())[0]!.total;

    await venue.submit(order({ symbol: BTC, side: 'buy', type: 'market', quantity: over.toString() }));
    expect(types(events)).toEqual(['OrderRejected']);
    const rejected = events[0] as Rejected;
    expect(rejected.code).toBe('LEVERAGE_BRACKET_EXCEEDED');
    expect(rejected.reason).toContain('at most 75x');
    expect(rejected.reason).toContain('at 100x the position may be at most 50000.00 USDT');
    expect(await venue.positionReports()).toEqual([]);
    expect((await venue.balanceReports())[0]!.total).toBe(balanceBefore);
    expect(await venue.openOrderReports()).toEqual([]);
  });

  it('counts the position already held, lets a reducing order through, and takes the order at a leverage whose brackets reach it', async () => {
    const { venue, events } = harness(SCRIPTED);
    await venue.setLeverage(BTC, 100);
    const ask = D(venue.ticker(BTC).ask);
    const most = D('49000').div(ask).floorTo(LOT);
    await venue.submit(order({ symbol: BTC, side: 'buy', type: 'market', quantity: most.toString() }));
    expect(fillsOf(events).length).toBeGreaterThan(0);
    events.length = 0;

    // 1,000 USDT more at 100x would pass the limit; at 75x it is well inside it.
    const more = D('2000').div(ask).ceilTo(LOT);
    await venue.submit(order({ symbol: BTC, side: 'buy', type: 'limit', price: venue.ticker(BTC).bid, quantity: more.toString() }));
    expect((events[0] as Rejected).code).toBe('LEVERAGE_BRACKET_EXCEEDED');
    events.length = 0;

    await venue.submit(order({ symbol: BTC, side: 'sell', type: 'market', quantity: more.toString() }));
    expect(types(events)).toContain('OrderFilled');
    events.length = 0;

    await venue.setLeverage(BTC, 75);
    await venue.submit(order({ symbol: BTC, side: 'buy', type: 'market', quantity: more.mul(D('2')).toString() }));
    expect(types(events)).not.toContain('OrderRejected');
    expect(types(events)).toContain('OrderFilled');
  });

  it('refuses an amend that would let a resting order take the position past the limit, and keeps the order as it was', async () => {
    const { venue, events } = harness(SCRIPTED);
    await venue.setLeverage(BTC, 100);
    const price = D(venue.ticker(BTC).bid).mul(D('0.99')).floorTo(D('0.1'));
    const within = D('45000').div(price).floorTo(LOT);
    const resting = order({ symbol: BTC, side: 'buy', type: 'limit', price: price.toString(), quantity: within.toString() });
    await venue.submit(resting);
    expect(types(events)).toEqual(['OrderAccepted']);
    const over = D('51000').div(price).ceilTo(LOT).toString();
    const amend = { clientOrderId: resting.clientOrderId, symbol: BTC, side: 'buy', type: 'limit', price: null, stopPrice: null, current: { quantity: within.toString(), price: price.toString(), stopPrice: null } } as const;
    await venue.amend({ ...amend, quantity: over });
    expect(events.at(-1)).toMatchObject({ type: 'OrderAmendRejected', clientOrderId: resting.clientOrderId });
    expect((events.at(-1) as { reason: string }).reason).toContain('at 100x the position may be at most 50000.00 USDT');
    expect(await venue.orderReport(resting.clientOrderId)).toMatchObject({ quantity: within.toString(), status: 'open' });
    await venue.amend({ ...amend, quantity: within.add(LOT).toString() });
    expect(events.at(-1)).toMatchObject({ type: 'OrderAmended', clientOrderId: resting.clientOrderId });
  });
});
