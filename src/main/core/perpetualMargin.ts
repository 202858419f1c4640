/**
 * The margin arithmetic of linear perpetuals, shared by Keel's books (what a
 * position view shows) and the paper venue (when it liquidates), so the two
 * always agree on a liquidation price.
 *
 * Maintenance margin comes from the instrument's brackets, as exchanges
 * publish them: MM = notional × rate − amount for the bracket the notional
 * (at the mark) falls in. A position is liquidated when its margin balance
 * falls to its maintenance margin, i.e. when the margin ratio
 * MM / margin balance reaches 1:
 *
 * - isolated: the margin balance is the margin set aside for the position
 *   (entry notional / leverage, less the funding it paid) plus its
 *   unrealized PnL;
 * - cross: the account's cross wallet (cash less every isolated position's
 *   margin) plus the unrealized PnL of every cross position, against the
 *   maintenance margin of every cross position.
 *
 * With q the signed quantity, c the signed cost (q × entry) and W the
 * margin the position can draw on (its isolated margin; or the cross wallet
 * plus the other cross positions' unrealized PnL less their maintenance
 * margin), margin balance = W + q·P − c, and the liquidation price solves
 * W + q·P − c = |q|·P·rate − amount in the bracket that P's notional falls
 * in: P = (W + amount − c) / (|q|·rate − q).
 *
 * A liquidation closes the position at its bankruptcy price: the price at
 * which what is left of its margin pays exactly the liquidation fee,
 * W + q·P − c = |q|·P·fee, so P = (c − W) / (q − |q|·fee). The trader loses
 * the margin, never more; a gap past that price is the venue's loss.
 */
import { Dec } from '../../shared/decimal';
import type { Instrument, MarginMode } from '../../shared/domain';
import type { Ledger } from './ledger';

export interface Tier {
  floor: Dec;
  cap: Dec;
  rate: Dec;
  amount: Dec;
  maxLeverage: number;
}

/** What an instrument declares about its margin: brackets, the liquidation fee, and the tick liquidation prices are shown on. */
export interface PerpetualTerms {
  tiers: readonly Tier[];
  liquidationFeeRate: Dec;
  tick: Dec;
}

/** Margin ratios above this are shown as this: past 1 only "liquidated" matters. */
export const MARGIN_RATIO_CAP = Dec.parse('10');

const HUNDRED = Dec.parse('100');

/** An instrument's margin terms, or undefined when it declares no brackets (a spot instrument, or a venue that does not say). */
export function perpetualTerms(instrument: Instrument): PerpetualTerms | undefined {
  if (instrument.kind !== 'linear_perpetual' || !instrument.marginTiers || instrument.marginTiers.length === 0) return undefined;
  return {
    tiers: instrument.marginTiers.map((t) => ({
      floor: Dec.parse(t.notionalFloor),
      cap: Dec.parse(t.notionalCap),
      rate: Dec.parse(t.maintenanceRate),
      amount: Dec.parse(t.maintenanceAmount),
      maxLeverage: t.maxLeverage,
    })),
    liquidationFeeRate: Dec.parse(instrument.liquidationFeeRate ?? '0'),
    tick: Dec.parse(instrument.tickSize),
  };
}

const termsCache = new WeakMap<Instrument, PerpetualTerms | null>();

/** `perpetualTerms`, parsed once per instrument object (order checks ask on every order). */
export function cachedPerpetualTerms(instrument: Instrument): PerpetualTerms | undefined {
  let terms = termsCache.get(instrument);
  if (terms === undefined) {
    terms = perpetualTerms(instrument) ?? null;
    termsCache.set(instrument, terms);
  }
  return terms ?? undefined;
}

/**
 * Checks a bracket table the way exchanges build them: from 0, each bracket
 * starting where the previous one ends, rates rising, leverage falling, and
 * each amount making the maintenance margin continuous at the bracket's
 * floor; and a liquidation fee below the first rate, so the bankruptcy price
 * lies beyond the liquidation price. Throws a RangeError saying what is wrong.
 */
export function checkTerms(symbol: string, terms: Pick<PerpetualTerms, 'tiers' | 'liquidationFeeRate'>): void {
  const { tiers, liquidationFeeRate } = terms;
  if (tiers.length === 0) throw new RangeError(`${symbol}: a margin table needs at least one bracket`);
  if (liquidationFeeRate.isNegative() || !liquidationFeeRate.lt(tiers[0]!.rate)) {
    throw new RangeError(`${symbol}: the liquidation fee must be below the first bracket's maintenance rate`);
  }
  tiers.forEach((tier, i) => {
    const where = `${symbol} margin bracket ${i + 1}`;
    if (!tier.cap.gt(tier.floor)) throw new RangeError(`${where}: the cap must be above the floor`);
    if (!tier.rate.isPositive() || !tier.rate.lt(Dec.ONE)) throw new RangeError(`${where}: the maintenance rate must be between 0 and 1`);
    const previous = tiers[i - 1];
    if (!previous) {
      if (!tier.floor.isZero() || !tier.amount.isZero()) throw new RangeError(`${where}: the first bracket starts at 0 with no amount`);
      return;
    }
    if (!tier.floor.eq(previous.cap)) throw new RangeError(`${where}: starts at ${tier.floor.toString()}, the previous one ends at ${previous.cap.toString()}`);
    if (!tier.rate.gt(previous.rate)) throw new RangeError(`${where}: the maintenance rate must rise`);
    if (tier.maxLeverage > previous.maxLeverage) throw new RangeError(`${where}: the maximum leverage must not rise`);
    const continuous = previous.amount.add(tier.floor.mul(tier.rate.sub(previous.rate)));
    if (!tier.amount.eq(continuous)) throw new RangeError(`${where}: the amount must be ${continuous.toString()} to keep the maintenance margin continuous`);
  });
}

/** The bracket a notional falls in; beyond the last cap, the last bracket. */
export function tierFor(tiers: readonly Tier[], notional: Dec): Tier {
  for (const tier of tiers) if (notional.lt(tier.cap)) return tier;
  return tiers[tiers.length - 1]!;
}

export function maintenanceMargin(tiers: readonly Tier[], notional: Dec): Dec {
  const tier = tierFor(tiers, notional);
  return notional.mul(tier.rate).sub(tier.amount);
}

/**
 * The mark at which a position of signed quantity `quantity` and signed cost
 * `cost` that can draw on `wallet` is liquidated; null when no positive
 * price does it (a long backed by more than its notional).
 */
export function liquidationPrice(tiers: readonly Tier[], quantity: Dec, cost: Dec, wallet: Dec): Dec | null {
  const size = quantity.abs();
  for (let i = 0; i < tiers.length; i++) {
    const tier = tiers[i]!;
    const denominator = size.mul(tier.rate).sub(quantity);
    if (denominator.isZero()) continue;
    const price = wallet.add(tier.amount).sub(cost).div(denominator);
    if (!price.isPositive()) continue;
    // The solution that lands in its own bracket is the one: the maintenance margin is continuous, so there is one.
    const notional = size.mul(price);
    if (notional.gte(tier.floor) && (i === tiers.length - 1 || notional.lt(tier.cap))) return price;
  }
  return null;
}

/** The price at which `wallet` plus the position's PnL pays exactly the liquidation fee; null when no positive price does. */
export function bankruptcyPrice(quantity: Dec, cost: Dec, wallet: Dec, feeRate: Dec): Dec | null {
  const denominator = quantity.sub(quantity.abs().mul(feeRate));
  if (denominator.isZero()) return null;
  const price = cost.sub(wallet).div(denominator);
  return price.isPositive() ? price : null;
}

/** A bankruptcy or liquidation price on the tick, rounded in the trader's favour for a fill (a long sells higher, a short buys lower). */
export function onTick(price: Dec, tick: Dec, side: 'long' | 'short'): Dec {
  const rounded = side === 'long' ? price.ceilTo(tick) : price.floorTo(tick);
  return rounded.isPositive() ? rounded : tick;
}

/** MM / margin balance, capped; a balance at or below zero is past liquidation. */
export function marginRatio(maintenance: Dec, balance: Dec): Dec {
  if (!balance.isPositive()) return MARGIN_RATIO_CAP;
  const ratio = maintenance.div(balance);
  return ratio.gt(MARGIN_RATIO_CAP) ? MARGIN_RATIO_CAP : ratio;
}

export interface PositionRisk {
  symbol: string;
  mode: MarginMode;
  /** Signed quantity (positive long). */
  quantity: Dec;
  cost: Dec;
  notional: Dec;
  unrealizedPnl: Dec;
  /** Entry notional / leverage: what ROE is measured against. */
  initialMargin: Dec;
  /** Isolated positions: the margin set aside for it (initial margin less the funding it paid). */
  isolatedMargin: Dec | null;
  /** Null when the instrument declares no brackets. */
  maintenanceMargin: Dec | null;
  /** The position's (isolated) or the cross account's (cross) maintenance margin / margin balance; null without brackets. */
  marginRatio: Dec | null;
  /** Exact; `onTick` puts it on the instrument's tick. Null without brackets, or when no price liquidates it. */
  liquidationPrice: Dec | null;
  /** What the position's close at bankruptcy can draw on (see `bankruptcyPrice`). */
  bankruptcyWallet: Dec;
  roePercent: Dec;
  terms: PerpetualTerms | undefined;
}

export interface AccountRisk {
  positions: PositionRisk[];
  /** Cash less the margin set aside for isolated positions. */
  crossWallet: Dec;
  crossMaintenance: Dec;
  crossMarginBalance: Dec;
  /** Null when no cross position has brackets. */
  crossRatio: Dec | null;
}

/** Every open position's margin figures at the marks, and the cross account's. */
export function assessAccount(
  ledger: Ledger,
  markOf: (symbol: string) => Dec,
  termsOf: (symbol: string) => PerpetualTerms | undefined,
): AccountRisk {
  const rows = ledger.positions().map((p) => {
    const mark = markOf(p.symbol);
    const terms = termsOf(p.symbol);
    const notional = p.quantity.abs().mul(mark);
    const initialMargin = p.cost.abs().div(Dec.fromBigInt(BigInt(p.leverage)));
    const mode = ledger.marginMode(p.symbol);
    return {
      p,
      mode,
      terms,
      notional,
      unrealizedPnl: p.quantity.mul(mark).sub(p.cost),
      initialMargin,
      isolatedMargin: mode === 'isolated' ? initialMargin.add(p.funding) : null,
      maintenance: terms ? maintenanceMargin(terms.tiers, notional) : null,
    };
  });
  const crossRows = rows.filter((r) => r.mode === 'cross');
  const crossWallet = ledger.balance.sub(Dec.sum(rows.map((r) => r.isolatedMargin ?? Dec.ZERO)));
  const crossPnl = Dec.sum(crossRows.map((r) => r.unrealizedPnl));
  const crossMaintenance = Dec.sum(crossRows.map((r) => r.maintenance ?? Dec.ZERO));
  const crossMarginBalance = crossWallet.add(crossPnl);
  const crossRatio = crossRows.some((r) => r.maintenance) ? marginRatio(crossMaintenance, crossMarginBalance) : null;

  const positions = rows.map((r): PositionRisk => {
    const { p, terms, maintenance } = r;
    let wallet: Dec;
    let bankruptcyWallet: Dec;
    let ratio: Dec | null;
    if (r.isolatedMargin) {
      wallet = r.isolatedMargin;
      bankruptcyWallet = r.isolatedMargin;
      ratio = maintenance ? marginRatio(maintenance, r.isolatedMargin.add(r.unrealizedPnl)) : null;
    } else {
      // The others stay at their marks: what they gain or lose, and the maintenance they need, is the room this one has.
      const othersPnl = crossPnl.sub(r.unrealizedPnl);
      bankruptcyWallet = crossWallet.add(othersPnl);
      wallet = bankruptcyWallet.sub(crossMaintenance.sub(maintenance ?? Dec.ZERO));
      ratio = maintenance ? crossRatio : null;
    }
    return {
      symbol: p.symbol,
      mode: r.mode,
      quantity: p.quantity,
      cost: p.cost,
      notional: r.notional,
      unrealizedPnl: r.unrealizedPnl,
      initialMargin: r.initialMargin,
      isolatedMargin: r.isolatedMargin,
      maintenanceMargin: maintenance,
      marginRatio: ratio,
      liquidationPrice: terms ? liquidationPrice(terms.tiers, p.quantity, p.cost, wallet) : null,
      bankruptcyWallet,
      roePercent: r.initialMargin.isPositive() ? r.unrealizedPnl.mul(HUNDRED).div(r.initialMargin) : Dec.ZERO,
      terms,
    };
  });
  return { positions, crossWallet, crossMaintenance, crossMarginBalance, crossRatio };
}

/**
 * The positions a venue liquidates now, most urgent first: every isolated
 * position whose ratio reached 1, and, when the cross ratio reached 1, the
 * cross position needing the most maintenance margin (the caller closes it
 * and assesses again, since closing one changes the others' room).
 */
export function dueForLiquidation(risk: AccountRisk): PositionRisk[] {
  const due = risk.positions.filter((r) => r.mode === 'isolated' && r.marginRatio !== null && r.marginRatio.gte(Dec.ONE));
  if (risk.crossRatio !== null && risk.crossRatio.gte(Dec.ONE)) {
    const cross = risk.positions.filter((r) => r.mode === 'cross' && r.maintenanceMargin !== null);
    cross.sort((a, b) => b.maintenanceMargin!.cmp(a.maintenanceMargin!) || a.symbol.localeCompare(b.symbol));
    if (cross[0]) due.push(cross[0]);
  }
  return due;
}

/** Where a liquidation closes `position`: its bankruptcy price on the tick, in the trader's favour. */
export function liquidationFillPrice(position: PositionRisk): Dec {
  const terms = position.terms;
  if (!terms) throw new Error(`${position.symbol} has no margin terms to liquidate by`);
  const side = position.quantity.isPositive() ? 'long' : 'short';
  const exact = bankruptcyPrice(position.quantity, position.cost, position.bankruptcyWallet, terms.liquidationFeeRate);
  // A long with no positive bankruptcy price is closed at the smallest price there is.
  return onTick(exact ?? Dec.ZERO, terms.tick, side);
}

export type LeverageProblem =
  | { kind: 'above_bracket'; maxLeverage: number; notional: Dec }
  | { kind: 'would_liquidate'; marginRatio: Dec }
  | { kind: 'insufficient_margin'; available: Dec };

/**
 * Whether `symbol`'s leverage may go from `from` to `to` with the books as
 * they are after the change (`after`: the same ledger with the new leverage,
 * the margin available then, and whether the symbol has open orders).
 * Flat symbols without orders may take any leverage the instrument allows.
 * With a position open: raising it must stay within the bracket of its
 * notional and, when isolated, must not bring the position to liquidation
 * (the margin set aside shrinks). Lowering it needs the margin it adds (to
 * the position and to its resting orders) to be available.
 */
export function leverageChangeProblem(
  symbol: string,
  from: number,
  to: number,
  after: { risk: AccountRisk; available: Dec; hasOpenOrders?: boolean },
): LeverageProblem | null {
  if (to === from) return null;
  const position = after.risk.positions.find((p) => p.symbol === symbol);
  if (!position) return to < from && after.hasOpenOrders && after.available.isNegative() ? { kind: 'insufficient_margin', available: after.available } : null;
  if (to > from) {
    if (position.terms) {
      const tier = tierFor(position.terms.tiers, position.notional);
      if (to > tier.maxLeverage) return { kind: 'above_bracket', maxLeverage: tier.maxLeverage, notional: position.notional };
    }
    if (position.mode === 'isolated' && position.marginRatio !== null && position.marginRatio.gte(Dec.ONE)) {
      return { kind: 'would_liquidate', marginRatio: position.marginRatio };
    }
    return null;
  }
  return after.available.isNegative() ? { kind: 'insufficient_margin', available: after.available } : null;
}

/** What a leverage refusal says to the trader; the venue and Keel's own check say the same. */
export function leverageProblemText(symbol: string, leverage: number, problem: LeverageProblem, currency: string): string {
  switch (problem.kind) {
    case 'above_bracket':
      return `${symbol}: a position of ${problem.notional.toFixed(2)} ${currency} notional allows at most ${problem.maxLeverage}x leverage.`;
    case 'would_liquidate':
      return `${symbol}: at ${leverage}x the margin set aside would no longer cover the maintenance margin (margin ratio ${problem.marginRatio.mul(HUNDRED).toFixed(1)} %), and the position would be liquidated.`;
    case 'insufficient_margin':
      return `${symbol}: lowering the leverage to ${leverage}x needs ${problem.available.neg().toFixed(2)} ${currency} more margin than is available.`;
  }
}

/**
 * Why a position of `notional` is too large for `leverage`: the bracket it
 * would fall in (and the leverage that bracket allows), and the largest
 * notional the leverage allows, which is the cap of the last bracket that
 * still takes it (zero when none does).
 */
export interface BracketLimitProblem {
  leverage: number;
  notional: Dec;
  maxNotional: Dec;
  bracket: Tier;
}

/**
 * The position limit exchanges put on leverage: a position may grow at
 * `leverage` only while its notional stays within a bracket that allows that
 * leverage (Binance's "exceeded the maximum allowable position at current
 * leverage"). Null when `notional` is within it.
 */
export function bracketLimitProblem(tiers: readonly Tier[], leverage: number, notional: Dec): BracketLimitProblem | null {
  let maxNotional = Dec.ZERO;
  for (const tier of tiers) if (tier.maxLeverage >= leverage) maxNotional = tier.cap;
  if (notional.lte(maxNotional)) return null;
  return { leverage, notional, maxNotional, bracket: tierFor(tiers, notional) };
}

/** What a bracket-limit refusal says to the trader; Keel's own check and the paper venue say the same. */
export function bracketLimitText(symbol: string, problem: BracketLimitProblem, currency: string): string {
  const { bracket } = problem;
  const range = `${bracket.floor.toFixed(0)}–${bracket.cap.toFixed(0)} ${currency}`;
  return (
    `${symbol}: the position would be ${problem.notional.toFixed(2)} ${currency} notional, in the margin bracket ${range}, which allows at most ${bracket.maxLeverage}x; ` +
    `at ${problem.leverage}x the position may be at most ${problem.maxNotional.toFixed(2)} ${currency} notional. Lower the leverage or the quantity.`
  );
}

/**
 * A margin ratio (maintenance margin / margin balance, 1 at liquidation) at
 * `mark` for a position whose venue states its liquidation price and its
 * maintenance margin but not the brackets behind them (a real exchange).
 * The margin balance is linear in the price and equals the maintenance
 * margin at the liquidation price, so balance(P) = MM(L) + q·(P − L); the
 * maintenance margin is taken at the venue's effective rate
 * (`maintenanceRate` = MM / notional where the venue valued it), so the
 * ratio follows Keel's marks between the venue's reports and is exactly 1
 * at the liquidation price. Capped like `marginRatio`.
 */
export function marginRatioFromLiquidation(quantity: Dec, mark: Dec, liquidation: Dec, maintenanceRate: Dec): Dec {
  const size = quantity.abs();
  const maintenance = size.mul(mark).mul(maintenanceRate);
  const balance = size.mul(liquidation).mul(maintenanceRate).add(quantity.mul(mark.sub(liquidation)));
  return marginRatio(maintenance, balance);
}
