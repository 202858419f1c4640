/**
 * The fake's linear perpetuals: their filters (tick, lot, minimum and
 * maximum quantity, minimum notional) and the instruments-info entry ccxt
 * builds a market from (bybit.js fetchFutureMarkets: precision from
 * priceFilter.tickSize and lotSizeFilter.qtyStep, limits.cost.min from
 * lotSizeFilter.minNotionalValue, `LinearPerpetual` for a swap).
 */
import { dec, type Dec, significantPlaces } from '../common/decimal';

/** How a test describes a perpetual; decimals are strings as Bybit writes them. */
export interface BybitSymbolSpec {
  symbol: string;
  baseCoin: string;
  tickSize: string;
  qtyStep: string;
  minOrderQty: string;
  maxOrderQty?: string;
  maxMktOrderQty?: string;
  minNotionalValue: string;
  minPrice?: string;
  maxPrice?: string;
  maxLeverage?: string;
  /** Mark price at start. */
  mark: string;
}

/** BTCUSDT and ETHUSDT with the filters Bybit publishes for them. */
export const DEFAULT_BYBIT_SYMBOLS: BybitSymbolSpec[] = [
  { symbol: 'BTCUSDT', baseCoin: 'BTC', tickSize: '0.10', qtyStep: '0.001', minOrderQty: '0.001', maxOrderQty: '1190.000', maxMktOrderQty: '119.000', minNotionalValue: '5', minPrice: '0.10', maxPrice: '1999999.80', maxLeverage: '100.00', mark: '60000.00' },
  { symbol: 'ETHUSDT', baseCoin: 'ETH', tickSize: '0.01', qtyStep: '0.01', minOrderQty: '0.01', maxOrderQty: '7240.00', maxMktOrderQty: '724.00', minNotionalValue: '5', minPrice: '0.01', maxPrice: '199999.98', maxLeverage: '100.00', mark: '3000.00' },
];

export interface Instrument {
  spec: BybitSymbolSpec;
  symbol: string;
  tick: Dec;
  step: Dec;
  minQty: Dec;
  maxQty: Dec;
  maxMarketQty: Dec;
  minNotional: Dec;
  maxLeverage: number;
  pricePlaces: number;
  qtyPlaces: number;
}

export function instrumentOf(spec: BybitSymbolSpec): Instrument {
  const tick = dec(spec.tickSize);
  const step = dec(spec.qtyStep);
  return {
    spec,
    symbol: spec.symbol,
    tick,
    step,
    minQty: dec(spec.minOrderQty),
    maxQty: dec(spec.maxOrderQty ?? '1000000'),
    maxMarketQty: dec(spec.maxMktOrderQty ?? spec.maxOrderQty ?? '1000000'),
    minNotional: dec(spec.minNotionalValue),
    maxLeverage: Math.floor(Number(spec.maxLeverage ?? '100')),
    pricePlaces: significantPlaces(tick),
    qtyPlaces: significantPlaces(step),
  };
}

/** One entry of GET /v5/market/instruments-info?category=linear. */
export function instrumentInfo(instrument: Instrument): Record<string, unknown> {
  const s = instrument.spec;
  return {
    symbol: s.symbol,
    contractType: 'LinearPerpetual',
    status: 'Trading',
    baseCoin: s.baseCoin,
    quoteCoin: 'USDT',
    launchTime: '1585526400000',
    deliveryTime: '0',
    deliveryFeeRate: '',
    priceScale: String(instrument.pricePlaces),
    leverageFilter: { minLeverage: '1', maxLeverage: s.maxLeverage ?? '100.00', leverageStep: '0.01' },
    priceFilter: { minPrice: s.minPrice ?? s.tickSize, maxPrice: s.maxPrice ?? '1999999.80', tickSize: s.tickSize },
    lotSizeFilter: {
      maxOrderQty: s.maxOrderQty ?? '1000000',
      minOrderQty: s.minOrderQty,
      qtyStep: s.qtyStep,
      postOnlyMaxOrderQty: s.maxOrderQty ?? '1000000',
      maxMktOrderQty: s.maxMktOrderQty ?? s.maxOrderQty ?? '1000000',
      minNotionalValue: s.minNotionalValue,
    },
    unifiedMarginTrade: true,
    fundingInterval: 480,
    settleCoin: 'USDT',
    copyTrading: 'both',
    upperFundingRate: '0.005',
    lowerFundingRate: '-0.005',
    isPreListing: false,
    preListingInfo: null,
  };
}
