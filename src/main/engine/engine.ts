/**
 * The trading engine: one object composed of the clock, bus, venues, order
 * manager, portfolio and market data, exposing the capabilities the contract
 * serves. It knows nothing of Electron, sockets or SQLite: those are plugged
 * in through ports by the composition root.
 */
import { Dec } from '../../shared/decimal';
import type {
  AccountSummary,
  Activity,
  Candle,
  Fill,
  Instrument,
  LedgerEntry,
  MarginMode,
  Order,
  OrderBook,
  OrderEvent,
  Position,
  Ticker,
  Timeframe,
  VenueStatus,
} from '../../shared/domain';
import { KeelError, type ErrorCode, errorText } from '../../shared/errors';
import type { AmendOrderParams, MarketTradeView, PlaceOrderParams, ReconciliationAction, ReconciliationAuditEntry, ReconciliationReport } from '../../shared/contract';
import { ReconciliationDesk } from './reconciliation/reconciliationDesk';
import { ActivityLog, ActivityPruner } from './activity';
import { EventBus } from './bus';
import type { Clock, TimerHandle } from './ports/clock';
import { RandomIdGenerator, type IdGenerator } from './ports/ids';
import type { EngineJournal } from './ports/journal';
import { consoleLogger, type Logger } from './ports/logger';
import { withOutbox } from './outboxJournal';
import { CommandQueue } from './commandQueue';
import { MarketData } from './market/marketData';
import { toContractCandle } from '../core/candles';
import { OrderManager, type CancelAllResult, type CancelFilter, type OrderLinks, type OrderSource, type PlaceReplacement } from './orders/orderManager';
import { ManagedGroups } from './orders/managedGroups';
import { OrderFollowUps } from './orders/orderFollowUps';
import type { AmendIntake, OrderIntake } from './orders/orderIntake';
import { ocoLegParams } from './orders/ocoLeg';
import { Portfolio } from './portfolio/portfolio';
import { MarginMonitor } from './portfolio/marginMonitor';
import { leverageProblemText } from '../core/perpetualMargin';
import type { VenuePort } from './ports/venue';
import { VenueRegistry } from './venueRegistry';
import { DEFAULT_VENUE_TIMEOUTS, VenueLifecycle, type VenueTimeouts } from './venueLifecycle';
import { EmergencyStop } from './emergency/emergencyStop';
import { RiskGovernor } from './risk/riskGovernor';
import { denialError, RiskStage, type Denial } from './risk/riskStage';
import { RISK_PROFILES } from './risk/profiles';
import { parseAccelerator } from '../../shared/accelerator';
import {
  DEFAULT_SETTINGS,
  marginWarningPercent,
  settingsSchema,
  type EmergencyReport,
  type HotkeyStatus,
  type RiskConfig,
  type RiskProfile,
  type RiskStateView,
  type RiskStatus,
  type Settings,
} from '../../shared/risk';

export interface EngineOptions {
  clock: Clock;
  journal: EngineJournal;
  /** Where operator-facing log lines go (default: the console). */
  logger?: Logger;
  venues: VenuePort[];
  ids?: IdGenerator;
  /** The engine's rhythms; each has a live default. */
  cadences?: Partial<Cadences>;
  /** Deadlines for a venue to start and to reconcile. */
  venueTimeouts?: Partial<VenueTimeouts>;
  /** Retry schedule of the emergency stop, in ms between attempts. */
  emergencyRetryDelaysMs?: readonly number[];
  /** How long the emergency stop waits for an accepted close order to fill before trying again. */
  emergencyFillWaitMs?: number;
  /**
   * The main thread's event-loop delay, the worst since the previous call, in
   * ms; `system.health` reports it. The live root measures it; default 0.
   */
  eventLoopDelayMs?: () => number;
}

/**
 * How often things happen. Valuation and the risk monitors run on events
 * (a mark moved, a fill, an order or balance changed), at most once per
 * `valuationMs`; 0 values at once, as a backtest does on every bar. The
 * sweep asks venues about orders left without an answer.
 */
export interface Cadences {
  valuationMs: number;
  staleOrderSweepMs: number;
  /** An order sent or being cancelled with no word from the venue for this long is asked about. */
  staleOrderAfterMs: number;
  /** How often `system.health` goes out with a fresh event-loop reading; 0: only when a venue's status changes. */
  healthMs: number;
  /** How often the activity retention policy is applied; 0: never (a backtest's journal lives only as long as its run). */
  activityPruneMs: number;
  /** How often a real (non-paper) venue that is ready is reconciled again in the background; 0: never. */
  reconcileMs: number;
}

export const LIVE_CADENCES: Cadences = { valuationMs: 250, staleOrderSweepMs: 5_000, staleOrderAfterMs: 10_000, healthMs: 2_000, activityPruneMs: 3_600_000, reconcileMs: 300_000 };

/**
 * A backtest's rhythm is its bars: valuation at once after each event, no
 * health reports, no stale-order sweep (an in-process exchange always
 * answers before the call returns) and no activity pruning (an hourly timer
 * would fire 24 times on every daily bar). 0 turns a timer off.
 */
export const BACKTEST_CADENCES: Cadences = { valuationMs: 0, staleOrderSweepMs: 0, staleOrderAfterMs: 10_000, healthMs: 0, activityPruneMs: 0, reconcileMs: 0 };

/** What became of an order sent through `submitOrder`. */
export type SubmitOutcome =
  | { ok: false; denial: Denial }
  /** Sent; `rejectionCode` is set when the venue rejected it (the order's status is then `rejected`). */
  | { ok: true; order: Order; rejectionCode: ErrorCode | null };

export class Engine {
  readonly bus: EventBus;
  /** Every command enters here, whoever sends it; see CommandQueue. */
  readonly commands = new CommandQueue();
  readonly clock: Clock;
  readonly venues = new VenueRegistry();
  readonly portfolio: Portfolio;
  readonly orders: OrderManager;
  readonly activity: ActivityLog;
  private readonly activityPruner: ActivityPruner;
  readonly risk: RiskGovernor;
  private readonly emergency: EmergencyStop;
  private readonly marketData: MarketData;
  private readonly lifecycle: VenueLifecycle;
  private readonly reconciliations: ReconciliationDesk;
  private readonly followUps: OrderFollowUps;
  private readonly riskStage: RiskStage;
  private readonly margins: MarginMonitor;
  private currentSettings: Settings;
  private hotkey: HotkeyStatus;
  /** Strategy halts; strategies register here when they exist. */
  private readonly strategyHalts: Array<() => Promise<void> | void> = [];
  private readonly journal: EngineJournal;
  private readonly log: Logger;
  private readonly dirtyVenues = new Set<string>();
  private valuationTimer: TimerHandle | null = null;
  private staleSweepTimer: TimerHandle | null = null;
  private healthTimer: TimerHandle | null = null;
  private reconcileTimer: TimerHandle | null = null;
  private readonly cadences: Cadences;
  private readonly options: EngineOptions;

  constructor(options: EngineOptions) {
    this.options = options;
    this.cadences = { ...LIVE_CADENCES, ...options.cadences };
    this.clock = options.clock;
    this.log = options.logger ?? consoleLogger;
    this.bus = new EventBus(this.log);
    // Every journal transaction is also the bus's outbox: subscribers only ever see committed state.
    this.journal = withOutbox(options.journal, this.bus);
    this.activity = new ActivityLog(this.journal, this.bus, this.clock, this.log);
    this.activityPruner = new ActivityPruner(
      this.journal,
      this.activity,
      this.clock,
      () => ({ days: this.currentSettings.activityRetentionDays, rows: this.currentSettings.activityRetentionRows }),
      this.cadences.activityPruneMs > 0 ? { intervalMs: this.cadences.activityPruneMs } : {},
    );
    this.portfolio = new Portfolio(
      this.journal,
      (venue, symbol) => this.venues.instrument(venue, symbol),
      (venue) => this.venues.instruments(venue),
      (venue, symbol) => (this.venues.ids().includes(venue) ? this.venues.port(venue).positionMargin?.(symbol) : undefined),
    );
    this.risk = new RiskGovernor({
      clock: this.clock,
      journal: this.journal,
      bus: this.bus,
      activity: this.activity,
      instrument: (venue, symbol) => this.venues.instrument(venue, symbol),
      onBreach: (_action, reason) => void this.emergencyStop({ flatten: true, trigger: `limit: ${reason}` }),
    });
    this.currentSettings = { ...DEFAULT_SETTINGS, ...settingsSchema.partial().parse(this.journal.loadSettings()) };
    this.hotkey = { accelerator: this.currentSettings.emergencyHotkey, registered: true, scope: 'window', reason: null };
    const ids = options.ids ?? new RandomIdGenerator(this.clock);
    this.margins = new MarginMonitor({
      bus: this.bus,
      activity: this.activity,
      clock: this.clock,
      levelPercent: () => marginWarningPercent(this.currentSettings),
    });
    this.riskStage = new RiskStage({ governor: this.risk, bus: this.bus, activity: this.activity, clock: this.clock });
    this.orders = new OrderManager({
      clock: this.clock,
      journal: this.journal,
      bus: this.bus,
      activity: this.activity,
      portfolio: this.portfolio,
      venues: this.venues,
      ids,
      quote: (venue, symbol) => this.ticker(venue, symbol),
      recordSent: (venue) => this.risk.recordSent(venue),
      blockVenue: (venue, reason) => {
        // Blocking must work when the journal does not: the status is in memory and announced first.
        this.setVenueStatus(venue, 'blocked', reason);
        try {
          this.activity.record('error', 'system', `${venue} blocked: ${reason}`);
        } catch (error) {
          this.log.error(`[engine] ${venue} blocked: ${reason} (the activity log could not be written)`, error);
        }
      },
      onBooksChanged: (venue) => this.publishBooks(venue),
      onLiquidated: (order, fill) => this.margins.liquidated(order, fill, this.portfolio.ledger(order.venue).marginMode(order.symbol)),
      log: this.log,
    });
    this.marketData = new MarketData(
      this.bus,
      this.portfolio,
      (venue) => this.markDirty(venue),
      (venue, symbol) => this.venues.instrument(venue, symbol),
    );
    this.emergency = new EmergencyStop({
      clock: this.clock,
      journal: this.journal,
      bus: this.bus,
      activity: this.activity,
      risk: this.risk,
      orders: this.orders,
      // Its exits pass the risk stage like every order (the stage lets the emergency stop's reduce-only orders through).
      placeOrder: (params, source) => this.placeOrder(params, source),
      log: this.log,
      portfolio: this.portfolio,
      venues: this.venues,
      haltStrategies: async () => {
        await Promise.all(this.strategyHalts.map((halt) => halt()));
      },
      ...(options.emergencyRetryDelaysMs ? { retryDelaysMs: options.emergencyRetryDelaysMs } : {}),
      ...(options.emergencyFillWaitMs === undefined ? {} : { fillWaitMs: options.emergencyFillWaitMs }),
    });
    this.lifecycle = new VenueLifecycle({
      venues: this.venues,
      orders: this.orders,
      portfolio: this.portfolio,
      risk: this.risk,
      marketData: this.marketData,
      activity: this.activity,
      journal: this.journal,
      now: () => this.clock.now(),
      after: (ms, run) => this.clock.after(ms, run),
      log: this.log,
      timeouts: { ...DEFAULT_VENUE_TIMEOUTS, ...options.venueTimeouts },
      setStatus: (venue, state, reason) => this.setVenueStatus(venue, state, reason),
      onBooksChanged: (venue) => this.markDirty(venue),
      onReport: (report) => {
        try {
          this.journal.saveReconciliationReport(report);
        } finally {
          this.bus.publish('reconciliation.updated', report);
        }
      },
      newId: () => ids.orderId().replace(/^o-/, 'r-'),
    });
    this.reconciliations = new ReconciliationDesk({
      journal: this.journal,
      portfolio: this.portfolio,
      venues: this.venues,
      activity: this.activity,
      now: () => this.clock.now(),
      cancelOrder: (orderId) => this.orders.cancel(orderId),
      placeOrder: (params, source) => this.placeOrder(params, source),
      onResolved: (report) => {
        this.bus.publish('reconciliation.updated', report);
        this.lifecycle.reopenIfResolved(report);
        this.markDirty(report.venue);
      },
    });
    const isReady = (venue: string) => this.venues.status(venue).state === 'ready';
    const groups = new ManagedGroups({
      orders: this.orders,
      commands: this.commands,
      activity: this.activity,
      log: this.log,
      features: (venue) => this.venues.port(venue).orderFeatures,
      isReady,
      halted: () => this.risk.state().state === 'HALTED',
      place: this.placeReplacement,
      resize: (orderId, quantity) => this.resizeOrder(orderId, quantity),
      cancel: (orderId) => this.orders.cancel(orderId),
    });
    this.followUps = new OrderFollowUps({
      bus: this.bus,
      commands: this.commands,
      orders: this.orders,
      isReady,
      placeReplacement: this.placeReplacement,
      log: this.log,
      groupWork: groups,
    });
    this.followUps.start();
    // Resting orders reserve margin, so any order change can move "available".
    this.bus.subscribe((_topic, payload) => this.markDirty((payload as Order).venue), ['orders.updated']);
  }

  /** Start-up and crash recovery: journal, then each venue reconciled before it may trade. */
  async start(): Promise<void> {
    this.orders.load();
    await this.lifecycle.addAll(this.options.venues);
    if (this.risk.state().state !== 'ACTIVE') {
      this.activity.record('warning', 'risk', `Trading is still ${this.risk.state().state} from before the restart: ${this.risk.state().reason ?? ''}`);
    }
    if (this.cadences.staleOrderSweepMs > 0) this.staleSweepTimer = this.clock.every(this.cadences.staleOrderSweepMs, () => this.sweepStaleOrders());
    if (this.cadences.healthMs > 0) this.healthTimer = this.clock.every(this.cadences.healthMs, () => this.publishHealth());
    if (this.cadences.reconcileMs > 0) this.reconcileTimer = this.clock.every(this.cadences.reconcileMs, () => this.reconcilePeriodically());
    for (const venue of this.portfolio.venues()) this.markDirty(venue);
    if (this.cadences.activityPruneMs > 0) this.activityPruner.start();
  }

  async stop(): Promise<void> {
    // A stop in progress and submits on their way finish before the venues and journal go away.
    await this.emergency.settled();
    await this.orders.settleInFlight();
    this.valuationTimer?.cancel();
    this.staleSweepTimer?.cancel();
    this.healthTimer?.cancel();
    this.reconcileTimer?.cancel();
    await this.lifecycle.stopAll();
    await this.activityPruner.stop();
    // Refusal counts still being gathered are written while the journal is open.
    this.activity.flush();
  }

  /** Adds a venue at runtime, through the same reconcile-then-ready path as at start-up. */
  addVenue(port: VenuePort): Promise<VenueStatus> {
    return this.lifecycle.add(port);
  }

  /** Gives a venue a new connection (new key, demo ↔ live) and reconciles it; its books stay. */
  replaceVenue(port: VenuePort): Promise<VenueStatus> {
    return this.lifecycle.replace(port);
  }

  /** Removes a venue at runtime; refused while it has open orders or positions. */
  removeVenue(venue: string): Promise<void> {
    return this.lifecycle.remove(venue);
  }

  /** Reconciles a venue again without a restart (a blocked venue, or when the trader asks); answers the report. */
  reconcileVenue(venue: string): Promise<ReconciliationReport> {
    this.venues.port(venue);
    return this.lifecycle.reconcile(venue, 'manual');
  }

  /** The trader's decision on one difference of the venue's latest reconciliation; answers the report as it now stands. */
  resolveReconciliation(venue: string, itemId: string, action: ReconciliationAction, note: string | null): Promise<ReconciliationReport> {
    return this.reconciliations.resolve(venue, itemId, action, note);
  }

  /** The venue's decisions on reconciliation differences, newest first. */
  reconciliationAudit(venue: string, limit: number): ReconciliationAuditEntry[] {
    return this.reconciliations.audit(venue, limit);
  }

  /** The venue's most recent reconciliation report, or null when it has never been reconciled. */
  latestReconciliation(venue: string): ReconciliationReport | null {
    this.venues.port(venue);
    return this.journal.latestReconciliationReport(venue) ?? null;
  }

  venueStatuses(): VenueStatus[] {
    return this.venues.statuses();
  }

  instruments(venue?: string): Instrument[] {
    return this.venues.instruments(venue);
  }

  async candles(venue: string, symbol: string, timeframe: Timeframe, limit: number): Promise<Candle[]> {
    const instrument = this.venues.requireInstrument(venue, symbol);
    const bars = await this.venues.port(venue).candles(symbol, timeframe, limit);
    return bars.map((bar) => toContractCandle(bar, instrument));
  }

  ticker(venue: string, symbol: string): Ticker {
    this.venues.requireInstrument(venue, symbol);
    return this.marketData.ticker(venue, symbol) ?? this.venues.port(venue).ticker(symbol);
  }

  tickers(venue?: string): Ticker[] {
    return this.instruments(venue).map((i) => this.ticker(i.venue, i.symbol));
  }

  orderBook(venue: string, symbol: string, depth: number): OrderBook {
    this.venues.requireInstrument(venue, symbol);
    return this.venues.port(venue).orderBook(symbol, depth);
  }

  /** The instrument's latest trades, newest first, and whether its venue streams trades at all. */
  trades(venue: string, symbol: string, limit: number): { trades: MarketTradeView[]; streamed: boolean } {
    this.venues.requireInstrument(venue, symbol);
    return { trades: this.marketData.trades(venue, symbol, limit), streamed: this.venues.port(venue).streamsTrades === true };
  }

  /**
   * The way in for every order: the risk stage judges it, then order intake
   * records and sends it. A refusal comes back as a value (and goes out as an
   * `orders.denied` event to its sender); nothing here throws for it.
   */
  async submitOrder(params: PlaceOrderParams, source: OrderSource = { kind: 'manual' }, links?: OrderLinks): Promise<SubmitOutcome> {
    const prepared = this.orders.prepare(params, source, links);
    let denial = 'denial' in prepared ? prepared.denial : this.riskStage.evaluate(prepared.intake);
    // An OCO pair's second leg is judged as an order of its own: both pass, or neither is sent.
    let second: OrderIntake | undefined;
    if (!denial && params.oco) {
      const leg = this.orders.prepare(ocoLegParams(params), source);
      denial = 'denial' in leg ? leg.denial : this.riskStage.evaluate(leg.intake);
      if ('intake' in leg) second = leg.intake;
    }
    if (denial) {
      this.riskStage.deny(
        {
          venue: params.venue,
          symbol: params.symbol,
          side: params.side,
          type: params.type,
          quantity: params.quantity,
          price: params.price ?? params.stopPrice ?? null,
          source: source.kind,
          sourceId: source.id ?? null,
        },
        denial,
      );
      return { ok: false, denial };
    }
    if (!('intake' in prepared)) throw new Error('unreachable: an order is either denied or prepared');
    const order = await this.orders.submit(prepared.intake, second);
    return { ok: true, order, rejectionCode: order.status === 'rejected' ? (this.orders.takeRejectionCode(order.id) ?? 'VENUE_UNAVAILABLE') : null };
  }

  /** `submitOrder` for a person or an API client: a refusal or a venue rejection is a typed error. */
  async placeOrder(params: PlaceOrderParams, source?: OrderSource): Promise<Order> {
    const outcome = await this.submitOrder(params, source);
    if (!outcome.ok) throw denialError(outcome.denial);
    if (outcome.rejectionCode) {
      const { order } = outcome;
      throw new KeelError(outcome.rejectionCode, `Order rejected by ${order.venue}: ${order.rejectReason ?? 'no reason given'}`, { order });
    }
    return outcome.order;
  }

  cancelOrder(orderId: string): Promise<Order> {
    return this.orders.cancel(orderId);
  }

  /**
   * Changes a working order's price, stop price or quantity. The new terms
   * pass the risk stage like a new order (a refusal is an `orders.denied`
   * event and a typed error); the venue changes the order in place, or Keel
   * cancels and replaces it. Answers the order carrying the new terms.
   */
  async amendOrder(params: AmendOrderParams, source: OrderSource = { kind: 'manual' }): Promise<Order> {
    const intake = this.orders.prepareAmend(params, source);
    const denial = this.riskStage.evaluateAmend(intake);
    if (denial) {
      const { order } = intake;
      this.riskStage.deny(
        {
          venue: order.venue,
          symbol: order.symbol,
          side: order.side,
          type: order.type,
          quantity: intake.quantity.toString(),
          price: intake.intent.price?.toString() ?? intake.intent.stopPrice?.toString() ?? null,
          source: source.kind,
          sourceId: source.id ?? null,
        },
        denial,
      );
      throw denialError(denial);
    }
    return this.carryOutAmend(intake);
  }

  /** An amend the risk stage let through (or Keel's own resize); what its call leaves for later is queued once it returns. */
  private async carryOutAmend(intake: AmendIntake): Promise<Order> {
    try {
      return await this.orders.amend(intake, this.placeReplacement);
    } finally {
      this.followUps.afterAmend(intake.order.id);
    }
  }

  /**
   * Keel sizing a take-profit, stop-loss or OCO leg it manages to what its
   * group has filled: an amend of its quantity, in place or cancel-replace.
   * Not judged by the risk stage: it only ever covers what the group's own
   * fills opened, reduce-only.
   */
  private resizeOrder(orderId: string, quantity: string): Promise<Order> {
    const order = this.orders.get(orderId);
    const source: OrderSource = order ? { kind: order.source, ...(order.sourceId ? { id: order.sourceId } : {}) } : { kind: 'manual' };
    return this.carryOutAmend(this.orders.prepareAmend({ orderId, quantity }, source, true));
  }

  /** How a cancel-replace places its replacement: through the risk stage, like any order. */
  private readonly placeReplacement: PlaceReplacement = async (params, source, links) => {
    const outcome = await this.submitOrder(params, source, links);
    if (!outcome.ok) return { refused: outcome.denial.message };
    if (outcome.rejectionCode) return { refused: `${outcome.order.venue} rejected it: ${outcome.order.rejectReason ?? 'no reason given'}` };
    return { order: outcome.order };
  };

  cancelAll(filter: CancelFilter): Promise<CancelAllResult> {
    return this.orders.cancelAll(filter);
  }

  /** One order by Keel's id or by its client order id, from memory or, however old, from the journal. */
  getOrder(ref: { orderId: string } | { clientOrderId: string }): Order {
    const order =
      'orderId' in ref
        ? (this.orders.get(ref.orderId) ?? this.journal.getOrder(ref.orderId))
        : (this.orders.getByClientId(ref.clientOrderId) ?? this.journal.getOrderByClientId(ref.clientOrderId));
    if (!order) {
      const message = 'orderId' in ref ? `Order ${ref.orderId} was not found.` : `No order has client order id ${ref.clientOrderId}.`;
      throw new KeelError('NOT_FOUND', message, ref);
    }
    return order;
  }

  /** An order's full history, oldest first. */
  orderEvents(orderId: string): OrderEvent[] {
    if (!this.orders.get(orderId) && !this.journal.getOrder(orderId)) {
      throw new KeelError('NOT_FOUND', `Order ${orderId} was not found.`, { orderId });
    }
    return this.journal.listOrderEvents(orderId);
  }

  listOrders(status: 'open' | 'all', limit: number, cursor?: string): { orders: Order[]; nextCursor: string | null } {
    const page = this.journal.listOrders({ openOnly: status === 'open', limit, ...(cursor === undefined ? {} : { cursor }) });
    return { orders: page.items, nextCursor: page.nextCursor };
  }

  listFills(limit: number, cursor?: string): { fills: Fill[]; nextCursor: string | null } {
    const page = this.journal.listFills({ limit, ...(cursor === undefined ? {} : { cursor }) });
    return { fills: page.items, nextCursor: page.nextCursor };
  }

  positions(): Position[] {
    return this.portfolio.allPositions();
  }

  /**
   * Closes a whole position with a reduce-only market order. A person may do
   * this while HALTED: the kill switch must never trap a trader in risk.
   */
  closePosition(venue: string, symbol: string, source: OrderSource = { kind: 'manual' }): Promise<Order> {
    this.venues.requireInstrument(venue, symbol);
    const net = this.portfolio.ledger(venue).netQuantity(symbol);
    if (net.isZero()) throw new KeelError('NOT_FOUND', `There is no open position in ${symbol} on ${venue}.`, { venue, symbol });
    return this.placeOrder(
      {
        venue,
        symbol,
        side: net.isPositive() ? 'sell' : 'buy',
        type: 'market',
        quantity: net.abs().toString(),
        reduceOnly: true,
      },
      source,
    );
  }

  /** "Flatten all": closes every open position (on one venue, or everywhere), reporting each one that could not be. */
  async closeAllPositions(
    venue: string | undefined,
    source: OrderSource = { kind: 'manual' },
  ): Promise<{ orders: Order[]; failed: Array<{ venue: string; symbol: string; reason: string }> }> {
    if (venue !== undefined) this.venues.port(venue);
    const result: { orders: Order[]; failed: Array<{ venue: string; symbol: string; reason: string }> } = { orders: [], failed: [] };
    for (const position of this.portfolio.allPositions()) {
      if (venue !== undefined && position.venue !== venue) continue;
      try {
        result.orders.push(await this.closePosition(position.venue, position.symbol, source));
      } catch (error) {
        result.failed.push({ venue: position.venue, symbol: position.symbol, reason: errorText(error) });
      }
    }
    return result;
  }

  accountSummary(venue?: string): AccountSummary {
    const id = venue ?? this.defaultVenue();
    this.requireOpened(id);
    return this.portfolio.summary(id, this.orders.openOrders(id), this.clock.now());
  }

  /**
   * The venue's own account was started again (a paper reset): Keel's books
   * for it start again from `balance`, and so do its loss references. Every
   * order there must already be gone.
   */
  resetBooks(venue: string, balance: Dec, what: string): AccountSummary {
    this.venues.port(venue);
    if (this.orders.openOrderCount(venue) > 0) {
      throw new KeelError('INVALID_STATE', `${venue} still has open orders; its books cannot start again.`, { venue });
    }
    this.portfolio.reset(venue, balance);
    this.risk.resetMarks(venue, balance);
    this.activity.record('info', 'account', `${what} to ${balance.toString()} ${this.portfolio.ledger(venue).currency}.`);
    this.publishBooks(venue);
    return this.accountSummary(venue);
  }

  /**
   * Sets a symbol's leverage, with a position or orders open or not: raising
   * it stays within the bracket of the position's notional (and must not
   * bring an isolated position to liquidation); lowering it needs the margin
   * it adds to be available. Keel checks on its own books first, then the
   * venue decides.
   */
  async setLeverage(venue: string, symbol: string, leverage: number): Promise<void> {
    const instrument = this.venues.requireInstrument(venue, symbol);
    if (leverage > instrument.maxLeverage) {
      throw new KeelError('VALIDATION_FAILED', `${symbol} allows at most ${instrument.maxLeverage}x leverage.`);
    }
    const from = this.portfolio.ledger(venue).leverage(symbol);
    const problem = this.portfolio.leverageProblem(venue, symbol, leverage, this.orders.openOrders(venue));
    if (problem) {
      const code = problem.kind === 'insufficient_margin' ? 'INSUFFICIENT_MARGIN' : problem.kind === 'above_bracket' ? 'VALIDATION_FAILED' : 'INVALID_STATE';
      throw new KeelError(code, leverageProblemText(symbol, leverage, problem, this.portfolio.ledger(venue).currency), { venue, symbol, leverage, reason: problem.kind });
    }
    try {
      await this.venues.requireReady(venue).setLeverage(symbol, leverage);
    } catch (error) {
      if (error instanceof KeelError) throw error;
      throw new KeelError('VENUE_REJECTED', `${venue} refused ${leverage}x for ${symbol}: ${errorText(error)}`, { venue, symbol, leverage });
    }
    this.portfolio.setLeverage(venue, symbol, leverage);
    this.activity.record('info', 'account', `Leverage for ${symbol} on ${venue} set to ${leverage}x (was ${from}x).`);
    this.publishBooks(venue);
  }

  /** Cross or isolated margin for a perpetual, only while it has no position and no open orders (as exchanges require). */
  async setMarginMode(venue: string, symbol: string, mode: MarginMode): Promise<void> {
    const instrument = this.venues.requireInstrument(venue, symbol);
    if (instrument.kind !== 'linear_perpetual') {
      throw new KeelError('VALIDATION_FAILED', `${symbol} is not a perpetual: it has no margin mode.`, { venue, symbol });
    }
    const ledger = this.portfolio.ledger(venue);
    if (ledger.marginMode(symbol) === mode) return;
    if (!ledger.netQuantity(symbol).isZero()) {
      throw new KeelError('INVALID_STATE', `${symbol} has an open position on ${venue}: its margin mode can change only while it is flat.`, { venue, symbol });
    }
    if (this.orders.openOrders(venue).some((o) => o.symbol === symbol)) {
      throw new KeelError('INVALID_STATE', `${symbol} has open orders on ${venue}: cancel them before changing its margin mode.`, { venue, symbol });
    }
    const port = this.venues.requireReady(venue);
    if (!port.setMarginMode) throw new KeelError('VENUE_REJECTED', `${venue} does not take margin mode changes through Keel.`, { venue, symbol });
    try {
      await port.setMarginMode(symbol, mode);
    } catch (error) {
      if (error instanceof KeelError) throw error;
      throw new KeelError('VENUE_REJECTED', `${venue} refused ${mode} margin for ${symbol}: ${errorText(error)}`, { venue, symbol, mode });
    }
    this.portfolio.setMarginMode(venue, symbol, mode);
    this.activity.record('info', 'account', `Margin mode for ${symbol} on ${venue} set to ${mode}.`);
    this.publishBooks(venue);
  }

  /** Ledger entries that are not fills (funding payments), newest first. */
  ledgerEntries(venue: string | undefined, limit: number): LedgerEntry[] {
    if (venue !== undefined) this.venues.port(venue);
    return this.journal.listLedgerEntries({ ...(venue === undefined ? {} : { venue }), limit });
  }

  listActivity(limit: number): Activity[] {
    return this.journal.listActivity(limit);
  }

  riskStatus(): RiskStatus {
    const status = this.risk.status();
    return { ...status, usage: this.portfolio.venues().map((v) => this.risk.usage(v, this.orders.openOrderCount(v))) };
  }

  riskLimits(venue?: string): RiskConfig {
    const id = venue ?? this.defaultVenue();
    this.requireOpened(id);
    return this.risk.config(id);
  }

  /** A known venue whose account exists (it has started at least once); else NOT_FOUND or VENUE_UNAVAILABLE, saying why. */
  private requireOpened(venue: string): void {
    this.venues.port(venue);
    if (this.portfolio.venues().includes(venue)) return;
    const { state, reason } = this.venues.status(venue);
    throw new KeelError('VENUE_UNAVAILABLE', `${venue} has not started yet (${state}${reason ? `: ${reason}` : ''}).`, { venue, state });
  }

  setRiskLimits(config: RiskConfig): RiskConfig {
    this.venues.port(config.venue);
    const saved = this.risk.setConfig(config);
    // New limits may already be breached: the monitors look again now rather than at the next move.
    this.markDirty(config.venue);
    return saved;
  }

  riskProfiles(): readonly RiskProfile[] {
    return RISK_PROFILES;
  }

  setTradingState(state: 'REDUCING' | 'HALTED', reason?: string): RiskStateView {
    return this.risk.escalate(state, 'manual', reason ?? (state === 'HALTED' ? 'Halted by the trader' : 'Reduce-only set by the trader'));
  }

  /**
   * The journal cannot be written: nothing Keel does could be recorded, so
   * trading stops here and stays stopped, with the reason on screen. HALTED
   * is latched in memory first (the journal may refuse to record it) and
   * every venue is blocked, so no order can be sent unrecorded. Idempotent.
   */
  failClosed(reason: string): void {
    if (this.failedClosed) return;
    this.failedClosed = true;
    const why = `the journal cannot be written (${reason}); restart Keel once the data folder is writable`;
    try {
      this.risk.latchHalted('emergency', `Trading halted: ${why}`);
    } catch (error) {
      this.log.error('[engine] HALTED is in force but could not be journaled', error);
    }
    for (const venue of this.venues.ids()) this.setVenueStatus(venue, 'blocked', why);
    try {
      this.activity.record('error', 'system', `Trading halted: ${why}.`);
    } catch {
      this.log.error(`[engine] Trading halted: ${why}.`);
    }
  }

  private failedClosed = false;

  /** Halts everything; see EmergencyStop. Never throws for venue trouble: the report says what was not confirmed. */
  emergencyStop(request: { flatten: boolean; trigger: string }): Promise<EmergencyReport> {
    return this.emergency.trigger(request);
  }

  rearm(): RiskStateView {
    if (this.emergency.active) {
      throw new KeelError('INVALID_STATE', 'An emergency stop is still running; re-arm once it has reported.');
    }
    return this.risk.rearm();
  }

  emergencyReports(limit: number): EmergencyReport[] {
    return this.journal.listEmergencyReports(limit);
  }

  /** Registers a strategy's halt, called by every emergency stop. */
  onEmergencyHalt(halt: () => Promise<void> | void): void {
    this.strategyHalts.push(halt);
  }

  settings(): Settings {
    return this.currentSettings;
  }

  updateSettings(changes: Partial<Settings>): Settings {
    const previous = this.currentSettings;
    const next = { ...previous, ...changes };
    const hotkey = parseAccelerator(next.emergencyHotkey);
    if (!hotkey.ok) throw new KeelError('VALIDATION_FAILED', `Invalid request: emergency hotkey ${hotkey.reason}.`);
    next.emergencyHotkey = hotkey.text;
    this.journal.saveSettings(next);
    this.currentSettings = next;
    this.bus.publish('settings.updated', next);
    if (this.hotkey.scope === 'window') this.setHotkeyStatus({ ...this.hotkey, accelerator: next.emergencyHotkey });
    this.activity.record(
      'info',
      'system',
      `Settings saved: emergency hotkey ${next.emergencyHotkey}, flatten by default ${next.emergencyFlattenByDefault ? 'on' : 'off'}, activity kept ${next.activityRetentionDays} days / ${next.activityRetentionRows} entries, margin warning at ${marginWarningPercent(next)} %.`,
    );
    if (next.activityRetentionDays < previous.activityRetentionDays || next.activityRetentionRows < previous.activityRetentionRows) {
      void this.activityPruner.runNow();
    }
    return next;
  }

  hotkeyStatus(): HotkeyStatus {
    return this.hotkey;
  }

  /** The desktop shell reports whether the OS-wide hotkey could be registered. */
  setHotkeyStatus(status: HotkeyStatus): void {
    this.hotkey = status;
    this.bus.publish('hotkey.status', status);
    if (!status.registered) this.activity.record('error', 'system', `Emergency hotkey ${status.accelerator} is not active: ${status.reason ?? 'unknown reason'}`);
  }

  private defaultVenue(): string {
    const [first] = this.venues.ids();
    if (!first) throw new KeelError('NOT_FOUND', 'No venue is configured.');
    return first;
  }

  private setVenueStatus(venue: string, state: VenueStatus['state'], reason: string | null): void {
    const was = this.venues.statuses().find((s) => s.venue === venue)?.state;
    this.venues.setStatus(venue, state, reason);
    this.publishHealth();
    // Work left for later on this venue's orders (an amend Keel stopped in the middle of) is done once it trades again.
    if (state === 'ready' && was !== 'ready') this.followUps.onVenueReady(venue);
  }

  /** Each reading covers the time since the previous `system.health`, periodic or not, so a stall is reported once. */
  private publishHealth(): void {
    this.bus.publish('system.health', { venues: this.venues.statuses(), eventLoopLagMs: this.options.eventLoopDelayMs?.() ?? 0 });
  }

  /** Positions and account out at once (a fill, a reset); the loss monitors follow at the valuation cadence. */
  private publishBooks(venue: string): void {
    this.markDirty(venue);
    if (this.bus.wants('positions.updated')) this.bus.publish('positions.updated', { venue, positions: this.portfolio.positions(venue) });
    if (this.bus.wants('account.updated')) this.bus.publish('account.updated', this.accountSummary(venue));
  }

  /** Something moved a venue's values: value it (and run its loss monitors) soon, at most once per cadence. */
  private markDirty(venue: string): void {
    this.dirtyVenues.add(venue);
    if (this.valuationTimer) return;
    this.valuationTimer = this.clock.after(this.cadences.valuationMs, () => {
      this.valuationTimer = null;
      this.publishValuations();
    });
  }

  /**
   * Real venues that are trading are compared with Keel's books again now and
   * then, as a command (no order is sent meanwhile); a difference found blocks
   * the venue like at start-up. Paper venues share Keel's process: nothing
   * can drift there.
   */
  private reconcilePeriodically(): void {
    for (const venue of this.venues.ids()) {
      if (this.venues.port(venue).paper || this.venues.status(venue).state !== 'ready') continue;
      void this.commands
        .run(() => this.lifecycle.reconcile(venue, 'periodic'))
        .catch((error: unknown) => this.log.error(`[engine] the periodic reconciliation of ${venue} failed`, error));
    }
  }

  /** Asks venues about orders that have waited too long for an answer: a command like any other, queued. */
  private sweepStaleOrders(): void {
    const olderThan = this.clock.now() - this.cadences.staleOrderAfterMs;
    if (!this.orders.hasStale(olderThan)) return;
    void this.commands
      .run(() => this.orders.resolveStale(olderThan))
      .catch((error: unknown) => this.log.error('[engine] resolving stale orders failed', error));
  }

  private publishValuations(): void {
    for (const venue of this.dirtyVenues) {
      if (!this.portfolio.venues().includes(venue)) continue;
      // Positions and the account summary are built only for someone: the screen, or the margin monitor when a position has a margin table.
      const watched = this.portfolio.hasMarginTables(venue) || this.margins.hasWarned(venue);
      const wanted = this.bus.wants('positions.updated');
      const positions = wanted || watched ? this.portfolio.positions(venue) : [];
      if (wanted) this.bus.publish('positions.updated', { venue, positions });
      if (this.bus.wants('account.updated')) this.bus.publish('account.updated', this.portfolio.summary(venue, this.orders.openOrders(venue), this.clock.now()));
      if (watched) this.margins.observe(venue, positions);
      // The loss monitors watch equity, so they run whenever it may have moved.
      if (this.venues.status(venue).state === 'ready') {
        this.bus.publish('risk.usage', this.risk.observeEquity(venue, this.portfolio.equity(venue), this.orders.openOrderCount(venue)));
      }
    }
    this.dirtyVenues.clear();
  }
}
