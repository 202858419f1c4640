/**
 * Analytics, the trade journal and exports through the contract, on the
 * real app (engine, paper venue, SQLite): round trips traded by hand and by
 * an API client add up to the fills the venue made, figures agree with the
 * account's books, notes survive a restart, exports carry every fill and
 * lot, and bad requests are refused with their codes and change nothing.
 * No price is assumed: everything expected is derived from the fills.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeel, type Keel } from '../../src/main/app';
import type { AnalyticsEquity, AnalyticsSummary, ExportFile, RoundTripView } from '../../src/shared/contract';
import { Dec } from '../../src/shared/decimal';
import type { AccountSummary, Fill, Order, Ticker } from '../../src/shared/domain';
import type { Caller } from '../../src/main/host/contractServer';

const BTC = { venue: 'paper', symbol: 'BTC/USDT:USDT' } as const;
const ETH = { venue: 'paper', symbol: 'ETH/USDT:USDT' } as const;

let keel: Keel;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'keel-analytics-'));
  keel = await createKeel({ dataDir, mode: 'headless', seed: 11, checkResults: true });
});

afterAll(async () => {
  await keel?.shutdown();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call<T>(method: string, params: unknown = {}, caller?: Caller): Promise<T> {
  const outcome = await keel.server.invoke(method, params, caller);
  if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), outcome.error);
  return outcome.result as T;
}

async function refusal(method: string, params: unknown): Promise<{ code: string; message: string }> {
  const outcome = await keel.server.invoke(method, params);
  if (outcome.ok) throw new Error(`${method} was accepted`);
  return outcome.error;
}

const d = (text: string) => Dec.parse(text);
const signedValue = (f: Fill) => d(f.quantity).mul(d(f.price)).mul(f.side === 'buy' ? Dec.ONE.neg() : Dec.ONE);

describe('analytics through the contract', () => {
  let fills: Fill[] = [];
  let btcStop: Order;

  it('builds round trips from what was traded', async () => {
    await call<Order>('orders.place', { ...BTC, side: 'buy', type: 'market', quantity: '0.02' });
    await call<Order>('orders.place', { ...BTC, side: 'buy', type: 'market', quantity: '0.01' });
    const ticker = await call<Ticker>('market.ticker', BTC);
    const stopPrice = d(ticker.bid).mul(d('0.95')).floorTo(d('0.1')).toString();
    btcStop = await call<Order>('orders.place', { ...BTC, side: 'sell', type: 'stop', quantity: '0.03', stopPrice, reduceOnly: true });
    await call<Order>('orders.place', { ...BTC, side: 'sell', type: 'market', quantity: '0.03' });
    await call('orders.cancel', { orderId: btcStop.id }).catch(() => undefined);
    await call<Order>('orders.place', { ...ETH, side: 'sell', type: 'market', quantity: '0.5' }, { kind: 'api', name: 'bot' });
    fills = (await call<{ fills: Fill[] }>('fills.list')).fills.reverse();
    expect(fills.length).toBeGreaterThanOrEqual(4);

    const { trades } = await call<{ trades: RoundTripView[] }>('journal.trades', {});
    expect(trades.map((t) => [t.symbol, t.side, t.status, t.source, t.sourceId])).toEqual([
      [ETH.symbol, 'short', 'open', 'api', 'bot'],
      [BTC.symbol, 'long', 'closed', 'manual', null],
    ]);
    const btc = trades[1]!;
    const btcFills = fills.filter((f) => f.symbol === BTC.symbol);
    const fees = Dec.sum(btcFills.map((f) => d(f.fee)));
    const net = Dec.sum(btcFills.map(signedValue)).sub(fees);
    expect(d(btc.netPnl).eq(net), `${btc.netPnl} vs ${net}`).toBe(true);
    expect(d(btc.fees).eq(fees)).toBe(true);
    expect(btc.fills).toBe(btcFills.length);
    expect(d(btc.quantity).eq(d('0.03'))).toBe(true);
    // The reduce-only stop placed while it was open defined its risk.
    expect(btc.stopPrice).toBe(btcStop.stopPrice);
    const risk = d(btc.entryPrice).sub(d(btcStop.stopPrice!)).mul(d('0.03'));
    expect(d(btc.initialRisk!).eq(risk)).toBe(true);
    expect(btc.rMultiple).toBeCloseTo(net.div(risk).toNumber(), 12);
    // The venue has an hour bars' history: the regime at entry is known.
    expect(btc.regime).toMatch(/^(trending_up|trending_down|ranging|volatile)$/);
  });

  it('figures the account as its books stand', async () => {
    const summary = await call<AnalyticsSummary>('analytics.summary', { scope: { kind: 'account' } });
    const account = await call<AccountSummary>('account.summary', { venue: 'paper' });
    const [btc] = (await call<{ trades: RoundTripView[] }>('journal.trades', { filters: { status: 'closed' } })).trades;
    expect(summary.currency).toBe('USDT');
    expect(summary.figures).toMatchObject({ trades: 1, openTrades: 1, netPnl: btc!.netPnl });
    expect(d(summary.figures.feesPaid).eq(Dec.sum(fills.map((f) => d(f.fee))))).toBe(true);
    // Equity less what is open at the marks is the cash the ledger holds, whatever the market did meanwhile.
    const cash = d(summary.figures.endEquity).sub(d(summary.figures.unrealizedPnl));
    expect(cash.sub(d(account.balance)).abs().lte(d('0.000000001')), `${cash} vs ${account.balance}`).toBe(true);
    expect(summary.byDayOfWeek.reduce((n, b) => n + b.trades, 0)).toBe(1);
    expect(summary.returnDistribution.reduce((n, b) => n + b.count, 0)).toBe(1);

    const manual = await call<AnalyticsSummary>('analytics.summary', { scope: { kind: 'manual' } });
    expect(manual.figures).toMatchObject({ trades: 1, openTrades: 0 });
    const eth = await call<AnalyticsSummary>('analytics.summary', { scope: { kind: 'symbol', symbol: ETH.symbol } });
    expect(eth.figures).toMatchObject({ trades: 0, openTrades: 1 });

    const equity = await call<AnalyticsEquity>('analytics.equity', { scope: { kind: 'account' } });
    expect(equity.points.length).toBeGreaterThanOrEqual(fills.length + 1);
    expect(equity.points[0]!.equity).toBe(equity.startEquity);
    expect(equity.daily.length).toBeGreaterThanOrEqual(1);
    expect(equity.thinned).toBe(false);
  });

  it('keeps notes and tags, across a restart', async () => {
    const [btc] = (await call<{ trades: RoundTripView[] }>('journal.trades', { filters: { status: 'closed' } })).trades;
    const noted = await call<RoundTripView>('journal.annotate', { tradeId: btc!.id, note: 'scaled in, stopped nothing', tags: ['scale-in', 'plan'] });
    expect(noted).toMatchObject({ id: btc!.id, note: 'scaled in, stopped nothing', tags: ['scale-in', 'plan'] });

    const missing = await refusal('journal.annotate', { tradeId: 'paper:no-such-fill', note: 'x' });
    expect(missing.code).toBe('NOT_FOUND');
    expect((await refusal('journal.annotate', { tradeId: btc!.id, tags: ['=cmd()'] })).code).toBe('VALIDATION_FAILED');

    await keel.shutdown();
    keel = await createKeel({ dataDir, mode: 'headless', seed: 11, checkResults: true });
    const tagged = await call<{ trades: RoundTripView[] }>('journal.trades', { filters: { tag: 'plan' } });
    expect(tagged.trades.map((t) => [t.id, t.note, t.tags])).toEqual([[btc!.id, 'scaled in, stopped nothing', ['scale-in', 'plan']]]);
    expect(tagged.trades[0]!.regime).toBe(btc!.regime);
  });

  it('exports every fill and lot, and a report', async () => {
    const csv = await call<ExportFile>('export.csv', { kind: 'fills' });
    expect(csv.rows).toBe(fills.length);
    for (const f of fills) expect(csv.content).toContain(f.tradeId);
    const lots = await call<ExportFile>('export.csv', { kind: 'taxLots' });
    // Each BTC buy is a lot the one sale closed.
    expect(lots.rows).toBe(fills.filter((f) => f.symbol === BTC.symbol && f.side === 'buy').length);
    const koinly = await call<ExportFile>('export.csv', { kind: 'trades', format: 'koinly' });
    expect(koinly.content.split('\r\n')[0]).toBe(
      'Date,Sent Amount,Sent Currency,Received Amount,Received Currency,Fee Amount,Fee Currency,Net Worth Amount,Net Worth Currency,Label,Description,TxHash',
    );
    expect(koinly.rows).toBe(1);
    const report = await call<ExportFile>('export.report', { scope: { kind: 'account' } });
    expect(report.content).toContain('scaled in, stopped nothing');
  });

  it('refuses what it cannot answer', async () => {
    expect((await refusal('analytics.summary', { scope: { kind: 'account' }, from: Date.now() + 86_400_000 })).code).toBe('VALIDATION_FAILED');
    expect((await refusal('analytics.equity', { scope: { kind: 'planet' } })).code).toBe('VALIDATION_FAILED');
    expect((await refusal('export.csv', { kind: 'orders' })).code).toBe('VALIDATION_FAILED');
    expect((await refusal('journal.trades', { filters: { cursor: 'zzzz' } })).code).toBe('VALIDATION_FAILED');
  });
});
