/**
 * The strategy runtime: the instances a trader creates from the catalog,
 * their lifecycle (start, pause, resume, stop, delete), their persistence,
 * and the routing of their own fills and order changes. Every instance acts
 * only through the kernel (the same risk stage and order intake as a
 * person), only once its venue is reconciled, and the emergency stop halts
 * all of them before it cancels anything.
 *
 * Lifecycle rules:
 * - start: from stopped or error; the venue must be ready. Warm-up history
 *   is fetched and fed, then the instance decides on each new closed bar.
 * - pause: keeps its position and resting orders; it places nothing new.
 * - stop: cancels its own open orders (nobody else's), optionally flattens
 *   its own position, then stops. A stop by a limit or the emergency stop
 *   says why in `statusReason`.
 * - error: a handler threw or overran; nothing is canceled (the trader sees
 *   the reason and decides); start again after fixing.
 * - restart: an instance that was running comes back running (after its
 *   venue is reconciled) only when "resume after restart" is on; otherwise
 *   it comes back stopped, saying so.
 * - lifecycle: each start, pause, resume, stop and error is recorded in the
 *   activity log with `lifecycle` in its data, so the parity report knows
 *   which bars the instance decided on.
 * - models: a strategy's `model` parameters must name a model that may be
 *   used (it exists, has a usable version, its features are this Keel's)
 *   at create, update and start (VALIDATION_FAILED naming the model); one
 *   that resumes after a restart with a model it can no longer use ends in
 *   `error` saying why.
 */
import type {
  CreateStrategyParams,
  StrategyAccounting,
  StrategyInstance,
  StrategyLimits,
  UpdateStrategyParams,
} from '../../../shared/contract/strategies';
import { NO_STRATEGY_LIMITS } from '../../../shared/contract/strategies';
import { Dec } from '../../../shared/decimal';
import type { Bar, Fill, Order, Timeframe } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import type { Engine } from '../engine';
import type { EngineJournal, StrategyInstanceRow } from '../ports/journal';
import { StrategyBook, type BookFill } from './accounting';
import type { BarFeed } from './barFeed';
import type { StrategyDefinition } from './definition';
import { checkModelParam, modelParams, resolveParams, usesMarketFeatures } from './definition';
import { DeadlineQueue } from '../../core/deadlines';
import { cancelAllOf, engineKernel } from './engineKernel';
import { DEFAULT_HANDLER_BUDGET, StrategyInstanceRunner, type HandlerBudget } from './instance';
import type { StrategyKernel } from './kernelAccess';
import type { ModelScoringPort } from './modelScoring';

export interface StrategyCatalogPort {
  get(type: string): StrategyDefinition;
}

export interface StrategyRuntimeDeps {
  engine: Engine;
  journal: EngineJournal;
  catalog: StrategyCatalogPort;
  feed: BarFeed;
  newId: () => string;
  budget?: HandlerBudget;
  stopwatch?: () => number;
  /** Model scoring for strategies that score models or read the regime; without it they cannot be created. */
  models?: ModelScoringPort;
}

interface Managed {
  row: StrategyInstanceRow;
  runner: StrategyInstanceRunner | null;
  /** Its own fills so far, kept while it is stopped too (a resting order can still fill). */
  book: StrategyBook;
  unsubscribe: (() => void) | null;
  /** Waiting for its venue to be ready before it resumes after a restart. */
  pendingResume: boolean;
  /** The unrealized PnL last published, and when: a held position is revalued as the market moves, at most once a second. */
  published?: { unrealized: string; at: number };
}

/** How often an instance holding a position is republished as its price moves. */
const REVALUE_EVERY_MS = 1_000;

export class StrategyRuntime {
  private readonly instances = new Map<string, Managed>();
  private readonly kernel: StrategyKernel;
  private readonly deps: StrategyRuntimeDeps;
  /** Every instance's handler budgets, on one timer. */
  private readonly deadlines = new DeadlineQueue();

  constructor(deps: StrategyRuntimeDeps) {
    this.deps = deps;
    this.kernel = engineKernel(deps.engine);
    deps.engine.onEmergencyHalt(() => this.haltAll('the emergency stop halted it'));
    deps.engine.bus.subscribe((topic, payload) => {
      if (topic === 'fills.new') this.routeFill(payload as Fill);
      else if (topic === 'orders.updated') this.routeOrder(payload as Order);
      else if (topic === 'system.health') this.resumePending();
      else if (topic === 'account.updated') this.revalue((payload as { venue: string }).venue);
    }, ['fills.new', 'orders.updated', 'system.health', 'account.updated']);
  }

  /** Restores the instances from the journal; those that may resume wait for their venue. */
  load(): void {
    const rows = this.deps.journal.listStrategyInstances();
    const books = rows.length > 0 ? this.rebuildBooks() : new Map<string, StrategyBook>();
    for (const row of rows) {
      const wasRunning = row.status === 'running' || row.status === 'starting' || row.status === 'paused';
      const managed: Managed = { row, runner: null, book: books.get(row.id) ?? new StrategyBook(), unsubscribe: null, pendingResume: false };
      this.instances.set(row.id, managed);
      if (wasRunning && row.resumeAfterRestart) {
        managed.pendingResume = true;
        this.save(managed, { status: 'starting', statusReason: 'waiting for its venue to be reconciled after the restart' });
      } else if (wasRunning) {
        this.save(managed, { status: 'stopped', statusReason: 'Keel restarted; "resume after restart" is off' });
      }
    }
    this.resumePending();
  }

  list(): StrategyInstance[] {
    return [...this.instances.values()].map((m) => this.view(m));
  }

  get(id: string): StrategyInstance {
    return this.view(this.must(id));
  }

  create(params: CreateStrategyParams): StrategyInstance {
    const definition = this.deps.catalog.get(params.type);
    const resolved = resolveParams(definition, params.params, this.modelsFor(definition));
    this.deps.engine.venues.requireInstrument(params.venue, params.symbol);
    const now = this.deps.engine.clock.now();
    const row: StrategyInstanceRow = {
      id: this.deps.newId(),
      type: params.type,
      name: params.name ?? `${definition.name} ${params.symbol.split('/')[0]} ${params.timeframe}`,
      venue: params.venue,
      symbol: params.symbol,
      timeframe: params.timeframe,
      params: resolved,
      limits: params.limits ?? { ...NO_STRATEGY_LIMITS },
      status: 'stopped',
      statusReason: null,
      resumeAfterRestart: params.resumeAfterRestart ?? false,
      state: {},
      createdAt: now,
      updatedAt: now,
    };
    const managed: Managed = { row, runner: null, book: new StrategyBook(), unsubscribe: null, pendingResume: false };
    this.instances.set(row.id, managed);
    this.save(managed, {});
    this.deps.engine.activity.record('info', 'strategy', `${row.name} created (${params.venue} ${params.symbol} ${params.timeframe}).`, { strategyId: row.id });
    return this.view(managed);
  }

  update(params: UpdateStrategyParams): StrategyInstance {
    const managed = this.must(params.id);
    if (managed.row.status !== 'stopped' && managed.row.status !== 'error') {
      throw new KeelError('INVALID_STATE', `${managed.row.name} is ${managed.row.status}: stop it before changing it`);
    }
    const changes: Partial<StrategyInstanceRow> = {};
    if (params.params) {
      const definition = this.deps.catalog.get(managed.row.type);
      changes.params = resolveParams(definition, { ...managed.row.params, ...params.params }, this.modelsFor(definition));
    }
    if (params.name !== undefined) changes.name = params.name;
    if (params.limits !== undefined) changes.limits = params.limits;
    if (params.resumeAfterRestart !== undefined) changes.resumeAfterRestart = params.resumeAfterRestart;
    this.save(managed, changes);
    return this.view(managed);
  }

  async start(id: string): Promise<StrategyInstance> {
    const managed = this.must(id);
    const { row } = managed;
    if (row.status !== 'stopped' && row.status !== 'error') throw new KeelError('INVALID_STATE', `${row.name} is already ${row.status}`);
    this.requireVenueReady(row.venue, row.name);
    this.requireActiveTrading(row.name);
    this.checkModels(row);
    await this.launch(managed);
    return this.view(managed);
  }

  pause(id: string): StrategyInstance {
    const managed = this.must(id);
    if (managed.row.status !== 'running' || !managed.runner) throw new KeelError('INVALID_STATE', `${managed.row.name} is ${managed.row.status}, not running`);
    managed.runner.pause();
    this.save(managed, { status: 'paused', statusReason: null });
    this.deps.engine.activity.record('info', 'strategy', `${managed.row.name} paused: it keeps its position and orders and places nothing new.`, { strategyId: id, lifecycle: 'paused' });
    return this.view(managed);
  }

  resume(id: string): StrategyInstance {
    const managed = this.must(id);
    if (managed.row.status !== 'paused' || !managed.runner) throw new KeelError('INVALID_STATE', `${managed.row.name} is ${managed.row.status}, not paused`);
    this.requireActiveTrading(managed.row.name);
    managed.runner.resume();
    this.save(managed, { status: 'running', statusReason: null });
    this.deps.engine.activity.record('info', 'strategy', `${managed.row.name} resumed.`, { strategyId: id, lifecycle: 'resumed' });
    return this.view(managed);
  }

  /** Cancels its own orders (and, with `flatten`, closes its own position), then stops it. */
  async stop(id: string, flatten = false, reason: string | null = null): Promise<StrategyInstance> {
    const managed = this.must(id);
    const { row } = managed;
    if (row.status === 'stopped') {
      if (!flatten) return this.view(managed);
    }
    managed.pendingResume = false;
    const runner = managed.runner;
    managed.unsubscribe?.();
    managed.unsubscribe = null;
    let notes = '';
    // Halt first: nothing new is sent, and its orders still waiting in the command queue (behind this
    // command) will find it stopped and send nothing. Commands run one at a time, so none of its
    // orders is half sent now: the cancel sees every one that went out.
    runner?.halt('stopped');
    const canceled = await cancelAllOf(this.deps.engine, id);
    if (canceled > 0) notes += ` ${canceled} open order${canceled === 1 ? '' : 's'} canceled.`;
    if (flatten && !managed.book.position.isZero()) {
      const quantity = managed.book.position;
      // Inside this command already: straight to the engine (through the queue it would wait for itself).
      const outcome = await this.deps.engine.submitOrder(
        { venue: row.venue, symbol: row.symbol, side: quantity.isNegative() ? 'buy' : 'sell', type: 'market', quantity: quantity.abs().toString(), reduceOnly: true },
        { kind: 'strategy', id },
      );
      notes += outcome.ok && !outcome.rejectionCode ? ` Its position of ${quantity.toString()} closed.` : ` Its position could not be closed: ${outcome.ok ? outcome.order.rejectReason : outcome.denial.message}.`;
    }
    this.save(managed, { status: 'stopped', statusReason: reason });
    this.deps.engine.activity.record(reason ? 'warning' : 'info', 'strategy', `${row.name} stopped${reason ? `: ${reason}` : ''}.${notes}`, { strategyId: id, lifecycle: 'stopped' });
    return this.view(managed);
  }

  delete(id: string): void {
    const managed = this.must(id);
    if (managed.row.status !== 'stopped' && managed.row.status !== 'error') {
      throw new KeelError('INVALID_STATE', `${managed.row.name} is ${managed.row.status}: stop it before deleting it`);
    }
    this.deps.journal.deleteStrategyInstance(id);
    this.instances.delete(id);
    this.deps.engine.activity.record('info', 'strategy', `${managed.row.name} deleted; its orders and fills stay in the books.`, { strategyId: id });
  }

  /** The emergency stop: every instance stops deciding at once; the emergency stop itself cancels and flattens. */
  haltAll(reason: string): void {
    for (const managed of this.instances.values()) {
      managed.pendingResume = false;
      if (managed.row.status === 'stopped') continue;
      managed.unsubscribe?.();
      managed.unsubscribe = null;
      managed.runner?.halt('stopped');
      this.save(managed, { status: 'stopped', statusReason: reason });
    }
  }

  /** Shutdown: instances stop deciding; their rows keep the status they had, so a restart can resume them. */
  async dispose(): Promise<void> {
    for (const managed of this.instances.values()) {
      managed.unsubscribe?.();
      managed.unsubscribe = null;
      const runner = managed.runner;
      // halt() changes the runner's status only: the row keeps "running" for the restart.
      if (runner?.active) runner.halt('stopped');
    }
  }

  // ------------------------------------------------------------ internals

  private async launch(managed: Managed): Promise<void> {
    const { row } = managed;
    const definition = this.deps.catalog.get(row.type);
    this.save(managed, { status: 'starting', statusReason: null });
    try {
      // A trader's start checked this already; a resume after a restart finds out here.
      this.checkModels(row);
    } catch (error) {
      this.failed(managed, `could not start: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    const runner = new StrategyInstanceRunner(
      { id: row.id, name: row.name, venue: row.venue, symbol: row.symbol, timeframe: row.timeframe, params: row.params, limits: row.limits, state: row.state },
      {
        kernel: this.kernel,
        definition,
        budget: this.deps.budget ?? DEFAULT_HANDLER_BUDGET,
        stopwatch: this.deps.stopwatch ?? (() => performance.now()),
        watchdog: (ms, fire) => this.deadlines.watch(ms, fire),
        changed: () => this.publish(managed),
        stateChanged: (state) => this.save(managed, { state }),
        failed: (reason) => this.failed(managed, reason),
        // A breach is found inside some event's stack: the stop takes its turn as a command.
        breached: (reason) => void this.deps.engine.commands.run(() => this.stop(row.id, false, reason)),
        book: managed.book,
        ...(this.deps.models ? { models: this.deps.models } : {}),
      },
    );
    managed.runner = runner;
    // Subscribed before the history is asked for, so a bar that closes meanwhile is not lost: it waits until
    // the warm-up is in, and the instance takes each bar once whichever way it came.
    const early: Bar[] = [];
    let warmedUp = false;
    managed.unsubscribe = this.deps.feed.subscribe(row.venue, row.symbol, row.timeframe as Timeframe, (bar) => {
      if (warmedUp) return runner.onBar(bar);
      early.push(bar);
      return undefined;
    });
    try {
      const history = await this.deps.feed.history(row.venue, row.symbol, row.timeframe as Timeframe, runner.warmupBars);
      // Stopped (or deleted) while the history was on its way: it must not come to life afterwards.
      if (managed.row.status !== 'starting' || managed.runner !== runner) return;
      await runner.start(history);
      warmedUp = true;
      for (const bar of early) await runner.onBar(bar);
    } catch (error) {
      this.failed(managed, `could not start: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (runner.status === 'error') return;
    this.save(managed, { status: 'running', statusReason: null });
    this.deps.engine.activity.record('info', 'strategy', `${row.name} started on ${row.venue} ${row.symbol} ${row.timeframe}.`, { strategyId: row.id, lifecycle: 'started' });
  }

  /**
   * Every instance's own book from the journal, in one pass over the fills:
   * each fill of an order a strategy placed, oldest first. Orders are read
   * from the journal (the order cache forgets old finished ones).
   */
  private rebuildBooks(): Map<string, StrategyBook> {
    const fillsOf = new Map<string, Fill[]>();
    const sourceOf = new Map<string, string | null>();
    let cursor: string | undefined;
    do {
      const page = this.deps.engine.listFills(5_000, cursor);
      for (const fill of page.fills) {
        let source = sourceOf.get(fill.orderId);
        if (source === undefined) {
          const order = this.deps.journal.getOrder(fill.orderId);
          source = order?.source === 'strategy' ? order.sourceId : null;
          sourceOf.set(fill.orderId, source);
        }
        if (!source) continue;
        const list = fillsOf.get(source);
        if (list) list.push(fill);
        else fillsOf.set(source, [fill]);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    const books = new Map<string, StrategyBook>();
    for (const [id, fills] of fillsOf) {
      const book = new StrategyBook();
      for (const fill of fills.sort((x, y) => x.timestamp - y.timestamp)) book.apply(bookFill(fill));
      books.set(id, book);
    }
    return books;
  }

  private failed(managed: Managed, reason: string): void {
    managed.unsubscribe?.();
    managed.unsubscribe = null;
    const open = this.kernel.openOrdersOf(managed.row.id).length;
    this.save(managed, { status: 'error', statusReason: reason });
    const left = `${open} open order${open === 1 ? '' : 's'} and its position are left as they are`;
    this.deps.engine.activity.record('error', 'strategy', `${managed.row.name} stopped with an error: ${reason}. ${left}.`, { strategyId: managed.row.id, lifecycle: 'error' });
  }

  private resumePending(): void {
    for (const managed of this.instances.values()) {
      if (!managed.pendingResume) continue;
      if (!this.venueReady(managed.row.venue)) continue;
      managed.pendingResume = false;
      if (this.deps.engine.riskStatus().state !== 'ACTIVE') {
        this.save(managed, { status: 'stopped', statusReason: `not resumed after the restart: trading is ${this.deps.engine.riskStatus().state}` });
        continue;
      }
      void this.launch(managed);
    }
  }

  private routeFill(fill: Fill): void {
    const order = this.deps.engine.orders.get(fill.orderId);
    if (order?.source !== 'strategy' || !order.sourceId) return;
    const managed = this.instances.get(order.sourceId);
    if (!managed) return;
    if (managed.runner) managed.runner.onFill(fill);
    else {
      managed.book.apply(bookFill(fill));
      this.publish(managed);
    }
  }

  private routeOrder(order: Order): void {
    if (order.source !== 'strategy' || !order.sourceId) return;
    const managed = this.instances.get(order.sourceId);
    if (!managed) return;
    if (managed.runner) managed.runner.onOrder(order);
    else this.publish(managed);
  }

  private venueReady(venue: string): boolean {
    return this.deps.engine.venueStatuses().some((s) => s.venue === venue && s.state === 'ready');
  }

  private requireVenueReady(venue: string, name: string): void {
    const status = this.deps.engine.venueStatuses().find((s) => s.venue === venue);
    if (!status) throw new KeelError('NOT_FOUND', `${name}: there is no venue ${venue}`);
    if (status.state !== 'ready') throw new KeelError('VENUE_UNAVAILABLE', `${name} cannot start: ${venue} is ${status.state}${status.reason ? ` (${status.reason})` : ''}`);
  }

  private requireActiveTrading(name: string): void {
    const { state, reason } = this.deps.engine.riskStatus();
    if (state !== 'ACTIVE') throw new KeelError(state === 'HALTED' ? 'HALTED' : 'REDUCING_ONLY', `${name} cannot start while trading is ${state}${reason ? ` (${reason})` : ''}`);
  }

  /** The scoring port for a strategy that needs it; refuses one that needs it where there is none. */
  private modelsFor(definition: StrategyDefinition): ModelScoringPort | undefined {
    if (!usesMarketFeatures(definition)) return undefined;
    if (!this.deps.models) throw new KeelError('INVALID_STATE', `${definition.name} scores models, and model scoring is not available here`);
    return this.deps.models;
  }

  /** Each model parameter still names a model that may be used now. */
  private checkModels(row: StrategyInstanceRow): void {
    const definition = this.deps.catalog.get(row.type);
    const models = this.modelsFor(definition);
    if (!models) return;
    for (const name of modelParams(definition)) checkModelParam(definition, name, String(row.params[name] ?? ''), models);
  }

  private must(id: string): Managed {
    const managed = this.instances.get(id);
    if (!managed) throw new KeelError('NOT_FOUND', `There is no strategy ${id}`);
    return managed;
  }

  private save(managed: Managed, changes: Partial<StrategyInstanceRow>): void {
    managed.row = { ...managed.row, ...changes, updatedAt: this.deps.engine.clock.now() };
    this.deps.journal.saveStrategyInstance(managed.row);
    this.publish(managed);
  }

  private publish(managed: Managed): void {
    const view = this.view(managed);
    managed.published = { unrealized: view.accounting.unrealizedPnl, at: this.deps.engine.clock.now() };
    this.deps.engine.bus.publish('strategies.updated', view);
  }

  /** The venue was valued again: instances holding a position there are republished when their unrealized PnL moved. */
  private revalue(venue: string): void {
    const now = this.deps.engine.clock.now();
    for (const managed of this.instances.values()) {
      if (managed.row.venue !== venue || managed.book.position.isZero()) continue;
      if (managed.published && now - managed.published.at < REVALUE_EVERY_MS) continue;
      if (managed.published?.unrealized === this.accounting(managed).unrealizedPnl) continue;
      this.publish(managed);
    }
  }

  private view(managed: Managed): StrategyInstance {
    const { row } = managed;
    return {
      id: row.id,
      type: row.type,
      name: row.name,
      venue: row.venue,
      symbol: row.symbol,
      timeframe: row.timeframe as Timeframe,
      params: row.params,
      limits: row.limits as StrategyLimits,
      status: row.status,
      statusReason: row.statusReason,
      resumeAfterRestart: row.resumeAfterRestart,
      accounting: this.accounting(managed),
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  }

  private accounting(managed: Managed): StrategyAccounting {
    const { book, row, runner } = managed;
    let unrealized = Dec.ZERO;
    if (!book.position.isZero()) {
      try {
        unrealized = book.unrealized(Dec.parse(this.deps.engine.ticker(row.venue, row.symbol).mark));
      } catch {
        // No price yet: shown as zero until the market has one.
      }
    }
    return {
      realizedPnl: book.realized.toString(),
      unrealizedPnl: unrealized.toString(),
      fees: book.fees.toString(),
      trades: book.trades,
      wins: book.wins,
      winRatePct: book.trades > 0 ? (book.wins / book.trades) * 100 : null,
      position: book.position.toString(),
      entryPrice: book.position.isZero() ? null : book.entryPrice.toString(),
      openOrders: this.kernel.openOrdersOf(row.id).length,
      lastSignal: runner?.lastSignal ?? null,
      byRegime: [...book.byRegime].map(([regime, t]) => ({ regime, trades: t.trades, wins: t.wins, realizedPnl: t.pnl.toString() })),
    };
  }
}

function bookFill(fill: Fill): BookFill {
  return { side: fill.side, quantity: Dec.parse(fill.quantity), price: Dec.parse(fill.price), fee: Dec.parse(fill.fee), timestamp: fill.timestamp };
}
