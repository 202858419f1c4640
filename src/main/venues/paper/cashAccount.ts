/**
 * The paper exchange's cash account, for spot instruments: whole units
 * bought with the cash the account holds and sold from what it holds.
 *
 * - A buy costs quantity × price plus its fee, paid from the cash at once; a
 *   sell brings quantity × price in, less its fee.
 * - No leverage (it is always 1) and no shorting: an order to sell more than
 *   the holdings not already offered by other sells is refused, and so is a
 *   buy whose cost (at the order's price, or the touch for a market order,
 *   with the taker fee) is more than the cash not already held by other buys.
 * - A resting buy holds its cost at its limit (or stop) price with the taker
 *   fee; a resting sell holds the quantity it offers.
 * - A fill never takes the cash below zero or the holdings below zero: what
 *   an order may fill is clipped to what the account can settle at the fill's
 *   price (a market buy walking up the book stops when the cash runs out).
 * - Holdings are valued at the mark: equity = cash + Σ quantity × mark.
 *
 * The bookkeeping is the shared exact `Ledger`, used long-only: its balance
 * is the cash plus the cost of the holdings (initial balance + realized PnL
 * − fees), so cash = ledger balance − Σ cost of the open holdings, exactly,
 * and its snapshot is what is persisted, as for the margin account.
 */
import { Dec } from '../../../shared/decimal';
import type { Balance, OrderSide } from '../../../shared/domain';
import { Ledger, type LedgerSnapshot } from '../../core/ledger';
import type { VenuePositionReport } from '../../engine/ports/venue';
import type { AccountFigures, ExchangeAccount, FundsCheck, Reservable } from './exchangeAccount';
import { decToSteps, formatSteps, stepsToDec } from './fixedPoint';
import type { InstrumentMath } from './instruments';

interface Holding {
  math: InstrumentMath;
  /** Fee per tick × lot a resting buy holds cash for (the taker fee). */
  holdFeeK: bigint;
  /** Units held, in lots (never negative). */
  lots: number;
  /** Lots offered by open sells. */
  offeredLots: number;
  /** Cash held by open buys, in Dec units. */
  heldCash: bigint;
}

export class CashAccount implements ExchangeAccount {
  readonly kind = 'cash';
  readonly ledger: Ledger;
  private readonly holdings = new Map<string, Holding>();

  constructor(
    currency: string,
    initialBalance: Dec,
    maths: Iterable<InstrumentMath>,
    private readonly markOf: (symbol: string) => Dec,
    /** The fee per tick × lot a resting buy holds cash for; by default the instrument's taker fee. */
    holdFeeK: (math: InstrumentMath) => bigint = (math) => math.takerFeeK,
  ) {
    this.ledger = new Ledger(currency, initialBalance, 1);
    for (const math of maths) {
      this.holdings.set(math.symbol, { math, holdFeeK: holdFeeK(math), lots: 0, offeredLots: 0, heldCash: 0n });
    }
  }

  get currency(): string {
    return this.ledger.currency;
  }

  /** Cash: the ledger's balance less what the holdings cost. */
  get cash(): Dec {
    let cost = 0n;
    for (const p of this.ledger.positions()) cost += p.cost.units;
    return Dec.fromUnits(this.ledger.balance.units - cost);
  }

  positionLots(symbol: string): number {
    return this.holdings.get(symbol)?.lots ?? 0;
  }

  /** Only a sell reduces (a cash account is never short). */
  reducibleLots(symbol: string, side: OrderSide): number {
    return side === 'sell' ? this.positionLots(symbol) : 0;
  }

  leverage(): number {
    return 1;
  }

  setLeverage(symbol: string, leverage: number): void {
    this.holding(symbol);
    if (leverage !== 1) throw new RangeError(`${symbol} trades on a cash account, without leverage: leverage must be 1, got ${leverage}`);
  }

  checkFunds(symbol: string, side: OrderSide, lots: number, ticks: number): FundsCheck {
    const h = this.holding(symbol);
    if (side === 'sell') {
      const free = h.lots - h.offeredLots;
      if (lots <= free) return { ok: true };
      return {
        ok: false,
        reason: `a cash account sells only what it holds: ${formatSteps(lots, h.math.lot)} ${symbol} asked, ${formatSteps(Math.max(0, free), h.math.lot)} held and not already offered`,
      };
    }
    const needed = Dec.fromUnits(BigInt(lots * ticks) * (h.math.notionalK + h.holdFeeK));
    const available = this.available();
    if (needed.lte(available)) return { ok: true };
    return { ok: false, reason: `order needs ${needed.toFixed(2)} ${this.currency} of cash, ${Dec.max(available, Dec.ZERO).toFixed(2)} available` };
  }

  reserve(order: Reservable, ticks: number): void {
    this.release(order);
    const lots = order.remainingLots;
    if (lots <= 0) return;
    const h = this.holding(order.symbol);
    if (order.side === 'sell') h.offeredLots += lots;
    else h.heldCash += BigInt(lots * ticks) * (h.math.notionalK + h.holdFeeK);
    order.reservedLots = lots;
    order.reservedTicks = ticks;
  }

  release(order: Reservable): void {
    if (order.reservedLots === 0) return;
    const h = this.holding(order.symbol);
    if (order.side === 'sell') h.offeredLots -= order.reservedLots;
    else h.heldCash -= BigInt(order.reservedLots * order.reservedTicks) * (h.math.notionalK + h.holdFeeK);
    order.reservedLots = 0;
    order.reservedTicks = 0;
  }

  fillableLots(order: Reservable, ticks?: number, feeK = 0n): number {
    const h = this.holding(order.symbol);
    const own = order.reservedLots;
    if (order.side === 'sell') return Math.max(0, Math.min(order.remainingLots, h.lots - h.offeredLots + own));
    if (ticks === undefined) return order.remainingLots;
    const ownCash = order.reservedLots === 0 ? 0n : BigInt(own * order.reservedTicks) * (h.math.notionalK + h.holdFeeK);
    const spendable = this.cash.units - this.heldCash() + ownCash;
    if (spendable <= 0n) return 0;
    const perLot = BigInt(ticks) * (h.math.notionalK + feeK);
    const affordable = spendable / perLot;
    return affordable >= BigInt(order.remainingLots) ? order.remainingLots : Number(affordable);
  }

  pricedFills(side: OrderSide): boolean {
    return side === 'buy';
  }

  applyFill(symbol: string, side: OrderSide, lots: number, ticks: number, fee: Dec, timestamp: number): void {
    const h = this.holding(symbol);
    const value = Dec.fromUnits(BigInt(lots * ticks) * h.math.notionalK);
    if (side === 'sell' && lots > h.lots) throw new Error(`${symbol}: a cash account cannot sell ${lots} lots while holding ${h.lots}`);
    if (side === 'buy' && value.add(fee).gt(this.cash)) throw new Error(`${symbol}: a buy of ${lots} lots costs more than the cash the account holds`);
    this.ledger.applyFill({ symbol, side, quantity: stepsToDec(lots, h.math.lot), price: stepsToDec(ticks, h.math.tick), fee }, timestamp);
    h.lots += side === 'buy' ? lots : -lots;
  }

  /** Figures are valued when asked; nothing is cached. */
  marksChanged(): void {}

  figures(): AccountFigures {
    const cash = this.cash;
    const unrealizedPnl = this.ledger.totalUnrealizedPnl(this.markOf);
    const orderMargin = Dec.fromUnits(this.heldCash());
    return {
      balance: cash,
      equity: this.ledger.balance.add(unrealizedPnl),
      unrealizedPnl,
      positionMargin: Dec.ZERO,
      orderMargin,
      available: cash.sub(orderMargin),
    };
  }

  /** Cash not held by open buys. */
  available(): Dec {
    return Dec.fromUnits(this.cash.units - this.heldCash());
  }

  reset(balance: Dec): void {
    this.ledger.reset(balance);
    for (const h of this.holdings.values()) h.lots = 0;
  }

  snapshot(): LedgerSnapshot {
    return this.ledger.snapshot();
  }

  restore(snapshot: LedgerSnapshot): void {
    this.ledger.restore(snapshot);
    for (const [symbol, h] of this.holdings) {
      h.lots = decToSteps(this.ledger.netQuantity(symbol), h.math.lot);
      if (h.lots < 0) throw new RangeError(`${symbol}: the stored account is short ${h.lots} lots, which a cash account cannot be`);
    }
  }

  positionReports(): VenuePositionReport[] {
    return this.ledger.positions().map((p) => ({
      symbol: p.symbol,
      quantity: p.quantity.toString(),
      entryPrice: this.ledger.entryPrice(p.symbol).toString(),
      leverage: 1,
    }));
  }

  balanceReports(): Balance[] {
    return [{ currency: this.currency, total: this.cash.toString() }];
  }

  private heldCash(): bigint {
    let total = 0n;
    for (const h of this.holdings.values()) total += h.heldCash;
    return total;
  }

  private holding(symbol: string): Holding {
    const h = this.holdings.get(symbol);
    if (!h) throw new Error(`Unknown instrument ${symbol}`);
    return h;
  }
}
