/**
 * WebSocket payloads in Binance USD-M's format: the user-data events
 * (ORDER_TRADE_UPDATE, ACCOUNT_UPDATE, ALGO_UPDATE, listenKeyExpired) built
 * from engine events, and the public markPriceUpdate, bookTicker, 24hrTicker
 * and 24hrMiniTicker.
 */
import { div, fixed, fmt, mul, ZERO } from '../common/decimal';
import type { ExchangeState } from './exchangeState';
import type { MarketData } from './marketData';
import type { EngineEvent } from './types';

type OrderEvent = Extract<EngineEvent, { type: 'order' }>;
type AccountEvent = Extract<EngineEvent, { type: 'account' }>;
type AlgoEvent = Extract<EngineEvent, { type: 'algo' }>;

export function orderTradeUpdate(state: ExchangeState, event: OrderEvent) {
  const { order, trade } = event;
  const instrument = state.instrument(order.symbol);
  const average = order.executedQty > ZERO ? div(order.cumQuote, order.executedQty) : ZERO;
  return {
    e: 'ORDER_TRADE_UPDATE',
    T: event.time,
    E: event.time,
    o: {
      s: order.symbol,
      c: order.clientOrderId,
      S: order.side,
      o: order.type,
      f: order.timeInForce,
      q: fixed(order.origQty, instrument.quantityPlaces),
      p: fixed(order.price, instrument.pricePlaces),
      ap: fmt(average, 5, 8),
      sp: '0',
      x: event.execution,
      X: order.status,
      i: order.orderId,
      l: fixed(trade?.qty ?? ZERO, instrument.quantityPlaces),
      z: fixed(order.executedQty, instrument.quantityPlaces),
      L: fixed(trade?.price ?? ZERO, instrument.pricePlaces),
      N: 'USDT',
      n: fmt(trade?.commission ?? ZERO, 8),
      T: event.time,
      t: trade?.id ?? 0,
      b: '0',
      a: '0',
      m: trade?.maker ?? false,
      R: order.reduceOnly,
      wt: 'CONTRACT_PRICE',
      ot: order.type,
      ps: 'BOTH',
      cp: order.closePosition,
      rp: fmt(trade?.realizedPnl ?? ZERO, 8),
      pP: false,
      si: 0,
      ss: 0,
      V: 'EXPIRE_MAKER',
      pm: 'NONE',
      gtd: order.goodTillDate,
    },
  };
}

export function accountUpdate(state: ExchangeState, event: AccountEvent) {
  return {
    e: 'ACCOUNT_UPDATE',
    E: event.time,
    T: event.time,
    a: {
      m: event.reason,
      B: [{ a: 'USDT', wb: fixed(event.walletBalance, 8), cw: fixed(event.walletBalance, 8), bc: fixed(event.balanceChange, 8) }],
      P: event.positions.map((p) => {
        const instrument = state.instrument(p.symbol);
        return {
          s: p.symbol,
          pa: fixed(p.qty, instrument.quantityPlaces),
          ep: fmt(p.entryPrice, 1, 8),
          bep: fmt(p.entryPrice, 1, 8),
          cr: fixed(p.accumulatedRealized, 8),
          up: fixed(mul(p.qty, state.mark(p.symbol) - p.entryPrice), 8),
          mt: 'cross',
          iw: '0',
          ps: 'BOTH',
          ma: 'USDT',
        };
      }),
    },
  };
}

export function algoUpdate(state: ExchangeState, event: AlgoEvent) {
  const { algo } = event;
  const instrument = state.instrument(algo.symbol);
  return {
    e: 'ALGO_UPDATE',
    T: event.time,
    E: event.time,
    o: {
      caid: algo.clientAlgoId,
      aid: algo.algoId,
      at: 'CONDITIONAL',
      o: algo.orderType,
      s: algo.symbol,
      S: algo.side,
      ps: 'BOTH',
      f: algo.timeInForce,
      q: fixed(algo.quantity, instrument.quantityPlaces),
      X: algo.algoStatus,
      ai: algo.actualOrderId === null ? '' : String(algo.actualOrderId),
      ap: '0.00000',
      aq: '0.00000',
      act: '0',
      tp: fixed(algo.triggerPrice, instrument.pricePlaces),
      p: fixed(algo.price, instrument.pricePlaces),
      V: 'EXPIRE_MAKER',
      wt: algo.workingType,
      pm: 'NONE',
      cp: algo.closePosition,
      pP: false,
      R: algo.reduceOnly,
      tt: algo.triggerTime,
      gtd: 0,
      rm: algo.rejectReason,
    },
  };
}

export function listenKeyExpired(listenKey: string, time: number) {
  return { e: 'listenKeyExpired', E: String(time), listenKey };
}

export function markPriceUpdate(state: ExchangeState, market: MarketData, symbol: string) {
  const index = market.premiumIndex(symbol) as { markPrice: string; indexPrice: string; lastFundingRate: string; nextFundingTime: number };
  return {
    e: 'markPriceUpdate',
    E: state.now(),
    s: symbol,
    p: index.markPrice,
    ap: index.markPrice,
    P: index.markPrice,
    i: index.indexPrice,
    r: index.lastFundingRate,
    T: index.nextFundingTime,
  };
}

export function bookTickerEvent(state: ExchangeState, market: MarketData, symbol: string) {
  const book = market.bookTicker(symbol) as { bidPrice: string; bidQty: string; askPrice: string; askQty: string; lastUpdateId: number };
  const now = state.now();
  return { e: 'bookTicker', u: book.lastUpdateId, s: symbol, b: book.bidPrice, B: book.bidQty, a: book.askPrice, A: book.askQty, T: now, E: now };
}

export function tickerEvent(state: ExchangeState, market: MarketData, symbol: string) {
  const t = market.ticker24h(symbol) as Record<string, string | number>;
  return {
    e: '24hrTicker',
    E: state.now(),
    s: symbol,
    p: t.priceChange,
    P: t.priceChangePercent,
    w: t.weightedAvgPrice,
    c: t.lastPrice,
    Q: t.lastQty,
    o: t.openPrice,
    h: t.highPrice,
    l: t.lowPrice,
    v: t.volume,
    q: t.quoteVolume,
    O: t.openTime,
    C: t.closeTime,
    F: t.firstId,
    L: t.lastId,
    n: t.count,
  };
}

export function miniTickerEvent(state: ExchangeState, market: MarketData, symbol: string) {
  const t = market.ticker24h(symbol) as Record<string, string | number>;
  return { e: '24hrMiniTicker', E: state.now(), s: symbol, c: t.lastPrice, o: t.openPrice, h: t.highPrice, l: t.lowPrice, v: t.volume, q: t.quoteVolume };
}
