/**
 * Perpetuals end to end through the engine and the paper venue on one
 * SQLite database: the position view's margin figures, the margin-ratio
 * warning before a liquidation on a scripted price path, the liquidation
 * booked as the venue's own order, funding booked as its own ledger entry,
 * the typed refusals of leverage and margin-mode changes, and reconciliation
 * still clean afterwards (and recovering a funding payment Keel missed).
 * Expected prices are worked out by hand from the BTC bracket (0.4 %
 * maintenance, 0.2 % liquidation fee) and the fills; nothing depends on
 * where the simulated market happens to be.
 */
import { describe, expect, it } from 'vitest';
import type { MarginAlert } from '../../../shared/contract';
import { Dec } from '../../../shared/decimal';
import type { Fill } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import { openJournalDatabase, type JournalDatabase } from '../../journal/database';
import { PaperVenueRepository } from '../../journal/paperVenueRepository';
import { SqliteJournal } from '../../journal/sqliteJournal';
import { PaperVenue } from '../../venues/paper';
import { Engine } from '../engine';
import { SimulatedClock } from '../ports/clock';
import { silentLogger } from '../ports/logger';

const BTC = 'BTC/USDT:USDT';
const ETH = 'ETH/USDT:USDT';
const D = Dec.parse;
const EIGHT_UTC = Date.parse('2026-11-20T08:00:00Z');

async function setup(options: { start?: number; stepMs?: number; venueDb?: JournalDatabase } = {}) {
  const db = openJournalDatabase(':memory:');
  const clock = new SimulatedClock(options.start ?? Date.parse('2026-11-20T12:00:00Z'));
  const paper = new PaperVenue({ clock, seed: 9, store: new PaperVenueRepository(options.venueDb ?? db, 'paper'), historyMinutes: 120, stepMs: options.stepMs ?? 0 });
  const engine = new Engine({ clock, journal: new SqliteJournal(db), venues: [paper], logger: silentLogger });
  await engine.start();
  const alerts: MarginAlert[] = [];
  engine.bus.subscribe((topic, payload) => {
    if (topic === 'positions.marginAlert') alerts.push(payload as MarginAlert);
  }, ['positions.marginAlert']);
  return { engine, paper, clock, db, alerts };
}

/** Moves the scripted market to `price`, publishes the ticker the engine marks by, and lets the engine value the books. */
async function moveTo(setup: { paper: PaperVenue; clock: SimulatedClock }, price: Dec): Promise<void> {
  setup.paper.setMarketPrice(BTC, price.toNumber());
  setup.paper.stepMarket(0);
  await setup.clock.advanceAndSettle(300);
}

function costOf(fills: readonly Fill[], symbol: string): Dec {
  return fills.filter((f) => f.symbol === symbol).reduce((c, f) => c.add(D(f.quantity).mul(D(f.price)).mul(D(f.side === 'buy' ? '1' : '-1'))), D('0'));
}

async function expectKeelError(promise: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KeelError);
  expect((error as KeelError).code).toBe(code);
  expect((error as KeelError).message).toMatch(message);
}

describe('a perpetual position through the engine', () => {
  it('shows its liquidation price, margin ratio and ROE; warns at the level, then is liquidated at the bankruptcy price; reconciliation stays clean', async () => {
    const s = await setup();
    const { engine, paper, alerts } = s;
    await engine.setMarginMode('paper', BTC, 'isolated');
    await engine.setLeverage('paper', BTC, 50);
    await engine.placeOrder({ venue: 'paper', symbol: BTC, side: 'buy', type: 'market', quantity: '0.1' });
    paper.stepMarket(0);
    await s.clock.advanceAndSettle(300);

    const q = D('0.1');
    const cost = costOf(engine.listFills(10).fills, BTC);
    const margin = cost.div(D('50'));
    const liquidation = margin.sub(cost).div(q.mul(D('0.004')).sub(q));
    const bankruptcy = cost.sub(margin).div(q.sub(q.mul(D('0.002')))).ceilTo(D('0.1'));
    const [position] = engine.positions();
    expect(position).toMatchObject({ symbol: BTC, side: 'long', marginMode: 'isolated', leverage: 50, funding: '0' });
    // Shown on the tick, on the side of caution: a long's liquidation price rounds up.
    expect(D(position!.liquidationPrice!).eq(liquidation.ceilTo(D('0.1')))).toBe(true);
    const unrealized = D(position!.unrealizedPnl);
    expect(D(position!.roePercent).eq(unrealized.mul(D('100')).div(margin).roundTo(4))).toBe(true);
    // MM / (IM + PnL) at the mark.
    const mark = D(position!.markPrice);
    expect(D(position!.marginRatio!).eq(q.mul(mark).mul(D('0.004')).div(margin.add(unrealized)).roundTo(6))).toBe(true);
    expect(alerts).toEqual([]);

    // Down to a margin ratio of 90 %: P = 0.9 (c − IM) / (Q (0.9 − 0.004)). One warning, however often it is valued.
    await moveTo(s, D('0.9').mul(cost.sub(margin)).div(q.mul(D('0.896'))));
    await moveTo(s, D('0.9').mul(cost.sub(margin)).div(q.mul(D('0.896'))).sub(D('1')));
    expect(alerts.map((a) => a.kind)).toEqual(['warning']);
    expect(alerts[0]).toMatchObject({ venue: 'paper', symbol: BTC, side: 'long', marginMode: 'isolated', levelPercent: 80, liquidationPrice: position!.liquidationPrice });
    expect(D(alerts[0]!.marginRatio!).gte(D('0.8'))).toBe(true);
    expect(D(alerts[0]!.marginRatio!).lt(D('1'))).toBe(true);
    expect(engine.positions()).toHaveLength(1);
    expect(engine.listActivity(50).some((a) => a.level === 'warning' && a.message.includes('Margin ratio of the BTC/USDT:USDT long'))).toBe(true);

    // 20 ticks under the liquidation price: the venue liquidates.
    await moveTo(s, liquidation.sub(D('2')));
    expect(alerts.map((a) => a.kind)).toEqual(['warning', 'liquidated']);
    expect(D(alerts[1]!.price!).eq(bankruptcy)).toBe(true);
    expect(engine.positions()).toEqual([]);
    const liquidationOrder = engine.listOrders('all', 10).orders.find((o) => o.source === 'liquidation')!;
    expect(liquidationOrder).toMatchObject({ symbol: BTC, side: 'sell', type: 'market', reduceOnly: true, status: 'filled', filledQuantity: '0.1' });
    expect(D(liquidationOrder.averagePrice!).eq(bankruptcy)).toBe(true);
    expect(engine.orderEvents(liquidationOrder.id).map((e) => [e.type, e.status])).toEqual([
      ['OrderAccepted', 'open'],
      ['OrderFilled', 'filled'],
    ]);
    const [fill] = engine.listFills(1).fills;
    expect(fill).toMatchObject({ orderId: liquidationOrder.id, liquidation: true });
    expect(D(fill!.fee).eq(q.mul(bankruptcy).mul(D('0.002')))).toBe(true);
    expect(engine.listActivity(50).some((a) => a.level === 'error' && a.message.includes('liquidated the BTC/USDT:USDT long'))).toBe(true);

    const report = await engine.reconcileVenue('paper');
    expect(report).toMatchObject({ ok: true, fillsRecovered: 0 });
    expect(report.balances.every((b) => b.match)).toBe(true);
    expect(report.positions.every((p) => p.match)).toBe(true);
  });

  it('books funding as its own ledger entry, in the position’s and the account’s figures, and the venue agrees', async () => {
    const s = await setup({ start: EIGHT_UTC - 30_000, stepMs: 200 });
    const { engine } = s;
    await engine.placeOrder({ venue: 'paper', symbol: BTC, side: 'buy', type: 'market', quantity: '0.05' });
    await engine.placeOrder({ venue: 'paper', symbol: ETH, side: 'sell', type: 'market', quantity: '1' });
    const before = engine.accountSummary('paper');
    await s.clock.advanceAndSettle(60_000);

    const entries = engine.ledgerEntries('paper', 10);
    expect(entries.map((e) => [e.kind, e.symbol, e.fundingTime]).sort()).toEqual([
      ['funding', BTC, EIGHT_UTC],
      ['funding', ETH, EIGHT_UTC],
    ]);
    for (const entry of entries) {
      const position = engine.positions().find((p) => p.symbol === entry.symbol)!;
      expect(D(position.funding).eq(D(entry.amount))).toBe(true);
      expect(D(entry.amount).eq(D(entry.quantity!).mul(D(entry.markPrice!)).mul(D(entry.rate!)).neg())).toBe(true);
      // Net realized PnL carries the funding: gross − fees + funding.
      expect(D(position.realizedPnl).eq(D(position.realizedPnlGross).sub(D(position.feesPaid)).add(D(position.funding)))).toBe(true);
    }
    const paid = entries.reduce((total, e) => total.add(D(e.amount)), D('0'));
    const after = engine.accountSummary('paper');
    expect(D(after.funding).eq(paid)).toBe(true);
    expect(D(after.balance).eq(D(before.balance).add(paid))).toBe(true);
    expect(engine.listActivity(100).filter((a) => a.message.startsWith('Funding on '))).toHaveLength(2);

    const report = await engine.reconcileVenue('paper');
    expect(report.ok).toBe(true);
    expect(report.balances).toEqual([expect.objectContaining({ match: true })]);
  });

  it('recovers a funding payment it could not record, at the next reconciliation', async () => {
    const venueDb = openJournalDatabase(':memory:');
    const s = await setup({ start: EIGHT_UTC - 30_000, stepMs: 200, venueDb });
    const { engine, db } = s;
    await engine.placeOrder({ venue: 'paper', symbol: BTC, side: 'buy', type: 'market', quantity: '0.05' });
    await s.clock.advanceAndSettle(30_000 - 200);
    // Keel's journal cannot be written while the venue settles: the venue is blocked, Keel's books miss the payment.
    db.pragma('query_only = ON');
    s.clock.advanceBy(200);
    await new Promise<void>((resolve) => setImmediate(resolve));
    db.pragma('query_only = OFF');
    await s.clock.advanceAndSettle(1_000);
    expect(engine.ledgerEntries('paper', 10)).toEqual([]);
    expect(engine.venueStatuses()[0]!.state).toBe('blocked');

    const report = await engine.reconcileVenue('paper');
    expect(report.ok).toBe(true);
    expect(report.balances).toEqual([expect.objectContaining({ match: true })]);
    const [entry] = engine.ledgerEntries('paper', 10);
    expect(entry).toMatchObject({ kind: 'funding', symbol: BTC, fundingTime: EIGHT_UTC });
    expect(D(engine.positions()[0]!.funding).eq(D(entry!.amount))).toBe(true);
    expect(engine.venueStatuses()[0]!.state).toBe('ready');
  });
});

describe('leverage and margin mode through the engine', () => {
  it('raises leverage on an open position and with open orders; refuses with typed errors what the margin cannot take', async () => {
    const { engine } = await setup();
    await engine.placeOrder({ venue: 'paper', symbol: BTC, side: 'buy', type: 'market', quantity: '1' });
    const bid = D(engine.ticker('paper', BTC).bid);
    await engine.placeOrder({ venue: 'paper', symbol: BTC, side: 'buy', type: 'limit', quantity: '0.001', price: bid.mul(D('0.95')).floorTo(D('0.1')).toString() });
    await engine.setLeverage('paper', BTC, 20);
    expect(engine.positions()[0]!.leverage).toBe(20);
    // About 75,000 of notional: its bracket allows 75x at most.
    await expectKeelError(engine.setLeverage('paper', BTC, 80), 'VALIDATION_FAILED', /allows at most 75x/);
    await expectKeelError(engine.setLeverage('paper', BTC, 1), 'INSUFFICIENT_MARGIN', /more margin than is available/);
    await expectKeelError(engine.setLeverage('paper', BTC, 101), 'VALIDATION_FAILED', /at most 100x/);
    expect(engine.accountSummary('paper').leverage[BTC]).toBe(20);
  });

  it('changes the margin mode only while flat and without orders, and says so', async () => {
    const { engine } = await setup();
    await engine.setMarginMode('paper', ETH, 'isolated');
    expect(engine.accountSummary('paper').marginModes[ETH]).toBe('isolated');
    await engine.placeOrder({ venue: 'paper', symbol: ETH, side: 'buy', type: 'market', quantity: '0.1' });
    await expectKeelError(engine.setMarginMode('paper', ETH, 'cross'), 'INVALID_STATE', /only while it is flat/);
    expect(engine.positions()[0]!.marginMode).toBe('isolated');
    const bid = D(engine.ticker('paper', BTC).bid);
    await engine.placeOrder({ venue: 'paper', symbol: BTC, side: 'buy', type: 'limit', quantity: '0.001', price: bid.mul(D('0.95')).floorTo(D('0.1')).toString() });
    await expectKeelError(engine.setMarginMode('paper', BTC, 'isolated'), 'INVALID_STATE', /cancel them/);
    expect(engine.accountSummary('paper').marginModes[BTC]).toBe('cross');
  });
});
