/**
 * The instrument tests share: a BTC linear perpetual with the paper venue's
 * precision and fees. Tests that need another venue or symbol spread it.
 */
import type { Instrument } from '../../src/shared/domain';

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
