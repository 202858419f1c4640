import { describe, expect, it } from 'vitest';
import type { AmendOrder, ExecutionEvent, SubmitOrder } from '../../engine/ports/venue';
import { BTC, ETH, eventsOf, fillsOf, harness, offset, order, types } from './testSupport';

const RICH = { initialBalance: '1000000' };

function amendOf(cmd: SubmitOrder, change: Partial<Pick<AmendOrder, 'quantity' | 'price' | 'stopPrice'>>): AmendOrder {
  return {
    clientOrderId: cmd.clientOrderId,
    symbol: cmd.symbol,
    side: cmd.side,
    type: cmd.type,
    quantity: change.quantity ?? null,
    price: change.price ?? null,
    stopPrice: change.stopPrice ?? null,
    current: { quantity: cmd.quantity, price: cmd.price, stopPrice: cmd.stopPrice },
  };
}

/** Two buy limits resting at the same price, `first` ahead of `second` in the queue, below the market. */
async function twoInQueue(quantity = '0.01') {
  const h = harness(RICH);
  const price = offset(h.venue.ticker(BTC).bid, '-50');
  const first = order({ symbol: BTC, side: 'buy', type: 'limit', price, quantity });
  const second = order({ symbol: BTC, side: 'buy', type: 'limit', price, quantity });
  await h.venue.submit(first);
  await h.venue.submit(second);
  h.events.length = 0;
  return { ...h, price, first, second };
}

/** Who a sell print through `price` of `quantity` fills first. */
function printThrough(h: Awaited<ReturnType<typeof twoInQueue>>, quantity: string): string[] {
  h.events.length = 0;
  h.venue.injectTrade(BTC, 'sell', offset(h.price, '-0.1'), quantity);
  return fillsOf(h.events).map((f) => f.clientOrderId);
}

const amended = (events: ExecutionEvent[]) => events.filter((e) => e.type === 'OrderAmended');

describe('amending a resting order at the paper venue', () => {
  it('keeps its ids and its place in the queue when the quantity shrinks', async () => {
    const h = await twoInQueue('0.02');
    await h.venue.amend(amendOf(h.first, { quantity: '0.01' }));
    expect(amended(h.events)).toEqual([
      expect.objectContaining({ clientOrderId: h.first.clientOrderId, quantity: '0.01', price: h.price, requested: true, reason: null }),
    ]);
    expect(await h.venue.orderReport(h.first.clientOrderId)).toMatchObject({ quantity: '0.01', venueOrderId: 'paper-o-1', status: 'open' });
    expect(printThrough(h, '0.01')).toEqual([h.first.clientOrderId]);
  });

  it('goes to the back of the queue when the quantity grows', async () => {
    const h = await twoInQueue();
    await h.venue.amend(amendOf(h.first, { quantity: '0.02' }));
    expect(printThrough(h, '0.01')).toEqual([h.second.clientOrderId]);
    expect(printThrough(h, '0.02')).toEqual([h.first.clientOrderId]);
  });

  it('goes to the back of its new level when the price changes, even back to the old one', async () => {
    const h = await twoInQueue();
    await h.venue.amend(amendOf(h.first, { price: offset(h.price, '-1') }));
    await h.venue.amend(amendOf(h.first, { price: h.price }));
    expect(eventsOf(h.events, h.first.clientOrderId).map((e) => e.type)).toEqual(['OrderAmended', 'OrderAmended']);
    expect(printThrough(h, '0.01')).toEqual([h.second.clientOrderId]);
  });

  it('takes liquidity when the new price crosses the market, as a new order would', async () => {
    const h = await twoInQueue();
    const ask = h.venue.ticker(BTC).ask;
    await h.venue.amend(amendOf(h.first, { price: ask }));
    expect(types(h.events)).toEqual(['OrderAmended', 'OrderFilled']);
    expect(fillsOf(h.events)[0]).toMatchObject({ clientOrderId: h.first.clientOrderId, liquidity: 'taker', price: ask });
  });

  it('refuses a quantity at or below what filled, off-step terms, a post-only price that would take, and an order that ended, leaving the order as it was', async () => {
    const h = harness(RICH);
    const bid = h.venue.ticker(BTC).bid;
    const cmd = order({ symbol: BTC, side: 'buy', type: 'limit', price: bid, quantity: '0.02', postOnly: true });
    await h.venue.submit(cmd);
    h.venue.injectTrade(BTC, 'sell', offset(bid, '-0.1'), '0.005');
    h.events.length = 0;
    const refusals: Array<[Partial<AmendOrder>, RegExp]> = [
      [{ quantity: '0.005' }, /not above the 0.005 already filled/],
      [{ quantity: '0.0155' }, /lot size/],
      [{ price: offset(bid, '0.05') }, /tick size/],
      [{ price: h.venue.ticker(BTC).ask }, /post-only buy .* would take liquidity/],
      [{ stopPrice: bid }, /takes no stop price/],
    ];
    for (const [change, reason] of refusals) {
      await h.venue.amend(amendOf(cmd, change));
      expect(h.events.at(-1)).toEqual(expect.objectContaining({ type: 'OrderAmendRejected', clientOrderId: cmd.clientOrderId, reason: expect.stringMatching(reason) }));
    }
    expect(await h.venue.orderReport(cmd.clientOrderId)).toMatchObject({ quantity: '0.02', price: bid, filledQuantity: '0.005' });
    await h.venue.cancel({ clientOrderId: cmd.clientOrderId, symbol: BTC });
    await h.venue.amend(amendOf(cmd, { price: offset(bid, '-1') }));
    expect(h.events.at(-1)).toMatchObject({ type: 'OrderAmendRejected', reason: expect.stringMatching(/already canceled/) });
  });

  it('refuses an increase the margin cannot back', async () => {
    const h = harness({ initialBalance: '1000' });
    const price = offset(h.venue.ticker(ETH).bid, '-5');
    const cmd = order({ symbol: ETH, side: 'buy', type: 'limit', price, quantity: '1' });
    await h.venue.submit(cmd);
    await h.venue.amend(amendOf(cmd, { quantity: '100' }));
    expect(h.events.at(-1)).toMatchObject({ type: 'OrderAmendRejected', reason: expect.stringMatching(/margin/) });
    // What it held before the refusal is held again, and an increase the account can back goes through.
    await h.venue.amend(amendOf(cmd, { quantity: '2' }));
    expect(h.events.at(-1)).toMatchObject({ type: 'OrderAmended', quantity: '2' });
  });

  it('re-arms a stop at its new stop price, and survives a restart with the amended terms', async () => {
    const h = harness(RICH);
    const last = h.venue.ticker(BTC).last;
    const cmd = order({ symbol: BTC, side: 'sell', type: 'stop', stopPrice: offset(last, '-100'), quantity: '0.01', reduceOnly: false });
    await h.venue.submit(cmd);
    await h.venue.amend(amendOf(cmd, { stopPrice: offset(last, '-20') }));
    expect(amended(h.events)).toEqual([expect.objectContaining({ stopPrice: offset(last, '-20') })]);
    // The old stop no longer triggers; the new one does.
    h.venue.injectTrade(BTC, 'sell', offset(last, '-10'), '0.001');
    expect(types(eventsOf(h.events, cmd.clientOrderId))).toEqual(['OrderAccepted', 'OrderAmended']);
    const restarted = harness({ ...RICH, store: h.store }, h.clock);
    expect(await restarted.venue.orderReport(cmd.clientOrderId)).toMatchObject({ stopPrice: offset(last, '-20'), status: 'open' });
    restarted.venue.injectTrade(BTC, 'sell', offset(last, '-20'), '0.001');
    expect(types(restarted.events)).toEqual(['OrderTriggered', 'OrderFilled']);
  });
});
