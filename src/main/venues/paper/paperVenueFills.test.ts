import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../engine/ports/clock';
import type { ExecutionEvent, VenueFillReport } from '../../engine/ports/venue';
import { InMemoryPaperVenueStore, type PaperAccountRecord, type PaperFillRecord, type PaperMarketRecord, type PaperOrderRecord } from './store';
import { BTC, ETH, START, SOL, type Filled, fillsOf, harness, offset, order, types } from './testSupport';

const RICH = { initialBalance: '1000000' };

const report = (fill: Filled): VenueFillReport => {
  const { type: _type, ...rest } = fill;
  return rest;
};

/**
 * An in-memory store that says how deep in its transactions it is and which
 * transaction every write landed in.
 */
class RecordingStore extends InMemoryPaperVenueStore {
  depth = 0;
  private nextTx = 0;
  private tx = 0;
  readonly log: Array<{ tx: number; what: 'order' | 'account' | 'fill' | 'market'; key: string }> = [];
  /** Throws from the next `saveFill`, once (a failing disk). */
  failNextFill = false;

  override transaction<T>(fn: () => T): T {
    const outer = this.tx;
    if (this.depth === 0) this.tx = ++this.nextTx;
    this.depth++;
    try {
      return super.transaction(fn);
    } finally {
      this.depth--;
      if (this.depth === 0) this.tx = outer;
    }
  }

  override saveOrder(order: PaperOrderRecord): void {
    this.log.push({ tx: this.tx, what: 'order', key: `${order.clientOrderId}:${order.status}` });
    super.saveOrder(order);
  }

  override saveAccount(account: PaperAccountRecord): void {
    this.log.push({ tx: this.tx, what: 'account', key: String(account.nextTradeSeq) });
    super.saveAccount(account);
  }

  override saveFill(fill: PaperFillRecord): void {
    if (this.failNextFill) {
      this.failNextFill = false;
      throw new Error('disk full');
    }
    this.log.push({ tx: this.tx, what: 'fill', key: fill.tradeId });
    super.saveFill(fill);
  }

  override saveMarket(market: PaperMarketRecord): void {
    this.log.push({ tx: this.tx, what: 'market', key: market.symbol });
    super.saveMarket(market);
  }

  txOf(what: 'order' | 'account' | 'fill', key: string): number | undefined {
    return this.log.find((w) => w.what === what && w.key === key)?.tx;
  }
}

describe('fill reports', () => {
  it('report every fill the venue made, as its OrderFilled event said, oldest first, from a time on', async () => {
    const { venue, clock, events } = harness(RICH);
    await venue.submit(order({ symbol: BTC, side: 'buy', type: 'market', quantity: '0.5' }));
    clock.advanceBy(1_000);
    const sinceSecond = clock.now();
    await venue.submit(order({ symbol: ETH, side: 'sell', type: 'market', quantity: '3' }));
    const resting = order({ symbol: SOL, side: 'buy', type: 'limit', price: offset(venue.ticker(SOL).bid, '-0.5'), quantity: '4' });
    await venue.submit(resting);
    clock.advanceBy(1_000);
    const sinceThird = clock.now();
    venue.setMarketPrice(SOL, Number(offset(resting.price!, '-1')));

    const fills = fillsOf(events);
    expect(new Set(fills.map((f) => f.symbol))).toEqual(new Set([BTC, ETH, SOL]));
    expect(fillsOf(events, resting.clientOrderId)).not.toEqual([]);
    expect(await venue.fillReports(0)).toEqual(fills.map(report));
    expect(await venue.fillReports(sinceSecond)).toEqual(fills.filter((f) => f.timestamp >= sinceSecond).map(report));
    expect(await venue.fillReports(sinceThird)).toEqual(fillsOf(events, resting.clientOrderId).map(report));
    expect(await venue.fillReports(clock.now() + 1)).toEqual([]);
    // Trade ids are unique and in the order the venue made them.
    expect((await venue.fillReports(0)).map((f) => f.tradeId)).toEqual(fills.map((_, i) => `paper-t-${i + 1}`));
  });

  it('include the fills the market makes on resting orders by itself', async () => {
    const { venue, clock, events } = harness(RICH);
    const buy = order({ symbol: SOL, side: 'buy', type: 'limit', price: venue.ticker(SOL).bid, quantity: '2' });
    const sell = order({ symbol: SOL, side: 'sell', type: 'limit', price: venue.ticker(SOL).ask, quantity: '2' });
    await venue.submit(buy);
    await venue.submit(sell);
    await venue.start();
    clock.advanceBy(30 * 60_000);
    await venue.stop();
    const fills = fillsOf(events);
    expect(fills.length).toBeGreaterThan(0);
    expect(await venue.fillReports(START)).toEqual(fills.map(report));
  });

  it('are all a store nothing is restored from keeps: the same fills, and no order or account records', async () => {
    const kept = new RecordingStore();
    const light = Object.assign(new RecordingStore(), { restorable: false as const });
    const runs = [harness({ ...RICH, store: kept }), harness({ ...RICH, store: light })];
    const commands = [order({ symbol: BTC, side: 'buy', type: 'market', quantity: '0.5' }), order({ symbol: ETH, side: 'sell', type: 'market', quantity: '2' })];
    for (const { venue } of runs) for (const command of commands) await venue.submit(command);
    const [full, lean] = runs as [(typeof runs)[0], (typeof runs)[0]];
    expect(lean.events).toEqual(full.events);
    expect(await lean.venue.fillReports(0)).toEqual(await full.venue.fillReports(0));
    expect(await lean.venue.positionReports()).toEqual(await full.venue.positionReports());
    expect(kept.log.filter((w) => w.what === 'order' || w.what === 'account')).not.toEqual([]);
    expect(light.log.filter((w) => w.what === 'order' || w.what === 'account')).toEqual([]);
    expect(light.log.filter((w) => w.what === 'fill')).toEqual(kept.log.filter((w) => w.what === 'fill'));
  });

  it('survive an account reset and a restart', async () => {
    const store = new InMemoryPaperVenueStore();
    const first = harness({ ...RICH, store });
    await first.venue.submit(order({ symbol: BTC, side: 'buy', type: 'market', quantity: '0.2' }));
    const before = fillsOf(first.events).map(report);
    expect(before).not.toEqual([]);
    await first.venue.resetAccount();
    expect(await first.venue.positionReports()).toEqual([]);
    expect(await first.venue.fillReports(0)).toEqual(before);

    const second = harness({ ...RICH, store }, new SimulatedClock(first.clock.now() + 60_000));
    expect(await second.venue.fillReports(0)).toEqual(before);
    await second.venue.submit(order({ symbol: BTC, side: 'sell', type: 'market', quantity: '0.1' }));
    const after = fillsOf(second.events).map(report);
    expect(await second.venue.fillReports(0)).toEqual([...before, ...after]);
    expect(new Set([...before, ...after].map((f) => f.tradeId)).size).toBe(before.length + after.length);
  });

  it('are written in the same store transaction as the order and account change each fill caused', async () => {
    const store = new RecordingStore();
    const { venue, events } = harness({ ...RICH, store });
    const cmd = order({ symbol: ETH, side: 'buy', type: 'market', quantity: '4' });
    await venue.submit(cmd);
    const resting = order({ symbol: ETH, side: 'sell', type: 'limit', price: offset(venue.ticker(ETH).ask, '3'), quantity: '1' });
    await venue.submit(resting);
    venue.setMarketPrice(ETH, Number(offset(resting.price!, '1')));

    const fills = fillsOf(events);
    expect(fills.filter((f) => f.clientOrderId === resting.clientOrderId)).toHaveLength(1);
    for (const fill of fills) {
      const tx = store.txOf('fill', fill.tradeId);
      expect(tx).toBeDefined();
      expect(store.txOf('order', `${fill.clientOrderId}:filled`)).toBe(tx);
      // The account record written with the fill already counts its trade id.
      const seq = Number(fill.tradeId.slice('paper-t-'.length));
      expect(store.log.some((w) => w.tx === tx && w.what === 'account' && Number(w.key) > seq)).toBe(true);
    }
  });

  it('a fill the store failed to record is still reported, and recorded by the next write', async () => {
    const store = new RecordingStore();
    const errors: unknown[] = [];
    const { venue, events } = harness({ ...RICH, store, onError: (e) => errors.push(e) });
    const depths: number[] = [];
    venue.onExecution((e) => {
      if (e.type === 'OrderFilled') depths.push(store.depth);
    });
    const resting = order({ symbol: BTC, side: 'buy', type: 'limit', price: offset(venue.ticker(BTC).bid, '-20'), quantity: '0.01' });
    await venue.submit(resting);
    store.failNextFill = true;
    expect(() => venue.setMarketPrice(BTC, Number(offset(resting.price!, '-5')))).toThrow('disk full');
    // The venue did fill it (in memory), so the fill is reported, outside the failed transaction.
    expect(fillsOf(events, resting.clientOrderId)).toHaveLength(1);
    expect(depths).toEqual([0]);
    expect(await venue.fillReports(0)).toEqual([]);

    await venue.setLeverage(BTC, 20);
    expect(await venue.fillReports(0)).toEqual(fillsOf(events).map(report));
    expect(await venue.orderReport(resting.clientOrderId)).toMatchObject({ status: 'filled' });
    expect(store.loadOrders().find((o) => o.clientOrderId === resting.clientOrderId)?.status).toBe('filled');
  });
});

describe('execution events and the store transaction', () => {
  it('a listener called for a market-driven fill runs inside the transaction that records it', async () => {
    const store = new RecordingStore();
    const { venue, clock } = harness({ ...RICH, store });
    const seen: Array<{ type: string; depth: number; stored: boolean }> = [];
    venue.onExecution((e) => {
      seen.push({ type: e.type, depth: store.depth, stored: e.type === 'OrderFilled' && store.loadFills(0).some((f) => f.tradeId === e.tradeId) });
    });
    const buy = order({ symbol: SOL, side: 'buy', type: 'limit', price: venue.ticker(SOL).bid, quantity: '2' });
    const sell = order({ symbol: SOL, side: 'sell', type: 'limit', price: venue.ticker(SOL).ask, quantity: '2' });
    await venue.submit(buy);
    await venue.submit(sell);
    seen.length = 0;
    await venue.start();
    clock.advanceBy(30 * 60_000);
    await venue.stop();

    const fills = seen.filter((s) => s.type === 'OrderFilled');
    expect(fills.length).toBeGreaterThan(0);
    for (const s of seen) expect(s.depth).toBe(1);
    // Already written (same transaction, before the listeners ran).
    for (const f of fills) expect(f.stored).toBe(true);
  });

  it('market data from the same step waits for the commit, even when an execution listener sends a command meanwhile', async () => {
    const store = new RecordingStore();
    const { venue, clock } = harness({ ...RICH, store });
    const resting = order({ symbol: SOL, side: 'buy', type: 'limit', price: venue.ticker(SOL).bid, quantity: '2' });
    await venue.submit(resting);
    const follow = order({ symbol: BTC, side: 'buy', type: 'market', quantity: '0.001' });
    let sent = false;
    venue.onExecution((e) => {
      if (e.type === 'OrderFilled' && !sent) {
        sent = true;
        void venue.submit(follow);
      }
    });
    const marketDepths = new Set<number>();
    venue.onMarket(() => marketDepths.add(store.depth));
    await venue.start();
    clock.advanceBy(30 * 60_000);
    await venue.stop();
    expect(sent).toBe(true);
    expect(await venue.orderReport(follow.clientOrderId)).toMatchObject({ status: 'filled' });
    expect([...marketDepths]).toEqual([0]);
  });

  it('stops the market triggers, their fills and the maker fills it makes are reported inside the transaction too', async () => {
    const store = new RecordingStore();
    const { venue, events } = harness({ ...RICH, store });
    await venue.submit(order({ symbol: BTC, side: 'buy', type: 'market', quantity: '0.02' }));
    const ask = venue.ticker(BTC).ask;
    const takeProfit = order({ symbol: BTC, side: 'sell', type: 'limit', price: offset(ask, '300'), quantity: '0.02', reduceOnly: true });
    const stopLoss = order({ symbol: BTC, side: 'sell', type: 'stop', stopPrice: offset(venue.ticker(BTC).bid, '-300'), quantity: '0.02', reduceOnly: true });
    const breakout = order({ symbol: BTC, side: 'buy', type: 'stop', stopPrice: offset(ask, '200'), quantity: '0.01' });
    for (const cmd of [takeProfit, stopLoss, breakout]) await venue.submit(cmd);

    const depths = new Map<string, number[]>();
    venue.onExecution((e) => depths.set(`${e.clientOrderId}:${e.type}`, [...(depths.get(`${e.clientOrderId}:${e.type}`) ?? []), store.depth]));
    // The market runs up: a print triggers the breakout stop (which buys 0.01 more), then the move fills the take-profit.
    venue.injectTrade(BTC, 'buy', offset(ask, '200'), '0.001');
    venue.setMarketPrice(BTC, Number(offset(ask, '310')));
    expect(types(events.filter((e) => e.clientOrderId === breakout.clientOrderId))).toEqual(['OrderAccepted', 'OrderTriggered', 'OrderFilled']);
    expect(types(events.filter((e) => e.clientOrderId === takeProfit.clientOrderId))).toEqual(['OrderAccepted', 'OrderFilled']);
    // Take-profit filled 0.02 of the 0.03 long; the stop-loss still reduces what is left.
    expect((await venue.positionReports())[0]).toMatchObject({ symbol: BTC, quantity: '0.01' });
    expect(await venue.orderReport(stopLoss.clientOrderId)).toMatchObject({ status: 'open' });
    // Closing the rest cancels the stop-loss, whose position is gone (within the command's transaction).
    await venue.submit(order({ symbol: BTC, side: 'sell', type: 'market', quantity: '0.01' }));
    expect(types(events.filter((e) => e.clientOrderId === stopLoss.clientOrderId))).toEqual(['OrderAccepted', 'OrderCanceled']);

    expect(depths.get(`${breakout.clientOrderId}:OrderTriggered`)).toEqual([1]);
    expect(depths.get(`${breakout.clientOrderId}:OrderFilled`)).toEqual([1]);
    expect(depths.get(`${takeProfit.clientOrderId}:OrderFilled`)).toEqual([1]);
    expect(depths.get(`${stopLoss.clientOrderId}:OrderCanceled`)).toEqual([1]);
  });

  it('a reduce-only order canceled because a market-driven fill closed its position is reported inside that fill’s transaction', async () => {
    const store = new RecordingStore();
    const { venue, events } = harness({ ...RICH, store });
    await venue.submit(order({ symbol: ETH, side: 'sell', type: 'market', quantity: '1' }));
    const bid = venue.ticker(ETH).bid;
    const takeProfit = order({ symbol: ETH, side: 'buy', type: 'limit', price: offset(bid, '-5'), quantity: '1', reduceOnly: true });
    const stopLoss = order({ symbol: ETH, side: 'buy', type: 'stop', stopPrice: offset(bid, '50'), quantity: '1', reduceOnly: true });
    await venue.submit(takeProfit);
    await venue.submit(stopLoss);
    const seen: Array<[string, string, number]> = [];
    venue.onExecution((e) => seen.push([e.clientOrderId ?? '', e.type, store.depth]));
    const txBefore = store.log.length;
    venue.setMarketPrice(ETH, Number(offset(bid, '-6')));
    expect(seen).toEqual([
      [takeProfit.clientOrderId, 'OrderFilled', 1],
      [stopLoss.clientOrderId, 'OrderCanceled', 1],
    ]);
    expect(await venue.positionReports()).toEqual([]);
    // One transaction recorded the fill and the cancel.
    const txs = new Set(store.log.slice(txBefore).filter((w) => w.what !== 'market').map((w) => w.tx));
    expect(txs.size).toBe(1);
    expect(store.txOf('order', `${stopLoss.clientOrderId}:canceled`)).toBe(store.txOf('fill', fillsOf(events, takeProfit.clientOrderId)[0]!.tradeId));
  });

  it('a listener that throws is reported and does not abort the transaction', async () => {
    const store = new RecordingStore();
    const errors: unknown[] = [];
    const { venue, events } = harness({ ...RICH, store, onError: (e) => errors.push(e) });
    const resting = order({ symbol: BTC, side: 'buy', type: 'limit', price: offset(venue.ticker(BTC).bid, '-20'), quantity: '0.01' });
    await venue.submit(resting);
    venue.onExecution(() => {
      throw new Error('listener failed');
    });
    venue.setMarketPrice(BTC, Number(offset(resting.price!, '-5')));
    expect(errors).toEqual([new Error('listener failed')]);
    // The other listener heard it, and the store kept it.
    expect(fillsOf(events, resting.clientOrderId)).toHaveLength(1);
    expect(await venue.fillReports(0)).toEqual(fillsOf(events).map(report));
  });

  it('a listener’s own command is recorded and reported inside the same transaction; market data follows the commit', async () => {
    const store = new RecordingStore();
    const { venue, clock } = harness({ ...RICH, store });
    const resting = order({ symbol: BTC, side: 'buy', type: 'limit', price: offset(venue.ticker(BTC).bid, '-20'), quantity: '0.01' });
    await venue.submit(resting);
    const hedge = order({ symbol: ETH, side: 'sell', type: 'market', quantity: '0.1' });
    const seen: Array<[string, string, number]> = [];
    const marketDepths = new Set<number>();
    venue.onExecution((e: ExecutionEvent) => {
      seen.push([e.clientOrderId ?? '', e.type, store.depth]);
      if (e.type === 'OrderFilled' && e.clientOrderId === resting.clientOrderId) void venue.submit(hedge);
    });
    const fromMarket = order({ symbol: SOL, side: 'buy', type: 'market', quantity: '1' });
    let sent = false;
    venue.onMarket(() => {
      marketDepths.add(store.depth);
      if (!sent) {
        // A market listener's command gets its own transaction, with its events inside it.
        sent = true;
        void venue.submit(fromMarket);
      }
    });
    venue.setMarketPrice(BTC, Number(offset(resting.price!, '-5')));
    expect(seen).toEqual([
      [resting.clientOrderId, 'OrderFilled', 1],
      [hedge.clientOrderId, 'OrderAccepted', 1],
      [hedge.clientOrderId, 'OrderFilled', 1],
    ]);
    expect(store.txOf('fill', 'paper-t-1')).toBe(store.txOf('order', `${hedge.clientOrderId}:filled`));
    expect(await venue.fillReports(0)).toHaveLength(2);

    seen.length = 0;
    clock.advanceBy(200);
    venue.stepMarket();
    expect(sent).toBe(true);
    expect([...marketDepths]).toEqual([0]);
    const own = seen.filter(([id]) => id === fromMarket.clientOrderId);
    expect(own.map(([, type]) => type)).toEqual(expect.arrayContaining(['OrderAccepted', 'OrderFilled']));
    for (const [, , depth] of own) expect(depth).toBe(1);
  });
});
