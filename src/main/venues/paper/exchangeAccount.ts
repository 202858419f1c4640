/**
 * The account behind the paper exchange, whichever kind it is: a margin
 * account for linear perpetuals (`MarginAccount`) or a cash account for spot
 * instruments (`CashAccount`). The exchange core, the order rules and the
 * fill models talk to this interface only; the kind is chosen from the
 * instruments' `kind` (see `accountKindOf`).
 */
import type { Dec } from '../../../shared/decimal';
import type { Balance, Instrument, OrderSide } from '../../../shared/domain';
import type { LedgerSnapshot } from '../../core/ledger';
import type { VenuePositionReport } from '../../engine/ports/venue';

/** What an order holds on the account while it waits (margin, or cash and holdings). */
export interface Reservable {
  readonly symbol: string;
  readonly side: OrderSide;
  readonly remainingLots: number;
  reservedLots: number;
  reservedTicks: number;
}

/** Marks in both forms: exact for the books, float for fast estimates. */
export interface MarkSource {
  exact(symbol: string): Dec;
  approx(symbol: string): number;
}

/** The answer to "can the account back this new order?", with a reason a trader can read when not. */
export type FundsCheck = { ok: true } | { ok: false; reason: string };

/**
 * The account at current marks. For a cash account: balance is the cash,
 * equity the cash plus the holdings at the mark, position margin zero and
 * order margin the cash held by open buys.
 */
export interface AccountFigures {
  balance: Dec;
  equity: Dec;
  unrealizedPnl: Dec;
  positionMargin: Dec;
  orderMargin: Dec;
  available: Dec;
}

export type AccountKind = 'margin' | 'cash';

export interface ExchangeAccount {
  readonly kind: AccountKind;
  readonly currency: string;
  /** Signed position in lots (positive long). */
  positionLots(symbol: string): number;
  /** Lots an order on `side` can reduce: the opposite position's size, else 0. */
  reducibleLots(symbol: string, side: OrderSide): number;
  leverage(symbol: string): number;
  /** Throws a RangeError for a leverage the account cannot take. */
  setLeverage(symbol: string, leverage: number): void;
  /** Whether the account can back a new order of `lots` at `ticks` (reduce-only orders are not asked). */
  checkFunds(symbol: string, side: OrderSide, lots: number, ticks: number): FundsCheck;
  /** Holds what `order`'s remaining quantity needs at `ticks`; replaces what it held before. */
  reserve(order: Reservable, ticks: number): void;
  release(order: Reservable): void;
  /**
   * Lots of `order` the account can settle in a fill at `ticks` whose fee
   * per tick × lot is `feeK` (what it holds for the order counts as its
   * own): all of them for a margin account; for a cash account what the
   * holdings cover (sells) or the cash pays for (buys; all of them when no
   * price is given, the fill is then bounded once its price is known).
   */
  fillableLots(order: Reservable, ticks?: number, feeK?: bigint): number;
  /** True when what a fill may take depends on its price (cash buys): takers then fill level by level. */
  pricedFills(side: OrderSide): boolean;
  /** Applies a fill at exact prices and fees. */
  applyFill(symbol: string, side: OrderSide, lots: number, ticks: number, fee: Dec, timestamp: number): void;
  /** Marks moved: anything valued at them must be recomputed. */
  marksChanged(): void;
  figures(): AccountFigures;
  /** Clears positions and sets a new balance (open orders must have been released first); leverage settings stay. */
  reset(balance: Dec): void;
  snapshot(): LedgerSnapshot;
  restore(snapshot: LedgerSnapshot): void;
  positionReports(): VenuePositionReport[];
  balanceReports(): Balance[];
}

/** The account kind a set of instruments needs: one kind per exchange, so one account backs every instrument. */
export function accountKindOf(instruments: readonly Instrument[]): AccountKind {
  const kinds = new Set(instruments.map((i) => i.kind));
  if (kinds.size > 1) {
    throw new RangeError('A paper exchange lists either spot instruments (a cash account) or linear perpetuals (a margin account), not both');
  }
  return kinds.has('spot') ? 'cash' : 'margin';
}
