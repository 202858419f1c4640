/**
 * Keel's own books: one exact Ledger per venue, valued at the latest marks.
 * It turns ledger state into the contract's Position and AccountSummary, and
 * accounts for the margin that resting orders reserve. A perpetual's
 * position view carries its margin figures (ROE, liquidation price, margin
 * ratio) from the same arithmetic the paper venue liquidates by
 * (`core/perpetualMargin`), taken from the instrument's declared brackets;
 * on a venue that declares none (a real exchange) from the liquidation price
 * and maintenance margin the venue itself states (`positionMargin`).
 */
import { Dec, decimalsOf } from '../../../shared/decimal';
import { KeelError } from '../../../shared/errors';
import type { AccountSummary, Instrument, MarginMode, Order, Position } from '../../../shared/domain';
import type { EngineJournal } from '../ports/journal';
import { Ledger, realizedFigures, type LedgerFill } from '../../core/ledger';
import { InstrumentMap } from '../../core/instrumentMap';
import type { VenueMarginReport } from '../ports/venue';
import { assessAccount, leverageChangeProblem, marginRatioFromLiquidation, onTick, perpetualTerms, type AccountRisk, type LeverageProblem, type PerpetualTerms } from '../../core/perpetualMargin';


export interface PortfolioVenue {
  id: string;
  currency: string;
  initialBalance: Dec;
  defaultLeverage: number;
}

/** An order's remaining quantity and value as decimals, computed once per order object (orders are immutable). */
interface ParsedOrder {
  remaining: Dec;
  /** remaining × limit (or stop) price; null for orders valued at the mark (market). */
  value: Dec | null;
}

export class Portfolio {
  private readonly parsedOrders = new WeakMap<Order, ParsedOrder>();
  /** Margin terms parsed once per instrument object (instruments are replaced, never mutated). */
  private readonly parsedTerms = new WeakMap<Instrument, PerpetualTerms | null>();

  private readonly ledgers = new Map<string, Ledger>();
  private readonly marks = new InstrumentMap<Dec>();

  constructor(
    private readonly journal: EngineJournal,
    private readonly instrumentOf: (venue: string, symbol: string) => Instrument | undefined,
    private readonly instrumentsOf: (venue: string) => Instrument[] = () => [],
    private readonly venueMarginOf: (venue: string, symbol: string) => VenueMarginReport | undefined = () => undefined,
  ) {}

  /** Registers a venue's ledger, restoring it from the journal when it has one. */
  addVenue(venue: PortfolioVenue): void {
    const ledger = new Ledger(venue.currency, venue.initialBalance, venue.defaultLeverage);
    const saved = this.journal.loadLedger(venue.id);
    if (saved) ledger.restore(saved);
    else this.journal.saveLedger(venue.id, ledger.snapshot());
    this.ledgers.set(venue.id, ledger);
  }

  /** Forgets a venue removed at runtime (its journaled ledger stays, for when it is added again). */
  removeVenue(venue: string): void {
    this.ledgers.delete(venue);
    this.marks.deleteVenue(venue);
  }

  ledger(venue: string): Ledger {
    const ledger = this.ledgers.get(venue);
    // A venue that is added but has not started (no key yet, the exchange unreachable) has no account to show.
    if (!ledger) throw new KeelError('VENUE_UNAVAILABLE', `${venue} has no account yet: it has not started.`, { venue });
    return ledger;
  }

  venues(): string[] {
    return [...this.ledgers.keys()];
  }

  setMark(venue: string, symbol: string, mark: Dec): void {
    this.marks.set(venue, symbol, mark);
  }

  mark(venue: string, symbol: string): Dec {
    return this.marks.get(venue, symbol) ?? this.ledger(venue).entryPrice(symbol);
  }

  /** Applies a fill to the venue's ledger and persists it; call inside the journal transaction that records the fill. */
  applyFill(venue: string, fill: LedgerFill, timestamp: number): Dec {
    const ledger = this.ledger(venue);
    const realized = ledger.applyFill(fill, timestamp);
    this.journal.saveLedger(venue, ledger.snapshot());
    return realized;
  }

  setLeverage(venue: string, symbol: string, leverage: number): void {
    const ledger = this.ledger(venue);
    ledger.setLeverage(symbol, leverage);
    this.journal.saveLedger(venue, ledger.snapshot());
  }

  /** The caller checked the symbol is flat. */
  setMarginMode(venue: string, symbol: string, mode: MarginMode): void {
    const ledger = this.ledger(venue);
    ledger.setMarginMode(symbol, mode);
    this.journal.saveLedger(venue, ledger.snapshot());
  }

  /** Books a funding payment the venue settled and persists it; call inside the journal transaction that records the entry. */
  applyFunding(venue: string, symbol: string, amount: Dec, timestamp: number): void {
    const ledger = this.ledger(venue);
    ledger.applyFunding(symbol, amount, timestamp);
    this.journal.saveLedger(venue, ledger.snapshot());
  }

  /** True when an open position has a liquidation price and a margin ratio to watch: its instrument declares brackets, or its venue states them. */
  hasMarginTables(venue: string): boolean {
    return this.ledger(venue).positions().some((p) => this.termsOf(venue, p.symbol) !== undefined || this.venueMarginOf(venue, p.symbol) !== undefined);
  }

  /** Every open position's margin figures at the latest marks (see `assessAccount`). */
  risk(venue: string): AccountRisk {
    return this.riskOf(venue, this.ledger(venue));
  }

  /**
   * Why `symbol` may not take `leverage` now (see `leverageChangeProblem`),
   * judged on a copy of the books with the new leverage; null when it may.
   */
  leverageProblem(venue: string, symbol: string, leverage: number, openOrders: Iterable<Order>): LeverageProblem | null {
    const ledger = this.ledger(venue);
    const trial = new Ledger(ledger.currency, ledger.balance);
    trial.restore(ledger.snapshot());
    trial.setLeverage(symbol, leverage);
    const orders = [...openOrders];
    return leverageChangeProblem(symbol, ledger.leverage(symbol), leverage, {
      risk: this.riskOf(venue, trial),
      available: this.figuresOf(venue, trial, orders).available,
      hasOpenOrders: orders.some((o) => o.venue === venue && o.symbol === symbol),
    });
  }

  /** A position set to the venue's figure (reconciliation), journaled. */
  setPosition(venue: string, symbol: string, quantity: Dec, entryPrice: Dec, timestamp: number): void {
    const ledger = this.ledger(venue);
    ledger.setPosition(symbol, quantity, entryPrice, timestamp);
    this.journal.saveLedger(venue, ledger.snapshot());
  }

  /** The balance set to the venue's figure (reconciliation), journaled. */
  setBalance(venue: string, balance: Dec): void {
    const ledger = this.ledger(venue);
    ledger.setBalance(balance);
    this.journal.saveLedger(venue, ledger.snapshot());
  }

  reset(venue: string, balance: Dec): void {
    const ledger = this.ledger(venue);
    ledger.reset(balance);
    this.journal.saveLedger(venue, ledger.snapshot());
  }

  positions(venue: string): Position[] {
    const ledger = this.ledger(venue);
    const risk = new Map(this.risk(venue).positions.map((r) => [r.symbol, r]));
    return ledger.positions().map((p) => {
      const mark = this.mark(venue, p.symbol);
      const quantity = p.quantity.abs();
      const instrument = this.instrumentOf(venue, p.symbol);
      const entry = ledger.entryPrice(p.symbol);
      const tickDigits = instrument ? decimalsOf(instrument.tickSize) : 8;
      const figures = risk.get(p.symbol);
      const side = p.quantity.isPositive() ? 'long' : 'short';
      const stated = figures?.terms ? undefined : this.venueMarginOf(venue, p.symbol);
      const liquidation = figures?.liquidationPrice && figures.terms ? onTick(figures.liquidationPrice, figures.terms.tick, side) : null;
      const statedLiquidation = stated?.liquidationPrice ? Dec.parse(stated.liquidationPrice) : null;
      const statedRatio = statedLiquidation ? this.statedMarginRatio(p.quantity, mark, statedLiquidation, stated!) : null;
      return {
        venue,
        symbol: p.symbol,
        side: p.quantity.isPositive() ? 'long' : 'short',
        quantity: quantity.toString(),
        entryPrice: entry.roundTo(Math.min(tickDigits + 4, 18)).toString(),
        markPrice: mark.toString(),
        notional: quantity.mul(mark).toString(),
        unrealizedPnl: ledger.unrealizedPnl(p.symbol, mark).toString(),
        ...realizedFigures(p),
        leverage: p.leverage,
        marginMode: ledger.marginMode(p.symbol),
        margin: ledger.positionMargin(p.symbol, mark).toString(),
        roePercent: (figures?.roePercent ?? Dec.ZERO).roundTo(4).toString(),
        liquidationPrice: (liquidation ?? statedLiquidation)?.toString() ?? null,
        marginRatio: (figures?.marginRatio ?? statedRatio)?.roundTo(6).toString() ?? null,
        updatedAt: p.updatedAt,
      } satisfies Position;
    });
  }

  /** The margin ratio at Keel's mark from what the venue stated (see `marginRatioFromLiquidation`); null when it stated no maintenance margin. */
  private statedMarginRatio(quantity: Dec, mark: Dec, liquidation: Dec, stated: VenueMarginReport): Dec | null {
    if (!stated.maintenanceMargin || !stated.markPrice) return null;
    const notional = quantity.abs().mul(Dec.parse(stated.markPrice));
    if (!notional.isPositive()) return null;
    return marginRatioFromLiquidation(quantity, mark, liquidation, Dec.parse(stated.maintenanceMargin).div(notional));
  }

  allPositions(): Position[] {
    return this.venues().flatMap((v) => this.positions(v));
  }

  /**
   * Margin reserved by resting orders. Per instrument, orders that add to the
   * position reserve in full; orders on the reducing side reserve only for
   * the part of their combined size beyond the position (valued at their
   * average price), so many small "reducing" orders cannot add exposure for free.
   */
  orderMargin(venue: string, openOrders: Iterable<Order>): Dec {
    return this.orderMarginOf(this.ledger(venue), venue, openOrders);
  }

  private orderMarginOf(ledger: Ledger, venue: string, openOrders: Iterable<Order>): Dec {
    // Sums per instrument first, one division per instrument at the end: this runs on every order placed
    // (and the map is made only once an order reserves something: most of the time none rests).
    let bySymbol: Map<string, { adding: Dec; reducingQuantity: Dec; reducingValue: Dec }> | null = null;
    for (const order of openOrders) {
      if (order.venue !== venue || order.reduceOnly) continue;
      const { remaining, value: priced } = this.parsed(order);
      if (!remaining.isPositive()) continue;
      const value = priced ?? remaining.mul(this.mark(venue, order.symbol));
      const position = ledger.netQuantity(order.symbol);
      const reduces = (order.side === 'sell' && position.isPositive()) || (order.side === 'buy' && position.isNegative());
      bySymbol ??= new Map();
      const sum = bySymbol.get(order.symbol) ?? { adding: Dec.ZERO, reducingQuantity: Dec.ZERO, reducingValue: Dec.ZERO };
      if (reduces) {
        sum.reducingQuantity = sum.reducingQuantity.add(remaining);
        sum.reducingValue = sum.reducingValue.add(value);
      } else {
        sum.adding = sum.adding.add(value);
      }
      bySymbol.set(order.symbol, sum);
    }
    let total = Dec.ZERO;
    if (bySymbol === null) return total;
    for (const [symbol, sum] of bySymbol) {
      let value = sum.adding;
      const excess = sum.reducingQuantity.sub(ledger.netQuantity(symbol).abs());
      if (excess.isPositive()) value = value.add(sum.reducingValue.mul(excess).div(sum.reducingQuantity));
      if (value.isPositive()) total = total.add(value.div(Dec.fromBigInt(BigInt(ledger.leverage(symbol)))));
    }
    return total;
  }

  private parsed(order: Order): ParsedOrder {
    let parsed = this.parsedOrders.get(order);
    if (!parsed) {
      const remaining = Dec.parse(order.quantity).sub(Dec.parse(order.filledQuantity));
      const price = order.price ?? order.stopPrice;
      parsed = { remaining, value: price === null ? null : remaining.mul(Dec.parse(price)) };
      this.parsedOrders.set(order, parsed);
    }
    return parsed;
  }

  /** Cash plus unrealized PnL at the latest marks: the summary's equity, without the rest of the summary. */
  equity(venue: string): Dec {
    return this.ledger(venue).equity((symbol) => this.mark(venue, symbol));
  }

  /** Margin left for new exposure: equity − position margin − resting order margin (the pre-trade check needs only this). */
  available(venue: string, openOrders: Iterable<Order>): Dec {
    return this.figures(venue, openOrders).available;
  }

  private figures(venue: string, openOrders: Iterable<Order>) {
    return this.figuresOf(venue, this.ledger(venue), openOrders);
  }

  private figuresOf(venue: string, ledger: Ledger, openOrders: Iterable<Order>) {
    const markOf = (symbol: string) => this.mark(venue, symbol);
    const unrealized = ledger.totalUnrealizedPnl(markOf);
    const equity = ledger.balance.add(unrealized);
    const marginUsed = ledger.totalPositionMargin(markOf);
    const orderMargin = this.orderMarginOf(ledger, venue, openOrders);
    return { ledger, unrealized, equity, marginUsed, orderMargin, available: equity.sub(marginUsed).sub(orderMargin) };
  }

  private riskOf(venue: string, ledger: Ledger): AccountRisk {
    return assessAccount(
      ledger,
      (symbol) => this.mark(venue, symbol),
      (symbol) => this.termsOf(venue, symbol),
    );
  }

  private termsOf(venue: string, symbol: string): PerpetualTerms | undefined {
    const instrument = this.instrumentOf(venue, symbol);
    if (!instrument) return undefined;
    let terms = this.parsedTerms.get(instrument);
    if (terms === undefined) {
      terms = perpetualTerms(instrument) ?? null;
      this.parsedTerms.set(instrument, terms);
    }
    return terms ?? undefined;
  }

  summary(venue: string, openOrders: Iterable<Order>, now: number): AccountSummary {
    const { ledger, unrealized, equity, marginUsed, orderMargin, available } = this.figures(venue, openOrders);
    // Built in one pass over the venue's instruments: a strategy sizing every order asks for the summary each time.
    const leverage: Record<string, number> = {};
    const marginModes: Record<string, MarginMode> = {};
    for (const { symbol } of this.instrumentsOf(venue)) {
      leverage[symbol] = ledger.leverage(symbol);
      marginModes[symbol] = ledger.marginMode(symbol);
    }
    return {
      venue,
      currency: ledger.currency,
      balance: ledger.balance.toString(),
      equity: equity.toString(),
      unrealizedPnl: unrealized.toString(),
      ...realizedFigures(ledger),
      marginUsed: marginUsed.toString(),
      orderMargin: orderMargin.toString(),
      available: available.toString(),
      balances: [{ currency: ledger.currency, total: ledger.balance.toString() }],
      leverage,
      marginModes,
      updatedAt: now,
    };
  }
}
