/**
 * The embedded paper venue: a seeded simulated market for USDT-margined
 * perpetuals and a matching engine with fees, slippage and margin, behind the
 * same `VenuePort` a real exchange adapter implements.
 *
 * Every command runs to completion synchronously: its state changes, then
 * one store transaction that writes them (fills included: `fillReports`
 * reads them back) and, inside it, delivers the execution events they caused
 * (before the returned promise settles, in the order the venue produced
 * them). Market data goes out after the commit. Events are queued during a
 * command and dispatched after it, so a listener that reacts by calling the
 * venue again sees a consistent venue and its events follow.
 *
 * Delivering execution events inside the transaction is what makes the venue
 * and a journal on the same SQLite connection move together: a listener's
 * synchronous writes join the venue's transaction (a nested better-sqlite3
 * transaction is a savepoint), so a crash never leaves the venue with a fill
 * or cancel that the listener has not recorded, whether the engine asked for
 * it (submit, cancel: the engine wraps those in its own transaction) or the
 * venue made it on its own (market steps filling resting orders, stops
 * triggering, reduce-only orders canceled when their position closes). A
 * listener that throws is reported to `onError` and does not abort the
 * transaction.
 *
 * Behaviour that real exchanges differ on, and what this venue does:
 * - Reduce-only: rejected (REDUCE_ONLY_REJECTED) when the position is flat
 *   or on the order's side. An order larger than the position is accepted
 *   but clipped: it fills at most the position, and the remainder is
 *   canceled as soon as the position is closed. Resting or armed reduce-only
 *   orders are canceled when the position they reduce is closed or flips.
 *   Reduce-only orders need no margin and are exempt from min notional.
 * - Market orders and IOC/FOK remainders that cannot fill end `expired`.
 * - Post-only orders that would take liquidity are rejected.
 * - Stops trigger on the last simulated trade price; one whose condition
 *   already holds at submission triggers at once.
 * - User orders never trade with each other; takers walk the synthetic
 *   book, resting orders fill (as maker, at their own price) when the book
 *   moves through them or a simulated trade prints through their price.
 * - Limit and stop prices must be within 10× of the mark (see orderRules).
 */
import { Dec } from '../../../shared/decimal';
import type { Bar } from '../../core/candles';
import type { AccountSummary, Balance, Instrument, OrderBook, Position, Ticker, Timeframe } from '../../../shared/domain';
import type { Clock, TimerHandle } from '../../engine/ports/clock';
import type {
  CancelOrder,
  ExecutionEvent,
  MarketEvent,
  SubmitOrder,
  VenueFillReport,
  VenueOrderReport,
  VenuePort,
  VenuePositionReport,
  VenueRejectCode,
} from '../../engine/ports/venue';
import { EventOutbox } from './eventOutbox';
import { FaultInjector, INJECTED_FAILURE, type FaultConfig } from './faults';
import { formatSteps, stepsToNumber, toSteps } from './fixedPoint';
import { checkOrder, isRejection } from './orderRules';
import { PAPER_INSTRUMENTS, PAPER_VENUE_ID, instrumentMath, type InstrumentMath, type PaperInstrumentSpec } from './instruments';
import { MatchingEngine, marketLimit, type MatchingBook } from './matchingEngine';
import { PaperAccount } from './paperAccount';
import { PaperOrder, type PaperOrderStatus } from './paperOrder';
import { Prng, hashSeed } from './prng';
import { DEFAULT_HISTORY_MINUTES, DEFAULT_RETENTION_MINUTES } from './history';
import { InMemoryPaperVenueStore, type PaperVenueStore } from './store';
import { SymbolMarket, type SimTrade } from './symbolMarket';
import { realizedFigures } from '../../core/ledger';
import { FillBuffer } from './syntheticBook';

export const DEFAULT_PAPER_SEED = 20_240_601;
export const DEFAULT_PAPER_BALANCE = '10000';

export interface PaperVenueOptions {
  clock: Clock;
  /** Persistence of this venue (a store is bound to one venue id). Default: in memory, nothing survives the process. */
  store?: PaperVenueStore;
  /** Venue id in instruments, tickers and books. Default 'paper'. */
  id?: string;
  seed?: number;
  /** Starting balance of a new account (USDT, decimal string). Default 10,000. */
  initialBalance?: string;
  /** 1-minute bars of history generated for a market with none stored (and at most this many for the minutes a restart missed). Default 10,080 (7 days). */
  historyMinutes?: number;
  /** 1-minute bars kept in memory and in the store, in minutes (the oldest whole days beyond it are dropped). Default 43,200 (30 days). */
  historyRetentionMinutes?: number;
  /** Market step interval. Default 200 ms. */
  stepMs?: number;
  /** How often each instrument's market state is persisted. Default 1000 ms. */
  marketSnapshotMs?: number;
  /** Terminal orders kept for `orderReport`. Default 10,000. */
  terminalOrderLimit?: number;
  faults?: Partial<FaultConfig>;
  instruments?: readonly PaperInstrumentSpec[];
  /** Listener and timer errors go here (the venue keeps running). Default console.error. */
  onError?: (error: unknown) => void;
}

interface Listed {
  instrument: Instrument;
  math: InstrumentMath;
  market: SymbolMarket;
  book: MatchingBook<PaperOrder>;
  /** Open reduce-only orders, re-checked when the position closes or flips. */
  reduceOnly: Set<PaperOrder>;
  mark: Dec | null;
  /** Tick size as a float (mark estimates). */
  tickSize: number;
  savedAt: number;
}

const MAX_STEP_GAP_MS = 5_000;

export class PaperVenue implements VenuePort {
  readonly id: string;
  readonly paper = true;

  private readonly clock: Clock;
  private readonly store: PaperVenueStore;
  private readonly listed = new Map<string, Listed>();
  private readonly instrumentList: Instrument[] = [];
  private readonly engine = new MatchingEngine<PaperOrder>();
  private readonly account: PaperAccount;
  private readonly faults: FaultInjector;
  private readonly initialBalance: string;
  private readonly stepMs: number;
  private readonly marketSnapshotMs: number;
  private readonly terminalOrderLimit: number;
  private readonly onError: (error: unknown) => void;

  private readonly open = new Map<string, PaperOrder>();
  private readonly terminal = new Map<string, PaperOrder>();
  /**
   * Terminal client order ids, oldest first from `terminalHead`: eviction
   * order kept apart from the map because asking a Map that has seen many
   * deletions for its first key walks over every deleted slot.
   */
  private readonly terminalOrder: string[] = [];
  private terminalHead = 0;
  private readonly outbox: EventOutbox;
  private readonly fills = new FillBuffer();

  private depth = 0;
  private readonly dirtyOrders = new Set<PaperOrder>();
  private readonly evicted: string[] = [];
  private readonly newFills: VenueFillReport[] = [];
  private readonly marketsToSave = new Set<Listed>();
  private readonly sweep = new Set<Listed>();
  private accountDirty = false;

  private nextOrderSeq = 1;
  private nextTradeSeq = 1;
  private timer: TimerHandle | null = null;
  private lastStepAt: number;

  constructor(options: PaperVenueOptions) {
    this.clock = options.clock;
    this.store = options.store ?? new InMemoryPaperVenueStore();
    this.id = options.id ?? PAPER_VENUE_ID;
    this.initialBalance = options.initialBalance ?? DEFAULT_PAPER_BALANCE;
    this.stepMs = options.stepMs ?? 200;
    this.marketSnapshotMs = options.marketSnapshotMs ?? 1000;
    this.terminalOrderLimit = options.terminalOrderLimit ?? 10_000;
    this.onError = options.onError ?? ((error) => console.error('[paper venue]', error));
    this.outbox = new EventOutbox(this.onError);
    const seed = options.seed ?? DEFAULT_PAPER_SEED;
    const now = this.clock.now();
    this.lastStepAt = now;
    this.faults = new FaultInjector(new Prng(hashSeed(seed, this.id, 'faults', now)), options.faults);

    const persistedMarkets = new Map(this.store.loadMarket().map((r) => [r.symbol, r]));
    for (const spec of options.instruments ?? PAPER_INSTRUMENTS) {
      const instrument: Instrument = { ...spec.instrument, venue: this.id };
      const math = instrumentMath(instrument, spec.market.maxQuantity);
      const persisted = persistedMarkets.get(instrument.symbol);
      const market = new SymbolMarket({
        spec,
        math,
        seed,
        now,
        historyMinutes: options.historyMinutes ?? DEFAULT_HISTORY_MINUTES,
        retentionMinutes: options.historyRetentionMinutes ?? DEFAULT_RETENTION_MINUTES,
        store: this.store,
        ...(persisted ? { persisted } : {}),
      });
      const book = this.engine.addSymbol(instrument.symbol, market.book);
      const listed: Listed = { instrument, math, market, book, reduceOnly: new Set(), mark: null, tickSize: stepsToNumber(1, math.tick), savedAt: now };
      this.listed.set(instrument.symbol, listed);
      this.instrumentList.push(instrument);
      // Generated or gap-filled bars are stored by the first flush (restore's).
      if (market.unsavedBars > 0) this.marketsToSave.add(listed);
    }
    const currency = this.instrumentList[0]?.settle ?? 'USDT';
    this.account = new PaperAccount(
      currency,
      Dec.parse(this.initialBalance),
      [...this.listed.values()].map((l) => l.math),
      { exact: (symbol) => this.markOf(symbol), approx: (symbol) => this.approxMarkOf(symbol) },
    );
    for (const l of this.listed.values()) {
      if (l.instrument.defaultLeverage !== 10) this.account.setLeverage(l.instrument.symbol, l.instrument.defaultLeverage);
    }
    this.restore();
  }

  // ---------------------------------------------------------------- lifecycle

  async start(): Promise<void> {
    if (this.timer) return;
    this.lastStepAt = this.clock.now();
    this.timer = this.clock.every(this.stepMs, () => {
      try {
        this.stepMarket();
      } catch (error) {
        this.onError(error);
      }
    });
  }

  async stop(): Promise<void> {
    this.timer?.cancel();
    this.timer = null;
    this.run(() => {
      for (const l of this.listed.values()) this.marketsToSave.add(l);
    });
  }

  /**
   * Runs one market step for every instrument: the mid moves by `dtMs` (by
   * default the time since the last step), the book is redrawn, simulated
   * trades print and fill or trigger user orders, tickers are published.
   * `start()` calls this on the clock; tests may call it directly.
   */
  stepMarket(dtMs?: number): void {
    const now = this.clock.now();
    const dt = dtMs ?? Math.min(MAX_STEP_GAP_MS, Math.max(0, now - this.lastStepAt));
    this.lastStepAt = now;
    this.run(() => {
      for (const l of this.listed.values()) this.stepInstrument(l, now, dt);
    });
  }

  // ------------------------------------------------------------- market data

  instruments(): Instrument[] {
    return this.instrumentList.map((i) => ({ ...i }));
  }

  async candles(symbol: string, timeframe: Timeframe, limit: number): Promise<Bar[]> {
    return this.mustList(symbol).market.candles(timeframe, limit);
  }

  ticker(symbol: string): Ticker {
    return this.mustList(symbol).market.ticker(this.id, this.clock.now());
  }

  orderBook(symbol: string, depth: number): OrderBook {
    const l = this.mustList(symbol);
    const levels = (side: 'bids' | 'asks'): Array<[string, string]> =>
      l.book.synthetic.depth(side, depth).map(([ticks, lots]) => [formatSteps(ticks, l.math.tick), formatSteps(lots, l.math.lot)]);
    return { venue: this.id, symbol, bids: levels('bids'), asks: levels('asks'), timestamp: this.clock.now() };
  }

  // ---------------------------------------------------------------- commands

  submit(command: SubmitOrder): Promise<void> {
    if (this.faults.failOrder()) return Promise.reject(new Error(INJECTED_FAILURE));
    return this.perform(() => this.place(command));
  }

  cancel(command: CancelOrder): Promise<void> {
    if (this.faults.failCancel()) return Promise.reject(new Error(INJECTED_FAILURE));
    return this.perform(() => this.cancelOne(command));
  }

  cancelAll(symbol?: string): Promise<void> {
    if (this.faults.failCancel()) return Promise.reject(new Error(INJECTED_FAILURE));
    return this.perform(() => {
      const now = this.clock.now();
      for (const order of [...this.open.values()]) {
        if (symbol === undefined || order.symbol === symbol) this.finish(order, 'canceled', now, 'canceled by cancel-all', 'OrderCanceled');
      }
    });
  }

  async setLeverage(symbol: string, leverage: number): Promise<void> {
    const l = this.mustList(symbol);
    if (!Number.isInteger(leverage) || leverage < 1 || leverage > l.instrument.maxLeverage) {
      throw new RangeError(`Leverage for ${symbol} must be a whole number from 1 to ${l.instrument.maxLeverage}, got ${leverage}`);
    }
    this.run(() => {
      this.account.setLeverage(symbol, leverage);
      this.accountDirty = true;
    });
  }

  /** Cancels every open order and starts the account over with `balance` (leverage settings stay; the fill history is kept). */
  async resetAccount(balance: string = this.initialBalance): Promise<void> {
    const amount = Dec.parse(balance);
    if (amount.isNegative()) throw new RangeError(`Balance must not be negative, got ${balance}`);
    this.run(() => {
      const now = this.clock.now();
      for (const order of [...this.open.values()]) this.finish(order, 'canceled', now, 'account reset', 'OrderCanceled');
      this.account.reset(amount);
      this.accountDirty = true;
    });
  }

  setFaults(config: Partial<FaultConfig>): void {
    this.faults.set(config);
  }

  /** Scenario hook (tests, demos): moves the simulated mid to `price` now; resting orders it moves through fill. */
  setMarketPrice(symbol: string, price: number): void {
    const l = this.mustList(symbol);
    this.run(() => {
      const now = this.clock.now();
      l.market.setPrice(now, price);
      this.marketMoved(l);
      this.fillCrossed(l, now);
    });
  }

  /** Scenario hook (tests, demos): prints a simulated trade, exactly as the market's own trades are processed. */
  injectTrade(symbol: string, side: 'buy' | 'sell', price: string, quantity: string): void {
    const l = this.mustList(symbol);
    const ticks = toSteps(price, l.math.tick);
    const lots = toSteps(quantity, l.math.lot);
    if (ticks <= 0 || lots <= 0) throw new RangeError(`Trade ${quantity} @ ${price} is not on ${symbol}'s tick and lot`);
    this.run(() => this.processTrade(l, { side, ticks, lots }, this.clock.now()));
  }

  // ----------------------------------------------------------------- reports

  async orderReport(clientOrderId: string, _symbol?: string): Promise<VenueOrderReport | undefined> {
    const order = this.open.get(clientOrderId) ?? this.terminal.get(clientOrderId);
    return order?.toReport(this.listed.get(order.symbol)?.math.lot);
  }

  async openOrderReports(): Promise<VenueOrderReport[]> {
    return [...this.open.values()].map((o) => o.toReport(this.listed.get(o.symbol)?.math.lot));
  }

  /** Every fill this venue made at or after `sinceMs`, oldest first, from its store (an account reset keeps them). */
  async fillReports(sinceMs: number): Promise<VenueFillReport[]> {
    return this.store.loadFills(sinceMs);
  }

  async positionReports(): Promise<VenuePositionReport[]> {
    return this.account.ledger.positions().map((p) => ({
      symbol: p.symbol,
      quantity: p.quantity.toString(),
      entryPrice: this.account.ledger.entryPrice(p.symbol).toString(),
      leverage: p.leverage,
    }));
  }

  async balanceReports(): Promise<Balance[]> {
    return [{ currency: this.account.currency, total: this.account.ledger.balance.toString() }];
  }

  /** The account as the venue sees it at current marks. */
  accountSummary(): AccountSummary {
    const f = this.account.figures();
    const ledger = this.account.ledger;
    return {
      venue: this.id,
      currency: this.account.currency,
      balance: f.balance.toString(),
      equity: f.equity.toString(),
      unrealizedPnl: f.unrealizedPnl.toString(),
      ...realizedFigures(ledger),
      marginUsed: f.positionMargin.toString(),
      orderMargin: f.orderMargin.toString(),
      available: f.available.toString(),
      balances: [{ currency: this.account.currency, total: f.balance.toString() }],
      leverage: Object.fromEntries([...this.listed.keys()].map((symbol) => [symbol, ledger.leverage(symbol)])),
      updatedAt: this.clock.now(),
    };
  }

  /** Open positions with marks, PnL and margin. */
  positions(): Position[] {
    const ledger = this.account.ledger;
    return ledger.positions().map((p) => {
      const mark = this.markOf(p.symbol);
      return {
        venue: this.id,
        symbol: p.symbol,
        side: p.quantity.isPositive() ? 'long' : 'short',
        quantity: p.quantity.abs().toString(),
        entryPrice: ledger.entryPrice(p.symbol).toString(),
        markPrice: mark.toString(),
        notional: p.quantity.abs().mul(mark).toString(),
        unrealizedPnl: ledger.unrealizedPnl(p.symbol, mark).toString(),
        ...realizedFigures(p),
        leverage: p.leverage,
        margin: ledger.positionMargin(p.symbol, mark).toString(),
        updatedAt: p.updatedAt,
      };
    });
  }

  onExecution(listener: (event: ExecutionEvent) => void): () => void {
    return this.outbox.onExecution(listener);
  }

  onMarket(listener: (event: MarketEvent) => void): () => void {
    return this.outbox.onMarket(listener);
  }

  // ------------------------------------------------------------ order intake

  private place(cmd: SubmitOrder): void {
    const now = this.clock.now();
    const cid = cmd.clientOrderId;
    if (this.open.has(cid) || this.terminal.has(cid)) {
      // Not recorded: the known order under this id must stay what it is.
      this.emit({ type: 'OrderRejected', clientOrderId: cid, code: 'DUPLICATE_CLIENT_ORDER_ID', reason: `client order id ${cid} is already known`, timestamp: now });
      return;
    }
    const l = this.listed.get(cmd.symbol);
    if (!l) return this.reject(cmd, now, 'VENUE_REJECTED', `${cmd.symbol} is not listed on ${this.id}`);
    const checked = checkOrder(cmd, { instrument: l.instrument, math: l.math, book: l.book.synthetic, markTicks: l.market.markTicks(), account: this.account });
    if (isRejection(checked)) return this.reject(cmd, now, checked.code, checked.reason);
    const { lots, priceTicks, stopTicks } = checked;

    const seq = this.nextOrderSeq++;
    const order = PaperOrder.fromCommand(cmd, { seq, venueOrderId: `paper-o-${seq}`, lots, priceTicks, stopTicks, status: 'open', createdAt: now });
    this.open.set(cid, order);
    this.dirtyOrders.add(order);
    if (order.reduceOnly) l.reduceOnly.add(order);
    this.emit({ type: 'OrderAccepted', clientOrderId: cid, venueOrderId: order.venueOrderId, timestamp: now });

    switch (order.type) {
      case 'market':
        this.executeMarket(l, order, now);
        break;
      case 'limit':
        this.executeLimit(l, order, now);
        break;
      case 'stop':
      case 'stop_limit':
        if (this.stopReached(order, l.market.lastTicks)) this.trigger(l, order, now);
        else this.arm(l, order);
        break;
    }
  }

  private reject(cmd: SubmitOrder, now: number, code: VenueRejectCode, reason: string): void {
    // Recorded so `orderReport` can answer for an order whose rejection the caller never saw.
    const order = PaperOrder.rejected(cmd, now);
    order.reason = `${code}: ${reason}`;
    this.addTerminal(order);
    this.dirtyOrders.add(order);
    this.emit({ type: 'OrderRejected', clientOrderId: cmd.clientOrderId, code, reason, timestamp: now });
  }

  private cancelOne(cmd: CancelOrder): void {
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
  }

  // --------------------------------------------------------------- execution

  private executeMarket(l: Listed, order: PaperOrder, now: number): void {
    this.take(l, order, marketLimit(order.side), now);
    this.completeImmediate(order, now, 'no more liquidity in the book for the rest of the market order');
  }

  private executeLimit(l: Listed, order: PaperOrder, now: number): void {
    if (order.timeInForce === 'FOK') {
      const wanted = this.fillableLots(order);
      if (l.book.fillable(order.side, order.priceTicks) < wanted) {
        this.finish(order, 'expired', now, 'fill-or-kill: not enough liquidity at the limit price to fill in full', 'OrderExpired');
        return;
      }
      this.take(l, order, order.priceTicks, now);
      this.completeImmediate(order, now, 'fill-or-kill remainder');
      return;
    }
    if (!order.postOnly) this.take(l, order, order.priceTicks, now);
    if (order.remainingLots === 0) this.finish(order, 'filled', now);
    else if (order.reduceOnly && this.fillableLots(order) === 0) this.cancelReduceOnlyRest(order, now);
    else if (order.timeInForce === 'IOC') this.finish(order, 'expired', now, 'immediate-or-cancel remainder', 'OrderExpired');
    else this.rest(l, order);
  }

  /** Ends a market, IOC or FOK order after it took what it could. */
  private completeImmediate(order: PaperOrder, now: number, reason: string): void {
    if (!order.isOpen) return;
    if (order.remainingLots === 0) this.finish(order, 'filled', now);
    else if (order.reduceOnly && this.fillableLots(order) === 0) this.cancelReduceOnlyRest(order, now);
    else this.finish(order, 'expired', now, reason, 'OrderExpired');
  }

  private cancelReduceOnlyRest(order: PaperOrder, now: number): void {
    this.finish(order, 'canceled', now, 'reduce-only: no position left to reduce, remainder canceled', 'OrderCanceled');
  }

  /** Takes synthetic liquidity as taker, one fill per level. */
  private take(l: Listed, order: PaperOrder, limitTicks: number, now: number): void {
    const max = this.fillableLots(order);
    if (max <= 0) return;
    const fills = this.fills;
    fills.reset();
    l.book.take(order.side, max, limitTicks, fills);
    for (let i = 0; i < fills.count; i++) this.applyFill(l, order, fills.ticks[i]!, fills.lots[i]!, 'taker', now);
  }

  private rest(l: Listed, order: PaperOrder): void {
    l.book.rest(order);
    if (!order.reduceOnly) this.account.reserve(order, order.priceTicks);
  }

  private arm(l: Listed, order: PaperOrder): void {
    l.book.arm(order);
    if (!order.reduceOnly) this.account.reserve(order, order.type === 'stop' ? order.stopTicks : order.priceTicks);
  }

  private stopReached(order: PaperOrder, lastTicks: number): boolean {
    return order.side === 'buy' ? lastTicks >= order.stopTicks : lastTicks <= order.stopTicks;
  }

  private trigger(l: Listed, order: PaperOrder, now: number): void {
    l.book.remove(order);
    this.account.release(order);
    order.triggered = true;
    order.updatedAt = now;
    this.dirtyOrders.add(order);
    this.emit({ type: 'OrderTriggered', clientOrderId: order.clientOrderId, timestamp: now });
    if (order.reduceOnly && this.fillableLots(order) === 0) this.cancelReduceOnlyRest(order, now);
    else if (order.type === 'stop') this.executeMarket(l, order, now);
    else this.executeLimit(l, order, now);
  }

  /** Remaining lots, clipped to the position for reduce-only orders. */
  private fillableLots(order: PaperOrder): number {
    const remaining = order.remainingLots;
    if (!order.reduceOnly) return remaining;
    return Math.min(remaining, this.account.reducibleLots(order.symbol, order.side));
  }

  private applyFill(l: Listed, order: PaperOrder, ticks: number, lots: number, liquidity: 'maker' | 'taker', now: number): void {
    const { math } = l;
    const fee = Dec.fromUnits(BigInt(ticks * lots) * (liquidity === 'maker' ? math.makerFeeK : math.takerFeeK));
    const before = this.account.positionLots(order.symbol);
    this.account.applyFill(order.symbol, order.side, lots, ticks, fee, now);
    const after = this.account.positionLots(order.symbol);
    if (l.reduceOnly.size > 0 && (after === 0 || Math.sign(after) !== Math.sign(before))) this.sweep.add(l);
    order.filledLots += lots;
    // Stays open until the caller finishes it, so every path ends an order through `finish`.
    order.status = 'partially_filled';
    order.updatedAt = now;
    this.dirtyOrders.add(order);
    this.accountDirty = true;
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
    this.newFills.push(fill);
    this.emit({ type: 'OrderFilled', ...fill });
  }

  /** After a maker fill: a filled order leaves the book; a partial one holds margin for what is left. */
  private afterMakerFill(order: PaperOrder, now: number): void {
    if (order.remainingLots === 0) this.finish(order, 'filled', now);
    else if (order.reservedLots > 0) this.account.reserve(order, order.reservedTicks);
  }

  private finish(order: PaperOrder, status: PaperOrderStatus, now: number, reason?: string, event?: 'OrderCanceled' | 'OrderExpired'): void {
    const l = this.listed.get(order.symbol);
    l?.book.remove(order);
    l?.reduceOnly.delete(order);
    this.account.release(order);
    order.status = status;
    order.reason = reason ?? null;
    order.updatedAt = now;
    this.open.delete(order.clientOrderId);
    this.addTerminal(order);
    this.dirtyOrders.add(order);
    if (event) this.emit({ type: event, clientOrderId: order.clientOrderId, reason: reason ?? status, timestamp: now });
  }

  private addTerminal(order: PaperOrder): void {
    this.terminal.set(order.clientOrderId, order);
    this.terminalOrder.push(order.clientOrderId);
    while (this.terminal.size > this.terminalOrderLimit) {
      const oldest = this.terminalOrder[this.terminalHead++]!;
      const evicted = this.terminal.get(oldest);
      this.terminal.delete(oldest);
      if (evicted) {
        this.dirtyOrders.delete(evicted);
        // Restart derives the next order id from stored orders; once the newest one is gone, the account record must carry it.
        if (evicted.seq === this.nextOrderSeq - 1) this.accountDirty = true;
      }
      this.evicted.push(oldest);
    }
    if (this.terminalHead > 4096 && this.terminalHead * 2 > this.terminalOrder.length) {
      this.terminalOrder.splice(0, this.terminalHead);
      this.terminalHead = 0;
    }
  }

  // ------------------------------------------------------------------ market

  private stepInstrument(l: Listed, now: number, dtMs: number): void {
    l.market.advance(now, dtMs);
    this.marketMoved(l);
    this.fillCrossed(l, now);
    for (const trade of l.market.generateTrades(dtMs)) this.processTrade(l, trade, now);
    if (this.outbox.wantsMarket) this.outbox.market({ type: 'ticker', ticker: l.market.ticker(this.id, now) });
    if (now - l.savedAt >= this.marketSnapshotMs) this.marketsToSave.add(l);
  }

  private marketMoved(l: Listed): void {
    l.mark = null;
    this.account.marksChanged();
  }

  /** Resting orders the redrawn book moved through fill as maker at their own price, up to the liquidity through it. */
  private fillCrossed(l: Listed, now: number): void {
    if (l.book.restingCount === 0) return;
    for (const order of l.book.collectCrossed()) {
      if (!order.isOpen || order.level === null) continue;
      const max = this.fillableLots(order);
      if (max <= 0) continue;
      this.fills.reset();
      const lots = l.book.take(order.side, max, order.priceTicks, this.fills);
      if (lots === 0) continue;
      this.applyFill(l, order, order.priceTicks, lots, 'maker', now);
      this.afterMakerFill(order, now);
    }
  }

  private processTrade(l: Listed, trade: SimTrade, now: number): void {
    l.market.recordTrade(trade, now);
    if (this.outbox.wantsMarket) {
      this.outbox.market({
        type: 'trade',
        trade: {
          symbol: l.instrument.symbol,
          price: formatSteps(trade.ticks, l.math.tick),
          quantity: formatSteps(trade.lots, l.math.lot),
          side: trade.side,
          timestamp: now,
        },
      });
    }
    if (l.book.restingCount > 0) {
      let left = trade.lots;
      for (const order of l.book.collectTradeThrough(trade.side, trade.ticks, trade.lots)) {
        if (left <= 0) break;
        if (!order.isOpen || order.level === null) continue;
        const lots = Math.min(left, this.fillableLots(order));
        if (lots <= 0) continue;
        this.applyFill(l, order, order.priceTicks, lots, 'maker', now);
        this.afterMakerFill(order, now);
        left -= lots;
      }
    }
    if (l.book.armedCount > 0) {
      for (const order of l.book.collectTriggered(trade.ticks)) {
        if (order.isOpen && !order.triggered && order.level !== null) this.trigger(l, order, now);
      }
    }
  }

  private approxMarkOf(symbol: string): number {
    const l = this.listed.get(symbol);
    if (!l) throw new Error(`Unknown instrument ${symbol}`);
    return l.market.markTicks() * l.tickSize;
  }

  private markOf(symbol: string): Dec {
    const l = this.listed.get(symbol);
    if (!l) throw new Error(`Unknown instrument ${symbol}`);
    if (!l.mark) {
      // Twice the mark is a whole number of ticks (the mid may sit half a tick between two).
      const halfTicks = Math.round(l.market.markTicks() * 2);
      l.mark = Dec.fromUnits((BigInt(halfTicks) * l.math.tick.units) / 2n);
    }
    return l.mark;
  }

  // ----------------------------------------------------- commands, events, store

  private perform(work: () => void): Promise<void> {
    const latency = this.faults.latencyMs;
    if (latency > 0) {
      return new Promise<void>((resolve, reject) => {
        this.clock.after(latency, () => {
          try {
            this.run(work);
            resolve();
          } catch (error) {
            reject(error);
          }
        });
      });
    }
    try {
      this.run(work);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Runs a command; the outermost one then persists what changed and, in the
   * same transaction, delivers the queued execution events; market data
   * follows the commit.
   */
  private run(work: () => void): void {
    this.depth++;
    try {
      work();
    } finally {
      this.depth--;
    }
    if (this.depth > 0) return;
    try {
      this.sweepReduceOnly();
      this.flush();
    } finally {
      // Only reached with events still queued when the store failed: the changes did happen in memory, so they are still reported.
      if (this.outbox.hasExecutions) this.outbox.deliverExecutions();
      this.outbox.deliverMarket();
    }
  }

  private emit(event: ExecutionEvent): void {
    this.outbox.execution(event);
  }

  /** Cancels reduce-only orders whose position closed or flipped during the command. */
  private sweepReduceOnly(): void {
    if (this.sweep.size === 0) return;
    const now = this.clock.now();
    for (const l of this.sweep) {
      for (const order of [...l.reduceOnly]) {
        if (order.isOpen && this.account.reducibleLots(order.symbol, order.side) === 0) {
          this.finish(order, 'canceled', now, 'reduce-only: the position it reduced was closed', 'OrderCanceled');
        }
      }
    }
    this.sweep.clear();
  }

  /** Writes what changed and delivers the execution events it caused, in one store transaction. */
  private flush(): void {
    if (
      this.dirtyOrders.size === 0 &&
      !this.accountDirty &&
      this.evicted.length === 0 &&
      this.newFills.length === 0 &&
      this.marketsToSave.size === 0 &&
      !this.outbox.hasExecutions
    ) {
      return;
    }
    this.store.transaction(this.commitChanges);
  }

  /** The body of a flush's transaction; bound once so a flush allocates no closure. */
  private readonly commitChanges = (): void => {
    this.writeChanges();
    // Cleared before delivery: a listener's own command (nested in this transaction) writes only what it changes.
    this.dirtyOrders.clear();
    this.evicted.length = 0;
    this.newFills.length = 0;
    this.accountDirty = false;
    this.marketsToSave.clear();
    if (this.outbox.hasExecutions) this.outbox.deliverExecutions();
  };

  /** Writes what the command changed. */
  private writeChanges(): void {
    const now = this.clock.now();
    for (const order of this.dirtyOrders) this.store.saveOrder(order.toRecord(this.listed.get(order.symbol)?.math.lot));
    if (this.evicted.length > 0) this.store.deleteOrders([...this.evicted]);
    for (const fill of this.newFills) this.store.saveFill(fill);
    if (this.accountDirty) {
      this.store.saveAccount({
        ledger: this.account.snapshot(),
        nextOrderSeq: this.nextOrderSeq,
        nextTradeSeq: this.nextTradeSeq,
        updatedAt: now,
      });
    }
    for (const l of this.marketsToSave) {
      // The market state with the bars closed since the last save, so the stored bars and the stored live bar always meet.
      l.market.persist(this.store, now);
      l.savedAt = now;
    }
  }

  private restore(): void {
    const account = this.store.loadAccount();
    if (account) {
      this.account.restore(account.ledger);
      this.nextOrderSeq = account.nextOrderSeq;
      this.nextTradeSeq = account.nextTradeSeq;
    }
    const records = this.store.loadOrders();
    for (const r of records) this.nextOrderSeq = Math.max(this.nextOrderSeq, r.seq + 1);
    const terminal = records.filter((r) => r.status !== 'open' && r.status !== 'partially_filled');
    terminal.sort((a, b) => a.updatedAt - b.updatedAt || a.seq - b.seq);
    for (const r of terminal.slice(Math.max(0, terminal.length - this.terminalOrderLimit))) {
      this.terminal.set(r.clientOrderId, PaperOrder.fromRecord(r, this.listed.get(r.symbol)?.math));
      this.terminalOrder.push(r.clientOrderId);
    }
    const open = records.filter((r) => r.status === 'open' || r.status === 'partially_filled').sort((a, b) => a.seq - b.seq);
    for (const r of open) {
      const order = PaperOrder.fromRecord(r, this.listed.get(r.symbol)?.math);
      const l = this.listed.get(order.symbol);
      if (!l) {
        // Delisted since the last run: the order cannot be worked any more.
        this.finish(order, 'canceled', this.clock.now(), `${order.symbol} is no longer listed`);
        continue;
      }
      this.open.set(order.clientOrderId, order);
      if (order.reduceOnly) l.reduceOnly.add(order);
      if (order.type === 'limit' || (order.type === 'stop_limit' && order.triggered)) this.rest(l, order);
      else this.arm(l, order);
    }
    this.flush();
  }

  private mustList(symbol: string): Listed {
    const l = this.listed.get(symbol);
    if (!l) throw new Error(`${symbol} is not listed on ${this.id}`);
    return l;
  }
}

