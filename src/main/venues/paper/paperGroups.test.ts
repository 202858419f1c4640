import { describe, expect, it } from 'vitest';
import type { AttachedSubmit, ExecutionEvent, SubmitOrder } from '../../engine/ports/venue';
import { BTC, D, eventsOf, fillsOf, harness, offset, order, sum, type Harness } from './testSupport';

const RICH = { initialBalance: '1000000' };

/** Moves the market to `price` (book and last trade), as a scripted path step. */
function to(h: Harness, price: string, side: 'buy' | 'sell' = 'buy'): void {
  h.venue.setMarketPrice(BTC, Number(price));
  h.venue.injectTrade(BTC, side, price, '0.001');
}

/** A price `delta` away from `base`, on BTC's 0.1 tick. */
const at = (base: string, delta: number): string => D(base).add(D(String(delta))).floorTo(D('0.1')).toString();

function child(role: 'tp' | 'sl', fields: Partial<AttachedSubmit>): AttachedSubmit {
  return { clientOrderId: `${role}-${Math.random().toString(36).slice(2, 8)}`, role, type: role === 'tp' ? 'take_profit' : 'stop', price: null, stopPrice: null, trailing: null, ...fields };
}

function what(events: readonly ExecutionEvent[], clientOrderId: string): string[] {
  return eventsOf(events, clientOrderId).map((e) => (e.type === 'OrderAmended' ? `OrderAmended ${e.quantity}` : e.type === 'OrderTrailed' ? `OrderTrailed ${e.stopPrice}` : e.type));
}

async function bracket(h: Harness, entry: Partial<SubmitOrder>, tp: Partial<AttachedSubmit> | null, sl: Partial<AttachedSubmit> | null) {
  const attached = [...(tp ? [child('tp', tp)] : []), ...(sl ? [child('sl', sl)] : [])];
  const cmd = order({ symbol: BTC, side: 'buy', type: 'market', quantity: '0.01', ...entry, attached });
  await h.venue.submit(cmd);
  return { cmd, tp: attached.find((a) => a.role === 'tp'), sl: attached.find((a) => a.role === 'sl') };
}

describe('a bracket at the paper venue', () => {
  it('fills its entry, then its take-profit, and cancels the stop-loss', async () => {
    const h = harness(RICH);
    const base = h.venue.ticker(BTC).last;
    const { cmd, tp, sl } = await bracket(h, {}, { stopPrice: at(base, 200) }, { stopPrice: at(base, -200) });
    expect(what(h.events, cmd.clientOrderId).slice(0, 2)).toEqual(['OrderAccepted', 'OrderFilled']);
    expect(await h.venue.positionReports()).toEqual([expect.objectContaining({ quantity: '0.01' })]);
    // Both children work now, reduce-only on the other side, sized to the entry.
    expect(await h.venue.orderReport(tp!.clientOrderId)).toMatchObject({ side: 'sell', quantity: '0.01', status: 'open', type: 'take_profit' });
    to(h, at(base, 100));
    expect(what(h.events, tp!.clientOrderId)).toEqual(['OrderAccepted']);
    to(h, at(base, 200));
    expect(what(h.events, tp!.clientOrderId)).toEqual(['OrderAccepted', 'OrderTriggered', 'OrderFilled']);
    expect(what(h.events, sl!.clientOrderId)).toEqual(['OrderAccepted', 'OrderCanceled']);
    expect(eventsOf(h.events, sl!.clientOrderId).at(-1)).toMatchObject({ reason: 'one-cancels-other: the take-profit triggered' });
    expect(await h.venue.orderReport(tp!.clientOrderId)).toMatchObject({ status: 'filled', filledQuantity: '0.01' });
    expect(await h.venue.positionReports()).toEqual([]);
    expect(await h.venue.openOrderReports()).toEqual([]);
  });

  it('fills its entry, then its stop-loss, and cancels the take-profit', async () => {
    const h = harness(RICH);
    const base = h.venue.ticker(BTC).last;
    const { tp, sl } = await bracket(h, { side: 'sell' }, { stopPrice: at(base, -200) }, { stopPrice: at(base, 200) });
    expect(await h.venue.positionReports()).toEqual([expect.objectContaining({ quantity: '-0.01' })]);
    to(h, at(base, 199.9));
    expect(what(h.events, sl!.clientOrderId)).toEqual(['OrderAccepted']);
    to(h, at(base, 200));
    expect(what(h.events, sl!.clientOrderId)).toEqual(['OrderAccepted', 'OrderTriggered', 'OrderFilled']);
    expect(fillsOf(h.events, sl!.clientOrderId)[0]).toMatchObject({ side: 'buy', quantity: '0.01' });
    expect(what(h.events, tp!.clientOrderId)).toEqual(['OrderAccepted', 'OrderCanceled']);
    expect(await h.venue.positionReports()).toEqual([]);
  });

  it('keeps its children waiting until the entry fills: a move through the stop-loss before that does nothing', async () => {
    const h = harness(RICH);
    const base = h.venue.ticker(BTC).last;
    const entryPrice = at(base, -300);
    const { cmd, tp, sl } = await bracket(h, { type: 'limit', price: entryPrice, quantity: '0.02' }, { stopPrice: at(base, 300) }, { stopPrice: at(base, -400) });
    to(h, at(base, 400));
    expect(what(h.events, tp!.clientOrderId)).toEqual(['OrderAccepted']);
    expect(what(h.events, sl!.clientOrderId)).toEqual(['OrderAccepted']);
    // Cancelled unfilled, the entry takes its children with it.
    await h.venue.cancel({ clientOrderId: cmd.clientOrderId, symbol: BTC });
    expect(what(h.events, tp!.clientOrderId)).toEqual(['OrderAccepted', 'OrderCanceled']);
    expect(what(h.events, sl!.clientOrderId)).toEqual(['OrderAccepted', 'OrderCanceled']);
    expect(eventsOf(h.events, sl!.clientOrderId).at(-1)).toMatchObject({ reason: 'its entry was canceled unfilled' });
  });

  it('keeps a waiting child waiting when its price is amended', async () => {
    const h = harness(RICH);
    const base = h.venue.ticker(BTC).last;
    const { tp } = await bracket(h, { type: 'limit', price: at(base, -300) }, { stopPrice: at(base, 300) }, { stopPrice: at(base, -600) });
    await h.venue.amend({ clientOrderId: tp!.clientOrderId, symbol: BTC, side: 'sell', type: 'take_profit', quantity: null, price: null, stopPrice: at(base, 100), current: { quantity: '0.01', price: null, stopPrice: at(base, 300) } });
    expect(what(h.events, tp!.clientOrderId)).toEqual(['OrderAccepted', 'OrderAmended 0.01']);
    to(h, at(base, 150));
    expect(what(h.events, tp!.clientOrderId)).toEqual(['OrderAccepted', 'OrderAmended 0.01']);
  });

  it('sizes its children to a partial entry fill: they close only what filled, and take that size when the entry is cancelled', async () => {
    const h = harness(RICH);
    const base = h.venue.ticker(BTC).last;
    const entryPrice = at(base, -300);
    const { cmd, tp, sl } = await bracket(h, { type: 'limit', price: entryPrice, quantity: '0.02' }, { stopPrice: at(base, 300) }, { stopPrice: at(base, -600) });
    // A print through the entry's price fills 0.005 of it.
    h.venue.injectTrade(BTC, 'sell', at(base, -300.1), '0.005');
    expect(fillsOf(h.events, cmd.clientOrderId).map((f) => f.quantity)).toEqual(['0.005']);
    expect(await h.venue.positionReports()).toEqual([expect.objectContaining({ quantity: '0.005' })]);
    await h.venue.cancel({ clientOrderId: cmd.clientOrderId, symbol: BTC });
    for (const c of [tp!, sl!]) {
      expect(what(h.events, c.clientOrderId)).toEqual(['OrderAccepted', 'OrderAmended 0.005']);
      expect(await h.venue.orderReport(c.clientOrderId)).toMatchObject({ quantity: '0.005', status: 'open' });
    }
    to(h, at(base, -600), 'sell');
    expect(fillsOf(h.events, sl!.clientOrderId).map((f) => f.quantity)).toEqual(['0.005']);
    expect(what(h.events, tp!.clientOrderId).at(-1)).toBe('OrderCanceled');
    expect(await h.venue.positionReports()).toEqual([]);
  });

  it('ends what is left of a working entry when an exit triggers, sizing the exit to what the entry filled', async () => {
    const h = harness(RICH);
    const base = h.venue.ticker(BTC).last;
    const { cmd, tp, sl } = await bracket(h, { type: 'limit', price: at(base, -300), quantity: '0.02' }, { stopPrice: at(base, 300) }, { stopPrice: at(base, -600) });
    h.venue.injectTrade(BTC, 'sell', at(base, -300.1), '0.008');
    to(h, at(base, 300));
    expect(what(h.events, cmd.clientOrderId)).toEqual(['OrderAccepted', 'OrderFilled', 'OrderCanceled']);
    expect(eventsOf(h.events, cmd.clientOrderId).at(-1)).toMatchObject({ reason: 'its take-profit triggered' });
    expect(what(h.events, tp!.clientOrderId)).toEqual(['OrderAccepted', 'OrderTriggered', 'OrderAmended 0.008', 'OrderFilled']);
    expect(what(h.events, sl!.clientOrderId)).toEqual(['OrderAccepted', 'OrderAmended 0.008', 'OrderCanceled']);
    expect(await h.venue.positionReports()).toEqual([]);
  });

  it('takes a limit take-profit fill off the stop-loss, and cancels the stop-loss once the take-profit completes', async () => {
    const h = harness(RICH);
    const base = h.venue.ticker(BTC).last;
    const tpPrice = at(base, 300);
    const { tp, sl } = await bracket(h, {}, { type: 'take_profit_limit', stopPrice: at(base, 250), price: tpPrice }, { stopPrice: at(base, -300) });
    // Triggered at 250, the take-profit rests as a sell limit at 300 and fills as prints go through it.
    to(h, at(base, 250));
    expect(what(h.events, tp!.clientOrderId)).toEqual(['OrderAccepted', 'OrderTriggered']);
    expect(what(h.events, sl!.clientOrderId)).toEqual(['OrderAccepted', 'OrderCanceled']);
    h.venue.injectTrade(BTC, 'buy', offset(tpPrice, '0.1'), '0.004');
    h.venue.injectTrade(BTC, 'buy', offset(tpPrice, '0.1'), '0.01');
    expect(fillsOf(h.events, tp!.clientOrderId).map((f) => [f.price, f.quantity])).toEqual([
      [tpPrice, '0.004'],
      [tpPrice, '0.006'],
    ]);
    expect(await h.venue.positionReports()).toEqual([]);
  });

  it('is accepted or rejected whole, and a cancel-all ends every order of it once', async () => {
    const h = harness(RICH);
    const base = h.venue.ticker(BTC).last;
    const bad = await bracket(h, { type: 'limit', price: at(base, -300) }, { stopPrice: `${at(base, 300)}5` }, { stopPrice: at(base, -400) });
    expect(h.events.filter((e) => e.type === 'OrderRejected').map((e) => e.clientOrderId).sort()).toEqual([bad.cmd.clientOrderId, bad.tp!.clientOrderId, bad.sl!.clientOrderId].sort());
    h.events.length = 0;
    const { cmd, tp, sl } = await bracket(h, { type: 'limit', price: at(base, -300) }, { stopPrice: at(base, 300) }, { stopPrice: at(base, -400) });
    await h.venue.cancelAll();
    for (const id of [cmd.clientOrderId, tp!.clientOrderId, sl!.clientOrderId]) expect(what(h.events, id)).toEqual(['OrderAccepted', 'OrderCanceled']);
  });

  it('survives a restart: waiting children stay waiting, and work once the entry fills', async () => {
    const first = harness(RICH);
    const base = first.venue.ticker(BTC).last;
    const { cmd, tp, sl } = await bracket(first, { type: 'limit', price: at(base, -300) }, { stopPrice: at(base, 300) }, { stopPrice: at(base, -600) });
    const h = harness({ ...RICH, store: first.store }, first.clock);
    expect(await h.venue.orderReport(tp!.clientOrderId)).toMatchObject({ status: 'open' });
    // Through the take-profit's trigger while the entry has not filled: nothing.
    to(h, at(base, 400));
    expect(eventsOf(h.events, tp!.clientOrderId)).toEqual([]);
    to(h, at(base, -250), 'sell');
    h.venue.injectTrade(BTC, 'sell', at(base, -300.1), '1');
    expect(fillsOf(h.events, cmd.clientOrderId).map((f) => f.quantity)).toEqual(['0.01']);
    to(h, at(base, -600), 'sell');
    expect(what(h.events, sl!.clientOrderId)).toEqual(['OrderTriggered', 'OrderFilled']);
    expect(what(h.events, tp!.clientOrderId)).toEqual(['OrderCanceled']);
  });
});

describe('an OCO pair at the paper venue', () => {
  async function longWithOco(h: Harness, base: string) {
    await h.venue.submit(order({ symbol: BTC, side: 'buy', type: 'market', quantity: '0.01' }));
    const leg = order({ symbol: BTC, side: 'sell', type: 'stop', stopPrice: at(base, -200), quantity: '0.01', reduceOnly: true });
    const cmd = order({ symbol: BTC, side: 'sell', type: 'limit', price: at(base, 200), quantity: '0.01', reduceOnly: true, oco: leg });
    await h.venue.submit(cmd);
    return { limit: cmd, stop: leg };
  }

  it('cancels the stop when the limit fills', async () => {
    const h = harness(RICH);
    const base = h.venue.ticker(BTC).last;
    const { limit, stop } = await longWithOco(h, base);
    h.venue.injectTrade(BTC, 'buy', at(base, 200.1), '0.004');
    expect(what(h.events, stop.clientOrderId)).toEqual(['OrderAccepted', 'OrderAmended 0.006']);
    h.venue.injectTrade(BTC, 'buy', at(base, 200.1), '0.01');
    expect(fillsOf(h.events, limit.clientOrderId).map((f) => f.quantity)).toEqual(['0.004', '0.006']);
    expect(what(h.events, stop.clientOrderId)).toEqual(['OrderAccepted', 'OrderAmended 0.006', 'OrderCanceled']);
    expect(await h.venue.positionReports()).toEqual([]);
  });

  it('cancels the limit when the stop triggers', async () => {
    const h = harness(RICH);
    const base = h.venue.ticker(BTC).last;
    const { limit, stop } = await longWithOco(h, base);
    to(h, at(base, -200), 'sell');
    expect(what(h.events, stop.clientOrderId)).toEqual(['OrderAccepted', 'OrderTriggered', 'OrderFilled']);
    expect(what(h.events, limit.clientOrderId)).toEqual(['OrderAccepted', 'OrderCanceled']);
    expect(await h.venue.positionReports()).toEqual([]);
  });
});

describe('a trailing stop at the paper venue', () => {
  it('follows the best price by a distance and triggers on the retrace, on a scripted path', async () => {
    const h = harness(RICH);
    await h.venue.submit(order({ symbol: BTC, side: 'buy', type: 'market', quantity: '0.01' }));
    const base = h.venue.ticker(BTC).last;
    const cmd = order({ symbol: BTC, side: 'sell', type: 'trailing_stop', quantity: '0.01', reduceOnly: true, trailing: { distance: '50' } });
    await h.venue.submit(cmd);
    const path: Array<[number, string]> = [
      [100, 'buy'],
      [60, 'sell'], // a dip that does not reach the stop (at +50)
      [200, 'buy'],
      [160, 'sell'],
    ];
    for (const [delta, side] of path) to(h, at(base, delta), side as 'buy' | 'sell');
    expect(what(h.events, cmd.clientOrderId)).toEqual(['OrderAccepted', `OrderTrailed ${at(base, -50)}`, `OrderTrailed ${at(base, 50)}`, `OrderTrailed ${at(base, 150)}`]);
    expect(await h.venue.orderReport(cmd.clientOrderId)).toMatchObject({ stopPrice: at(base, 150), status: 'open' });
    to(h, at(base, 150), 'sell');
    expect(what(h.events, cmd.clientOrderId).slice(-2)).toEqual(['OrderTriggered', 'OrderFilled']);
    expect(await h.venue.positionReports()).toEqual([]);
  });

  it('trails by a percentage, rounding the stop away from the price, and a buy trailing stop follows the lows', async () => {
    const h = harness(RICH);
    await h.venue.submit(order({ symbol: BTC, side: 'sell', type: 'market', quantity: '0.01' }));
    const base = D(h.venue.ticker(BTC).last);
    const cmd = order({ symbol: BTC, side: 'buy', type: 'trailing_stop', quantity: '0.01', reduceOnly: true, trailing: { percent: '1' } });
    await h.venue.submit(cmd);
    const low = base.sub(D('500')).floorTo(D('0.1'));
    to(h, low.toString(), 'sell');
    const stop = low.mul(D('1.01')).ceilTo(D('0.1')).toString();
    expect(eventsOf(h.events, cmd.clientOrderId).at(-1)).toMatchObject({ type: 'OrderTrailed', stopPrice: stop });
    to(h, D(stop).sub(D('0.1')).toString());
    expect(what(h.events, cmd.clientOrderId).at(-1)).toMatch(/^OrderTrailed/);
    to(h, stop);
    expect(what(h.events, cmd.clientOrderId).slice(-2)).toEqual(['OrderTriggered', 'OrderFilled']);
  });

  it('as a bracket stop-loss, starts trailing when the entry fills, and keeps its best price across a restart', async () => {
    const first = harness(RICH);
    const base = first.venue.ticker(BTC).last;
    const { tp, sl } = await bracket(first, {}, { stopPrice: at(base, 1000) }, { type: 'trailing_stop', trailing: { distance: '100' } });
    to(first, at(base, 300));
    expect(eventsOf(first.events, sl!.clientOrderId).at(-1)).toMatchObject({ type: 'OrderTrailed', stopPrice: at(base, 200) });
    const h = harness({ ...RICH, store: first.store }, first.clock);
    to(h, at(base, 250), 'sell');
    expect(eventsOf(h.events, sl!.clientOrderId)).toEqual([]);
    to(h, at(base, 200), 'sell');
    expect(what(h.events, sl!.clientOrderId)).toEqual(['OrderTriggered', 'OrderFilled']);
    expect(what(h.events, tp!.clientOrderId)).toEqual(['OrderCanceled']);
    expect(sum(fillsOf(h.events).map((f) => f.quantity)).toString()).toBe('0.01');
  });
});
