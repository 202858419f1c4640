/**
 * The instrument tests share: a BTC linear perpetual with the paper venue's
 * precision and fees. Tests that need another venue or symbol spread it.
 */
import { NO_STRATEGY_LIMITS, type ReconciliationItem, type ReconciliationReport, type StrategyInstance } from '../../src/shared/contract';
import type { Instrument, Order, Ticker } from '../../src/shared/domain';

export const BTC_PERP: Instrument = {
  venue: 'paper',
  symbol: 'BTC/USDT:USDT',
  base: 'BTC',
  quote: 'USDT',
  settle: 'USDT',
  kind: 'linear_perpetual',
  tickSize: '0.1',
  lotSize: '0.001',
  minQuantity: '0.001',
  minNotional: '5',
  makerFee: '0.0002',
  takerFee: '0.0005',
  maxLeverage: 100,
  defaultLeverage: 10,
};

/** A BTC ticker around 60,000 with a half-tick spread, for the ticket's sizing and checks. */
export const BTC_TICKER: Ticker = {
  venue: 'paper',
  symbol: 'BTC/USDT:USDT',
  bid: '60000.0',
  ask: '60000.5',
  last: '60000.2',
  mark: '60000.2',
  open24h: '59000',
  high24h: '61000',
  low24h: '58000',
  change24h: '1000.2',
  changePercent24h: 1.69,
  volume24h: '1234',
  timestamp: 1,
};

/** A resting BTC limit order: tests spread what their case is about over it. */
export const RESTING_ORDER: Order = {
  id: 'o-1',
  clientOrderId: 'c-1',
  venueOrderId: null,
  venue: 'paper',
  symbol: 'BTC/USDT:USDT',
  side: 'buy',
  type: 'limit',
  quantity: '1',
  price: '100',
  stopPrice: null,
  timeInForce: 'GTC',
  postOnly: false,
  reduceOnly: false,
  status: 'open',
  filledQuantity: '0',
  averagePrice: null,
  triggered: false,
  source: 'manual',
  sourceId: null,
  createdAt: 0,
  updatedAt: 0,
  rejectReason: null,
};

/** A stopped SMA cross instance on BTC with an empty book: tests spread what their case is about over it. */
export function strategyInstance(
  id: string,
  patch: Partial<StrategyInstance> = {},
  accounting: Partial<StrategyInstance['accounting']> = {},
): StrategyInstance {
  return {
    id,
    type: 'sma-cross',
    name: `SMA ${id}`,
    venue: 'paper',
    symbol: 'BTC/USDT:USDT',
    timeframe: '1m',
    params: {},
    limits: NO_STRATEGY_LIMITS,
    status: 'stopped',
    statusReason: null,
    resumeAfterRestart: false,
    accounting: {
      realizedPnl: '0',
      unrealizedPnl: '0',
      fees: '0',
      trades: 0,
      wins: 0,
      winRatePct: null,
      position: '0',
      entryPrice: null,
      openOrders: 0,
      lastSignal: null,
      ...accounting,
    },
    createdAt: 1,
    updatedAt: 1,
    ...patch,
  };
}

/** A blocking external order on BTC as a real venue's reconciliation finds it: tests spread what their case is about over it. */
export function reconciliationItem(id: string, patch: Partial<ReconciliationItem> = {}): ReconciliationItem {
  return {
    id,
    kind: 'external_order',
    subject: 'order',
    symbol: 'BTC/USDT:USDT',
    orderId: `o-${id}`,
    clientOrderId: `x-${id}`,
    keel: null,
    venue: 'buy 0.002 limit @ 60000, open',
    detail: 'binance holds an open order Keel did not place.',
    blocking: true,
    actions: ['adopt', 'cancel'],
    resolution: null,
    ...patch,
  };
}

/** A clean start-up report of the paper venue with the given items (none by default). */
export function reconciliationReport(id: string, items: ReconciliationItem[] = [], patch: Partial<ReconciliationReport> = {}): ReconciliationReport {
  return {
    id,
    venue: 'paper',
    trigger: 'startup',
    startedAt: 1_000,
    finishedAt: 1_020,
    ok: true,
    reason: null,
    fillsRecovered: 0,
    ordersResolved: [],
    externalOrders: [],
    positions: [],
    balances: [{ currency: 'USDT', keel: '10000', venue: '10000', match: true }],
    items,
    ...patch,
  };
}
