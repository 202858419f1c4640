/**
 * The fake's instruments: each perpetual's filters (tick, lot, market lot,
 * minimum notional, order-count and price-band limits) and leverage brackets,
 * and the exchangeInfo document ccxt builds its markets from.
 */
import { dec, type Dec, significantPlaces } from '../common/decimal';

export interface LeverageBracketSpec {
  initialLeverage: number;
  notionalCap: string;
  notionalFloor: string;
  maintMarginRatio: string;
  cum: string;
}

/** How a test describes a perpetual; decimals are strings as Binance writes them. */
export interface SymbolSpec {
  symbol: string;
  baseAsset: string;
  quoteAsset?: string;
  tickSize: string;
  stepSize: string;
  minQty: string;
  maxQty?: string;
  marketMinQty?: string;
  marketMaxQty?: string;
  minNotional: string;
  minPrice?: string;
  maxPrice?: string;
  /** Mark price at start. */
  mark: string;
  maxNumOrders?: number;
  maxNumAlgoOrders?: number;
  /** PERCENT_PRICE band around the mark, e.g. "1.0500" / "0.9500". */
  multiplierUp?: string;
  multiplierDown?: string;
  brackets?: LeverageBracketSpec[];
  /** Written decimals of prices and quantities in answers (Binance's pricePrecision/quantityPrecision). */
  pricePrecision?: number;
  quantityPrecision?: number;
}

export const DEFAULT_BRACKETS: LeverageBracketSpec[] = [
  { initialLeverage: 125, notionalCap: '50000', notionalFloor: '0', maintMarginRatio: '0.004', cum: '0' },
  { initialLeverage: 100, notionalCap: '600000', notionalFloor: '50000', maintMarginRatio: '0.005', cum: '50' },
  { initialLeverage: 50, notionalCap: '3000000', notionalFloor: '600000', maintMarginRatio: '0.01', cum: '3050' },
];

/** BTCUSDT and ETHUSDT with the filters Binance publishes for them. */
export const DEFAULT_SYMBOLS: SymbolSpec[] = [
  {
    symbol: 'BTCUSDT',
    baseAsset: 'BTC',
    tickSize: '0.10',
    stepSize: '0.001',
    minQty: '0.001',
    maxQty: '1000',
    marketMinQty: '0.001',
    marketMaxQty: '120',
    minNotional: '100',
    minPrice: '261.10',
    maxPrice: '809484',
    mark: '60000.00',
    pricePrecision: 2,
    quantityPrecision: 3,
  },
  {
    symbol: 'ETHUSDT',
    baseAsset: 'ETH',
    tickSize: '0.01',
    stepSize: '0.001',
    minQty: '0.001',
    maxQty: '10000',
    marketMinQty: '0.001',
    marketMaxQty: '2000',
    minNotional: '20',
    minPrice: '39.86',
    maxPrice: '306177',
    mark: '3000.00',
    pricePrecision: 2,
    quantityPrecision: 3,
  },
];

/** A symbol with its decimals parsed, as the matching engine uses it. */
export interface Instrument {
  spec: SymbolSpec;
  symbol: string;
  baseAsset: string;
  quoteAsset: string;
  tick: Dec;
  step: Dec;
  minQty: Dec;
  maxQty: Dec;
  marketMinQty: Dec;
  marketMaxQty: Dec;
  minNotional: Dec;
  minPrice: Dec;
  maxPrice: Dec;
  multiplierUp: Dec;
  multiplierDown: Dec;
  maxNumOrders: number;
  maxNumAlgoOrders: number;
  maxLeverage: number;
  brackets: LeverageBracketSpec[];
  pricePlaces: number;
  quantityPlaces: number;
}

export function instrumentOf(spec: SymbolSpec): Instrument {
  const tick = dec(spec.tickSize);
  const step = dec(spec.stepSize);
  const brackets = spec.brackets ?? DEFAULT_BRACKETS;
  return {
    spec,
    symbol: spec.symbol,
    baseAsset: spec.baseAsset,
    quoteAsset: spec.quoteAsset ?? 'USDT',
    tick,
    step,
    minQty: dec(spec.minQty),
    maxQty: dec(spec.maxQty ?? '1000000'),
    marketMinQty: dec(spec.marketMinQty ?? spec.minQty),
    marketMaxQty: dec(spec.marketMaxQty ?? spec.maxQty ?? '1000000'),
    minNotional: dec(spec.minNotional),
    minPrice: dec(spec.minPrice ?? spec.tickSize),
    maxPrice: dec(spec.maxPrice ?? '10000000'),
    multiplierUp: dec(spec.multiplierUp ?? '1.0500'),
    multiplierDown: dec(spec.multiplierDown ?? '0.9500'),
    maxNumOrders: spec.maxNumOrders ?? 200,
    maxNumAlgoOrders: spec.maxNumAlgoOrders ?? 10,
    maxLeverage: Math.max(...brackets.map((b) => b.initialLeverage)),
    brackets,
    pricePlaces: spec.pricePrecision ?? significantPlaces(tick),
    quantityPlaces: spec.quantityPrecision ?? significantPlaces(step),
  };
}

/** Maintenance margin ratio of the bracket a notional falls in. */
export function maintMarginRatio(instrument: Instrument, notional: Dec): Dec {
  let ratio = dec(instrument.brackets[0]?.maintMarginRatio ?? '0.004');
  for (const bracket of instrument.brackets) {
    if (notional >= dec(bracket.notionalFloor)) ratio = dec(bracket.maintMarginRatio);
  }
  return ratio;
}

export const ORDER_TYPES = ['LIMIT', 'MARKET', 'STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET'] as const;
export const TIME_IN_FORCE = ['GTC', 'IOC', 'FOK', 'GTX', 'GTD'] as const;

/** GET /fapi/v1/exchangeInfo, shaped like Binance's (ccxt reads filters, orderTypes and contractType). */
export function exchangeInfo(instruments: Instrument[], serverTime: number, limits: { weight: number; ordersPerMinute: number; ordersPer10s: number }) {
  return {
    timezone: 'UTC',
    serverTime,
    futuresType: 'U_MARGINED',
    rateLimits: [
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: limits.weight },
      { rateLimitType: 'ORDERS', interval: 'MINUTE', intervalNum: 1, limit: limits.ordersPerMinute },
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: limits.ordersPer10s },
    ],
    exchangeFilters: [],
    assets: [{ asset: 'USDT', marginAvailable: true, autoAssetExchange: '-10000' }],
    symbols: instruments.map((i) => ({
      symbol: i.symbol,
      pair: i.symbol,
      contractType: 'PERPETUAL',
      deliveryDate: 4133404800000,
      onboardDate: 1569398400000,
      status: 'TRADING',
      maintMarginPercent: '2.5000',
      requiredMarginPercent: '5.0000',
      baseAsset: i.baseAsset,
      quoteAsset: i.quoteAsset,
      marginAsset: i.quoteAsset,
      pricePrecision: i.pricePlaces,
      quantityPrecision: i.quantityPlaces,
      baseAssetPrecision: 8,
      quotePrecision: 8,
      underlyingType: 'COIN',
      underlyingSubType: [],
      triggerProtect: '0.0500',
      liquidationFee: '0.012500',
      marketTakeBound: '0.05',
      maxMoveOrderLimit: 10000,
      filters: [
        { filterType: 'PRICE_FILTER', minPrice: i.spec.minPrice ?? i.spec.tickSize, maxPrice: i.spec.maxPrice ?? '10000000', tickSize: i.spec.tickSize },
        { filterType: 'LOT_SIZE', minQty: i.spec.minQty, maxQty: i.spec.maxQty ?? '1000000', stepSize: i.spec.stepSize },
        {
          filterType: 'MARKET_LOT_SIZE',
          minQty: i.spec.marketMinQty ?? i.spec.minQty,
          maxQty: i.spec.marketMaxQty ?? i.spec.maxQty ?? '1000000',
          stepSize: i.spec.stepSize,
        },
        { filterType: 'MAX_NUM_ORDERS', limit: i.maxNumOrders },
        { filterType: 'MAX_NUM_ALGO_ORDERS', limit: i.maxNumAlgoOrders },
        { filterType: 'MIN_NOTIONAL', notional: i.spec.minNotional },
        { filterType: 'PERCENT_PRICE', multiplierUp: i.spec.multiplierUp ?? '1.0500', multiplierDown: i.spec.multiplierDown ?? '0.9500', multiplierDecimal: '4' },
      ],
      orderTypes: [...ORDER_TYPES],
      timeInForce: [...TIME_IN_FORCE],
    })),
  };
}
