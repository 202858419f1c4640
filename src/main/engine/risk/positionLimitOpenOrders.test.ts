/**
 * The position limit through the whole order path: resting orders on the
 * same side count as if they had filled, so a ladder of small orders cannot
 * build a position the limit forbids; an amend is judged without the order
 * it changes; orders on the other side and cancelled orders do not count.
 */
import { describe, expect, it } from 'vitest';
import { Dec } from '../../../shared/decimal';
import { FakeVenue } from '../../../../tests/support/fakeVenue';
import { keelRejectionOf } from '../../../../tests/support/keelError';
import { openJournalDatabase } from '../../journal/database';
import { SqliteJournal } from '../../journal/sqliteJournal';
import { Engine } from '../engine';
import { SimulatedClock } from '../ports/clock';

const T0 = 1_700_000_000_000;
const SYMBOL = 'BTC/USDT:USDT';

async function setup() {
  const venue = new FakeVenue();
  const engine = new Engine({
    clock: new SimulatedClock(T0),
    journal: new SqliteJournal(openJournalDatabase(':memory:')),
    venues: [venue],
    cadences: { staleOrderSweepMs: 0, healthMs: 0, activityPruneMs: 0, reconcileMs: 0 },
  });
  await engine.start();
  // Resting prices a little under and over the touch, on the instrument's tick.
  const tick = Dec.parse(engine.venues.requireInstrument('fake', SYMBOL).tickSize);
  const ticker = engine.ticker('fake', SYMBOL);
  const below = Dec.parse(ticker.bid).mul(Dec.parse('0.99')).floorTo(tick);
  const above = Dec.parse(ticker.ask).mul(Dec.parse('1.01')).ceilTo(tick);
  // The limit leaves room for three buys of 0.01 at `below` and part of a fourth.
  const limits = engine.riskLimits('fake');
  const maxPositionNotional = below.mul(Dec.parse('0.035')).toFixed(2);
  engine.setRiskLimits({ ...limits, account: { ...limits.account, maxPositionNotional, maxOrderNotional: null, maxOpenOrders: null } });
  return { engine, below: below.toString(), above: above.toString() };
}

const order = (side: 'buy' | 'sell', quantity: string, price: string) => ({ venue: 'fake', symbol: SYMBOL, side, type: 'limit', quantity, price }) as const;

describe('position limit with resting orders', () => {
  it('refuses the order that would take the position past the limit if every resting order on its side filled', async () => {
    const { engine, below, above } = await setup();
    for (let i = 0; i < 3; i++) await engine.placeOrder(order('buy', '0.01', below));
    const refused = await keelRejectionOf(engine.placeOrder(order('buy', '0.01', below)));
    expect(refused.code).toBe('RISK_REJECTED');
    expect(refused.message).toMatch(/if it and the open buy orders of 0\.03 BTC filled/);
    expect(engine.orders.openOrders('fake')).toHaveLength(3);
    // A resting sell does not add to a long-side ladder; it is judged on its own side.
    await engine.placeOrder(order('sell', '0.01', above));
    // Cancelling one of the buys makes room again.
    await engine.cancelOrder(engine.orders.openOrders('fake').find((o) => o.side === 'buy')!.id);
    expect((await engine.placeOrder(order('buy', '0.01', below))).status).toBe('open');
  });

  it('judges an amend against the other resting orders, not against itself', async () => {
    const { engine, below } = await setup();
    const first = await engine.placeOrder(order('buy', '0.01', below));
    await engine.placeOrder(order('buy', '0.01', below));
    // 0.01 more on the first makes 0.03 in all: within the limit (its own 0.01 is not counted twice).
    expect((await engine.amendOrder({ orderId: first.id, quantity: '0.02' })).quantity).toBe('0.02');
    const refused = await keelRejectionOf(engine.amendOrder({ orderId: first.id, quantity: '0.03' }));
    expect(refused.code).toBe('RISK_REJECTED');
    expect(refused.message).toMatch(/open buy orders of 0\.01 BTC/);
  });
});
