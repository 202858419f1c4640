/**
 * The slice of ccxt's unified API Keel uses, typed here so the adapter does
 * not depend on ccxt's types at compile time (ccxt is loaded lazily, at
 * runtime, and its declaration files are large). Field names are ccxt's.
 */
export interface CcxtMarket {
  id: string;
  symbol: string;
  base: string;
  quote: string;
  settle?: string | null;
  type?: string;
  swap?: boolean;
  linear?: boolean;
  active?: boolean | null;
  contractSize?: number | null;
  maker?: number | null;
  taker?: number | null;
  precision: { price?: number | null; amount?: number | null };
  limits: {
    amount?: { min?: number | null; max?: number | null };
    cost?: { min?: number | null };
    leverage?: { max?: number | null };
  };
}

export interface CcxtOrder {
  id: string;
  clientOrderId?: string | null;
  symbol: string;
  side: 'buy' | 'sell' | string;
  type?: string | null;
  amount?: number | null;
  filled?: number | null;
  price?: number | null;
  average?: number | null;
  triggerPrice?: number | null;
  stopPrice?: number | null;
  takeProfitPrice?: number | null;
  stopLossPrice?: number | null;
  status?: string | null;
  reduceOnly?: boolean | null;
  timestamp?: number | null;
  lastUpdateTimestamp?: number | null;
  info?: Record<string, unknown>;
}

export interface CcxtTrade {
  id: string;
  order?: string | null;
  symbol: string;
  side: 'buy' | 'sell' | string;
  amount: number;
  price: number;
  timestamp: number;
  takerOrMaker?: 'maker' | 'taker' | string | null;
  fee?: { cost?: number | null; currency?: string | null } | null;
  info?: Record<string, unknown>;
}

export interface CcxtPosition {
  symbol: string;
  contracts?: number | null;
  contractSize?: number | null;
  side?: 'long' | 'short' | string | null;
  entryPrice?: number | null;
  leverage?: number | null;
  liquidationPrice?: number | null;
  maintenanceMargin?: number | null;
  markPrice?: number | null;
  timestamp?: number | null;
  info?: Record<string, unknown>;
}

/** One entry of `fetchFundingHistory`: a funding payment (positive: received). */
export interface CcxtFunding {
  id?: string | null;
  symbol?: string | null;
  code?: string | null;
  timestamp?: number | null;
  amount?: number | null;
  rate?: number | null;
  info?: Record<string, unknown>;
}

export interface CcxtTicker {
  symbol: string;
  bid?: number | null;
  ask?: number | null;
  last?: number | null;
  close?: number | null;
  open?: number | null;
  high?: number | null;
  low?: number | null;
  change?: number | null;
  percentage?: number | null;
  baseVolume?: number | null;
  markPrice?: number | null;
  timestamp?: number | null;
  info?: Record<string, unknown>;
}

export type CcxtOhlcv = [number, number, number, number, number, number];

export interface CcxtOrderBook {
  bids: Array<[number, number]>;
  asks: Array<[number, number]>;
  timestamp?: number | null;
}

export interface CcxtBalance {
  total?: Record<string, number | null | undefined>;
}

/** A ccxt.pro exchange instance: REST methods, the watch methods, and the knobs Keel sets. */
export interface CcxtExchange {
  id: string;
  apiKey?: string;
  secret?: string;
  password?: string;
  timeout: number;
  options: Record<string, unknown>;
  urls: { api: unknown } & Record<string, unknown>;
  has: Record<string, boolean | string | undefined>;
  markets?: Record<string, CcxtMarket>;
  exceptions?: Record<string, unknown>;
  log: (...args: unknown[]) => void;
  onRestResponse: (status: number, statusText: string, url: string, method: string, headers: Record<string, string>, body: string, ...rest: unknown[]) => string;
  getExceptionsByUrl?: (url: string, kind: string) => unknown;
  enableDemoTrading?(enable: boolean): void;
  setSandboxMode(enable: boolean): void;
  loadHttpProxyAgent?(): Promise<unknown>;
  loadMarkets(reload?: boolean): Promise<Record<string, CcxtMarket>>;
  loadTimeDifference(): Promise<number>;
  fetchTime(): Promise<number>;
  fetchTickers(symbols?: string[]): Promise<Record<string, CcxtTicker>>;
  fetchTicker(symbol: string): Promise<CcxtTicker>;
  fetchBidsAsks?(symbols?: string[]): Promise<Record<string, CcxtTicker>>;
  fetchOHLCV(symbol: string, timeframe: string, since?: number, limit?: number): Promise<CcxtOhlcv[]>;
  fetchOrderBook(symbol: string, limit?: number): Promise<CcxtOrderBook>;
  createOrder(symbol: string, type: string, side: string, amount: number, price?: number, params?: Record<string, unknown>): Promise<CcxtOrder>;
  cancelOrder(id: string | undefined, symbol: string, params?: Record<string, unknown>): Promise<unknown>;
  editOrder(id: string | undefined, symbol: string, type: string, side: string, amount?: number, price?: number, params?: Record<string, unknown>): Promise<CcxtOrder>;
  cancelAllOrders(symbol?: string, params?: Record<string, unknown>): Promise<unknown>;
  cancelOrders(ids: string[], symbol?: string, params?: Record<string, unknown>): Promise<unknown>;
  fetchOrder(id: string | undefined, symbol: string, params?: Record<string, unknown>): Promise<CcxtOrder>;
  fetchOpenOrders(symbol?: string, since?: number, limit?: number, params?: Record<string, unknown>): Promise<CcxtOrder[]>;
  fetchCanceledAndClosedOrders?(symbol?: string, since?: number, limit?: number, params?: Record<string, unknown>): Promise<CcxtOrder[]>;
  fetchMyTrades(symbol?: string, since?: number, limit?: number, params?: Record<string, unknown>): Promise<CcxtTrade[]>;
  fetchPositions(symbols?: string[]): Promise<CcxtPosition[]>;
  fetchFundingHistory?(symbol?: string, since?: number, limit?: number, params?: Record<string, unknown>): Promise<CcxtFunding[]>;
  fetchBalance(params?: Record<string, unknown>): Promise<CcxtBalance>;
  setLeverage(leverage: number, symbol: string): Promise<unknown>;
  watchOrders?(symbol?: string): Promise<CcxtOrder[]>;
  watchMyTrades?(symbol?: string): Promise<CcxtTrade[]>;
  watchTickers?(symbols?: string[]): Promise<Record<string, CcxtTicker>>;
  close(): Promise<void>;
}
