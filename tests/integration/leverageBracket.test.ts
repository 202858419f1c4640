/**
 * The margin bracket's position limit through the whole engine on the paper
 * venue: Keel's risk stage refuses the order before it is journaled or sent
 * (a typed error to the caller, an `orders.denied` event naming the check),
 * and the same order passes once the leverage allows its size.
 */
import { describe, expect, it } from 'vitest';
import { Dec } from '../../src/shared/decimal';
import { KeelError } from '../../src/shared/errors';
import type { OrderDenied } from '../../src/shared/risk';
import { Engine } from '../../src/main/engine/engine';
import { SimulatedClock } from '../../src/main/engine/ports/clock';
import type { SubmitOrder } from '../../src/main/engine/ports/venue';
import { openJournalDatabase } from '../../src/main/journal/database';
import { SqliteJournal } from '../../src/main/journal/sqliteJournal';
import { PaperVenue } from '../../src/main/venues/paper/paperVenue';
import { InMemoryPaperVenueStore } from '../../src/main/venues/paper/store';

const BTC = 'BTC/USDT:USDT';
const LOT = Dec.parse('0.001');

async function world() {
  const clock = new SimulatedClock(Date.UTC(2025, 0, 6, 9, 30, 15));
  const venue = new PaperVenue({ clock, store: new InMemoryPaperVenueStore(), seed: 11, historyMinutes: 90, stepMs: 0, initialBalance: '1000000' });
  const sent: SubmitOrder[] = [];
  const submit = venue.submit.bind(venue);
  venue.submit = (command) => {
    sent.push(command);
    return submit(command);
  };
  const engine = new Engine({ clock, journal: new SqliteJournal(openJournalDatabase(':memory:')), venues: [venue], cadences: { staleOrderSweepMs: 0, healthMs: 0, activityPruneMs: 0, reconcileMs: 0 } });
  await engine.start();
  const denied: OrderDenied[] = [];
  engine.bus.subscribe((_topic, payload) => denied.push(payload as OrderDenied), ['orders.denied']);
  return { engine, venue, sent, denied };
}

describe('the margin bracket limit through the engine', () => {
  it('refuses an order beyond the notional the leverage allows with a typed error, journals and sends nothing, and takes it at a lower leverage', async () => {
    const { engine, venue, sent, denied } = await world();
    await engine.setLeverage('paper', BTC, 100);
    const ask = Dec.parse(venue.ticker(BTC).ask);
    const quantity = Dec.parse('50000').div(ask).floorTo(LOT).add(LOT.mul(Dec.parse('3'))).toString();
    const params = { venue: 'paper', symbol: BTC, side: 'buy', type: 'market', quantity } as const;

    const error = await engine.placeOrder(params).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeelError);
    expect((error as KeelError).code).toBe('LEVERAGE_BRACKET_EXCEEDED');
    expect((error as KeelError).message).toContain('at 100x the position may be at most 50000.00 USDT');
    expect((error as KeelError).data).toMatchObject({ leverage: 100, maxNotional: '50000', bracketMaxLeverage: 75 });
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ check: 'leverage-bracket', code: 'LEVERAGE_BRACKET_EXCEEDED', symbol: BTC, quantity });
    expect(sent).toEqual([]);
    expect(engine.listOrders('all', 100).orders).toEqual([]);
    expect(engine.positions()).toEqual([]);

    await engine.setLeverage('paper', BTC, 75);
    const order = await engine.placeOrder(params);
    expect(sent.map((s) => s.clientOrderId)).toEqual([order.clientOrderId]);
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(engine.positions().map((p) => [p.symbol, p.quantity])).toEqual([[BTC, quantity]]);
    await engine.stop();
  });

  it('refuses an amend that would grow a resting order past the limit, and leaves the order as it was', async () => {
    const { engine, venue, denied } = await world();
    await engine.setLeverage('paper', BTC, 100);
    const price = Dec.parse(venue.ticker(BTC).bid).mul(Dec.parse('0.99')).floorTo(Dec.parse('0.1'));
    const quantity = Dec.parse('45000').div(price).floorTo(LOT).toString();
    const resting = await engine.placeOrder({ venue: 'paper', symbol: BTC, side: 'buy', type: 'limit', price: price.toString(), quantity });
    const over = Dec.parse('51000').div(price).ceilTo(LOT).toString();
    const error = await engine.amendOrder({ orderId: resting.id, quantity: over }).catch((e: unknown) => e);
    expect((error as KeelError).code).toBe('LEVERAGE_BRACKET_EXCEEDED');
    expect(denied.at(-1)).toMatchObject({ check: 'leverage-bracket' });
    expect(engine.orders.get(resting.id)).toMatchObject({ quantity, status: 'open' });
    await engine.stop();
  });
});
