/**
 * The analytics service over a real SQLite journal: fills recorded as the
 * engine records them (ledger realized PnL on each), round trips dressed
 * with who traded, the stop that set the risk, the regime at entry and the
 * trader's notes; scopes; the account's equity agreeing with the ledger;
 * paging; refusals that change nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BTC_PERP, RESTING_ORDER } from '../../../tests/support/fixtures';
import { syntheticBars } from '../../../tests/support/syntheticBars';
import { Dec } from '../../shared/decimal';
import type { Fill, Order, OrderSide, OrderSourceKind } from '../../shared/domain';
import { KeelError } from '../../shared/errors';
import type { Bar } from '../core/candles';
import { Ledger } from '../core/ledger';
import { openJournalDatabase, type JournalDatabase } from '../journal/database';
import { SqliteJournal } from '../journal/sqliteJournal';
import { SqliteTradeJournal } from '../journal/sqliteTradeJournal';
import { classifyRegimes } from '../ml/regime/regimeClassifier';
import { AnalyticsService, bounded } from './analyticsService';
import { MAX_EXPORT_CHARS } from '../../shared/contract/analytics';
import type { AccountPort, FundingPayment } from './ports';

const HOUR = 3_600_000;
const BTC = BTC_PERP.symbol;
const ETH = 'ETH/USDT:USDT';
const START = Date.UTC(2024, 2, 1);

const dbs: JournalDatabase[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});

/** A journal with a paper venue's ledger, and a way to record fills as the engine does. */
function desk(options: { bars?: Bar[]; currency?: Record<string, string>; funding?: FundingPayment[] } = {}) {
  const db = openJournalDatabase(':memory:');
  dbs.push(db);
  const journal = new SqliteJournal(db);
  journal.saveInstruments([BTC_PERP, { ...BTC_PERP, symbol: ETH, base: 'ETH' }]);
  const ledgers = new Map<string, Ledger>();
  const ledgerOf = (venue: string) => {
    let l = ledgers.get(venue);
    if (!l) {
      l = new Ledger(options.currency?.[venue] ?? 'USDT', Dec.parse('10000'));
      ledgers.set(venue, l);
    }
    return l;
  };
  ledgerOf('paper');
  let now = START + 400 * HOUR;
  const marks = new Map<string, Dec>();
  let seq = 0;
  const trade = (side: OrderSide, quantity: string, price: string, at: number, patch: Partial<Order> & { source?: OrderSourceKind } = {}): Fill => {
    seq += 1;
    const order: Order = {
      ...RESTING_ORDER,
      id: `o${seq}`,
      clientOrderId: `c${seq}`,
      side,
      type: 'market',
      quantity,
      price: null,
      status: 'filled',
      filledQuantity: quantity,
      createdAt: at,
      updatedAt: at,
      ...patch,
    };
    journal.insertOrder(order);
    const fee = Dec.parse(quantity).mul(Dec.parse(price)).mul(Dec.parse('0.0005'));
    const realized = ledgerOf(order.venue).applyFill({ symbol: order.symbol, side, quantity: Dec.parse(quantity), price: Dec.parse(price), fee }, at);
    const fill: Fill = {
      tradeId: `t${seq}`,
      orderId: order.id,
      clientOrderId: order.clientOrderId,
      venue: order.venue,
      symbol: order.symbol,
      side,
      quantity,
      price,
      fee: fee.toString(),
      feeCurrency: 'USDT',
      liquidity: 'taker',
      realizedPnl: realized.toString(),
      timestamp: at,
    };
    journal.insertFill(fill);
    marks.set(`${order.venue}|${order.symbol}`, Dec.parse(price));
    return fill;
  };
  const stop = (side: OrderSide, stopPrice: string, at: number, symbol = BTC) => {
    seq += 1;
    journal.insertOrder({ ...RESTING_ORDER, id: `o${seq}`, clientOrderId: `c${seq}`, symbol, side, type: 'stop', price: null, stopPrice, reduceOnly: true, status: 'open', createdAt: at, updatedAt: at });
  };
  const account: AccountPort = {
    venues: () => [...ledgers.keys()],
    balance: (venue) => {
      const l = ledgers.get(venue);
      return l ? { currency: l.currency, balance: l.balance } : undefined;
    },
    currentMark: (venue, symbol) => marks.get(`${venue}|${symbol}`) ?? null,
    candles: async (_venue, symbol) => {
      if (!options.bars) throw new Error('no bars here');
      return symbol === BTC ? options.bars : [];
    },
  };
  const service = new AnalyticsService({
    store: new SqliteTradeJournal(db),
    account,
    // Time moves on between calls, as a live clock does.
    now: () => now++,
    ...(options.funding ? { funding: { payments: () => options.funding! } } : {}),
  });
  return { service, trade, stop, ledgerOf, marks, setNow: (t: number) => (now = t), db };
}

const at = (hours: number) => START + hours * HOUR;

describe('the trade journal', () => {
  it('lists round trips with who traded, their money and the stop that defined the risk', async () => {
    const { service, trade, stop } = desk();
    trade('buy', '1', '100', at(1));
    stop('sell', '95', at(1) + 1000);
    trade('sell', '1', '110', at(2));
    trade('sell', '2', '50', at(3), { symbol: ETH, source: 'strategy', sourceId: 's-1' });
    const { trades, nextCursor } = await service.trades();
    expect(nextCursor).toBeNull();
    expect(trades.map((t) => [t.symbol, t.side, t.status, t.source, t.sourceId])).toEqual([
      [ETH, 'short', 'open', 'strategy', 's-1'],
      [BTC, 'long', 'closed', 'manual', null],
    ]);
    const btc = trades[1]!;
    // Fees: 0.0005 × 100 and 0.0005 × 110.
    expect(btc).toMatchObject({ quantity: '1', entryPrice: '100', exitPrice: '110', grossPnl: '10', fees: '0.105', funding: '0', netPnl: '9.895', stopPrice: '95', initialRisk: '5', fills: 2, model: null, note: '', tags: [] });
    expect(btc.rMultiple).toBeCloseTo(9.895 / 5, 12);
    expect(btc.returnPct).toBeCloseTo(9.895, 12);
    expect(btc.durationMs).toBe(HOUR);
    const eth = trades[0]!;
    expect(eth).toMatchObject({ closedAt: null, returnPct: null, rMultiple: null, stopPrice: null, openQuantity: '2', unrealizedPnl: '0' });
  });

  it('takes no risk from a stop at or beyond the entry, or on the wrong side', async () => {
    const { service, trade, stop } = desk();
    trade('buy', '1', '100', at(1));
    stop('sell', '101', at(1) + 10); // a break-even-plus stop: no risk was defined
    stop('buy', '90', at(1) + 20); // would add, not protect
    trade('sell', '1', '105', at(2));
    const [trip] = (await service.trades()).trades;
    expect(trip).toMatchObject({ stopPrice: '101', initialRisk: null, rMultiple: null });
  });

  it('keeps notes and tags, replaces only what is given, and refuses an unknown round trip', async () => {
    const { service, trade } = desk();
    trade('buy', '1', '100', at(1));
    trade('sell', '1', '90', at(2));
    const [trip] = (await service.trades()).trades;
    const noted = await service.annotate({ tradeId: trip!.id, note: 'chased the breakout', tags: ['FOMO', 'late', 'fomo'] });
    expect(noted).toMatchObject({ note: 'chased the breakout', tags: ['FOMO', 'late'] });
    const retagged = await service.annotate({ tradeId: trip!.id, tags: ['plan'] });
    expect(retagged).toMatchObject({ note: 'chased the breakout', tags: ['plan'] });
    expect((await service.trades({ tag: 'PLAN' })).trades.map((t) => t.id)).toEqual([trip!.id]);
    expect((await service.trades({ tag: 'fomo' })).trades).toEqual([]);
    await expect(service.annotate({ tradeId: 'paper:nope', note: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await service.trades()).trades[0]).toMatchObject({ note: 'chased the breakout', tags: ['plan'] });
  });

  it('pages newest first and filters by status, range and scope', async () => {
    const { service, trade } = desk();
    for (let i = 0; i < 5; i++) {
      trade('buy', '1', '100', at(10 * i + 1));
      trade('sell', '1', String(100 + i), at(10 * i + 2));
    }
    trade('buy', '1', '100', at(60), { source: 'api', sourceId: 'bot' });
    const first = await service.trades({ limit: 2 });
    expect(first.trades.map((t) => t.openedAt)).toEqual([at(60), at(41)]);
    const second = await service.trades({ limit: 2, cursor: first.nextCursor! });
    expect(second.trades.map((t) => t.openedAt)).toEqual([at(31), at(21)]);
    const third = await service.trades({ limit: 2, cursor: second.nextCursor! });
    expect(third.trades.map((t) => t.openedAt)).toEqual([at(11), at(1)]);
    expect(third.nextCursor).toBeNull();
    expect((await service.trades({ status: 'open' })).trades.map((t) => t.source)).toEqual(['api']);
    expect((await service.trades({ status: 'closed', from: at(12), to: at(32) })).trades.map((t) => t.closedAt)).toEqual([at(32), at(22)]);
    expect((await service.trades({ scope: { kind: 'manual' } })).trades).toHaveLength(5);
    await expect(service.trades({ cursor: 'zz_zz_zz' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('rebuilds round trips when a fill older than the last one arrives (a missed fill found later)', async () => {
    const { service, trade } = desk();
    trade('buy', '1', '100', at(1));
    trade('sell', '1', '110', at(5));
    expect((await service.trades()).trades).toHaveLength(1);
    // Recorded now, but it happened before the sale: the sale closes 1 of 2, the position stays open.
    trade('buy', '1', '105', at(3));
    const { trades } = await service.trades();
    expect(trades).toHaveLength(1);
    expect(trades[0]).toMatchObject({ status: 'open', quantity: '2', openQuantity: '1', grossPnl: '10' });
  });
});

describe('regimes at entry', () => {
  it('are read from the venue bars closed before the entry, kept once read, and unknown without enough history', async () => {
    const bars = syntheticBars({ seed: 3, count: 300, from: START }).map((b, i) => ({ ...b, time: START + i * HOUR }));
    const labels = classifyRegimes(bars);
    const { service, trade, setNow, db } = desk({ bars });
    setNow(START + 301 * HOUR);
    trade('buy', '1', '100', at(10)); // inside the classifier's warm-up: no label
    trade('sell', '1', '100', at(11));
    trade('buy', '1', '100', at(250) + 5 * 60_000);
    trade('sell', '1', '101', at(251));
    const { trades } = await service.trades();
    const late = trades.find((t) => t.openedAt > at(200))!;
    // The last bar closed by 250:05 is the one opening at 249:00.
    expect(late.regime).toBe(labels[249]);
    expect(late.regime).not.toBeNull();
    expect(trades.find((t) => t.openedAt === at(10))!.regime).toBeNull();
    const byRegime = await service.summary({ scope: { kind: 'regime', regime: labels[249]! } });
    expect(byRegime.figures.trades).toBe(1);
    // The label read is kept in the journal; the unknown one is not.
    expect(db.prepare('SELECT trade_id, regime FROM trade_regimes').all()).toEqual([{ trade_id: late.id, regime: labels[249] }]);
  });

  it('stay unknown when the venue gives no bars', async () => {
    const { service, trade } = desk();
    trade('buy', '1', '100', at(1));
    expect((await service.trades()).trades[0]!.regime).toBeNull();
  });
});

describe('analytics', () => {
  it('end the account at the ledger equity, and start the range at the capital plus what was made by then', async () => {
    const { service, trade, ledgerOf, marks } = desk();
    trade('buy', '2', '100', at(1));
    trade('sell', '1', '120', at(5));
    trade('sell', '3', '50', at(6), { symbol: ETH });
    marks.set(`paper|${BTC}`, Dec.parse('130'));
    marks.set(`paper|${ETH}`, Dec.parse('45'));
    const ledger = ledgerOf('paper');
    const equity = ledger.equity((symbol) => marks.get(`paper|${symbol}`)!);
    const whole = await service.summary({ scope: { kind: 'account' } });
    expect(whole.figures.startEquity).toBe('10000');
    expect(Dec.parse(whole.figures.endEquity).eq(equity)).toBe(true);
    expect(whole.figures.openTrades).toBe(2);
    // Unrealized at the marks: BTC 1 × (130 − 100) FIFO, ETH 3 × (50 − 45).
    expect(whole.figures.unrealizedPnl).toBe('45');

    const later = await service.summary({ scope: { kind: 'account' }, from: at(5) });
    // By 05:00 the account had bought 2 at 100 (fee 0.1) and sold 1 at 120 (fee 0.06): +20, 1 BTC marked at 120 (+20).
    expect(later.figures.startEquity).toBe('10039.84');
    expect(later.figures.endEquity).toBe(whole.figures.endEquity);
    const curve = await service.equity({ scope: { kind: 'account' } });
    expect(curve.points.at(-1)!.equity).toBe(whole.figures.endEquity);
    expect(curve.daily.length).toBeGreaterThan(0);
  });

  it('measure a scope narrower than the account against the account, and a venue against its own capital', async () => {
    const { service, trade } = desk();
    trade('buy', '1', '100', at(1), { source: 'strategy', sourceId: 's-9' });
    trade('sell', '1', '110', at(2), { source: 'strategy', sourceId: 's-9' });
    trade('buy', '1', '100', at(3));
    trade('sell', '1', '90', at(4));
    const strategy = await service.summary({ scope: { kind: 'strategy', strategyId: 's-9' } });
    expect(strategy.figures).toMatchObject({ trades: 1, wins: 1, netPnl: '9.895' });
    expect(strategy.figures.startEquity).toBe('10000');
    const manual = await service.summary({ scope: { kind: 'manual' } });
    expect(manual.figures).toMatchObject({ trades: 1, losses: 1, netPnl: '-10.095' });
    const venue = await service.summary({ scope: { kind: 'venue', venue: 'paper' } });
    expect(venue.figures.netPnl).toBe('-0.2');
    const symbol = await service.summary({ scope: { kind: 'symbol', symbol: BTC, venue: 'paper' } });
    expect(symbol.figures.trades).toBe(2);
  });

  it('count funding from its seam in the round trips and the curve', async () => {
    const funding = [{ venue: 'paper', symbol: BTC, time: at(2), amount: Dec.parse('-1.5') }];
    const { service, trade } = desk({ funding });
    trade('buy', '1', '100', at(1));
    trade('sell', '1', '110', at(3));
    const [trip] = (await service.trades()).trades;
    expect(trip).toMatchObject({ funding: '-1.5', netPnl: '8.395' });
    const summary = await service.summary({ scope: { kind: 'account' } });
    expect(summary.figures).toMatchObject({ fundingPaid: '1.5', netPnl: '8.395' });
  });

  it('refuse venues of different currencies in one account scope, and a range that starts after now', async () => {
    const { service, trade } = desk({ currency: { other: 'USD' } });
    trade('buy', '1', '100', at(1), { venue: 'other' });
    await expect(service.summary({ scope: { kind: 'account' } })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('choose one venue') });
    const venue = await service.summary({ scope: { kind: 'venue', venue: 'other' } });
    expect(venue.currency).toBe('USD');
    await expect(service.summary({ scope: { kind: 'venue', venue: 'other' }, from: at(10_000) })).rejects.toBeInstanceOf(KeelError);
  });
});

describe('exports', () => {
  it('write fills, round trips and tax lots', async () => {
    const { service, trade } = desk();
    trade('buy', '2', '100', at(1));
    trade('sell', '1', '110', at(2));
    trade('sell', '1', '90', at(3));
    const fills = await service.exportCsv({ kind: 'fills' });
    expect(fills.rows).toBe(3);
    expect(fills.filename).toMatch(/^keel-fills-\d{8}\.csv$/);
    const lots = await service.exportCsv({ kind: 'taxLots' });
    expect(lots.rows).toBe(2);
    const gains = lots.content
      .trim()
      .split('\r\n')
      .slice(1)
      .map((line) => line.split(',')[12]);
    // 2 bought at 100 (fee 0.1): 1 sold at 110 (fee 0.055) and 1 at 90 (fee 0.045).
    expect(gains).toEqual(['9.895', '-10.095']);
    const trades = await service.exportCsv({ kind: 'trades', format: 'koinly' });
    expect(trades.rows).toBe(1);
    expect(trades.content.split('\r\n')[1]).toMatch(/^2024-03-01 03:00 UTC,0\.2,USDT,,,,,,,realized gain,/);
    expect((await service.exportCsv({ kind: 'fills', from: at(2) })).rows).toBe(1);
  });

  it('refuse a file too large for one message, saying what to do', () => {
    const file = { filename: 'keel-fills-20250101.csv', mimeType: 'text/csv', rows: 1, content: 'x'.repeat(MAX_EXPORT_CHARS) };
    expect(bounded(file)).toBe(file);
    expect(() => bounded({ ...file, content: `${file.content}x` })).toThrow(/choose a shorter date range/);
  });

  it('render the HTML report with the scope, figures and round trips', async () => {
    const { service, trade } = desk();
    trade('buy', '1', '100', at(1));
    trade('sell', '1', '110', at(2));
    await service.annotate({ tradeId: (await service.trades()).trades[0]!.id, note: '<b>clean</b> & planned' });
    const report = await service.report({ scope: { kind: 'manual' } });
    expect(report.mimeType).toBe('text/html');
    expect(report.rows).toBe(1);
    expect(report.content).toContain('Performance report — Manual trading');
    expect(report.content).toContain('&lt;b&gt;clean&lt;/b&gt; &amp; planned');
    expect(report.content).not.toContain('<script');
    expect(report.content).toContain('<svg');
  });
});
