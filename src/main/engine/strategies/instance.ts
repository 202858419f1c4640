/**
 * One running strategy: its handlers, indicators, closed-bar history, own
 * book and timers, and the context it sees. Handler calls run one at a time
 * in arrival order, each inside a guard: a throw, a handler that holds the
 * thread past its budget, or one that does not finish in time puts this
 * instance (and only it) in `error` with the reason. Going to `error`
 * cancels nothing: the trader sees the reason and decides.
 */
import { Dec } from '../../../shared/decimal';
import { UNDER_ONE_LOT, type StrategyLimits, type StrategyParams, type StrategyStatus } from '../../../shared/contract/strategies';
import type { PlaceOrderParams } from '../../../shared/contract';
import type { RegimeLabelName } from '../../../shared/contract/ml';
import type { Bar, Fill, Instrument, Order, OrderSide } from '../../../shared/domain';
import { isTerminalStatus } from '../../../shared/domain';
import { KeelError, errorText, shorten } from '../../../shared/errors';
import type { TimerHandle } from '../ports/clock';
import { StrategyBook } from './accounting';
import type { OrderIntent, Sizing, SizingHelpers, StrategyContext, StrategyState } from './context';
import type { StrategyDefinition } from './definition';
import type { Awaitable, OwnPosition, StrategyHandlers } from './handlers';
import { IndicatorSet } from './indicators';
import { remainingBySide } from '../orders/openRemaining';
import { InstanceModels } from './instanceModels';
import type { StrategyKernel } from './kernelAccess';
import type { ModelScoringPort } from './modelScoring';
import { allInQuantity, equityFractionQuantity, floorToLot, riskQuantity, valueQuantity, type SizingInputs } from './sizing';

export interface InstanceConfig {
  id: string;
  name: string;
  venue: string;
  symbol: string;
  timeframe: string;
  params: StrategyParams;
  limits: StrategyLimits;
  state: Record<string, unknown>;
}

export interface HandlerBudget {
  /** Longest a handler may hold the thread before its first await. */
  syncMs: number;
  /** Longest a handler may take in all, awaits included. */
  totalMs: number;
}

export const DEFAULT_HANDLER_BUDGET: HandlerBudget = { syncMs: 250, totalMs: 30_000 };

export interface InstanceDeps {
  kernel: StrategyKernel;
  definition: StrategyDefinition;
  budget: HandlerBudget;
  /** Wall time in ms, for the handler budget only (engine time comes from the kernel's clock). */
  stopwatch: () => number;
  /** A real-time deadline that does not depend on engine time (a backtest's clock stands still while a handler runs). */
  watchdog: (ms: number, fire: () => void) => { cancel(): void };
  /** Something the Strategies panel shows changed (accounting, signal, status). */
  changed: () => void;
  /** The instance's persisted state changed. */
  stateChanged: (state: Record<string, unknown>) => void;
  /** A handler failed: the runtime records the `error` status and why. */
  failed: (reason: string) => void;
  /** A limit of its own was breached: the runtime stops it and says why. */
  breached: (reason: string) => void;
  /** How long a market order is awaited in `submit` before the handler goes on, in engine ms. */
  marketOrderWaitMs?: number;
  /** Its book so far (restored from the journal); a new one when not given. */
  book?: StrategyBook;
  /** Backtest settings: a new entry first cancels this strategy's orders and closes its position. */
  exclusiveOrders?: boolean;
  /** Model scoring, for a strategy with a `model` parameter or `usesRegime`. */
  models?: ModelScoringPort;
}

const MAX_BARS_KEPT = 5_000;

export class StrategyInstanceRunner {
  readonly config: InstanceConfig;
  status: StrategyStatus = 'stopped';
  readonly book: StrategyBook;
  lastSignal: { time: number; text: string } | null = null;
  /** Closed bars seen since it started (warm-up included). */
  barsSeen = 0;
  private readonly deps: InstanceDeps;
  private readonly warmup: number;
  private indicators = new IndicatorSet();
  private handlers: StrategyHandlers = {};
  private readonly history: Bar[] = [];
  private readonly timers = new Map<string, TimerHandle>();
  /** Handler calls run one at a time: this is the tail of the chain. */
  private queue: Promise<void> = Promise.resolve();
  /** Handler calls queued or running. */
  private pending = 0;
  /** Submissions on their way (not yet answered by the kernel), with the side and quantity each asks for. */
  private readonly inFlight = new Map<Promise<unknown>, { side: OrderSide; quantity: Dec }>();
  private readonly context: StrategyContext;
  private readonly instrumentInfo: Instrument;
  private readonly lot: Dec;
  private readonly tick: Dec;
  private readonly models: InstanceModels;

  constructor(config: InstanceConfig, deps: InstanceDeps) {
    this.config = config;
    this.deps = deps;
    this.book = deps.book ?? new StrategyBook();
    this.models = new InstanceModels(deps.models, deps.definition, {
      strategyId: config.id,
      venue: config.venue,
      symbol: config.symbol,
      timeframe: config.timeframe,
      log: (level, message) => deps.kernel.record(level, `${config.name}: ${shorten(message, 300)}`, { strategyId: config.id }),
      say: (text) => this.signal(text),
    });
    // The warm-up covers the feature pipeline's too, so the first decision already has every feature.
    this.warmup = Math.max(0, Math.floor(deps.definition.warmupBars(config.params)), this.models.warmupBars);
    this.instrumentInfo = deps.kernel.instrument(config.venue, config.symbol);
    this.lot = Dec.parse(this.instrumentInfo.lotSize);
    this.tick = Dec.parse(this.instrumentInfo.tickSize);
    this.context = this.makeContext();
  }

  /** Bars its indicators need before its first decision. */
  get warmupBars(): number {
    return this.warmup;
  }

  get active(): boolean {
    return this.status === 'running' || this.status === 'paused';
  }

  /**
   * Binds the strategy afresh (new indicators), feeds the warm-up history
   * (no decisions on it), then calls `onStart`. Bars already seen are not
   * fed twice.
   */
  async start(history: readonly Bar[]): Promise<void> {
    this.indicators = new IndicatorSet();
    this.history.length = 0;
    this.barsSeen = 0;
    this.status = 'running';
    try {
      this.models.start();
      this.handlers = this.deps.definition.create(this.context, this.config.params) ?? {};
    } catch (error) {
      this.fail(`could not start: ${errorText(error)}`);
      return;
    }
    for (const bar of history) this.absorb(bar);
    // Queued, not awaited: the caller may be a command, and onStart's own orders take their turn after it.
    void this.enqueue('onStart', () => this.handlers.onStart?.());
  }

  /** A newly closed bar: indicators first, then (after the warm-up, while running) the strategy's decision. */
  onBar(bar: Bar): Promise<void> {
    if (!this.active) return Promise.resolve();
    // Each bar once: a bar the warm-up already held, or one handed on twice, is not news.
    const newest = this.history[this.history.length - 1];
    if (newest && bar.time <= newest.time) return this.queue;
    this.absorb(bar);
    this.checkDailyLoss();
    if (this.status !== 'running' || this.barsSeen <= this.warmup) return this.queue;
    return this.enqueue('onBar', () => this.handlers.onBar?.(bar));
  }

  /**
   * `onBar` for a driver that owns the thread (a backtest's loop, never a
   * command or an engine event): when no handler call is queued, the bar's
   * decision runs now instead of on the next turn of the queue. Answers null
   * when everything is done (the handler returned without awaiting), or the
   * promise to wait for. Order and guards are those of `onBar`.
   */
  offerBar(bar: Bar): Promise<void> | null {
    if (this.pending > 0 || !this.active) return this.onBar(bar);
    const newest = this.history[this.history.length - 1];
    if (newest && bar.time <= newest.time) return null;
    this.absorb(bar);
    this.checkDailyLoss();
    if (this.status !== 'running' || this.barsSeen <= this.warmup) return null;
    const onBar = this.handlers.onBar;
    if (!onBar) return null;
    // The handler and its bar go in as they are: a closure per bar would be a million allocations in a long backtest.
    const waiting = this.invoke('onBar', onBar, bar);
    if (waiting === null) return null;
    this.pending += 1;
    this.queue = waiting.then(() => {
      this.pending -= 1;
    });
    return this.queue;
  }

  /** One of its own fills: booked at once (so `position()` is current), then handed to `onFill` and `onPosition`. */
  onFill(fill: Fill): void {
    this.book.apply({ side: fill.side, quantity: Dec.parse(fill.quantity), price: Dec.parse(fill.price), fee: Dec.parse(fill.fee), timestamp: fill.timestamp, regime: this.models.regime() });
    this.deps.changed();
    if (!this.active) return;
    // Only handlers the strategy has are queued: an empty turn of the queue per fill is a promise chain for nothing.
    if (this.handlers.onFill) void this.enqueue('onFill', () => this.handlers.onFill?.(fill));
    if (this.handlers.onPosition) {
      const position = this.position();
      void this.enqueue('onPosition', () => this.handlers.onPosition?.(position));
    }
    this.checkDailyLoss();
  }

  onOrder(order: Order): void {
    this.deps.changed();
    if (!this.active) return;
    if (this.handlers.onOrder) void this.enqueue('onOrder', () => this.handlers.onOrder?.(order));
  }

  pause(): void {
    this.status = 'paused';
  }

  resume(): void {
    this.status = 'running';
  }

  /** Resolves when every handler call queued so far has finished. */
  idle(): Promise<void> {
    return this.queue;
  }

  /** Waits for its submissions on their way, so a cancel that follows sees them. */
  async settleSubmissions(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.keys()]);
  }

  /**
   * Stops deciding at once (timers cleared, submissions refused from now on,
   * its orders still waiting in the command queue dropped), then queues
   * `onStop` without waiting for it: the caller may be a command or the
   * emergency stop. Cancels nothing: the runtime does that for a trader's
   * stop; the emergency stop cancels everything itself.
   */
  halt(status: 'stopped' | 'error'): void {
    const wasActive = this.active;
    this.status = status;
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
    if (wasActive && this.handlers.onStop) {
      const onStop = this.handlers.onStop.bind(this.handlers);
      // onStop runs although the instance is no longer active; it cannot place orders (submit checks the status).
      void this.enqueue('onStop', onStop, { evenIfInactive: true });
    }
  }

  position(): OwnPosition {
    const quantity = this.book.position.toNumber();
    if (quantity === 0) return { quantity: 0, entryPrice: null, unrealizedPnl: 0 };
    const mark = this.markPrice();
    return {
      quantity,
      entryPrice: this.book.entryPrice.toNumber(),
      unrealizedPnl: Number.isFinite(mark) ? (mark - this.book.entryPrice.toNumber()) * quantity : 0,
    };
  }

  /** The market regime at the newest closed bar, for a strategy that reads it; null otherwise. */
  regime(): RegimeLabelName | null {
    return this.models.regime();
  }

  markPrice(): number {
    return this.deps.kernel.quote(this.config.venue, this.config.symbol).last;
  }

  // ------------------------------------------------------------ internals

  private absorb(bar: Bar): void {
    this.indicators.update(bar);
    this.models.update(bar);
    this.history.push(bar);
    // Trimmed in chunks (cutting one bar off the front on every bar would copy the whole history each time),
    // and in place (splice would also build an array of every bar it removes).
    if (this.history.length >= 2 * MAX_BARS_KEPT) {
      this.history.copyWithin(0, this.history.length - MAX_BARS_KEPT);
      this.history.length = MAX_BARS_KEPT;
    }
    this.barsSeen += 1;
  }

  /** Queues a handler call behind the others; it is skipped if the instance is no longer active by its turn (unless told otherwise). */
  private enqueue(name: string, call: () => Awaitable, options: { evenIfInactive?: boolean } = {}): Promise<void> {
    this.pending += 1;
    this.queue = this.queue.then(async () => {
      try {
        if (this.active || options.evenIfInactive) await this.invoke(name, call);
      } finally {
        this.pending -= 1;
      }
    });
    return this.queue;
  }

  /**
   * The guard's first half, on this turn: the call and its hold on the
   * thread. Answers null when the handler is done, or the rest of the
   * guard (its awaits under the total budget) when it returned a promise.
   */
  private invoke<A>(name: string, call: (arg: A) => Awaitable, arg?: A): Promise<void> | null {
    const { budget, stopwatch } = this.deps;
    // An unlimited budget (a backtest's) cannot be overrun: the clock is not read twice per bar for nothing.
    const timed = budget.syncMs !== Number.POSITIVE_INFINITY;
    const started = timed ? stopwatch() : 0;
    let result: Awaitable;
    try {
      result = call.call(this.handlers, arg as A);
    } catch (error) {
      this.fail(`${name} threw: ${shorten(errorText(error), 300)}`);
      return null;
    }
    const held = timed ? stopwatch() - started : 0;
    if (held > budget.syncMs) {
      this.fail(`${name} held the engine for ${Math.round(held)} ms (its budget is ${budget.syncMs} ms)`);
      return null;
    }
    return result instanceof Promise ? this.awaitWithin(name, result) : null;
  }

  /** The guard's second half: a handler's promise, under its total budget. */
  private async awaitWithin(name: string, result: Promise<void>): Promise<void> {
    const { budget, watchdog } = this.deps;
    let timer: { cancel(): void } | null = null;
    // One promise settled by whichever comes first (a race of three would be built for every decision that awaits).
    const outcome = await new Promise<'done' | 'overrun' | { error: unknown }>((resolve) => {
      timer = watchdog(budget.totalMs, () => resolve('overrun'));
      result.then(
        () => resolve('done'),
        (error: unknown) => resolve({ error }),
      );
    });
    (timer as { cancel(): void } | null)?.cancel();
    if (outcome === 'overrun') this.fail(`${name} did not finish within ${budget.totalMs} ms`);
    else if (outcome !== 'done') this.fail(`${name} failed: ${shorten(errorText(outcome.error), 300)}`);
  }

  private fail(reason: string): void {
    if (this.status === 'error' || this.status === 'stopped') return;
    this.status = 'error';
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
    this.deps.failed(reason);
  }

  private checkDailyLoss(): void {
    const max = this.config.limits.maxDailyLoss;
    if (max === null || !this.active) return;
    const mark = this.markPrice();
    if (!Number.isFinite(mark)) return;
    const pnl = this.book.dayPnl(this.deps.kernel.clock.now(), Dec.fromNumber(mark));
    if (pnl.lt(Dec.parse(max).neg())) {
      this.deps.breached(`its loss today (${pnl.neg().toString()}) passed its daily loss limit of ${max}`);
    }
  }

  private sizingInputs(side: OrderSide): SizingInputs {
    const { kernel } = this.deps;
    const { venue, symbol } = this.config;
    const quote = kernel.quote(venue, symbol);
    const account = kernel.account(venue);
    const costs = kernel.costs(venue, symbol);
    return {
      side,
      available: Number(account.available),
      equity: Number(account.equity),
      leverage: account.leverage[symbol] ?? this.instrumentInfo.defaultLeverage,
      price: quote.last,
      touch: side === 'buy' ? quote.ask : quote.bid,
      entrySpread: costs.entrySpread,
      feeRate: costs.feeRate,
      lot: this.lot.toNumber(),
      reserve: costs.reserve,
    };
  }

  private quantityFor(size: Sizing, side: OrderSide): number {
    if ('quantity' in size) return floorToLot(Number(size.quantity), this.lot.toNumber());
    const inputs = this.sizingInputs(side);
    if ('allIn' in size) {
      const share = size.share ?? 1;
      // A share outside (0, 1] is the strategy's own mistake: it stops the instance with the reason instead of sizing wrongly.
      if (!(share > 0 && share <= 1)) throw new KeelError('VALIDATION_FAILED', `An all-in share must be above 0 and at most 1; got ${share}`);
      return allInQuantity(inputs, share);
    }
    if ('value' in size) return valueQuantity(size.value, inputs);
    if ('equityFraction' in size) return equityFractionQuantity(size.equityFraction, inputs);
    return riskQuantity(size.riskFraction, size.stopDistance, inputs);
  }

  private priceText(price: number, round: 'down' | 'up'): string {
    const exact = Dec.fromNumber(price);
    return (round === 'down' ? exact.floorTo(this.tick) : exact.ceilTo(this.tick)).toString();
  }

  /**
   * What its open orders on one side have left to fill, plus its submissions
   * on their way on that side. A submission that has already reached the
   * order book is counted twice until its answer arrives: the limit errs on
   * the side of refusing.
   */
  private remainingOnSide(side: OrderSide): Dec {
    let total = remainingBySide(this.deps.kernel.openOrdersOf(this.config.id))[side];
    for (const sending of this.inFlight.values()) if (sending.side === side) total = total.add(sending.quantity);
    return total;
  }

  private refuse(message: string): null {
    this.deps.kernel.record('warning', `${this.config.name}: ${message}`, { strategyId: this.config.id });
    return null;
  }

  private async submit(intent: OrderIntent): Promise<Order | null> {
    if (this.status !== 'running') return this.refuse(`no new orders while ${this.status}`);
    if (intent.reason) this.signal(intent.reason);
    const type = intent.type ?? 'market';
    const reduceOnly = intent.reduceOnly ?? false;
    if (this.deps.exclusiveOrders && !reduceOnly) {
      await this.cancelAll();
      await this.closePosition();
    }
    const quantity = this.quantityFor(intent.size, intent.side);
    if (!(quantity > 0)) return this.refuse(`${intent.side} order not sent: ${UNDER_ONE_LOT}`);
    const quantityText = Dec.fromNumber(quantity).floorTo(this.lot);
    const limits = this.config.limits;
    if (limits.maxOpenOrders !== null) {
      // Counted only under a limit: listing its open orders on every order costs a scan of all of them.
      const open = this.deps.kernel.openOrdersOf(this.config.id).length + this.inFlight.size;
      if (open >= limits.maxOpenOrders) return this.refuse(`order refused by its own limit: ${open} open orders already (max ${limits.maxOpenOrders})`);
    }
    if (limits.maxPositionValue !== null && !reduceOnly) {
      // As if its other orders on this side filled too: a ladder of resting orders must not build past the limit.
      const resting = this.remainingOnSide(intent.side);
      const adding = quantityText.add(resting);
      const price = Dec.fromNumber(intent.price ?? this.sizingInputs(intent.side).touch);
      const value = this.book.position.add(intent.side === 'buy' ? adding : adding.neg()).abs().mul(price);
      if (value.gt(Dec.parse(limits.maxPositionValue))) {
        const others = resting.isPositive() ? ` with its open ${intent.side} orders of ${resting.toString()}` : '';
        return this.refuse(`order refused by its own limit: the position would be worth ${value.toFixed(2)}${others} (max ${limits.maxPositionValue})`);
      }
    }
    const params: PlaceOrderParams = {
      venue: this.config.venue,
      symbol: this.config.symbol,
      side: intent.side,
      type,
      quantity: quantityText.toString(),
      ...(intent.price !== undefined ? { price: this.priceText(intent.price, intent.side === 'buy' ? 'down' : 'up') } : {}),
      ...(intent.stopPrice !== undefined ? { stopPrice: this.priceText(intent.stopPrice, intent.side === 'buy' ? 'up' : 'down') } : {}),
      ...(intent.timeInForce ? { timeInForce: intent.timeInForce } : {}),
      ...(intent.postOnly ? { postOnly: true } : {}),
      ...(reduceOnly ? { reduceOnly: true } : {}),
    };
    const sending = this.deps.kernel.submit(params, this.config.id, () => this.status === 'running');
    this.inFlight.set(sending, { side: intent.side, quantity: quantityText });
    let outcome;
    try {
      outcome = await sending;
    } finally {
      this.inFlight.delete(sending);
    }
    if (!outcome.ok) return this.refuse(`${intent.side} ${params.quantity} refused: ${outcome.denial.message}`);
    if (intent.signalId) this.models.linkOrder(intent.signalId, outcome.order.id);
    if (outcome.rejectionCode) return this.refuse(`${intent.side} ${params.quantity} rejected by ${this.config.venue}: ${outcome.order.rejectReason ?? outcome.rejectionCode}`);
    if (type !== 'market' || isTerminalStatus(outcome.order.status)) return outcome.order;
    return (await this.deps.kernel.settled(outcome.order.id, this.deps.marketOrderWaitMs ?? 10_000)) ?? outcome.order;
  }

  async cancelAll(): Promise<number> {
    await this.settleSubmissions();
    return this.deps.kernel.cancelAllOf(this.config.id);
  }

  async closePosition(reason?: string): Promise<Order | null> {
    const quantity = this.book.position;
    if (quantity.isZero()) return null;
    // Closing is allowed while paused too: a paused strategy keeps the right to get out.
    if (!this.active) return this.refuse('cannot close its position: it is not running');
    if (reason) this.signal(reason);
    const params: PlaceOrderParams = {
      venue: this.config.venue,
      symbol: this.config.symbol,
      side: quantity.isNegative() ? 'buy' : 'sell',
      type: 'market',
      quantity: quantity.abs().toString(),
      reduceOnly: true,
    };
    const outcome = await this.deps.kernel.submit(params, this.config.id, () => this.active);
    if (!outcome.ok) return this.refuse(`close refused: ${outcome.denial.message}`);
    if (outcome.rejectionCode) return this.refuse(`close rejected by ${this.config.venue}: ${outcome.order.rejectReason ?? outcome.rejectionCode}`);
    if (isTerminalStatus(outcome.order.status)) return outcome.order;
    return (await this.deps.kernel.settled(outcome.order.id, this.deps.marketOrderWaitMs ?? 10_000)) ?? outcome.order;
  }

  private signal(text: string): void {
    this.lastSignal = { time: this.deps.kernel.clock.now(), text: shorten(text, 120) };
    this.deps.changed();
  }

  private makeContext(): StrategyContext {
    const { kernel } = this.deps;
    const config = this.config;
    const state: StrategyState = {
      get: <T>(key: string) => config.state[key] as T | undefined,
      set: (key, value) => {
        const json = JSON.stringify(value);
        if (json === undefined) throw new TypeError(`state "${key}": only JSON values can be kept`);
        if (json.length > 64 * 1024) throw new RangeError(`state "${key}" is ${json.length} characters; at most 65536 are kept`);
        config.state[key] = JSON.parse(json) as unknown;
        this.deps.stateChanged(config.state);
      },
      delete: (key) => {
        delete config.state[key];
        this.deps.stateChanged(config.state);
      },
    };
    const size: SizingHelpers = {
      fixed: (quantity) => this.quantityFor({ quantity }, 'buy'),
      value: (quoteValue, side) => this.quantityFor({ value: quoteValue }, side),
      equityFraction: (fraction, side) => this.quantityFor({ equityFraction: fraction }, side),
      allIn: (side) => this.quantityFor({ allIn: true }, side),
      risk: (riskFraction, stopDistance) => this.quantityFor({ riskFraction, stopDistance }, 'buy'),
    };
    const log = (level: 'info' | 'warning' | 'error') => (message: string) =>
      kernel.record(level, `${config.name}: ${shorten(String(message), 300)}`, { strategyId: config.id });
    return {
      id: config.id,
      venue: config.venue,
      symbol: config.symbol,
      timeframe: config.timeframe,
      clock: { now: () => kernel.clock.now() },
      log: { info: log('info'), warn: log('warning'), error: log('error') },
      state,
      ...this.models.context(),
      indicators: {
        sma: (...a) => this.indicators.sma(...a),
        ema: (...a) => this.indicators.ema(...a),
        rsi: (...a) => this.indicators.rsi(...a),
        atr: (...a) => this.indicators.atr(...a),
        bollinger: (...a) => this.indicators.bollinger(...a),
        donchian: (...a) => this.indicators.donchian(...a),
        custom: (...a) => this.indicators.custom(...a),
      },
      bars: (count) => this.history.slice(-Math.min(MAX_BARS_KEPT, Math.max(0, count ?? MAX_BARS_KEPT))),
      instrument: () => this.instrumentInfo,
      quote: () => kernel.quote(config.venue, config.symbol),
      position: () => this.position(),
      openOrders: () => kernel.openOrdersOf(config.id),
      availableMargin: () => Number(kernel.account(config.venue).available),
      equity: () => Number(kernel.account(config.venue).equity),
      submit: (intent) => this.submit(intent),
      buy: (sizing, reason) => this.submit({ side: 'buy', size: sizing, ...(reason ? { reason } : {}) }),
      sell: (sizing, reason) => this.submit({ side: 'sell', size: sizing, ...(reason ? { reason } : {}) }),
      cancel: async (orderId) => {
        const order = kernel.order(orderId);
        if (!order || order.sourceId !== config.id) throw new RangeError(`${orderId} is not one of this strategy's orders`);
        await kernel.cancel(orderId);
      },
      cancelAll: () => this.cancelAll(),
      closePosition: (reason) => this.closePosition(reason),
      size,
      signal: (text) => this.signal(text),
      setTimer: (name, everyMs) => {
        if (!(everyMs >= 1000)) throw new RangeError(`timer "${name}": at least 1000 ms between calls, got ${everyMs}`);
        this.timers.get(name)?.cancel();
        this.timers.set(name, kernel.clock.every(everyMs, () => void this.enqueue('onTimer', () => this.handlers.onTimer?.(name))));
      },
      clearTimer: (name) => {
        this.timers.get(name)?.cancel();
        this.timers.delete(name);
      },
    };
  }
}
