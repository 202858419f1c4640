/**
 * Order sizes from a rule: pure arithmetic on floats (sizing is a decision,
 * not bookkeeping), rounded down to the instrument's lot so an order never
 * asks for more than the rule allows. The ledger stays exact: the rounded
 * size becomes an exact decimal at the lot.
 */
import type { OrderSide } from '../../../shared/domain';

/** What the sizing rules read from the account and the market at the moment of sizing. */
export interface SizingInputs {
  side: OrderSide;
  /** Margin free for new positions. */
  available: number;
  equity: number;
  leverage: number;
  /** Current price (the last trade). */
  price: number;
  /** Price a market order on `side` is expected to fill at, before any entry spread. */
  touch: number;
  /** Rate added to the touch on entries (a backtest's spread; 0 live, where the touch already carries it). */
  entrySpread: number;
  /** Taker fee rate. */
  feeRate: number;
  /** Lot size (the smallest quantity step). */
  lot: number;
  /**
   * Share of the margin all-in sizing leaves unspent for what the estimate
   * cannot know (a market order walking the book, the price moving before
   * it arrives): a venue's, e.g. 0.005. 0 in backtests, whose fills are known.
   */
  reserve: number;
}

/**
 * All-in sizing leaves this sliver unspent, so that rounding in the cost
 * estimate never asks for a hair more than the margin pays for (the
 * reference backtester's own rule: sizes are computed with 1 − 2.2e-16).
 */
export const ALL_IN_FRACTION = 1 - 2.2e-16;

/** Rounds down to whole lots; never negative. Guards against float dust just below a whole lot (0.30000000000000004 / 0.1). */
export function floorToLot(quantity: number, lot: number): number {
  if (!(quantity > 0) || !(lot > 0) || !Number.isFinite(quantity)) return 0;
  const lots = Math.floor(quantity / lot + 1e-9);
  return lots * lot;
}

/** The price an entry on `side` pays, per unit, with the entry spread. */
export function entryPrice(inputs: SizingInputs): number {
  return inputs.side === 'buy' ? inputs.touch * (1 + inputs.entrySpread) : inputs.touch * (1 - inputs.entrySpread);
}

/**
 * Everything the available margin buys, in whole lots: available ×
 * (1 − reserve) × (1 − 2.2e-16) ÷ (entry price ÷ leverage + fee per unit).
 * The fee is charged on the whole value, not on the margin, as venues (and
 * Keel's own margin check) charge it; at leverage 1 this is exactly the
 * reference backtester's all-in rule, with the fee on the price before the
 * spread. Live, the fee is counted on the touch when it is the higher price.
 */
export function allInQuantity(inputs: SizingInputs, share = 1): number {
  const feeBase = Math.max(inputs.price, inputs.touch);
  const perUnit = entryPrice(inputs) / inputs.leverage + feeBase * inputs.feeRate;
  if (!(perUnit > 0) || !(inputs.available > 0)) return 0;
  const whole = inputs.reserve > 0 ? inputs.available * (1 - inputs.reserve) : inputs.available;
  // A share of all-in spends that share of the budget; the whole of it is left untouched, to the last bit (the reference runs size so).
  const budget = share === 1 ? whole : whole * share;
  const lots = floorDivide(budget * ALL_IN_FRACTION, perUnit * inputs.lot);
  return lots > 0 ? lots * inputs.lot : 0;
}

/**
 * ⌊a ÷ b⌋ for positive floats, computed as Python's `a // b` is (from the
 * remainder, not by rounding the quotient): where a ÷ b rounds up to a
 * whole number, this still answers the one below, as the reference does.
 */
export function floorDivide(a: number, b: number): number {
  const remainder = a % b;
  const quotient = (a - remainder) / b;
  let floor = Math.floor(quotient);
  if (quotient - floor > 0.5) floor += 1;
  return floor;
}

export function valueQuantity(quoteValue: number, inputs: SizingInputs): number {
  const price = entryPrice(inputs);
  return price > 0 ? floorToLot(quoteValue / price, inputs.lot) : 0;
}

export function equityFractionQuantity(fraction: number, inputs: SizingInputs): number {
  if (!(fraction > 0)) return 0;
  return valueQuantity(inputs.equity * inputs.leverage * fraction, inputs);
}

/** Loses `riskFraction` of equity if the price moves `stopDistance` against the position. */
export function riskQuantity(riskFraction: number, stopDistance: number, inputs: Pick<SizingInputs, 'equity' | 'lot'>): number {
  if (!(riskFraction > 0) || !(stopDistance > 0)) return 0;
  return floorToLot((inputs.equity * riskFraction) / stopDistance, inputs.lot);
}
