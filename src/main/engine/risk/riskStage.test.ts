/**
 * The risk stage in front of order intake: refusals are values and events,
 * named by the check that made them and sent back to whoever sent the order.
 */
import { describe, expect, it } from 'vitest';
import { FakeVenue } from '../../../../tests/support/fakeVenue';
import type { OrderDenied } from '../../../shared/risk';
import { openJournalDatabase } from '../../journal/database';
import { SqliteJournal } from '../../journal/sqliteJournal';
import { Engine } from '../engine';
import { SimulatedClock } from '../ports/clock';
import { silentLogger } from '../ports/logger';

const order = { venue: 'fake', symbol: 'BTC/USDT:USDT', side: 'buy', type: 'limit', quantity: '0.01', price: '59000' } as const;

async function setup() {
  const venue = new FakeVenue();
  const engine = new Engine({ clock: new SimulatedClock(1_700_000_000_000), journal: new SqliteJournal(openJournalDatabase(':memory:')), venues: [venue], logger: silentLogger });
  await engine.start();
  const denied: OrderDenied[] = [];
  engine.bus.subscribe((topic, payload) => {
    if (topic === 'orders.denied') denied.push(payload as OrderDenied);
  });
  return { engine, venue, denied };
}

describe('the risk stage', () => {
  it('answers a refusal as a value and an event naming the check and the sender, without an exception', async () => {
    const { engine, venue, denied } = await setup();
    engine.setTradingState('HALTED', 'test');
    const outcome = await engine.submitOrder(order, { kind: 'strategy', id: 'grid-1' });
    expect(outcome).toMatchObject({ ok: false, denial: { check: 'trading-state', code: 'HALTED' } });
    expect(denied).toEqual([expect.objectContaining({ source: 'strategy', sourceId: 'grid-1', check: 'trading-state', code: 'HALTED', symbol: 'BTC/USDT:USDT' })]);
    expect(venue.submitted).toHaveLength(0);
    expect(engine.listOrders('all', 10).orders).toEqual([]);
  });

  it('names each check in the pipeline that can refuse', async () => {
    const { engine } = await setup();
    const checkOf = async (params: Record<string, unknown>) => {
      const outcome = await engine.submitOrder({ ...order, ...params } as typeof order, { kind: 'api', id: 'bot' });
      return outcome.ok ? 'passed' : outcome.denial.check;
    };
    expect(await checkOf({ venue: 'nowhere' })).toBe('venue');
    expect(await checkOf({ symbol: 'DOGE/USDT:USDT' })).toBe('instrument');
    expect(await checkOf({ price: '90000' })).toBe('price-band');
    expect(await checkOf({ quantity: '0.0015' })).toBe('instrument-rules');
    expect(await checkOf({ type: 'stop', price: undefined, stopPrice: '59000' })).toBe('stop-trigger');
    expect(await checkOf({ quantity: '2', price: '59000' })).toBe('margin');
    expect(await checkOf({ side: 'sell', reduceOnly: true })).toBe('reduce-only');
    expect(await checkOf({ clientOrderId: 'mine-1' })).toBe('passed');
    expect(await checkOf({ clientOrderId: 'mine-1' })).toBe('client-order-id');
  });

  it('a person gets the same refusal as a typed error', async () => {
    const { engine } = await setup();
    engine.setTradingState('HALTED', 'test');
    await expect(engine.placeOrder(order)).rejects.toMatchObject({ code: 'HALTED' });
  });
});
