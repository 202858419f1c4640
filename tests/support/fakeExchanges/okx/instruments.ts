/**
 * The fake's USDT-margined perpetual swaps. OKX counts contracts: an order's
 * `sz`, a position's `pos` and a fill's `fillSz` are contracts of `ctVal`
 * base units each (BTC-USDT-SWAP: 0.01 BTC), with `lotSz` and `minSz` in
 * contracts too. ccxt builds a market from the instrument entry (okx.js
 * parseMarket: precision from tickSz and lotSz, contractSize from ctVal,
 * base and quote from `uly`, linear when quote equals settleCcy).
 */
import { dec, type Dec, significantPlaces } from '../common/decimal';

/** How a test describes a swap; decimals are strings as OKX writes them. */
export interface OkxSymbolSpec {
  instId: string;
  /** "BTC-USDT": the underlying and instrument family. */
  uly: string;
  ctVal: string;
  tickSz: string;
  lotSz: string;
  minSz: string;
  maxLmtSz?: string;
  maxMktSz?: string;
  /** Highest leverage. */
  lever?: string;
  /** Mark price at start. */
  mark: string;
}

/** BTC-USDT-SWAP and ETH-USDT-SWAP with the contract values and filters OKX publishes for them. */
export const DEFAULT_OKX_SYMBOLS: OkxSymbolSpec[] = [
  { instId: 'BTC-USDT-SWAP', uly: 'BTC-USDT', ctVal: '0.01', tickSz: '0.1', lotSz: '0.01', minSz: '0.01', maxLmtSz: '10000', maxMktSz: '3000', lever: '100', mark: '60000.0' },
  { instId: 'ETH-USDT-SWAP', uly: 'ETH-USDT', ctVal: '0.1', tickSz: '0.01', lotSz: '0.01', minSz: '0.01', maxLmtSz: '10000', maxMktSz: '3000', lever: '100', mark: '3000.00' },
];

export interface Instrument {
  spec: OkxSymbolSpec;
  instId: string;
  base: string;
  ctVal: Dec;
  tick: Dec;
  lot: Dec;
  minSz: Dec;
  maxLmtSz: Dec;
  maxMktSz: Dec;
  maxLeverage: number;
  pricePlaces: number;
  szPlaces: number;
}

export function instrumentOf(spec: OkxSymbolSpec): Instrument {
  const tick = dec(spec.tickSz);
  const lot = dec(spec.lotSz);
  return {
    spec,
    instId: spec.instId,
    base: spec.uly.split('-')[0] ?? spec.uly,
    ctVal: dec(spec.ctVal),
    tick,
    lot,
    minSz: dec(spec.minSz),
    maxLmtSz: dec(spec.maxLmtSz ?? '100000000'),
    maxMktSz: dec(spec.maxMktSz ?? spec.maxLmtSz ?? '100000000'),
    maxLeverage: Math.floor(Number(spec.lever ?? '100')),
    pricePlaces: significantPlaces(tick),
    szPlaces: significantPlaces(lot),
  };
}

/** One entry of GET /api/v5/public/instruments?instType=SWAP. */
export function instrumentView(instrument: Instrument, listTime: number): Record<string, unknown> {
  const s = instrument.spec;
  return {
    alias: '',
    auctionEndTime: '',
    baseCcy: '',
    category: '1',
    contTdSwTime: String(listTime),
    ctMult: '1',
    ctType: 'linear',
    ctVal: s.ctVal,
    ctValCcy: instrument.base,
    expTime: '',
    futureSettlement: false,
    instFamily: s.uly,
    instId: s.instId,
    instIdCode: 0,
    instType: 'SWAP',
    lever: s.lever ?? '100',
    listTime: String(listTime),
    lotSz: s.lotSz,
    maxIcebergSz: s.maxLmtSz ?? '100000000',
    maxLmtAmt: '20000000',
    maxLmtSz: s.maxLmtSz ?? '100000000',
    maxMktAmt: '',
    maxMktSz: s.maxMktSz ?? s.maxLmtSz ?? '100000000',
    maxStopSz: s.maxMktSz ?? s.maxLmtSz ?? '100000000',
    maxTriggerSz: s.maxLmtSz ?? '100000000',
    maxTwapSz: s.maxLmtSz ?? '100000000',
    minSz: s.minSz,
    openType: '',
    optType: '',
    quoteCcy: '',
    ruleType: 'normal',
    settleCcy: 'USDT',
    state: 'live',
    stk: '',
    tickSz: s.tickSz,
    uly: s.uly,
  };
}
