/**
 * The paper exchange core, where orders meet the market: order intake (the
 * exchange rules), order state and history, the user's resting and armed
 * orders per instrument, fills with their fees, the reduce-only rules, and
 * the account (margin for linear perpetuals, cash for spot). It does not
 * know where prices come from: a market source lists the instruments and
 * their markets and says when they change, and a fill model decides what
 * fills when (see `fillModel.ts`). The venue adapter and a backtest drive the
 * same core.
 *
 * Everything is synchronous. Execution events go to `emit` in the order the
 * exchange makes them; every change is noted in `changes`, which the unit of
 * work writes and clears.
 *
 * Behaviour that real exchanges differ on, and what this one does:
 * - Reduce-only: rejected (REDUCE_ONLY_REJECTED) when the position is flat
 *   or on the order's side. An order larger than the position is accepted
 *   but clipped: it fills at most the position, and the remainder is
 *   canceled as soon as the position is closed. Resting or armed reduce-only
 *   orders are canceled when the position they reduce is closed or flips.
 *   Reduce-only orders need no funds and are exempt from min notional.
 * - Market orders and IOC/FOK remainders that cannot fill end `expired`.
 * - Post-only orders that would take liquidity are rejected.
 * - An instrument whose market has no price yet refuses orders (NO_LIQUIDITY).
 * - User orders never trade with each other.
 * - Limit and stop prices must be within 10× of the mark (see orderRules).
 * - Perpetuals settle funding, liquidate positions whose margin ran out and
 *   take margin modes and leverage changes on open positions as exchanges do
 *   (see PerpetualDesk).
 */
import { Dec } from '../../../shared/decimal';
import { hasLimitPrice, type Balance, type Instrument, type MarginMode } from '../../../shared/domain';
import type { Clock } from '../../engine/ports/clock';
import type {
  AmendOrder,
  CancelOrder,
  ExecutionEvent,
  SubmitOrder,
  VenueFillReport,
  VenueOrderReport,
  VenuePositionReport,
  VenueRejectCode,
} from '../../engine/ports/venue';
import { BookWalkFillModel } from './bookWalkFillModel';
import { CashAccount } from './cashAccount';
import { accountKindOf, type ExchangeAccount } from './exchangeAccount';
import { NOTHING_LEFT_TO_REDUCE, marketOnTrigger, type FillContext, type FillModel, type LiquidityRole, type TradedInstrument } from './fillModel';
import { decToSteps, formatSteps, stepsToNumber, toSteps } from './fixedPoint';
import { MarginAccount } from './marginAccount';
import type { FundingDue, MarketListing, MarketUpdate } from './marketSource';
import { MatchingEngine } from './matchingEngine';
import { checkOrder, isRejection, type AcceptedOrder } from './orderRules';
import { amendPaperOrder } from './paperAmend';
import { PaperGroups } from './paperGroups';
import { PaperTrailing } from './paperTrailing';
import { PaperOrder, type PaperOrderStatus } from './paperOrder';
import { PendingChanges, type PersistedExchange } from './paperUnitOfWork';
import { PerpetualDesk } from './perpetualDesk';
import type { PaperAccountRecord, PaperOrderRecord } from './store';

export interface PaperExchangeOptions {
  /** Venue id in reasons. */
  venue: string;
  clock: Clock;
  /** The instruments and their markets (a market source's listings). */
  listings: readonly MarketListing[];
  /** Starting balance of a new account, in the settle (margin) or quote (cash) currency. */
  initialBalance: Dec;
  /** Default: `BookWalkFillModel`. */
  fillModel?: FillModel;
  /** Terminal orders kept for `orderReport`. Default 10,000. */
  terminalOrderLimit?: number;
  /** Execution events, in the order the exchange makes them. */
  emit: (event: ExecutionEvent) => void;
}

export class PaperExchange implements PersistedExchange {
  readonly venue: string;
  readonly account: ExchangeAccount;
  readonly changes = new PendingChanges();

  private readonly clock: Clock;
  private readonly fillModel: FillModel;
  private readonly emit: (event: ExecutionEvent) => void;
  private readonly traded = new Map<string, TradedInstrument>();
  private readonly instrumentList: Instrument[] = [];
  private readonly books = new MatchingEngine<PaperOrder>();
  private readonly terminalOrderLimit: number;

  private readonly open = new Map<string, PaperOrder>();
  private readonly terminal = new Map<string, PaperOrder>();
  /**
   * Terminal client order ids, oldest first from `terminalHead`: eviction
   * order kept apart from the map because asking a Map that has seen many
   * deletions for its first key walks over every deleted slot.
   */
  private readonly terminalOrder: string[] = [];
  private terminalHead = 0;
  /** Instruments whose position closed or flipped during the command: their reduce-only orders are re-checked. */
  private readonly sweep = new Set<TradedInstrument>();
  private nextOrderSeq = 1;
  private nextTradeSeq = 1;

  /** What fill models may do here; kept off the public surface. */
  private readonly context: FillContext;
  /** Funding, liquidation and margin modes; null for a cash account. */
  private readonly perpetuals: PerpetualDesk | null;
  /** Brackets and OCO pairs (see `paperGroups`), and trailing stops (see `paperTrailing`). */
  private readonly groups: PaperGroups;
  private readonly trails: PaperTrailing;

  constructor(options: PaperExchangeOptions) {
    this.venue = options.venue;
    this.clock = options.clock;
    this.fillModel = options.fillModel ?? new BookWalkFillModel();
    this.emit = options.emit;
    this.terminalOrderLimit = options.terminalOrderLimit ?? 10_000;
    for (const { instrument, math, market } of options.listings) {
      const orders = this.books.addSymbol(instrument.symbol, market);
      this.traded.set(instrument.symbol, { instrument, math, market, orders, reduceOnly: new Set(), trailing: new Set(), mark: null, tickSize: stepsToNumber(1, math.tick) });
      this.instrumentList.push(instrument);
    }
    this.account = this.openAccount(options.initialBalance);
    this.perpetuals =
      this.account instanceof MarginAccount
        ? new PerpetualDesk({
            account: this.account,
            instruments: this.instrumentList,
            markOf: (symbol) => this.markOf(symbol),
            changes: this.changes,
            emit: (event) => this.emit(event),
            cancelOrders: (symbol, reason) => this.cancelAll(symbol, reason),
            closePosition: (symbol, price, fee, now) => this.closeByLiquidation(symbol, price, fee, now),
          })
        : null;
    this.context = {
      account: this.account,
      fillableLots: (order, atTicks, liquidity) => this.fillableLots(order, atTicks, liquidity),
      fill: (traded, order, ticks, lots, liquidity, now) => this.applyFill(traded, order, ticks, lots, liquidity, now),
      rest: (traded, order) => this.rest(traded, order),
      arm: (traded, order) => this.arm(traded, order),
      hold: (order, ticks) => {
        if (!order.reduceOnly) this.account.reserve(order, ticks);
      },
      trigger: (traded, order, now) => this.trigger(traded, order, now),
      finish: (order, status, now, reason, event) => this.finish(order, status, now, reason, event),
      completeImmediate: (order, now, reason) => this.completeImmediate(order, now, reason),
      afterMakerFill: (order, now) => this.afterMakerFill(order, now),
      openOrders: (symbol) => [...this.open.values()].filter((o) => o.symbol === symbol && o.active),
    };
    const changed = (order: PaperOrder) => this.changes.orders.add(order);
    this.groups = new PaperGroups({
      emit: this.emit,
      changed,
      finish: (order, status, now, reason, event) => this.finish(order, status, now, reason, event),
      execute: (order, now) => this.fillModel.execute(order, this.mustTrade(order.symbol), this.context, now),
      traded: (symbol) => this.mustTrade(symbol),
    });
    this.trails = new PaperTrailing({
      emit: this.emit,
      changed,
      rearm: (traded, order) => {
        traded.orders.remove(order);
        this.account.release(order);
        this.arm(traded, order);
      },
    });
  }

  // ---------------------------------------------------------------- commands

  /**
   * Takes an order, with a bracket's children (`attached`) or an OCO pair's
   * other leg (`oco`) when it has them: all are accepted, or all rejected.
   */
  submit(cmd: SubmitOrder): void {
    const now = this.clock.now();
    const children = this.groups.childCommands(cmd, cmd.attached ?? []);
    const legs = [cmd, ...(cmd.oco ? [cmd.oco] : []), ...children];
    if (legs.some((leg) => this.open.has(leg.clientOrderId) || this.terminal.has(leg.clientOrderId)) || new Set(legs.map((l) => l.clientOrderId)).size < legs.length) {
      // Not recorded: a known order under one of these ids must stay what it is.
      for (const leg of legs) {
        this.emit({ type: 'OrderRejected', clientOrderId: leg.clientOrderId, code: 'DUPLICATE_CLIENT_ORDER_ID', reason: `client order id ${leg.clientOrderId} is already known`, timestamp: now });
      }
      return;
    }
    const traded = this.traded.get(cmd.symbol);
    const refuse = (code: VenueRejectCode, reason: string) => {
      for (const leg of legs) this.reject(leg, now, code, leg === cmd ? reason : `rejected with the order it was sent with: ${reason}`);
    };
    if (!traded) return refuse('VENUE_REJECTED', `${cmd.symbol} is not listed on ${this.venue}`);
    const markTicks = traded.market.markTicks();
    if (!(markTicks > 0)) return refuse('NO_LIQUIDITY', `${cmd.symbol} has no market price yet`);
    const rules = { instrument: traded.instrument, math: traded.math, market: traded.market, markTicks, account: this.account };
    const checked = checkOrder(cmd, rules);
    if (isRejection(checked)) return refuse(checked.code, checked.reason);
    const second = cmd.oco ? checkOrder(cmd.oco, rules) : null;
    if (second !== null && isRejection(second)) return refuse(second.code, `OCO leg ${cmd.oco!.clientOrderId}: ${second.reason}`);
    const attachedRefusal = this.groups.checkAttached(cmd, traded, markTicks);
    if (attachedRefusal) return refuse(attachedRefusal.code, attachedRefusal.reason);

    const order = this.accept(cmd, checked, traded, now);
    if (cmd.oco && second !== null && !isRejection(second)) {
      const leg = this.accept(cmd.oco, second, traded, now);
      this.groups.oco(order, leg);
    }
    if (children.length > 0) {
      const held = children.map((child) => this.accept(child, this.childTicks(child, checked.lots, traded), traded, now, true));
      this.groups.bracket(order, held, (cmd.attached ?? []).map((a) => a.role));
    }
    for (const leg of order.group?.kind === 'oco' ? order.group.members : [order]) {
      if (!leg.isOpen) continue;
      if (leg.trailing !== null) this.trails.start(leg, traded, now);
      this.fillModel.execute(leg, traded, this.context, now);
    }
    this.flushGroups(now);
  }

  /**
   * Opens an order the rules accepted and announces it. A bracket's child
   * (`waiting`) stays off the ladders and out of the reduce-only sweep until
   * its entry fills.
   */
  private accept(cmd: SubmitOrder, checked: AcceptedOrder, traded: TradedInstrument, now: number, waiting = false): PaperOrder {
    const seq = this.nextOrderSeq++;
    const order = PaperOrder.fromCommand(cmd, { seq, venueOrderId: `paper-o-${seq}`, ...checked, status: 'open', createdAt: now });
    order.active = !waiting;
    this.open.set(cmd.clientOrderId, order);
    this.changes.orders.add(order);
    if (order.reduceOnly && !waiting) traded.reduceOnly.add(order);
    this.emit({ type: 'OrderAccepted', clientOrderId: cmd.clientOrderId, venueOrderId: order.venueOrderId, timestamp: now });
    return order;
  }

  /** A bracket child's terms in ticks and lots (its prices were checked with the entry). */
  private childTicks(child: SubmitOrder, lots: number, traded: TradedInstrument): AcceptedOrder {
    const ticks = (text: string | null) => (text === null ? 0 : toSteps(text, traded.math.tick));
    return { lots, priceTicks: ticks(child.price), stopTicks: ticks(child.stopPrice) };
  }

  /** Works a bracket's children whose entry has filled (after the command or market change that filled it). */
  private flushGroups(now: number): void {
    this.groups.flush(now, (child) => {
      const traded = this.mustTrade(child.symbol);
      if (child.reduceOnly) traded.reduceOnly.add(child);
      if (child.trailing !== null) this.trails.start(child, traded, now);
      this.fillModel.execute(child, traded, this.context, now);
    });
  }

  cancel(cmd: CancelOrder): void {
    const now = this.clock.now();
    const order = this.open.get(cmd.clientOrderId);
    if (!order || order.symbol !== cmd.symbol) {
      const known = this.terminal.get(cmd.clientOrderId);
      const reason = order
        ? `order ${cmd.clientOrderId} is on ${order.symbol}, not ${cmd.symbol}`
        : known
          ? `order ${cmd.clientOrderId} is already ${known.status}`
          : `order ${cmd.clientOrderId} is unknown`;
      this.emit({ type: 'OrderCancelRejected', clientOrderId: cmd.clientOrderId, reason, timestamp: now });
      return;
    }
    this.finish(order, 'canceled', now, 'canceled by request', 'OrderCanceled');
    this.flushGroups(now);
  }

  /** Changes a working order's terms in place (see `paperAmend`). */
  amend(cmd: AmendOrder): void {
    const now = this.clock.now();
    const order = this.open.get(cmd.clientOrderId);
    const traded = order && order.symbol === cmd.symbol ? this.traded.get(order.symbol) : undefined;
    if (!order || !traded) {
      const known = this.terminal.get(cmd.clientOrderId);
      const reason = known ? `order ${cmd.clientOrderId} is already ${known.status}` : `order ${cmd.clientOrderId} is not working on ${cmd.symbol}`;
      this.emit({ type: 'OrderAmendRejected', clientOrderId: cmd.clientOrderId, reason, timestamp: now });
      return;
    }
    const lotsBefore = order.lots;
    amendPaperOrder(order, cmd, traded, now, { context: this.context, fillModel: this.fillModel, emit: this.emit, changed: (o) => this.changes.orders.add(o) });
    if (order.lots !== lotsBefore) this.groups.onEntryResized(order, now);
    this.flushGroups(now);
  }

  /** Cancels every open order, optionally of one symbol. */
  cancelAll(symbol?: string, reason = 'canceled by cancel-all'): void {
    const now = this.clock.now();
    for (const order of [...this.open.values()]) {
      // An entry's cancel may already have taken its waiting children with it.
      if (order.isOpen && (symbol === undefined || order.symbol === symbol)) this.finish(order, 'canceled', now, reason, 'OrderCanceled');
    }
  }

  setLeverage(symbol: string, leverage: number): void {
    const { instrument } = this.mustTrade(symbol);
    if (!Number.isInteger(leverage) || leverage < 1 || leverage > instrument.maxLeverage) {
      throw new RangeError(`Leverage for ${symbol} must be a whole number from 1 to ${instrument.maxLeverage}, got ${leverage}`);
    }
    if (this.perpetuals) this.perpetuals.setLeverage(symbol, leverage, this.hasOpenOrders(symbol));
    else this.account.setLeverage(symbol, leverage);
    this.changes.account = true;
  }

  /** Cross or isolated margin for a perpetual; refused (RangeError) while it has a position or open orders. */
  setMarginMode(symbol: string, mode: MarginMode): void {
    this.mustTrade(symbol);
    if (!this.perpetuals) throw new RangeError(`${symbol} is not margined: it has no margin mode`);
    this.perpetuals.setMarginMode(symbol, mode, this.hasOpenOrders(symbol));
  }

  /** A perpetual's funding interval ended: its open position is charged or paid. */
  settleFunding(due: FundingDue, now: number): void {
    this.perpetuals?.settleFunding(due, now);
  }

  /** Cancels every open order and starts the account over with `balance` (leverage settings stay; the fill history is kept). */
  reset(balance: Dec): void {
    if (balance.isNegative()) throw new RangeError(`Balance must not be negative, got ${balance.toString()}`);
    this.cancelAll(undefined, 'account reset');
    this.account.reset(balance);
    this.changes.account = true;
  }

  // ------------------------------------------------------------------ market

  /** The market of one instrument changed (see `MarketUpdate`): orders it reached fill or trigger. */
  marketChanged(update: MarketUpdate, now: number): void {
    const traded = this.mustTrade(update.symbol);
    if (update.kind !== 'trade') {
      traded.mark = null;
      this.account.marksChanged();
    }
    // A trade moves trailing stops before stops trigger at its price; a bar's range meets the stops as they stood.
    if (update.kind === 'trade') this.trails.follow(traded, update.trade.ticks, now);
    this.fillModel.marketChanged(update, traded, this.context, now);
    if (update.kind === 'bar') {
      this.trails.follow(traded, update.bar.high, now);
      this.trails.follow(traded, update.bar.low, now);
    }
    this.flushGroups(now);
    // Liquidation is checked last, against the books as the orders above left them.
    if (update.kind !== 'trade') this.perpetuals?.marksMoved(now);
  }

  /** Once a command is over: reduce-only orders whose position closed or flipped during it are canceled. */
  settle(): void {
    if (this.sweep.size === 0) return;
    const now = this.clock.now();
    for (const traded of this.sweep) {
      for (const order of [...traded.reduceOnly]) {
        if (order.isOpen && this.account.reducibleLots(order.symbol, order.side) === 0) {
          this.finish(order, 'canceled', now, 'reduce-only: the position it reduced was closed', 'OrderCanceled');
        }
      }
    }
    this.sweep.clear();
  }

  /** The exact mark: the market's mark in ticks (twice it is a whole number of ticks: it may sit half a tick between two). */
  markOf(symbol: string): Dec {
    const traded = this.traded.get(symbol);
    if (!traded) throw new Error(`Unknown instrument ${symbol}`);
    if (!traded.mark) {
      const halfTicks = Math.round(traded.market.markTicks() * 2);
      traded.mark = Dec.fromUnits((BigInt(halfTicks) * traded.math.tick.units) / 2n);
    }
    return traded.mark;
  }

  // ----------------------------------------------------------------- reports

  instruments(): Instrument[] {
    return this.instrumentList.map((i) => ({ ...i }));
  }

  orderReport(clientOrderId: string): VenueOrderReport | undefined {
    const order = this.open.get(clientOrderId) ?? this.terminal.get(clientOrderId);
    return order?.toReport(this.traded.get(order.symbol)?.math.lot);
  }

  openOrderReports(): VenueOrderReport[] {
    return [...this.open.values()].map((o) => o.toReport(this.traded.get(o.symbol)?.math.lot));
  }

  positionReports(): VenuePositionReport[] {
    return this.account.positionReports();
  }

  balanceReports(): Balance[] {
    return this.account.balanceReports();
  }

  // ------------------------------------------------------------- persistence

  orderRecord(order: PaperOrder): PaperOrderRecord {
    return order.toRecord(this.traded.get(order.symbol)?.math.lot);
  }

  accountRecord(now: number): PaperAccountRecord {
    return { ledger: this.account.snapshot(), nextOrderSeq: this.nextOrderSeq, nextTradeSeq: this.nextTradeSeq, updatedAt: now };
  }

  /** Rebuilds the account, the id counters, the order history and the open orders from what the store kept. */
  restore(account: PaperAccountRecord | undefined, records: readonly PaperOrderRecord[]): void {
    if (account) {
      this.account.restore(account.ledger);
      this.nextOrderSeq = account.nextOrderSeq;
      this.nextTradeSeq = account.nextTradeSeq;
    }
    for (const r of records) this.nextOrderSeq = Math.max(this.nextOrderSeq, r.seq + 1);
    const terminal = records.filter((r) => r.status !== 'open' && r.status !== 'partially_filled');
    terminal.sort((a, b) => a.updatedAt - b.updatedAt || a.seq - b.seq);
    const groupOf = new Map<PaperOrder, string>();
    const restored = (r: PaperOrderRecord): PaperOrder => {
      const order = PaperOrder.fromRecord(r, this.traded.get(r.symbol)?.math);
      if (r.group !== undefined) groupOf.set(order, r.group);
      return order;
    };
    for (const r of terminal.slice(Math.max(0, terminal.length - this.terminalOrderLimit))) {
      this.terminal.set(r.clientOrderId, restored(r));
      this.terminalOrder.push(r.clientOrderId);
    }
    const open = records.filter((r) => r.status === 'open' || r.status === 'partially_filled').sort((a, b) => a.seq - b.seq);
    const working: PaperOrder[] = [];
    for (const r of open) {
      const order = restored(r);
      const traded = this.traded.get(order.symbol);
      if (!traded) {
        // Delisted since the last run: the order cannot be worked any more.
        this.finish(order, 'canceled', this.clock.now(), `${order.symbol} is no longer listed`);
        continue;
      }
      this.open.set(order.clientOrderId, order);
      working.push(order);
    }
    // Brackets and OCO pairs are bound again (a bracket's entry may have ended already), then the orders are booked.
    this.groups.restore([...this.terminal.values(), ...working], (order) => groupOf.get(order));
    for (const order of working) {
      // A take-profit or stop-loss waiting for its entry stays off the ladders.
      if (!order.active) continue;
      const traded = this.mustTrade(order.symbol);
      if (order.reduceOnly) traded.reduceOnly.add(order);
      this.trails.restore(order, traded);
      if (order.type === 'limit' || (hasLimitPrice(order.type) && order.triggered)) this.rest(traded, order);
      else if (order.type === 'market') this.context.hold(order, order.side === 'buy' ? traded.market.bestAsk() : traded.market.bestBid());
      else this.arm(traded, order);
    }
    this.flushGroups(this.clock.now());
  }

  // --------------------------------------------------------------- internals

  private openAccount(initialBalance: Dec): ExchangeAccount {
    const traded = [...this.traded.values()];
    const maths = traded.map((t) => t.math);
    if (accountKindOf(this.instrumentList) === 'cash') {
      const currencies = new Set(this.instrumentList.map((i) => i.quote));
      if (currencies.size > 1) throw new RangeError(`A cash account holds one currency; these spot instruments are quoted in ${[...currencies].join(', ')}`);
      const [currency = 'USDT'] = currencies;
      return new CashAccount(currency, initialBalance, maths, (symbol) => this.markOf(symbol), (math) => this.fillModel.feeK(math, 'taker'));
    }
    const account = new MarginAccount(this.instrumentList[0]?.settle ?? 'USDT', initialBalance, maths, {
      exact: (symbol) => this.markOf(symbol),
      approx: (symbol) => this.approxMarkOf(symbol),
    });
    for (const t of traded) {
      if (t.instrument.defaultLeverage !== 10) account.setLeverage(t.instrument.symbol, t.instrument.defaultLeverage);
    }
    return account;
  }

  private reject(cmd: SubmitOrder, now: number, code: VenueRejectCode, reason: string): void {
    // Recorded so `orderReport` can answer for an order whose rejection the caller never saw.
    const order = PaperOrder.rejected(cmd, now);
    order.reason = `${code}: ${reason}`;
    this.addTerminal(order);
    this.changes.orders.add(order);
    this.emit({ type: 'OrderRejected', clientOrderId: cmd.clientOrderId, code, reason, timestamp: now });
  }

  /** Remaining lots, clipped to the position for reduce-only orders and to what the account can settle (at `atTicks`, when given). */
  private fillableLots(order: PaperOrder, atTicks?: number, liquidity: LiquidityRole = 'taker'): number {
    let lots = order.remainingLots;
    // A bracket's take-profit or stop-loss closes no more than its entry has filled (less what it already closed).
    if (order.group !== null) lots = Math.min(lots, this.groups.capacity(order));
    if (order.reduceOnly) lots = Math.min(lots, this.account.reducibleLots(order.symbol, order.side));
    // A margin account never bounds a fill (margin is checked at intake): the hot path stops here.
    if (lots <= 0 || this.account.kind === 'margin') return lots;
    const feeK = atTicks === undefined ? 0n : this.fillModel.feeK(this.mustTrade(order.symbol).math, liquidity);
    return Math.min(lots, this.account.fillableLots(order, atTicks, feeK));
  }

  private rest(traded: TradedInstrument, order: PaperOrder): void {
    traded.orders.rest(order);
    if (!order.reduceOnly) this.account.reserve(order, order.priceTicks);
  }

  private arm(traded: TradedInstrument, order: PaperOrder): void {
    traded.orders.arm(order);
    if (!order.reduceOnly) this.account.reserve(order, marketOnTrigger(order) ? order.stopTicks : order.priceTicks);
  }

  private trigger(traded: TradedInstrument, order: PaperOrder, now: number): boolean {
    traded.orders.remove(order);
    this.account.release(order);
    order.triggered = true;
    order.updatedAt = now;
    this.changes.orders.add(order);
    this.emit({ type: 'OrderTriggered', clientOrderId: order.clientOrderId, timestamp: now });
    traded.trailing.delete(order);
    // One-cancels-other: the other exit goes, and what is left of the entry.
    this.groups.onTrigger(order, now);
    if (order.reduceOnly && this.fillableLots(order) === 0) {
      this.finish(order, 'canceled', now, NOTHING_LEFT_TO_REDUCE, 'OrderCanceled');
      return false;
    }
    return true;
  }

  private applyFill(traded: TradedInstrument, order: PaperOrder, ticks: number, lots: number, liquidity: LiquidityRole, now: number): void {
    const { math } = traded;
    const fee = Dec.fromUnits(BigInt(ticks * lots) * this.fillModel.feeK(math, liquidity));
    const before = this.account.positionLots(order.symbol);
    this.account.applyFill(order.symbol, order.side, lots, ticks, fee, now);
    const after = this.account.positionLots(order.symbol);
    if (traded.reduceOnly.size > 0 && (after === 0 || Math.sign(after) !== Math.sign(before))) this.sweep.add(traded);
    order.filledLots += lots;
    // Stays open until the caller finishes it, so every path ends an order through `finish`.
    order.status = 'partially_filled';
    order.updatedAt = now;
    this.changes.orders.add(order);
    this.changes.account = true;
    const fill: VenueFillReport = {
      clientOrderId: order.clientOrderId,
      venueOrderId: order.venueOrderId,
      tradeId: `paper-t-${this.nextTradeSeq++}`,
      side: order.side,
      symbol: order.symbol,
      quantity: formatSteps(lots, math.lot),
      price: formatSteps(ticks, math.tick),
      fee: fee.toString(),
      feeCurrency: math.currency,
      liquidity,
      timestamp: now,
    };
    // Stored with the order and account changes it caused; listeners get their own copy of the facts.
    this.changes.fills.push(fill);
    this.emit({ type: 'OrderFilled', ...fill });
    this.groups.onFill(order, lots, now);
  }

  /**
   * The venue closes a whole position whose margin ran out: a reduce-only
   * market order of its own (client id `paper-liq-<n>`), filled at `price`
   * with `fee`, reported as a liquidation fill.
   */
  private closeByLiquidation(symbol: string, price: Dec, fee: Dec, now: number): void {
    const traded = this.mustTrade(symbol);
    const { math } = traded;
    const position = this.account.positionLots(symbol);
    if (position === 0) return;
    const side = position > 0 ? 'sell' : 'buy';
    const lots = Math.abs(position);
    const ticks = decToSteps(price, math.tick);
    const seq = this.nextOrderSeq++;
    const quantity = formatSteps(lots, math.lot);
    const order = PaperOrder.fromCommand(
      { clientOrderId: `paper-liq-${seq}`, symbol, side, type: 'market', quantity, price: null, stopPrice: null, timeInForce: 'IOC', postOnly: false, reduceOnly: true },
      { seq, venueOrderId: `paper-o-${seq}`, lots, priceTicks: 0, stopTicks: 0, status: 'open', createdAt: now },
    );
    this.account.applyFill(symbol, side, lots, ticks, fee, now);
    order.filledLots = lots;
    const fill: VenueFillReport = {
      clientOrderId: order.clientOrderId,
      venueOrderId: order.venueOrderId,
      tradeId: `paper-t-${this.nextTradeSeq++}`,
      side,
      symbol,
      quantity,
      price: formatSteps(ticks, math.tick),
      fee: fee.toString(),
      feeCurrency: math.currency,
      liquidity: 'taker',
      timestamp: now,
      liquidation: true,
    };
    this.changes.fills.push(fill);
    this.changes.account = true;
    this.emit({ type: 'OrderFilled', ...fill });
    this.finish(order, 'filled', now, 'liquidation');
  }

  private hasOpenOrders(symbol: string): boolean {
    for (const order of this.open.values()) if (order.symbol === symbol) return true;
    return false;
  }

  private completeImmediate(order: PaperOrder, now: number, reason: string): void {
    if (!order.isOpen) return;
    if (order.remainingLots === 0) this.finish(order, 'filled', now);
    else if (order.reduceOnly && this.fillableLots(order) === 0) this.finish(order, 'canceled', now, NOTHING_LEFT_TO_REDUCE, 'OrderCanceled');
    else this.finish(order, 'expired', now, reason, 'OrderExpired');
  }

  private afterMakerFill(order: PaperOrder, now: number): void {
    if (order.remainingLots === 0) this.finish(order, 'filled', now);
    else if (order.reservedLots > 0) this.account.reserve(order, order.reservedTicks);
  }

  private finish(order: PaperOrder, status: PaperOrderStatus, now: number, reason?: string, event?: 'OrderCanceled' | 'OrderExpired'): void {
    // Ended once: a group rule may have ended it already while it was being worked.
    if (!order.isOpen) return;
    const traded = this.traded.get(order.symbol);
    traded?.orders.remove(order);
    traded?.reduceOnly.delete(order);
    traded?.trailing.delete(order);
    this.account.release(order);
    order.status = status;
    order.reason = reason ?? null;
    order.updatedAt = now;
    this.open.delete(order.clientOrderId);
    this.addTerminal(order);
    this.changes.orders.add(order);
    if (event) this.emit({ type: event, clientOrderId: order.clientOrderId, reason: reason ?? status, timestamp: now });
    this.groups.onFinish(order, now);
  }

  private addTerminal(order: PaperOrder): void {
    this.terminal.set(order.clientOrderId, order);
    this.terminalOrder.push(order.clientOrderId);
    while (this.terminal.size > this.terminalOrderLimit) {
      const oldest = this.terminalOrder[this.terminalHead++]!;
      const evicted = this.terminal.get(oldest);
      this.terminal.delete(oldest);
      if (evicted) {
        this.changes.orders.delete(evicted);
        // Restart derives the next order id from stored orders; once the newest one is gone, the account record must carry it.
        if (evicted.seq === this.nextOrderSeq - 1) this.changes.account = true;
      }
      this.changes.evicted.push(oldest);
    }
    if (this.terminalHead > 4096 && this.terminalHead * 2 > this.terminalOrder.length) {
      this.terminalOrder.splice(0, this.terminalHead);
      this.terminalHead = 0;
    }
  }

  private approxMarkOf(symbol: string): number {
    const traded = this.traded.get(symbol);
    if (!traded) throw new Error(`Unknown instrument ${symbol}`);
    return traded.market.markTicks() * traded.tickSize;
  }

  private mustTrade(symbol: string): TradedInstrument {
    const traded = this.traded.get(symbol);
    if (!traded) throw new Error(`${symbol} is not listed on ${this.venue}`);
    return traded;
  }
}
