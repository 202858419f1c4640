/**
 * The margin figures the fake exchanges state for a cross position, by the
 * one model they all use: maintenance margin = notional × the bracket's
 * rate, and the position is liquidated when the account's margin balance
 * (wallet plus every position's unrealized PnL) falls to the sum of the
 * maintenance margins. With the other positions held at their marks, the
 * price P at which that happens for one position of signed quantity q and
 * entry E, drawing on W (the wallet plus the others' PnL less their
 * maintenance margin), solves W + q·(P − E) = |q|·P·rate.
 */
import { abs, div, mul, ZERO, type Dec } from './decimal';

/** The liquidation price; zero (the exchanges' "none") when no positive price liquidates the position. */
export function crossLiquidationPrice(qty: Dec, entry: Dec, wallet: Dec, rate: Dec): Dec {
  const denominator = qty - mul(abs(qty), rate);
  if (denominator === ZERO) return ZERO;
  const price = div(mul(qty, entry) - wallet, denominator);
  return price > ZERO ? price : ZERO;
}

/**
 * A funding payment as the exchanges settle it: −quantity × mark × rate
 * (positive rate: longs pay), cut to `places` decimals toward zero.
 */
export function fundingAmount(qty: Dec, mark: Dec, rate: Dec, places: number): Dec {
  const exact = -mul(mul(qty, mark), rate);
  const unit = 10n ** BigInt(18 - places);
  return (exact / unit) * unit;
}
