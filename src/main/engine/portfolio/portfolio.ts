/**
 * Keel's own books: one exact Ledger per venue, valued at the latest marks.
 * It turns ledger state into the contract's Position and AccountSummary, and
 * accounts for the margin that resting orders reserve.
 */
import { Dec, decimalsOf } from '../../../shared/decimal';
import type { AccountSummary, Instrument, Order, Position } from '../../../shared/domain';
import type { EngineJournal } from '../journalPort';
import { increasingQuantity } from '../orders/preTrade';
import { Ledger, type LedgerFill } from './ledger';

export const DEFAULT_PAPER_BALANCE = Dec.parse('10000');

export interface PortfolioVenue {
  id: string;
  currency: string;
  initialBalance: Dec;
  defaultLeverage: number;
}

/** An order's margin, remembered for the position and leverage it was computed at (orders are immutable objects). */
interface CachedOrderMargin {
  position: bigint;
  leverage: number;
  margin: Dec;
}

export class Portfolio {
  private readonly orderMarginCache = new WeakMap<Order, CachedOrderMargin>();

  private readonly ledgers = new Map<string, Ledger>();
  private readonly marks = new Map<string, Dec>();

  constructor(
    private readonly journal: EngineJournal,
    private readonly instrumentOf: (venue: string, symbol: string) => Instrument | undefined,
  ) {}

  /** Registers a venue's ledger, restoring it from the journal when it has one. */
  addVenue(venue: PortfolioVenue): void {
    const ledger = new Ledger(venue.currency, venue.initialBalance, venue.defaultLeverage);
    const saved = this.journal.loadLedger(venue.id);
    if (saved) ledger.restore(saved);
    else this.journal.saveLedger(venue.id, ledger.snapshot());
    this.ledgers.set(venue.id, ledger);
  }

  ledger(venue: string): Ledger {
    const ledger = this.ledgers.get(venue);
    if (!ledger) throw new Error(`No ledger for venue ${venue}`);
    return ledger;
  }

  venues(): string[] {
    return [...this.ledgers.keys()];
  }

  setMark(venue: string, symbol: string, mark: Dec): void {
    this.marks.set(`${venue}|${symbol}`, mark);
  }

  mark(venue: string, symbol: string): Dec {
    return this.marks.get(`${venue}|${symbol}`) ?? this.ledger(venue).entryPrice(symbol);
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

  reset(venue: string, balance: Dec): void {
    const ledger = this.ledger(venue);
    ledger.reset(balance);
    this.journal.saveLedger(venue, ledger.snapshot());
  }

  positions(venue: string): Position[] {
    const ledger = this.ledger(venue);
    return ledger.positions().map((p) => {
      const mark = this.mark(venue, p.symbol);
      const quantity = p.quantity.abs();
      const instrument = this.instrumentOf(venue, p.symbol);
      const entry = ledger.entryPrice(p.symbol);
      const tickDigits = instrument ? decimalsOf(instrument.tickSize) : 8;
      return {
        venue,
        symbol: p.symbol,
        side: p.quantity.isPositive() ? 'long' : 'short',
        quantity: quantity.toString(),
        entryPrice: entry.roundTo(Math.min(tickDigits + 4, 18)).toString(),
        markPrice: mark.toString(),
        notional: quantity.mul(mark).toString(),
        unrealizedPnl: ledger.unrealizedPnl(p.symbol, mark).toString(),
        realizedPnl: p.realizedPnl.toString(),
        feesPaid: p.feesPaid.toString(),
        leverage: p.leverage,
        margin: ledger.positionMargin(p.symbol, mark).toString(),
        updatedAt: p.updatedAt,
      } satisfies Position;
    });
  }

  allPositions(): Position[] {
    return this.venues().flatMap((v) => this.positions(v));
  }

  /** Margin reserved by resting orders, for the part of each that would add exposure. */
  orderMargin(venue: string, openOrders: Iterable<Order>): Dec {
    const ledger = this.ledger(venue);
    let total = Dec.ZERO;
    for (const order of openOrders) {
      if (order.venue !== venue || order.reduceOnly) continue;
      const position = ledger.netQuantity(order.symbol);
      const leverage = ledger.leverage(order.symbol);
      const cached = this.orderMarginCache.get(order);
      if (cached && cached.position === position.units && cached.leverage === leverage) {
        total = total.add(cached.margin);
        continue;
      }
      const margin = this.marginOfOrder(venue, order, position, leverage);
      // Orders priced by the mark (market, pending) move with it, so only priced ones are remembered.
      if (order.price !== null || order.stopPrice !== null) {
        this.orderMarginCache.set(order, { position: position.units, leverage, margin });
      }
      total = total.add(margin);
    }
    return total;
  }

  private marginOfOrder(venue: string, order: Order, position: Dec, leverage: number): Dec {
    const remaining = Dec.parse(order.quantity).sub(Dec.parse(order.filledQuantity));
    if (!remaining.isPositive()) return Dec.ZERO;
    const adding = increasingQuantity(order.side, remaining, position);
    if (adding.isZero()) return Dec.ZERO;
    const price = order.price !== null ? Dec.parse(order.price) : order.stopPrice !== null ? Dec.parse(order.stopPrice) : this.mark(venue, order.symbol);
    return adding.mul(price).div(Dec.fromBigInt(BigInt(leverage)));
  }

  summary(venue: string, openOrders: Iterable<Order>, now: number): AccountSummary {
    const ledger = this.ledger(venue);
    const markOf = (symbol: string) => this.mark(venue, symbol);
    const unrealized = ledger.totalUnrealizedPnl(markOf);
    const equity = ledger.balance.add(unrealized);
    const marginUsed = ledger.totalPositionMargin(markOf);
    const orderMargin = this.orderMargin(venue, openOrders);
    return {
      venue,
      currency: ledger.currency,
      balance: ledger.balance.toString(),
      equity: equity.toString(),
      unrealizedPnl: unrealized.toString(),
      realizedPnl: ledger.realizedPnl.toString(),
      feesPaid: ledger.feesPaid.toString(),
      marginUsed: marginUsed.toString(),
      orderMargin: orderMargin.toString(),
      available: equity.sub(marginUsed).sub(orderMargin).toString(),
      balances: [{ currency: ledger.currency, total: ledger.balance.toString() }],
      updatedAt: now,
    };
  }
}
