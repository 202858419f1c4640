/**
 * The paper exchange's margin account, for linear perpetuals: the shared
 * exact `Ledger` (positions, balance, fees, realized PnL — the same
 * accounting Keel's own books use), plus what a venue needs around it:
 * margin held by resting orders, the initial-margin check for new orders,
 * and position sizes in lots for the matching hot path.
 *
 * Order margin per instrument and side is notional / leverage of the resting
 * quantity that would open or grow a position: quantity that only offsets
 * the opposite position needs none (the way exchanges net it).
 */
import { Dec } from '../../../shared/decimal';
import type { Balance, MarginMode, OrderSide } from '../../../shared/domain';
import { Ledger, type LedgerSnapshot } from '../../core/ledger';
import type { VenuePositionReport } from '../../engine/ports/venue';
import type { AccountFigures, ExchangeAccount, FundsCheck, MarkSource, Reservable } from './exchangeAccount';
import { decToSteps, stepsToDec } from './fixedPoint';
import type { InstrumentMath } from './instruments';

interface SideReserve {
  lots: number;
  /** Σ ticks × lots of the reserved quantity. */
  tickLots: bigint;
  /** The same as a float (fast margin estimate only). */
  tickLotsEstimate: number;
}

interface SymbolState {
  math: InstrumentMath;
  /** Quote value of one tick × one lot, as a float (fast margin estimate only). */
  tickLotValue: number;
  takerFeeRate: number;
  lotSize: number;
  /** Signed position in lots (positive long). */
  positionLots: number;
  /** The ledger's cost basis of the position, as a float (fast margin estimate only). */
  costEstimate: number;
  buy: SideReserve;
  sell: SideReserve;
  /** Margin held by this symbol's resting orders; null when it must be recomputed. */
  orderMargin: Dec | null;
}

export type MarginCheck = { ok: true } | { ok: false; required: Dec; available: Dec };

/** Relative band around the margin boundary inside which floats are not trusted and exact decimals decide. */
const ESTIMATE_TOLERANCE = 1e-9;

/** A float close to `value`, without going through its text (estimates only). */
function approx(value: Dec): number {
  return Number(value.units) / 1e18;
}

function ceilDiv(numerator: bigint, denominator: bigint): bigint {
  return (numerator + denominator - 1n) / denominator;
}

export class MarginAccount implements ExchangeAccount {
  readonly kind = 'margin';
  readonly ledger: Ledger;
  private readonly symbols = new Map<string, SymbolState>();
  /** Equity and position margin at current marks; null when marks or positions changed. */
  private markFigures: { equity: Dec; unrealized: Dec; positionMargin: Dec } | null = null;
  private orderMarginTotal: Dec | null = null;
  private balanceEstimate: number;
  private readonly markOf: (symbol: string) => Dec;

  constructor(
    currency: string,
    initialBalance: Dec,
    maths: Iterable<InstrumentMath>,
    private readonly marks: MarkSource,
  ) {
    this.ledger = new Ledger(currency, initialBalance);
    this.balanceEstimate = approx(initialBalance);
    this.markOf = (symbol) => marks.exact(symbol);
    for (const math of maths) {
      this.symbols.set(math.symbol, {
        math,
        tickLotValue: Number(math.notionalK) / 1e18,
        takerFeeRate: math.takerFee.toNumber(),
        lotSize: Number(math.lot.units) / 1e18,
        positionLots: 0,
        costEstimate: 0,
        buy: { lots: 0, tickLots: 0n, tickLotsEstimate: 0 },
        sell: { lots: 0, tickLots: 0n, tickLotsEstimate: 0 },
        orderMargin: null,
      });
    }
  }

  get currency(): string {
    return this.ledger.currency;
  }

  positionLots(symbol: string): number {
    return this.symbols.get(symbol)?.positionLots ?? 0;
  }

  /** Lots an order on `side` can reduce: the opposite position's size, else 0. */
  reducibleLots(symbol: string, side: OrderSide): number {
    const position = this.positionLots(symbol);
    return side === 'buy' ? Math.max(0, -position) : Math.max(0, position);
  }

  leverage(symbol: string): number {
    return this.ledger.leverage(symbol);
  }

  setLeverage(symbol: string, leverage: number): void {
    this.ledger.setLeverage(symbol, leverage);
    this.invalidate(symbol);
  }

  marginMode(symbol: string): MarginMode {
    return this.ledger.marginMode(symbol);
  }

  /** The caller checked the symbol is flat (see PerpetualDesk). */
  setMarginMode(symbol: string, mode: MarginMode): void {
    this.ledger.setMarginMode(symbol, mode);
  }

  /** Books a funding payment (positive: received) on the position in `symbol`. */
  applyFunding(symbol: string, amount: Dec, timestamp: number): void {
    this.ledger.applyFunding(symbol, amount, timestamp);
    this.refreshEstimates(symbol, this.state(symbol));
    this.markFigures = null;
  }

  checkFunds(symbol: string, side: OrderSide, lots: number, ticks: number): FundsCheck {
    const margin = this.checkMargin(symbol, side, lots, ticks);
    if (margin.ok) return margin;
    const currency = this.currency;
    return {
      ok: false,
      reason: `order needs ${margin.required.toFixed(2)} ${currency} of margin, ${Dec.max(margin.available, Dec.ZERO).toFixed(2)} available`,
    };
  }

  /** Margin is checked when an order is placed, never at its fills. */
  fillableLots(order: Reservable): number {
    return order.remainingLots;
  }

  pricedFills(): boolean {
    return false;
  }

  positionReports(): VenuePositionReport[] {
    return this.ledger.positions().map((p) => ({
      symbol: p.symbol,
      quantity: p.quantity.toString(),
      entryPrice: this.ledger.entryPrice(p.symbol).toString(),
      leverage: p.leverage,
    }));
  }

  balanceReports(): Balance[] {
    return [{ currency: this.currency, total: this.ledger.balance.toString() }];
  }

  /** Applies a fill to the ledger at exact prices and fees. */
  applyFill(symbol: string, side: OrderSide, lots: number, ticks: number, fee: Dec, timestamp: number): void {
    const state = this.state(symbol);
    this.ledger.applyFill(
      { symbol, side, quantity: stepsToDec(lots, state.math.lot), price: stepsToDec(ticks, state.math.tick), fee },
      timestamp,
    );
    state.positionLots += side === 'buy' ? lots : -lots;
    this.refreshEstimates(symbol, state);
    this.invalidate(symbol);
  }

  /** Marks moved: equity and position margin must be recomputed. */
  marksChanged(): void {
    this.markFigures = null;
  }

  /** Holds margin for `order`'s remaining quantity at `ticks`. Replaces what it held before. */
  reserve(order: Reservable, ticks: number): void {
    this.release(order);
    const lots = order.remainingLots;
    if (lots <= 0) return;
    const side = this.state(order.symbol)[order.side];
    side.lots += lots;
    side.tickLots += BigInt(ticks * lots);
    side.tickLotsEstimate += ticks * lots;
    order.reservedLots = lots;
    order.reservedTicks = ticks;
    this.invalidateOrders(order.symbol);
  }

  release(order: Reservable): void {
    if (order.reservedLots === 0) return;
    const side = this.state(order.symbol)[order.side];
    side.lots -= order.reservedLots;
    side.tickLots -= BigInt(order.reservedTicks * order.reservedLots);
    side.tickLotsEstimate -= order.reservedTicks * order.reservedLots;
    order.reservedLots = 0;
    order.reservedTicks = 0;
    this.invalidateOrders(order.symbol);
  }

  /**
   * Initial margin a new order needs: notional / leverage plus the taker fee,
   * for the part of it that would open or grow a position.
   */
  requiredMargin(symbol: string, side: OrderSide, lots: number, ticks: number): Dec {
    const state = this.state(symbol);
    const reserve = state[side];
    const offset = this.reducibleLots(symbol, side);
    const growing = Math.max(0, reserve.lots + lots - offset) - Math.max(0, reserve.lots - offset);
    if (growing <= 0) return Dec.ZERO;
    const notional = BigInt(growing * ticks) * state.math.notionalK;
    const margin = ceilDiv(notional, BigInt(this.leverage(symbol)));
    const fee = BigInt(growing * ticks) * state.math.takerFeeK;
    return Dec.fromUnits(margin + fee);
  }

  /**
   * The initial-margin check for a new order: required (see `requiredMargin`)
   * against available = equity − position margin − order margin. Floats
   * settle the clear cases cheaply; within a hair of the boundary the exact
   * decimals decide, so the answer is always the exact one.
   */
  checkMargin(symbol: string, side: OrderSide, lots: number, ticks: number): MarginCheck {
    const state = this.state(symbol);
    const reserve = state[side];
    const offset = this.reducibleLots(symbol, side);
    const growing = Math.max(0, reserve.lots + lots - offset) - Math.max(0, reserve.lots - offset);
    if (growing <= 0) return { ok: true };
    const requiredEstimate = growing * ticks * state.tickLotValue * (1 / this.leverage(symbol) + state.takerFeeRate);
    const availableEstimate = this.availableEstimate();
    const tolerance = ESTIMATE_TOLERANCE * (Math.abs(availableEstimate) + requiredEstimate) + 1e-9;
    if (requiredEstimate < availableEstimate - tolerance) return { ok: true };
    const required = this.requiredMargin(symbol, side, lots, ticks);
    const available = this.available();
    return required.lte(available) ? { ok: true } : { ok: false, required, available };
  }

  figures(): AccountFigures {
    const marks = this.markFiguresNow();
    const orderMargin = this.orderMargin();
    return {
      balance: this.ledger.balance,
      equity: marks.equity,
      unrealizedPnl: marks.unrealized,
      positionMargin: marks.positionMargin,
      orderMargin,
      available: marks.equity.sub(marks.positionMargin).sub(orderMargin),
    };
  }

  available(): Dec {
    return this.figures().available;
  }

  orderMargin(): Dec {
    if (this.orderMarginTotal) return this.orderMarginTotal;
    let total = Dec.ZERO;
    for (const [symbol, state] of this.symbols) {
      if (!state.orderMargin) {
        const lev = BigInt(this.leverage(symbol));
        state.orderMargin = this.sideMargin(state, state.buy, Math.max(0, -state.positionLots), lev).add(
          this.sideMargin(state, state.sell, Math.max(0, state.positionLots), lev),
        );
      }
      total = total.add(state.orderMargin);
    }
    this.orderMarginTotal = total;
    return total;
  }

  /** Clears positions and sets a new balance; leverage settings stay. */
  reset(balance: Dec): void {
    this.ledger.reset(balance);
    for (const [symbol, state] of this.symbols) {
      state.positionLots = 0;
      this.refreshEstimates(symbol, state);
      this.invalidate(symbol);
    }
  }

  /** The ledger's snapshot (positions, balance, leverage per symbol). */
  snapshot(): LedgerSnapshot {
    return this.ledger.snapshot();
  }

  restore(ledger: LedgerSnapshot): void {
    this.ledger.restore(ledger);
    for (const [symbol, state] of this.symbols) {
      state.positionLots = decToSteps(this.ledger.netQuantity(symbol), state.math.lot);
      this.refreshEstimates(symbol, state);
      this.invalidate(symbol);
    }
  }

  private sideMargin(state: SymbolState, side: SideReserve, offsetLots: number, leverage: bigint): Dec {
    const marginLots = side.lots - offsetLots;
    if (marginLots <= 0 || side.lots === 0) return Dec.ZERO;
    // Pro rata: the growing share of the resting quantity, at its average price.
    const notional = (side.tickLots * state.math.notionalK * BigInt(marginLots)) / BigInt(side.lots);
    return Dec.fromUnits(ceilDiv(notional, leverage));
  }

  /** Available margin in floats: the fast path of `checkMargin`, never reported. */
  private availableEstimate(): number {
    let equity = this.balanceEstimate;
    let held = 0;
    for (const [symbol, state] of this.symbols) {
      const leverage = this.leverage(symbol);
      const position = state.positionLots;
      if (position !== 0) {
        const mark = this.marks.approx(symbol);
        equity += position * state.lotSize * mark - state.costEstimate;
        held += (Math.abs(position) * state.lotSize * mark) / leverage;
      }
      held += this.sideEstimate(state, state.buy, Math.max(0, -position), leverage);
      held += this.sideEstimate(state, state.sell, Math.max(0, position), leverage);
    }
    return equity - held;
  }

  private sideEstimate(state: SymbolState, side: SideReserve, offsetLots: number, leverage: number): number {
    const marginLots = side.lots - offsetLots;
    if (marginLots <= 0 || side.lots === 0) return 0;
    return (side.tickLotsEstimate * state.tickLotValue * marginLots) / side.lots / leverage;
  }

  private refreshEstimates(symbol: string, state: SymbolState): void {
    const cost = this.ledger.position(symbol)?.cost;
    state.costEstimate = cost ? approx(cost) : 0;
    this.balanceEstimate = approx(this.ledger.balance);
  }

  private markFiguresNow(): { equity: Dec; unrealized: Dec; positionMargin: Dec } {
    if (this.markFigures) return this.markFigures;
    const unrealized = this.ledger.totalUnrealizedPnl(this.markOf);
    this.markFigures = {
      unrealized,
      equity: this.ledger.balance.add(unrealized),
      positionMargin: this.ledger.totalPositionMargin(this.markOf),
    };
    return this.markFigures;
  }

  private state(symbol: string): SymbolState {
    const state = this.symbols.get(symbol);
    if (!state) throw new Error(`Unknown instrument ${symbol}`);
    return state;
  }

  private invalidate(symbol: string): void {
    this.markFigures = null;
    this.invalidateOrders(symbol);
  }

  private invalidateOrders(symbol: string): void {
    const state = this.symbols.get(symbol);
    if (state) state.orderMargin = null;
    this.orderMarginTotal = null;
  }
}
