import { describe, expect, it } from 'vitest';
import type { PriceAlert } from '../../../shared/contract/alerts';
import { MAX_ACTIVE_PRICE_ALERTS, MAX_TRIGGERED_PRICE_ALERTS } from '../../../shared/contract/alerts';
import type { Bar, Instrument, Ticker } from '../../../shared/domain';
import { silentLogger } from '../ports/logger';
import { PriceAlertBook, type PriceAlertBookOptions } from './priceAlertBook';
import { MemoryPriceAlertStore, type PriceAlertStore } from './priceAlertStore';

const BTC = 'BTC/USDT:USDT';
const MINUTE = 60_000;

const instrument = { venue: 'paper', symbol: BTC, tickSize: '0.1' } as Instrument;

function harness(options: { last?: string | null; bars?: Bar[]; store?: PriceAlertStore } = {}) {
  let now = 1_800_000_000_000;
  let n = 0;
  let last = options.last === undefined ? '100' : options.last;
  const events: Array<{ topic: string; alert?: PriceAlert; id?: string }> = [];
  const triggered: PriceAlert[] = [];
  const store = options.store ?? new MemoryPriceAlertStore();
  const o: PriceAlertBookOptions = {
    store,
    publish: (topic, alert) => events.push({ topic, alert }),
    publishRemoved: (id) => events.push({ topic: 'alerts.price.removed', id }),
    now: () => now,
    newId: () => `a${++n}`,
    instrument: (venue, symbol) => (venue === 'paper' && symbol === BTC ? instrument : undefined),
    lastPrice: () => last,
    ...(options.bars ? { recentBars: async () => options.bars! } : {}),
    onTriggered: (a) => triggered.push(a),
    log: silentLogger,
  };
  const book = new PriceAlertBook(o);
  const tick = async (price: string, advanceMs = 1_000) => {
    now += advanceMs;
    last = price;
    book.onTicker({ venue: 'paper', symbol: BTC, last: price } as Ticker);
    await Promise.resolve();
  };
  return { book, store, events, triggered, tick, at: () => now, options: o };
}

describe('price alerts: crossing a price', () => {
  it('takes its direction from the side the price is on, and fires once when the price gets there', async () => {
    const h = harness({ last: '100' });
    const up = h.book.add({ kind: 'cross', venue: 'paper', symbol: BTC, price: '105.0' });
    const down = h.book.add({ kind: 'cross', venue: 'paper', symbol: BTC, price: '95', note: 'support' });
    expect([up.direction, up.price, down.direction, down.note]).toEqual(['up', '105', 'down', 'support']);
    await h.tick('104.9');
    expect(h.triggered).toEqual([]);
    await h.tick('105.3');
    expect(h.triggered).toEqual([
      expect.objectContaining({ id: up.id, status: 'triggered', triggerPrice: '105.3', triggeredAt: h.at(), message: 'BTC/USDT:USDT rose to 105 (last 105.3)' }),
    ]);
    await h.tick('106');
    expect(h.triggered).toHaveLength(1);
    await h.tick('94.5');
    expect(h.triggered.map((a) => a.message)).toEqual(['BTC/USDT:USDT rose to 105 (last 105.3)', 'BTC/USDT:USDT fell to 95 (last 94.5)']);
    expect(h.events.map((e) => `${e.topic}:${e.alert?.id}`)).toEqual([
      `alerts.price.updated:${up.id}`,
      `alerts.price.updated:${down.id}`,
      `alerts.price.triggered:${up.id}`,
      `alerts.price.triggered:${down.id}`,
    ]);
    expect(h.store.all().every((a) => a.status === 'triggered')).toBe(true);
  });

  it('refuses what would fire at once or cannot be watched, changing nothing', () => {
    const h = harness({ last: '100' });
    const refused = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e as { code: string; message: string };
      }
      throw new Error('not refused');
    };
    expect(refused(() => h.book.add({ kind: 'cross', venue: 'paper', symbol: BTC, price: '100.0' }))).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/at 100.0 now/) });
    expect(refused(() => h.book.add({ kind: 'cross', venue: 'paper', symbol: BTC, price: '99', direction: 'up' }))).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/already at or above 99/) });
    expect(refused(() => h.book.add({ kind: 'cross', venue: 'paper', symbol: 'ETH/USDT:USDT', price: '99' }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(refused(() => h.book.add({ kind: 'move', venue: 'paper', symbol: BTC, percent: '150', windowMinutes: 5 }))).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(h.store.all()).toEqual([]);
    expect(h.events).toEqual([]);
    const blind = harness({ last: null });
    expect(refused(() => blind.book.add({ kind: 'cross', venue: 'paper', symbol: BTC, price: '99' }))).toMatchObject({ message: expect.stringMatching(/no price yet/) });
    expect(blind.book.add({ kind: 'cross', venue: 'paper', symbol: BTC, price: '99', direction: 'down' }).direction).toBe('down');
  });

  it('watches at most so many at once', () => {
    const h = harness({ last: '100' });
    for (let i = 0; i < MAX_ACTIVE_PRICE_ALERTS; i++) h.book.add({ kind: 'cross', venue: 'paper', symbol: BTC, price: String(200 + i) });
    expect(() => h.book.add({ kind: 'cross', venue: 'paper', symbol: BTC, price: '500' })).toThrow(/At most/);
  });
});

describe('price alerts: a move within a window', () => {
  it('fires when the price rises the percent above the window’s low, counting the minutes before it was set', async () => {
    const bars: Bar[] = [];
    const seeded = harness({ last: '100', bars });
    bars.push(
      { time: seeded.at() - 20 * MINUTE, open: 90, high: 91, low: 90, close: 90, volume: 1 }, // before the 10-minute window
      { time: seeded.at() - 5 * MINUTE, open: 99, high: 99.5, low: 98, close: 99, volume: 1 },
    );
    const alert = seeded.book.add({ kind: 'move', venue: 'paper', symbol: BTC, percent: '2', windowMinutes: 10, direction: 'up' });
    expect(alert).toMatchObject({ kind: 'move', direction: 'up', percent: '2', windowMinutes: 10, price: null });
    await new Promise((r) => setTimeout(r, 0)); // the seed is read
    await seeded.tick('99.9');
    expect(seeded.triggered).toEqual([]);
    await seeded.tick('99.97'); // 98 × 1.02 = 99.96; the 90 low is too old to count
    expect(seeded.triggered).toEqual([expect.objectContaining({ id: alert.id, message: 'BTC/USDT:USDT rose 2.01 % within 10 min, from 98.0 to 100.0' })]);
  });

  it('forgets a low that left the window, and watches falls from the high', async () => {
    const h = harness({ last: '100' });
    const alert = h.book.add({ kind: 'move', venue: 'paper', symbol: BTC, percent: '5', windowMinutes: 1 });
    await h.tick('110', 0);
    await h.tick('106', 10_000);
    expect(h.triggered).toEqual([]);
    // 65 s after the 110 high it has left the window, the 106 has not: 104 is under 106 by less than 5 %.
    await h.tick('104', 55_000);
    expect(h.triggered).toEqual([]);
    await h.tick('100.6', 1_000); // under 106 × 0.95 = 100.7
    expect(h.triggered).toEqual([expect.objectContaining({ id: alert.id, message: expect.stringMatching(/^BTC\/USDT:USDT fell 5\.\d\d % within 1 min, from 106\.0 to 100\.6$/) })]);
  });
});

describe('price alerts: keeping and removing', () => {
  it('lists newest first by instrument and status', async () => {
    const h = harness({ last: '100' });
    const a = h.book.add({ kind: 'cross', venue: 'paper', symbol: BTC, price: '101' });
    await h.tick('100.5');
    const b = h.book.add({ kind: 'move', venue: 'paper', symbol: BTC, percent: '50', windowMinutes: 60 });
    await h.tick('101');
    expect(h.book.list().map((x) => x.id)).toEqual([b.id, a.id]);
    expect(h.book.list({ status: 'active' }).map((x) => x.id)).toEqual([b.id]);
    expect(h.book.list({ status: 'triggered' }).map((x) => x.id)).toEqual([a.id]);
    expect(h.book.list({ symbol: 'ETH/USDT:USDT' })).toEqual([]);
  });

  it('removes an alert so it never fires, and says when there is none', async () => {
    const h = harness({ last: '100' });
    const a = h.book.add({ kind: 'cross', venue: 'paper', symbol: BTC, price: '101' });
    h.book.remove(a.id);
    await h.tick('102');
    expect(h.triggered).toEqual([]);
    expect(h.events.map((e) => e.topic)).toEqual(['alerts.price.updated', 'alerts.price.removed']);
    expect(() => h.book.remove(a.id)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('comes back from its store watching what was active and keeping what fired', async () => {
    const first = harness({ last: '100' });
    const fired = first.book.add({ kind: 'cross', venue: 'paper', symbol: BTC, price: '101' });
    const waiting = first.book.add({ kind: 'cross', venue: 'paper', symbol: BTC, price: '120' });
    await first.tick('101.5');
    const again = harness({ last: '101.5', store: first.store });
    expect(again.book.list({ status: 'triggered' }).map((a) => a.id)).toEqual([fired.id]);
    await again.tick('120.1');
    expect(again.triggered.map((a) => a.id)).toEqual([waiting.id]);
  });

  it('keeps only the newest triggered alerts', async () => {
    const h = harness({ last: '100' });
    for (let i = 0; i < MAX_TRIGGERED_PRICE_ALERTS + 3; i++) {
      h.book.add({ kind: 'cross', venue: 'paper', symbol: BTC, price: '100.1' });
      await h.tick('100.2');
      await h.tick('100');
    }
    expect(h.store.all()).toHaveLength(MAX_TRIGGERED_PRICE_ALERTS);
    expect(h.book.list()).toHaveLength(MAX_TRIGGERED_PRICE_ALERTS);
    expect(h.book.list().map((a) => a.id)).not.toContain('a1');
  });
});
