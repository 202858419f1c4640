/**
 * ccxt's unified shapes to Keel's, and back. Pure functions. Quantities in
 * Keel are base units (0.001 BTC); some exchanges count contracts (OKX: one
 * BTC-USDT-SWAP contract is 0.01 BTC), so every amount crossing here is
 * converted with the market's contract size, in exact decimals.
 */
import { Dec } from '../../../shared/decimal';
import { hasLimitPrice, triggerDirection, type Bar, type Instrument, type OrderType, type Ticker } from '../../../shared/domain';
import type { AmendOrder, SubmitOrder, VenueFillReport, VenueMarginReport, VenueOrderReport, VenuePositionReport } from '../../engine/ports/venue';
import type { CcxtMarket, CcxtOhlcv, CcxtOrder, CcxtPosition, CcxtTicker, CcxtTrade } from './ccxtTypes';

/** A ccxt number as exact decimal text; 0 for missing. */
export function decimalText(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '0' : Dec.fromNumber(value).toString();
}

function contractSize(market: CcxtMarket): Dec {
  const size = market.contractSize;
  return size === null || size === undefined || !(size > 0) ? Dec.ONE : Dec.fromNumber(size);
}

/** Contracts (what ccxt counts) to base units (what Keel counts). */
export function toBase(market: CcxtMarket, contracts: number | null | undefined): Dec {
  return Dec.parse(decimalText(contracts)).mul(contractSize(market));
}

/** Base units to contracts, for a request. Exact: Keel's quantities are whole lots, and a lot is whole contracts. */
export function toContracts(market: CcxtMarket, base: string): number {
  return Dec.parse(base).div(contractSize(market)).toNumber();
}

/** Linear perpetuals settled in the quote currency, still trading: what Keel trades on a derivatives venue. */
export function isTradableMarket(market: CcxtMarket, settle: string): boolean {
  return market.swap === true && market.linear === true && market.settle === settle && market.active !== false;
}

export function instrumentOf(venue: string, market: CcxtMarket): Instrument {
  const tick = market.precision.price;
  const step = market.precision.amount;
  if (!(typeof tick === 'number' && tick > 0) || !(typeof step === 'number' && step > 0)) {
    throw new Error(`${market.symbol} has no tick or lot size (precision ${JSON.stringify(market.precision)})`);
  }
  const size = contractSize(market);
  const lot = Dec.fromNumber(step).mul(size);
  const minAmount = market.limits.amount?.min;
  const minQuantity = typeof minAmount === 'number' && minAmount > 0 ? Dec.fromNumber(minAmount).mul(size) : lot;
  const maxLeverage = Math.max(1, Math.floor(market.limits.leverage?.max ?? 20));
  return {
    venue,
    symbol: market.symbol,
    base: market.base,
    quote: market.quote,
    settle: market.settle ?? market.quote,
    kind: 'linear_perpetual',
    tickSize: Dec.fromNumber(tick).toString(),
    lotSize: lot.toString(),
    minQuantity: Dec.max(minQuantity, lot).toString(),
    minNotional: decimalText(market.limits.cost?.min ?? 0),
    makerFee: decimalText(market.maker ?? 0),
    takerFee: decimalText(market.taker ?? 0),
    maxLeverage,
    // Margin checks assume no leverage until the venue reports the leverage set on the account (conservative).
    defaultLeverage: 1,
  };
}

/** ccxt's order status and fill to Keel's report status. */
export function reportStatus(order: CcxtOrder): VenueOrderReport['status'] {
  const filled = order.filled ?? 0;
  switch (order.status) {
    case 'closed':
      return 'filled';
    case 'canceled':
    case 'cancelled':
      return 'canceled';
    case 'expired':
      return 'expired';
    case 'rejected':
      return 'rejected';
    default:
      return filled > 0 ? 'partially_filled' : 'open';
  }
}

/**
 * ccxt's order types (and the exchanges' conditional ones) to Keel's: a
 * trailing stop (Binance TRAILING_STOP_MARKET, OKX move_order_stop), a
 * take-profit (Binance TAKE_PROFIT(_MARKET), an OKX conditional with a
 * take-profit trigger, a Bybit conditional that triggers against a
 * position's direction), a stop, or a plain order.
 */
export function orderTypeOf(order: CcxtOrder): OrderType {
  const type = (order.type ?? '').toLowerCase();
  const info = order.info ?? {};
  const trigger = order.triggerPrice ?? order.stopPrice ?? null;
  if (type.includes('trailing') || info.ordType === 'move_order_stop' || info.callbackRate !== undefined) return 'trailing_stop';
  const takeProfit = type.startsWith('take_profit') || (order.takeProfitPrice ?? null) !== null || (typeof info.tpTriggerPx === 'string' && info.tpTriggerPx !== '');
  if (type.endsWith('_market') || type === 'stop' || type === 'take_profit') {
    const limit = !type.endsWith('_market');
    return takeProfit ? (limit ? 'take_profit_limit' : 'take_profit') : limit ? 'stop_limit' : 'stop';
  }
  if (type === 'conditional' || type === 'trigger' || type === 'oco') {
    // OKX's algo orders: a take-profit or stop-loss trigger, then market ("-1") or a limit at the order price.
    const orderPx = takeProfit ? info.tpOrdPx : info.slOrdPx;
    const limit = typeof orderPx === 'string' && orderPx !== '' && orderPx !== '-1';
    return takeProfit ? (limit ? 'take_profit_limit' : 'take_profit') : limit ? 'stop_limit' : 'stop';
  }
  if (type === 'market') return takeProfit ? 'take_profit' : trigger ? 'stop' : 'market';
  if (type === 'limit') return takeProfit ? 'take_profit_limit' : trigger ? 'stop_limit' : 'limit';
  return trigger ? 'stop' : 'limit';
}

export function clientIdOf(order: { clientOrderId?: string | null; info?: Record<string, unknown> }): string | null {
  if (order.clientOrderId) return order.clientOrderId;
  const info = order.info ?? {};
  // OKX: an algo order's own id, which the order it places when it triggers carries too.
  for (const key of ['clientOrderId', 'c', 'orderLinkId', 'clOrdId', 'origClientOrderId', 'algoClOrdId', 'clientAlgoId']) {
    const value = info[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return null;
}

export function orderReportOf(market: CcxtMarket, order: CcxtOrder): VenueOrderReport {
  const trigger = order.triggerPrice ?? order.stopPrice ?? order.takeProfitPrice ?? order.stopLossPrice ?? null;
  const type = orderTypeOf(order);
  return {
    clientOrderId: clientIdOf(order) ?? `venue-${order.id}`,
    venueOrderId: String(order.id),
    symbol: market.symbol,
    side: order.side === 'sell' ? 'sell' : 'buy',
    type,
    quantity: toBase(market, order.amount).toString(),
    filledQuantity: toBase(market, order.filled).toString(),
    price: hasLimitPrice(type) ? decimalText(order.price) : null,
    stopPrice: trigger ? decimalText(trigger) : null,
    status: reportStatus(order),
    triggered: false,
    updatedAt: order.lastUpdateTimestamp ?? order.timestamp ?? 0,
  };
}

/**
 * A fill's fee as a cost, positive when charged. OKX writes fees negative for a charge; ccxt turns its REST fills'
 * `fee` into a cost (okx.js parseTrade) but hands on a stream fill's `fillFee` as OKX wrote it (pro/okx.js
 * orderToTrade), so a stream fill's fee is read from OKX's own field, turned the same way.
 */
function feeCost(trade: CcxtTrade): string {
  const fillFee = trade.info?.fillFee;
  if (typeof fillFee === 'string' && /^-?\d+(\.\d+)?$/.test(fillFee)) return Dec.parse(fillFee).neg().toString();
  return decimalText(trade.fee?.cost ?? 0);
}

/** A fill; `clientOrderId` comes from the caller when the trade does not carry it (most REST trade lists do not). */
export function fillReportOf(market: CcxtMarket, trade: CcxtTrade, clientOrderId: string): VenueFillReport {
  return {
    clientOrderId,
    venueOrderId: String(trade.order ?? ''),
    tradeId: String(trade.id),
    side: trade.side === 'sell' ? 'sell' : 'buy',
    symbol: market.symbol,
    quantity: toBase(market, trade.amount).toString(),
    price: decimalText(trade.price),
    fee: feeCost(trade),
    feeCurrency: trade.fee?.currency ?? market.settle ?? market.quote,
    liquidity: trade.takerOrMaker === 'maker' ? 'maker' : 'taker',
    timestamp: trade.timestamp,
  };
}

export function positionReportOf(market: CcxtMarket, position: CcxtPosition): VenuePositionReport | null {
  const quantity = toBase(market, position.contracts ?? 0);
  if (quantity.isZero()) return null;
  const signed = position.side === 'short' ? quantity.abs().neg() : quantity.abs();
  return {
    symbol: market.symbol,
    quantity: signed.toString(),
    entryPrice: decimalText(position.entryPrice ?? 0),
    leverage: Math.max(1, Math.round(position.leverage ?? 1)),
  };
}

/**
 * What the exchange says of an open position's margin: its liquidation price
 * (exchanges write 0 for none) and its maintenance margin at the exchange's
 * mark. Null for a flat position.
 */
export function marginReportOf(market: CcxtMarket, position: CcxtPosition, now: number): VenueMarginReport | null {
  if (toBase(market, position.contracts ?? 0).isZero()) return null;
  const positive = (value: number | null | undefined): string | null => (value !== null && value !== undefined && Number.isFinite(value) && value > 0 ? Dec.fromNumber(value).toString() : null);
  // Bybit states the maintenance margin at the mark (positionMM); ccxt replaces it with the one at the liquidation price
  // (derived from liqPrice and bustPrice), which is not what a margin ratio at the mark needs.
  const statedMaintenance = numberOf(position.info?.positionMM);
  return {
    liquidationPrice: positive(position.liquidationPrice),
    maintenanceMargin: positive(statedMaintenance ?? position.maintenanceMargin),
    markPrice: positive(position.markPrice),
    timestamp: position.timestamp ?? now,
  };
}

export function tickerOf(venue: string, ticker: CcxtTicker, now: number): Ticker {
  const last = ticker.last ?? ticker.close ?? 0;
  const info = ticker.info ?? {};
  const mark = ticker.markPrice ?? numberOf(info.markPrice) ?? last;
  const open = ticker.open ?? last;
  const change = ticker.change ?? last - open;
  return {
    venue,
    symbol: ticker.symbol,
    bid: decimalText(ticker.bid ?? last),
    ask: decimalText(ticker.ask ?? last),
    last: decimalText(last),
    mark: decimalText(mark),
    open24h: decimalText(open),
    high24h: decimalText(ticker.high ?? last),
    low24h: decimalText(ticker.low ?? last),
    change24h: decimalText(change),
    changePercent24h: ticker.percentage ?? (open > 0 ? (change / open) * 100 : 0),
    volume24h: decimalText(ticker.baseVolume ?? 0),
    timestamp: ticker.timestamp ?? now,
  };
}

function numberOf(value: unknown): number | null {
  const n = typeof value === 'string' ? Number(value) : typeof value === 'number' ? value : NaN;
  return Number.isFinite(n) ? n : null;
}

export function barOf(row: CcxtOhlcv): Bar {
  const [time, open, high, low, close, volume] = row;
  return { time, open, high, low, close, volume };
}

/** The exchanges whose order arguments differ (see `createOrderArgs`). */
export type ArgumentDialect = 'binanceusdm' | 'bybit' | 'okx';

/**
 * Keel's order to ccxt's `createOrder` arguments, in the dialect of the
 * exchange:
 *
 * - a stop is a trigger price: Binance's STOP(_MARKET), Bybit's conditional
 *   order (with the direction it triggers in, which Bybit requires), OKX's
 *   conditional algo order with a stop-loss trigger (an algo order OKX can
 *   amend);
 * - a take-profit is ccxt's `takeProfitPrice`: Binance's TAKE_PROFIT(_MARKET),
 *   Bybit's conditional order triggering the other way, OKX's conditional
 *   with a take-profit trigger;
 * - a trailing stop trails by a percentage (Binance TRAILING_STOP_MARKET with
 *   its callback rate) or, on OKX, by a percentage or a price distance
 *   (move_order_stop).
 *
 * OKX keeps an algo order's client id as `algoClOrdId`; it is sent as such.
 */
export function createOrderArgs(
  market: CcxtMarket,
  order: SubmitOrder,
  dialect: ArgumentDialect = 'binanceusdm',
): { type: string; amount: number; price: number | undefined; params: Record<string, unknown> } {
  const params: Record<string, unknown> = { clientOrderId: order.clientOrderId };
  if (order.reduceOnly) params.reduceOnly = true;
  if (order.postOnly) params.postOnly = true;
  const limit = hasLimitPrice(order.type);
  if (limit && order.timeInForce !== 'GTC') params.timeInForce = order.timeInForce;
  const takeProfit = order.type === 'take_profit' || order.type === 'take_profit_limit';
  const stop = order.type === 'stop' || order.type === 'stop_limit';
  const algo = dialect === 'okx' && (takeProfit || stop || order.type === 'trailing_stop');
  if (takeProfit || stop) {
    if (order.stopPrice === null) throw new Error(`a ${order.type} order needs a stop price`);
    const trigger = Number(order.stopPrice);
    if (dialect === 'okx') {
      // A conditional algo order: OKX reads a stop as its stop-loss trigger, a take-profit as its take-profit trigger.
      if (takeProfit) params.takeProfitPrice = trigger;
      else params.stopLossPrice = trigger;
    } else if (takeProfit) {
      params.takeProfitPrice = trigger;
    } else {
      params.triggerPrice = trigger;
    }
    if (dialect === 'bybit') {
      if (!takeProfit) params.triggerDirection = triggerDirection(order.type, order.side) === 'rise' ? 'ascending' : 'descending';
    }
  }
  if (order.type === 'trailing_stop') {
    const trailing = order.trailing;
    if (!trailing) throw new Error('a trailing stop needs its trail');
    if ('percent' in trailing) params.trailingPercent = trailing.percent;
    else if (dialect === 'okx') params.callbackSpread = trailing.distance;
    else throw new Error(`${dialect} trails a stop by a percentage only`);
  }
  if (algo) params.algoClOrdId = order.clientOrderId;
  const price = limit ? Number(order.price) : undefined;
  return { type: limit ? 'limit' : 'market', amount: toContracts(market, order.quantity), price, params };
}

/**
 * Keel's amend to ccxt's `editOrder` arguments: the order's type and side,
 * the whole quantity and the limit price (Binance wants both again even
 * when one is unchanged), and the new trigger in the exchange's words.
 */
export function editOrderArgs(
  market: CcxtMarket,
  amend: AmendOrder,
  dialect: ArgumentDialect,
): { type: string; amount: number | undefined; price: number | undefined; params: Record<string, unknown> } {
  const quantity = amend.quantity ?? amend.current.quantity;
  const price = amend.price ?? amend.current.price;
  const limit = hasLimitPrice(amend.type);
  const conditional = amend.type !== 'limit' && amend.type !== 'market';
  const params: Record<string, unknown> = dialect === 'bybit' ? { orderLinkId: amend.clientOrderId } : { clientOrderId: amend.clientOrderId };
  if (dialect === 'okx' && conditional) {
    // An OKX conditional algo order: its trigger and the price it then works at (-1: market).
    const trigger = amend.stopPrice ?? amend.current.stopPrice;
    const takeProfit = amend.type === 'take_profit' || amend.type === 'take_profit_limit';
    const orderPrice = limit && price !== null ? price : '-1';
    if (takeProfit) Object.assign(params, { takeProfitPrice: Number(trigger), newTpOrdPx: orderPrice });
    else Object.assign(params, { stopLossPrice: Number(trigger), newSlOrdPx: orderPrice });
    return { type: 'conditional', amount: amend.quantity === null ? undefined : toContracts(market, quantity), price: undefined, params };
  }
  if (amend.stopPrice !== null) params.triggerPrice = Number(amend.stopPrice);
  const amount = dialect === 'binanceusdm' || amend.quantity !== null ? toContracts(market, quantity) : undefined;
  const sentPrice = limit && (dialect === 'binanceusdm' || amend.price !== null) && price !== null ? Number(price) : undefined;
  return { type: limit ? 'limit' : 'market', amount, price: sentPrice, params };
}
