/**
 * The paper venue's listed instruments (ten USDT-margined linear perpetuals) and
 * the parameters that make each one's simulated market look like itself:
 * price level, volatility, trade flow and order-book depth; and, as a real
 * exchange publishes them, each perpetual's maintenance-margin brackets and
 * liquidation fee. `InstrumentMath` holds the integer factors the matching
 * engine and the fee and margin arithmetic need, computed once.
 */
import { Dec } from '../../../shared/decimal';
import type { Instrument, MarginTier } from '../../../shared/domain';
import { stepOf, toSteps, type Step } from './fixedPoint';

export const PAPER_VENUE_ID = 'paper';

export interface MarketParams {
  /** Long-run centre the price is gently pulled back to, so it stays in a believable range. */
  anchorPrice: number;
  /** Annualised volatility of the diffusion (before regimes and GARCH scaling). */
  annualVolatility: number;
  /** Simulated trades per second at normal volatility. */
  tradesPerSecond: number;
  /** Median simulated trade size in base units. */
  medianTradeQuantity: number;
  /** Size of the top book level in base units; deeper levels grow from it. */
  bookLevelQuantity: number;
  /** Levels on each side of the synthetic book. */
  bookLevels: number;
  /** How far the deepest level sits from the touch, as a fraction of price. */
  bookSpan: number;
  /** The spread is drawn between 1 and this many ticks at every refresh. */
  maxSpreadTicks: number;
  /** Largest accepted order quantity (decimal string). */
  maxQuantity: string;
}

export interface PaperInstrumentSpec {
  instrument: Instrument;
  market: MarketParams;
}

/** A bracket row: [notional floor, cap, maintenance rate, maintenance amount, max leverage]. */
type TierRow = [string, string, string, string, number];

function tiers(rows: readonly TierRow[]): MarginTier[] {
  return rows.map(([notionalFloor, notionalCap, maintenanceRate, maintenanceAmount, maxLeverage]) => ({
    notionalFloor,
    notionalCap,
    maintenanceRate,
    maintenanceAmount,
    maxLeverage,
  }));
}

/**
 * Brackets in the shape the large exchanges use: the rate rises and the
 * leverage allowed falls as a position grows; each amount keeps the
 * maintenance margin continuous at its bracket's floor (previous amount +
 * floor × the rate's step up). `core/perpetualMargin.checkTerms` checks them.
 */
const BTC_TIERS = tiers([
  ['0', '50000', '0.004', '0', 100],
  ['50000', '250000', '0.005', '50', 75],
  ['250000', '1000000', '0.01', '1300', 50],
  ['1000000', '5000000', '0.025', '16300', 20],
  ['5000000', '20000000', '0.05', '141300', 10],
  ['20000000', '100000000', '0.1', '1141300', 5],
]);
const ETH_TIERS = tiers([
  ['0', '25000', '0.005', '0', 50],
  ['25000', '250000', '0.01', '125', 25],
  ['250000', '1000000', '0.02', '2625', 20],
  ['1000000', '5000000', '0.05', '32625', 10],
  ['5000000', '50000000', '0.1', '282625', 5],
]);
const SOL_TIERS = tiers([
  ['0', '10000', '0.005', '0', 50],
  ['10000', '100000', '0.01', '50', 25],
  ['100000', '500000', '0.025', '1550', 10],
  ['500000', '2000000', '0.05', '14050', 5],
  ['2000000', '100000000', '0.1', '114050', 2],
]);
/** The smaller coins use SOL's mid-cap ladder: the same brackets and a 0.25 % liquidation fee. */
const ALT_TIERS = SOL_TIERS;
const ALT_LIQUIDATION_FEE = '0.0025';

function perpetual(
  base: string,
  tickSize: string,
  lotSize: string,
  maxLeverage: number,
  marginTiers: MarginTier[],
  liquidationFeeRate: string,
): Instrument {
  return {
    venue: PAPER_VENUE_ID,
    symbol: `${base}/USDT:USDT`,
    base,
    quote: 'USDT',
    settle: 'USDT',
    kind: 'linear_perpetual',
    tickSize,
    lotSize,
    minQuantity: lotSize,
    minNotional: '5',
    makerFee: '0.0002',
    takerFee: '0.0005',
    maxLeverage,
    defaultLeverage: 10,
    marginTiers,
    liquidationFeeRate,
  };
}

export const PAPER_INSTRUMENTS: readonly PaperInstrumentSpec[] = [
  {
    instrument: perpetual('BTC', '0.1', '0.001', 100, BTC_TIERS, '0.002'),
    market: {
      anchorPrice: 80_000,
      annualVolatility: 0.55,
      tradesPerSecond: 5,
      medianTradeQuantity: 0.02,
      bookLevelQuantity: 0.5,
      bookLevels: 30,
      bookSpan: 0.006,
      maxSpreadTicks: 3,
      maxQuantity: '1000',
    },
  },
  {
    instrument: perpetual('ETH', '0.01', '0.001', 50, ETH_TIERS, '0.0025'),
    market: {
      anchorPrice: 3_000,
      annualVolatility: 0.7,
      tradesPerSecond: 4,
      medianTradeQuantity: 0.4,
      bookLevelQuantity: 8,
      bookLevels: 30,
      bookSpan: 0.006,
      maxSpreadTicks: 3,
      maxQuantity: '10000',
    },
  },
  {
    instrument: perpetual('SOL', '0.01', '0.1', 50, SOL_TIERS, '0.0025'),
    market: {
      anchorPrice: 170,
      annualVolatility: 0.9,
      tradesPerSecond: 3,
      medianTradeQuantity: 8,
      bookLevelQuantity: 150,
      bookLevels: 30,
      bookSpan: 0.006,
      maxSpreadTicks: 2,
      maxQuantity: '500000',
    },
  },
  {
    instrument: perpetual('BNB', '0.01', '0.01', 50, ALT_TIERS, ALT_LIQUIDATION_FEE),
    market: {
      anchorPrice: 600,
      annualVolatility: 0.6,
      tradesPerSecond: 2,
      medianTradeQuantity: 0.5,
      bookLevelQuantity: 10,
      bookLevels: 30,
      bookSpan: 0.006,
      maxSpreadTicks: 3,
      maxQuantity: '20000',
    },
  },
  {
    instrument: perpetual('XRP', '0.0001', '0.1', 50, ALT_TIERS, ALT_LIQUIDATION_FEE),
    market: {
      anchorPrice: 2.2,
      annualVolatility: 0.85,
      tradesPerSecond: 3,
      medianTradeQuantity: 800,
      bookLevelQuantity: 15_000,
      bookLevels: 30,
      bookSpan: 0.006,
      maxSpreadTicks: 2,
      maxQuantity: '5000000',
    },
  },
  {
    instrument: perpetual('DOT', '0.001', '0.1', 50, ALT_TIERS, ALT_LIQUIDATION_FEE),
    market: {
      anchorPrice: 4.5,
      annualVolatility: 0.9,
      tradesPerSecond: 2,
      medianTradeQuantity: 200,
      bookLevelQuantity: 4_000,
      bookLevels: 30,
      bookSpan: 0.006,
      maxSpreadTicks: 2,
      maxQuantity: '2000000',
    },
  },
  {
    instrument: perpetual('ADA', '0.0001', '1', 50, ALT_TIERS, ALT_LIQUIDATION_FEE),
    market: {
      anchorPrice: 0.7,
      annualVolatility: 0.9,
      tradesPerSecond: 2,
      medianTradeQuantity: 2_000,
      bookLevelQuantity: 40_000,
      bookLevels: 30,
      bookSpan: 0.006,
      maxSpreadTicks: 2,
      maxQuantity: '10000000',
    },
  },
  {
    instrument: perpetual('AVAX', '0.001', '0.1', 50, ALT_TIERS, ALT_LIQUIDATION_FEE),
    market: {
      anchorPrice: 25,
      annualVolatility: 0.95,
      tradesPerSecond: 2,
      medianTradeQuantity: 40,
      bookLevelQuantity: 800,
      bookLevels: 30,
      bookSpan: 0.006,
      maxSpreadTicks: 3,
      maxQuantity: '500000',
    },
  },
  {
    instrument: perpetual('LINK', '0.001', '0.01', 50, ALT_TIERS, ALT_LIQUIDATION_FEE),
    market: {
      anchorPrice: 15,
      annualVolatility: 0.9,
      tradesPerSecond: 2,
      medianTradeQuantity: 60,
      bookLevelQuantity: 1_200,
      bookLevels: 30,
      bookSpan: 0.006,
      maxSpreadTicks: 3,
      maxQuantity: '500000',
    },
  },
  {
    instrument: perpetual('LTC', '0.01', '0.001', 50, ALT_TIERS, ALT_LIQUIDATION_FEE),
    market: {
      anchorPrice: 90,
      annualVolatility: 0.75,
      tradesPerSecond: 1.5,
      medianTradeQuantity: 5,
      bookLevelQuantity: 100,
      bookLevels: 30,
      bookSpan: 0.006,
      maxSpreadTicks: 2,
      maxQuantity: '100000',
    },
  },
];

const UNITS = 10n ** 18n;

function exactRatio(numerator: bigint, what: string): bigint {
  if (numerator % UNITS !== 0n) throw new RangeError(`${what} needs more than 18 decimals`);
  return numerator / UNITS;
}

/** Integer factors for one instrument, so hot paths multiply integers instead of parsing decimals. */
export interface InstrumentMath {
  readonly symbol: string;
  readonly tick: Step;
  readonly lot: Step;
  readonly minLots: number;
  readonly maxLots: number;
  /** Smallest ticks × lots an order may have (min notional in tick-lots, rounded up). */
  readonly minTickLots: number;
  /** Quote units (1e-18) of one tick × one lot: notional = ticks × lots × notionalK. */
  readonly notionalK: bigint;
  readonly makerFeeK: bigint;
  readonly takerFeeK: bigint;
  readonly takerFee: Dec;
  readonly currency: string;
}

export function instrumentMath(instrument: Instrument, maxQuantity: string): InstrumentMath {
  const tick = stepOf(instrument.tickSize);
  const lot = stepOf(instrument.lotSize);
  const notionalK = exactRatio(tick.units * lot.units, `${instrument.symbol} tick × lot`);
  const makerRate = Dec.parse(instrument.makerFee);
  const takerRate = Dec.parse(instrument.takerFee);
  const minNotional = Dec.parse(instrument.minNotional);
  const minLots = Math.max(1, toSteps(Dec.parse(instrument.minQuantity).ceilTo(Dec.parse(instrument.lotSize)).toString(), lot));
  const maxLots = toSteps(maxQuantity, lot);
  if (maxLots <= 0) throw new RangeError(`${instrument.symbol}: max quantity "${maxQuantity}" is not a whole number of lots`);
  return {
    symbol: instrument.symbol,
    tick,
    lot,
    minLots,
    maxLots,
    minTickLots: Number((minNotional.units + notionalK - 1n) / notionalK),
    notionalK,
    makerFeeK: exactRatio(notionalK * makerRate.units, `${instrument.symbol} maker fee`),
    takerFeeK: exactRatio(notionalK * takerRate.units, `${instrument.symbol} taker fee`),
    takerFee: takerRate,
    currency: instrument.settle,
  };
}
