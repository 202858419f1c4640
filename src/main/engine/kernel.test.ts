/**
 * The kernel's timing rules: venue reports are applied after the venue call
 * returns, subscribers see only committed state, and commands a subscriber
 * sends run after the command that caused the event, from a clean stack.
 */
import { describe, expect, it } from 'vitest';
import { FakeVenue } from '../../../tests/support/fakeVenue';
import type { Order } from '../../shared/domain';
import { openJournalDatabase } from '../journal/database';
import { SqliteJournal } from '../journal/sqliteJournal';
import { EventBus } from './bus';
import { CommandQueue } from './commandQueue';
import { Engine } from './engine';
import { SimulatedClock } from './ports/clock';
import { silentLogger } from './ports/logger';

const limitBuy = { venue: 'fake', symbol: 'BTC/USDT:USDT', side: 'buy', type: 'limit', quantity: '0.01', price: '59000' } as const;
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

async function setup() {
  const db = openJournalDatabase(':memory:');
  const venue = new FakeVenue();
  const engine = new Engine({ clock: new SimulatedClock(1_700_000_000_000), journal: new SqliteJournal(db), venues: [venue], logger: silentLogger });
  await engine.start();
  return { engine, venue, db };
}

describe('the outbox', () => {
  it('publishes what a transaction published once it commits, in order', () => {
    const bus = new EventBus(silentLogger);
    const seen: string[] = [];
    bus.subscribe((topic) => seen.push(topic));
    bus.atomically(() => {
      bus.publish('settings.updated', { emergencyHotkey: 'F1', emergencyFlattenByDefault: false, activityRetentionDays: 90, activityRetentionRows: 1_000_000 });
      bus.atomically(() => bus.publish('hotkey.status', { accelerator: 'F1', registered: true, scope: 'window', reason: null }));
      expect(seen).toEqual([]);
    });
    expect(seen).toEqual(['settings.updated', 'hotkey.status']);
  });

  it('publishes nothing of a transaction that fails, and only drops the failing part of a nested one', () => {
    const bus = new EventBus(silentLogger);
    const seen: string[] = [];
    bus.subscribe((topic) => seen.push(topic));
    expect(() =>
      bus.atomically(() => {
        bus.publish('hotkey.status', { accelerator: 'F1', registered: true, scope: 'window', reason: null });
        throw new Error('commit failed');
      }),
    ).toThrow('commit failed');
    expect(seen).toEqual([]);
    bus.atomically(() => {
      bus.publish('hotkey.status', { accelerator: 'F2', registered: true, scope: 'window', reason: null });
      try {
        bus.atomically(() => {
          bus.publish('hotkey.status', { accelerator: 'F3', registered: true, scope: 'window', reason: null });
          throw new Error('inner failed');
        });
      } catch {
        // the outer transaction carries on without the inner one's writes
      }
    });
    expect(seen).toEqual(['hotkey.status']);
  });

  it('a fill whose journal commit fails is never announced', async () => {
    const { engine, venue, db } = await setup();
    const order = await engine.placeOrder(limitBuy);
    const seen: string[] = [];
    engine.bus.subscribe((topic) => seen.push(topic));
    db.pragma('query_only = ON');
    venue.fill(order.clientOrderId, 't1', '0.01', '59000');
    await settle();
    db.pragma('query_only = OFF');
    expect(seen.filter((t) => t === 'fills.new' || t === 'orders.updated')).toEqual([]);
    expect(engine.orders.get(order.id)!.status).toBe('open');
  });
});

describe('venue reports', () => {
  it('are applied after the venue call returns, never inside it', async () => {
    const { engine, venue } = await setup();
    const statusDuringSubmit: string[] = [];
    venue.onSubmit = (command) => {
      venue.emit({ type: 'OrderAccepted', clientOrderId: command.clientOrderId, venueOrderId: 'v1', timestamp: 1 });
      venue.fill(command.clientOrderId, 't1', '0.01', '59000');
      // Still inside the venue's call: Keel has not touched the order yet.
      statusDuringSubmit.push(engine.orders.getByClientId(command.clientOrderId)!.status);
    };
    const order = await engine.placeOrder(limitBuy);
    expect(statusDuringSubmit).toEqual(['pending_new']);
    // The command's answer already reflects every report the venue gave while it was being called.
    expect(order).toMatchObject({ status: 'filled', venueOrderId: 'v1', filledQuantity: '0.01' });
  });

  it('a subscriber that places an order on a fill sees committed state, and its order runs after the current one', async () => {
    const { engine, venue, db } = await setup();
    const log: string[] = [];
    let follow: Promise<Order> | undefined;
    engine.bus.subscribe((topic, payload) => {
      if (topic !== 'fills.new') return;
      const fill = payload as { tradeId: string; orderId: string };
      // Committed: the journal already holds the fill this event announces.
      const row = db.prepare('SELECT 1 FROM fills WHERE trade_id = ?').get(fill.tradeId);
      log.push(`fill ${fill.tradeId} ${row ? 'committed' : 'NOT committed'}`);
      if (!follow) {
        follow = engine.commands.run(() => {
          log.push('follow-up starts');
          return engine.placeOrder({ ...limitBuy, side: 'sell', type: 'limit', price: '61000', clientOrderId: 'follow-up' });
        });
      }
    });
    venue.onSubmit = (command) => {
      if (command.clientOrderId === 'follow-up') {
        venue.emit({ type: 'OrderAccepted', clientOrderId: command.clientOrderId, venueOrderId: 'v2', timestamp: 2 });
        return;
      }
      venue.emit({ type: 'OrderAccepted', clientOrderId: command.clientOrderId, venueOrderId: 'v1', timestamp: 1 });
      venue.fill(command.clientOrderId, 't1', '0.01', '59000');
    };
    const first = engine.commands.run(async () => {
      const placed = await engine.placeOrder(limitBuy);
      log.push('first done');
      return placed;
    });
    await first;
    const second = await follow!;
    expect(log).toEqual(['fill t1 committed', 'first done', 'follow-up starts']);
    expect(second).toMatchObject({ status: 'open', side: 'sell', source: 'manual' });
  });
});

describe('the command queue', () => {
  it('runs commands one at a time in arrival order; the urgent lane does not wait', async () => {
    const queue = new CommandQueue();
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = queue.run(async () => {
      log.push('slow starts');
      await gate;
      log.push('slow ends');
    });
    const next = queue.run(() => log.push('next'));
    while (!log.includes('slow starts')) await Promise.resolve();
    await queue.urgent(() => log.push('urgent'));
    expect(log).toEqual(['slow starts', 'urgent']);
    expect(queue.size).toBe(2);
    release();
    await Promise.all([slow, next]);
    expect(log).toEqual(['slow starts', 'urgent', 'slow ends', 'next']);
    await queue.drained();
    expect(queue.size).toBe(0);
  });

  it('a failing command does not stop the ones behind it', async () => {
    const queue = new CommandQueue();
    const failed = queue.run(() => {
      throw new Error('refused');
    });
    const after = queue.run(() => 'ran');
    await expect(failed).rejects.toThrow('refused');
    await expect(after).resolves.toBe('ran');
  });
});
