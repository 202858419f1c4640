/**
 * An exact margin-account ledger for linear (quote-settled) instruments.
 *
 * It is the one piece of accounting used both by Keel's own books and by the
 * paper venue's account, so the two can be reconciled against each other.
 *
 * Each position keeps a signed quantity and a signed cost basis (Σ qty × price
 * of what is still open) rather than an averaged entry price. Increasing a
 * position is exact; reducing it removes a proportional share of the cost,
 * which may round at the 18th decimal, but that rounding only moves value
 * between realized and unrealized PnL: balance + unrealized PnL always equals
 * initial balance − fees + funding + Σ signedQty × (mark − price) over all
 * fills, exactly.
 *
 * Funding payments on perpetuals are their own entries: they move the cash
 * and are kept apart from trading PnL, per position and for the account. The
 * ledger also keeps each symbol's margin mode (cross or isolated) beside its
 * leverage; what a mode means for margin is `perpetualMargin`'s business.
 */
import { Dec } from '../../shared/decimal';
import type { MarginMode, OrderSide } from '../../shared/domain';

export interface LedgerFill {
  symbol: string;
  side: OrderSide;
  quantity: Dec;
  price: Dec;
  fee: Dec;
}

export interface PositionState {
  symbol: string;
  /** Signed: positive long, negative short. */
  quantity: Dec;
  /** Signed cost of the open quantity: Σ signedQty × price. */
  cost: Dec;
  realizedPnl: Dec;
  feesPaid: Dec;
  /** Funding received (positive) or paid (negative) since the position opened. */
  funding: Dec;
  leverage: number;
  updatedAt: number;
}

export interface LedgerSnapshot {
  currency: string;
  balance: string;
  realizedPnl: string;
  feesPaid: string;
  /** Funding received (positive) or paid since the account started; absent in snapshots written before funding existed. */
  funding?: string;
  /** Leverage chosen per symbol, including symbols with no open position. */
  leverage: Record<string, number>;
  /** Margin mode chosen per symbol; a symbol not listed is cross. */
  marginModes?: Record<string, MarginMode>;
  positions: Array<{
    symbol: string;
    quantity: string;
    cost: string;
    realizedPnl: string;
    feesPaid: string;
    funding?: string;
    leverage: number;
    updatedAt: number;
  }>;
}

/**
 * Realized PnL as the contract shows it: net of fees and with funding (what a
 * trader keeps), with the gross, the fees and the funding beside it.
 */
export function realizedFigures(booked: { realizedPnl: Dec; feesPaid: Dec; funding: Dec }): {
  realizedPnl: string;
  realizedPnlGross: string;
  feesPaid: string;
  funding: string;
} {
  return {
    realizedPnl: booked.realizedPnl.sub(booked.feesPaid).add(booked.funding).toString(),
    realizedPnlGross: booked.realizedPnl.toString(),
    feesPaid: booked.feesPaid.toString(),
    funding: booked.funding.toString(),
  };
}

/** What `Ledger.checkpoint` keeps: the books' values, in memory only. */
export interface LedgerCheckpoint {
  readonly cash: Dec;
  readonly totalRealized: Dec;
  readonly totalFees: Dec;
  readonly totalFunding: Dec;
  readonly positions: readonly PositionState[];
  readonly leverage: ReadonlyMap<string, number>;
  readonly marginModes: ReadonlyMap<string, MarginMode>;
}

export class Ledger {
  readonly currency: string;
  private cash: Dec;
  private totalRealized = Dec.ZERO;
  private totalFees = Dec.ZERO;
  private totalFunding = Dec.ZERO;
  private readonly book = new Map<string, PositionState>();
  /*
   * Replaced, never changed in place (they change rarely, by the trader), so a
   * checkpoint taken on every fill keeps them as they are instead of copying.
   */
  private leverageBySymbol: ReadonlyMap<string, number> = new Map<string, number>();
  private marginModeBySymbol: ReadonlyMap<string, MarginMode> = new Map<string, MarginMode>();
  private readonly defaultLeverage: number;

  constructor(currency: string, initialBalance: Dec, defaultLeverage = 10) {
    this.currency = currency;
    this.cash = initialBalance;
    this.defaultLeverage = defaultLeverage;
  }

  /** Cash: initial balance + realized PnL − fees + funding. */
  get balance(): Dec {
    return this.cash;
  }

  get realizedPnl(): Dec {
    return this.totalRealized;
  }

  get feesPaid(): Dec {
    return this.totalFees;
  }

  /** Funding received (positive) or paid since the account started. */
  get funding(): Dec {
    return this.totalFunding;
  }

  marginMode(symbol: string): MarginMode {
    return this.marginModeBySymbol.get(symbol) ?? 'cross';
  }

  /** Whoever calls this has checked the symbol is flat: a mode is chosen before a position opens, as exchanges require. */
  setMarginMode(symbol: string, mode: MarginMode): void {
    const modes = new Map(this.marginModeBySymbol);
    if (mode === 'cross') modes.delete(symbol);
    else modes.set(symbol, mode);
    this.marginModeBySymbol = modes;
  }

  /** Margin mode per symbol that is not cross. */
  marginModes(): Record<string, MarginMode> {
    return Object.fromEntries(this.marginModeBySymbol);
  }

  /**
   * Books one funding payment: `amount` received (positive) or paid
   * (negative) on the position in `symbol`. It moves the cash and the
   * account's funding; an open position keeps it as its own, a flat symbol
   * (the position closed before the payment was booked) leaves it to the
   * account alone.
   */
  applyFunding(symbol: string, amount: Dec, timestamp = 0): void {
    const position = this.book.get(symbol);
    if (position && !position.quantity.isZero()) {
      position.funding = position.funding.add(amount);
      position.updatedAt = timestamp;
    }
    this.totalFunding = this.totalFunding.add(amount);
    this.cash = this.cash.add(amount);
  }

  leverage(symbol: string): number {
    return this.leverageBySymbol.get(symbol) ?? this.defaultLeverage;
  }

  setLeverage(symbol: string, leverage: number): void {
    if (!Number.isInteger(leverage) || leverage < 1) throw new RangeError(`Leverage must be a whole number ≥ 1, got ${leverage}`);
    this.leverageBySymbol = new Map(this.leverageBySymbol).set(symbol, leverage);
    const position = this.book.get(symbol);
    if (position) position.leverage = leverage;
  }

  position(symbol: string): PositionState | undefined {
    return this.book.get(symbol);
  }

  /** Signed open quantity, zero when flat. */
  netQuantity(symbol: string): Dec {
    return this.book.get(symbol)?.quantity ?? Dec.ZERO;
  }

  /** Open positions (non-zero quantity). */
  positions(): PositionState[] {
    return [...this.book.values()].filter((p) => !p.quantity.isZero());
  }

  /**
   * Applies one fill and returns the PnL it realized (before fees). A
   * position's realized PnL and fees are its own: a position opened from flat,
   * or by a fill that flips the side, starts from zero; the flipping fill's
   * realized PnL and fee belong to the position it closed.
   */
  applyFill(fill: LedgerFill, timestamp = 0): Dec {
    if (!fill.quantity.isPositive()) throw new RangeError('Fill quantity must be positive');
    if (!fill.price.isPositive()) throw new RangeError('Fill price must be positive');
    const signed = fill.side === 'buy' ? fill.quantity : fill.quantity.neg();
    const held = this.book.get(fill.symbol);
    let position = held && !held.quantity.isZero() ? held : this.newPosition(fill.symbol);
    let realized = Dec.ZERO;
    let remaining = signed;
    let feeBooked = false;

    const reducing = !position.quantity.isZero() && position.quantity.sign() !== signed.sign();
    if (reducing) {
      const closeQuantity = signed.abs().lt(position.quantity.abs()) ? signed.neg() : position.quantity;
      // closeQuantity has the position's sign; the cost it releases is proportional.
      const releasedCost = closeQuantity.eq(position.quantity)
        ? position.cost
        : position.cost.mul(closeQuantity).div(position.quantity);
      realized = closeQuantity.mul(fill.price).sub(releasedCost);
      position.quantity = position.quantity.sub(closeQuantity);
      position.cost = position.cost.sub(releasedCost);
      position.realizedPnl = position.realizedPnl.add(realized);
      position.feesPaid = position.feesPaid.add(fill.fee);
      position.updatedAt = timestamp;
      feeBooked = true;
      remaining = signed.add(closeQuantity);
      if (position.quantity.isZero()) position.cost = Dec.ZERO;
      if (!remaining.isZero()) position = this.newPosition(fill.symbol);
    }
    if (!remaining.isZero()) {
      position.quantity = position.quantity.add(remaining);
      position.cost = position.cost.add(remaining.mul(fill.price));
      if (!feeBooked) position.feesPaid = position.feesPaid.add(fill.fee);
      position.updatedAt = timestamp;
    }

    this.totalRealized = this.totalRealized.add(realized);
    this.totalFees = this.totalFees.add(fill.fee);
    this.cash = this.cash.add(realized).sub(fill.fee);
    this.book.set(fill.symbol, position);
    return realized;
  }

  /** Average entry price of an open position (rounded at the 18th decimal). */
  entryPrice(symbol: string): Dec {
    const position = this.book.get(symbol);
    if (!position || position.quantity.isZero()) return Dec.ZERO;
    return position.cost.div(position.quantity);
  }

  unrealizedPnl(symbol: string, mark: Dec): Dec {
    const position = this.book.get(symbol);
    if (!position || position.quantity.isZero()) return Dec.ZERO;
    return position.quantity.mul(mark).sub(position.cost);
  }

  /** Initial margin a position ties up at the mark: |qty| × mark / leverage. */
  positionMargin(symbol: string, mark: Dec): Dec {
    const position = this.book.get(symbol);
    if (!position || position.quantity.isZero()) return Dec.ZERO;
    return position.quantity.abs().mul(mark).div(Dec.fromBigInt(BigInt(position.leverage)));
  }

  // The totals walk the book in place (no list of positions, no second lookup per symbol): the pre-trade margin check runs them on every order.

  totalUnrealizedPnl(markOf: (symbol: string) => Dec): Dec {
    let total = Dec.ZERO;
    for (const position of this.book.values()) {
      if (!position.quantity.isZero()) total = total.add(position.quantity.mul(markOf(position.symbol)).sub(position.cost));
    }
    return total;
  }

  totalPositionMargin(markOf: (symbol: string) => Dec): Dec {
    let total = Dec.ZERO;
    for (const position of this.book.values()) {
      if (!position.quantity.isZero()) total = total.add(position.quantity.abs().mul(markOf(position.symbol)).div(Dec.fromBigInt(BigInt(position.leverage))));
    }
    return total;
  }

  equity(markOf: (symbol: string) => Dec): Dec {
    return this.cash.add(this.totalUnrealizedPnl(markOf));
  }

  /**
   * Sets a position to what a venue reports (a reconciliation the trader
   * resolved, or a position adopted from the venue): the quantity at the
   * venue's entry price, with no realized PnL and no fee. The position's
   * earlier realized PnL and fees stay booked.
   */
  setPosition(symbol: string, quantity: Dec, entryPrice: Dec, timestamp: number): void {
    if (!quantity.isZero() && !entryPrice.isPositive()) throw new RangeError('An open position needs a positive entry price');
    const held = this.book.get(symbol) ?? this.newPosition(symbol);
    held.quantity = quantity;
    held.cost = quantity.isZero() ? Dec.ZERO : quantity.mul(entryPrice);
    held.updatedAt = timestamp;
    this.book.set(symbol, held);
  }

  /** Sets the balance to what a venue reports (the trader accepted the venue's figure); realized PnL, fees and funding stay as booked. */
  setBalance(balance: Dec): void {
    this.cash = balance;
  }

  /** Clears every position and sets a new balance (the paper account's reset); leverage and margin modes stay. */
  reset(balance: Dec): void {
    this.cash = balance;
    this.totalRealized = Dec.ZERO;
    this.totalFees = Dec.ZERO;
    this.totalFunding = Dec.ZERO;
    this.book.clear();
  }

  snapshot(): LedgerSnapshot {
    return {
      currency: this.currency,
      balance: this.cash.toString(),
      realizedPnl: this.totalRealized.toString(),
      feesPaid: this.totalFees.toString(),
      funding: this.totalFunding.toString(),
      leverage: Object.fromEntries(this.leverageBySymbol),
      marginModes: this.marginModes(),
      positions: [...this.book.values()].map((p) => ({
        symbol: p.symbol,
        quantity: p.quantity.toString(),
        cost: p.cost.toString(),
        realizedPnl: p.realizedPnl.toString(),
        feesPaid: p.feesPaid.toString(),
        funding: p.funding.toString(),
        leverage: p.leverage,
        updatedAt: p.updatedAt,
      })),
    };
  }

  /**
   * The books as they stand, to `rewind` to if what follows fails (a fill
   * whose journal transaction rolls back). Unlike a snapshot it keeps the
   * values themselves, not their text: it is taken on every fill.
   */
  checkpoint(): LedgerCheckpoint {
    return {
      cash: this.cash,
      totalRealized: this.totalRealized,
      totalFees: this.totalFees,
      totalFunding: this.totalFunding,
      // Positions change in place, so each is copied; a Dec never changes.
      positions: [...this.book.values()].map((p) => ({ ...p })),
      leverage: this.leverageBySymbol,
      marginModes: this.marginModeBySymbol,
    };
  }

  /** Puts the books back exactly as `checkpoint` found them. */
  rewind(checkpoint: LedgerCheckpoint): void {
    this.cash = checkpoint.cash;
    this.totalRealized = checkpoint.totalRealized;
    this.totalFees = checkpoint.totalFees;
    this.totalFunding = checkpoint.totalFunding;
    this.book.clear();
    for (const p of checkpoint.positions) this.book.set(p.symbol, { ...p });
    this.leverageBySymbol = checkpoint.leverage;
    this.marginModeBySymbol = checkpoint.marginModes;
  }

  restore(snapshot: LedgerSnapshot): void {
    this.cash = Dec.parse(snapshot.balance);
    this.totalRealized = Dec.parse(snapshot.realizedPnl);
    this.totalFees = Dec.parse(snapshot.feesPaid);
    this.totalFunding = Dec.parse(snapshot.funding ?? '0');
    this.book.clear();
    this.leverageBySymbol = new Map(Object.entries(snapshot.leverage ?? {}));
    this.marginModeBySymbol = new Map();
    for (const [symbol, mode] of Object.entries(snapshot.marginModes ?? {})) this.setMarginMode(symbol, mode);
    for (const p of snapshot.positions) {
      this.book.set(p.symbol, {
        symbol: p.symbol,
        quantity: Dec.parse(p.quantity),
        cost: Dec.parse(p.cost),
        realizedPnl: Dec.parse(p.realizedPnl),
        feesPaid: Dec.parse(p.feesPaid),
        funding: Dec.parse(p.funding ?? '0'),
        leverage: p.leverage,
        updatedAt: p.updatedAt,
      });
    }
  }

  private newPosition(symbol: string): PositionState {
    return {
      symbol,
      quantity: Dec.ZERO,
      cost: Dec.ZERO,
      realizedPnl: Dec.ZERO,
      feesPaid: Dec.ZERO,
      funding: Dec.ZERO,
      leverage: this.leverage(symbol),
      updatedAt: 0,
    };
  }
}
