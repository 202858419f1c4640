/**
 * Runs one strategy over historical bars through the whole kernel: the
 * strategy runtime's instance and context, the risk stage, order intake,
 * the simulated exchange with the "bar" fill model, and the statistics. Only
 * the clock (simulated) and the venue (bars) differ from live trading.
 *
 * The driver, at each bar boundary (bar i closes, bar i+1 opens):
 * 1. bar i is handed to the exchange: resting limits and armed stops are
 *    worked against its range, and its close becomes the price;
 * 2. equity[i] is taken: cash plus the open position at Close[i];
 * 3. the price moves to Open[i+1] (unless trade-on-close): the moment bar i
 *    closes, the next bar's open is the market;
 * 4. the strategy gets bar i (indicators first, then its decision after the
 *    warm-up); a market order it sends fills at once at the price of step 3.
 * No decision is asked on the last bar without trade-on-close: nothing it
 * sent could fill. With `finalizeTrades` the open position is closed at the
 * end at the last bar's open (the reference's convention) and equity[last]
 * is taken again.
 */
import { Dec } from '../../shared/decimal';
import type { Bar, Fill } from '../../shared/domain';
import { KeelError } from '../../shared/errors';
import type { BacktestSettings, BacktestStats, BacktestTrade, BacktestWarning, EquityPoint } from '../../shared/contract/backtests';
import type { StrategyParams } from '../../shared/contract/strategies';
import { NO_ACCOUNT_LIMITS } from '../../shared/risk';
import { defaultRiskConfig } from '../engine/risk/profiles';
import type { StrategyDefinition } from '../engine/strategies/definition';
import { resolveParams } from '../engine/strategies/definition';
import { engineKernel } from '../engine/strategies/engineKernel';
import { DEFAULT_HANDLER_BUDGET, StrategyInstanceRunner } from '../engine/strategies/instance';
import type { ModelScoringPort } from '../engine/strategies/modelScoring';
import { BarFillModel } from '../venues/paper/barFillModel';
import { stepOf, stepsToNumber } from '../venues/paper/fixedPoint';
import { BACKTEST_VENUE, createBacktest } from './createBacktest';
import { DeadlineQueue } from '../core/deadlines';
import { datasetInstrument } from './datasetInstrument';
import { TradeBook, type BacktestFill } from './roundTrips';
import { RunWarnings } from './runWarnings';
import { computeStatistics, drawdownSeries } from './statistics';

export interface StrategyBacktestOptions {
  definition: StrategyDefinition;
  params: StrategyParams;
  symbol: string;
  bars: readonly Bar[];
  settings: BacktestSettings;
  /** Called every `progressEvery` bars and at the end. */
  onProgress?: (done: number, total: number) => void;
  progressEvery?: number;
  /** Asked between bars; true ends the run with a CANCELED-style error. */
  cancelled?: () => boolean;
  /** Model scoring, for a strategy that scores models or reads the regime (its trades then carry the regime they began in). */
  models?: ModelScoringPort;
}

export interface StrategyBacktestResult {
  stats: BacktestStats;
  trades: BacktestTrade[];
  equity: EquityPoint[];
  /** Index of the first bar the strategy could decide on (its warm-up before it). */
  firstDecisionBar: number;
  /** Per bar: the strategy's decisions (its last signal text when it changed on that bar), for parity and lookahead checks. */
  decisions: Array<{ bar: number; text: string }>;
  /** What the strategy could not do: orders not sent or refused (live, the activity feed's warnings). */
  warnings: BacktestWarning[];
}

export class BacktestCancelled extends Error {
  constructor() {
    super('The backtest was cancelled');
    this.name = 'BacktestCancelled';
  }
}

const STRATEGY_ID = 'backtest';

/**
 * A backtest runs in its own worker and holds nobody up, so a handler's time
 * on the thread is not limited (a garbage-collection pause on a busy machine
 * must not fail a run that would pass on a quiet one); a handler that never
 * finishes still fails the run.
 */
const BACKTEST_HANDLER_BUDGET = { syncMs: Number.POSITIVE_INFINITY, totalMs: DEFAULT_HANDLER_BUDGET.totalMs };

/** The data's bars within the settings' date range: the data itself, not a copy, when no range is set. */
export function barsInRange(bars: readonly Bar[], settings: Pick<BacktestSettings, 'from' | 'to'>): readonly Bar[] {
  if (settings.from === undefined && settings.to === undefined) return bars;
  return bars.filter((b) => (settings.from === undefined || b.time >= settings.from) && (settings.to === undefined || b.time < settings.to));
}

export async function runStrategyBacktest(options: StrategyBacktestOptions): Promise<StrategyBacktestResult> {
  const { definition, settings, symbol } = options;
  const bars = barsInRange(options.bars, settings);
  if (bars.length < 2) throw new KeelError('VALIDATION_FAILED', `A backtest needs at least 2 bars in its date range; there are ${bars.length}`);
  const params = resolveParams(definition, options.params);
  const instrument = datasetInstrument(symbol, bars, settings, BACKTEST_VENUE);
  const backtest = await createBacktest({
    instruments: [instrument],
    bars: { [symbol]: bars },
    timeframe: '1d',
    // The run's result is its trades and statistics: the order events and activity nobody reads are not kept.
    keepAudit: false,
    initialBalance: Dec.fromNumber(settings.cash).toString(),
    spread: Dec.fromNumber(settings.spread).toString(),
    fillModel: new BarFillModel({
      commission: Dec.fromNumber(settings.commission).toString(),
      spread: Dec.fromNumber(settings.spread).toString(),
      slippageTicks: settings.fillModel === 'intrabar' ? settings.slippageTicks : 0,
    }),
  });
  const { engine, clock, market } = backtest;
  const step = stepOf(instrument.tickSize);
  let fillBar = 0;
  const fills: BacktestFill[] = [];
  const kernel = engineKernel(engine, { feeRate: settings.commission, entrySpread: settings.spread, reserve: 0 });
  const warnings = new RunWarnings();
  const deadlines = new DeadlineQueue();
  // The instance binds to the venue's instrument, which exists once the engine has started (at the first bar).
  const makeRunner = (): StrategyInstanceRunner => new StrategyInstanceRunner(
    { id: STRATEGY_ID, name: definition.name, venue: BACKTEST_VENUE, symbol, timeframe: 'bar', params, limits: { maxPositionValue: null, maxOpenOrders: null, maxDailyLoss: null }, state: {} },
    {
      kernel: {
        // Sizing prices an entry as price × (1 ± spread) in floating point, exactly as the reference sizes it.
        ...kernel,
        // Whatever reaches into the kernel first brings it up to the market's price (see the quiet bars below).
        submit: (params, strategyId) => {
          market.sync();
          return kernel.submit(params, strategyId);
        },
        cancel: (orderId) => {
          market.sync();
          return kernel.cancel(orderId);
        },
        cancelAllOf: (strategyId) => {
          market.sync();
          return kernel.cancelAllOf(strategyId);
        },
        account: (venue) => {
          market.sync();
          return kernel.account(venue);
        },
        // A run keeps no activity feed: what the strategy could not do comes back with the result instead.
        record: (level, message, data) => {
          if (level !== 'info') warnings.add(message);
          kernel.record(level, message, data);
        },
        // The price a strategy sees is the market's price now, read straight from the bars (the ticker's 24-hour figures are not needed).
        quote: () => {
          const last = stepsToNumber(market.quoteTicks(symbol).last, step);
          return { bid: last, ask: last, last };
        },
      },
      definition,
      budget: BACKTEST_HANDLER_BUDGET,
      stopwatch: () => performance.now(),
      watchdog: (ms, fire) => deadlines.watch(ms, fire),
      changed: () => {},
      stateChanged: () => {},
      failed: (reason) => {
        failure = reason;
      },
      breached: () => {},
      exclusiveOrders: settings.exclusiveOrders,
      ...(options.models ? { models: options.models } : {}),
    },
  );
  let failure: string | null = null;
  /** The strategy's book as floats, refreshed on each fill: equity per bar is statistics, not bookkeeping. */
  const held = { realized: 0, position: 0, entry: 0 };
  engine.bus.subscribe((_topic, payload) => {
    const fill = payload as Fill;
    runner.onFill(fill);
    held.realized = runner.book.realized.toNumber();
    held.position = runner.book.position.toNumber();
    held.entry = runner.book.entryPrice.toNumber();
    fills.push({ bar: fillBar, time: bars[fillBar]!.time, side: fill.side, quantity: Number(fill.quantity), price: Number(fill.price), fee: Number(fill.fee), ...(options.models ? { regime: runner.regime() } : {}) });
  }, ['fills.new']);
  const decisions: Array<{ bar: number; text: string }> = [];
  let runner!: StrategyInstanceRunner;
  let started = false;
  const warmup: Bar[] = [];
  let lastSignal: StrategyInstanceRunner['lastSignal'] = null;

  const n = bars.length;
  const equity = new Array<number>(n);
  const closeAt = (i: number): number => (i + 1 < n ? bars[i + 1]!.time : bars[i]!.time + (bars[i]!.time - bars[i - 1]!.time));
  const every = options.progressEvery ?? Math.max(1, Math.floor(n / 100));
  /**
   * Lets the engine finish what the last step started. Venue reports are
   * applied in microtasks and commands run on the engine's queue; both are
   * done once the microtasks have run and the queue is empty, with no need
   * to wait for macrotask turns (a simulated clock's timers fire in
   * `advanceTo`, synchronously).
   */
  const settle = async (): Promise<void> => {
    do {
      for (let i = 0; i < 4; i++) await Promise.resolve();
      await engine.commands.drained();
    } while (engine.commands.size > 0);
  };
  /** Moves time on; answers true when a timer fired, the only way this can have started work the engine must settle. */
  const advanceTo = (time: number): boolean => {
    if (time <= clock.now()) return false;
    const due = clock.nextDueAt();
    clock.advanceTo(time);
    return due !== null && due <= time;
  };
  try {
    for (let i = 0; i < n; i++) {
      const bar = bars[i]!;
      const closesAt = closeAt(i);
      if (advanceTo(closesAt)) await settle();
      fillBar = i;
      if (i > 0 && engine.orders.openOrderCount(BACKTEST_VENUE) === 0) {
        // A quiet bar: the exchange holds no order, so nothing can fill. The market takes the bar without
        // telling the engine; the first thing that reaches into the kernel (an order, the account) brings it up to date.
        market.deferBar(bar, symbol);
      } else {
        market.pushBar(bar, symbol);
        await settle();
      }
      if (i === 0) {
        await engine.start();
        engine.setRiskLimits({ ...defaultRiskConfig(BACKTEST_VENUE), account: { ...NO_ACCOUNT_LIMITS } });
        runner = makeRunner();
        // Nothing to warm up: it starts before the first bar, as live it starts before the next one.
        if (runner.warmupBars === 0) {
          await runner.start([]);
          await runner.idle();
          started = true;
        }
      }
      equity[i] = settings.cash + held.realized + (held.position === 0 ? 0 : held.position * (bar.close - held.entry));
      // On the last bar without trade-on-close nothing it sent could fill: its indicators see the bar, it decides nothing.
      const canAct = settings.tradeOnClose || i < n - 1;
      if (canAct && !settings.tradeOnClose) {
        // Deferred like a quiet bar: the engine takes the price in the moment the strategy reaches for it.
        market.setPrice(bars[i + 1]!.open, symbol, { defer: true });
        fillBar = i + 1;
      }
      if (!started) {
        // The warm-up is history handed over at start, as live (where it comes from the venue); decisions begin on the bar after it.
        warmup.push(bar);
        if (warmup.length >= runner.warmupBars) {
          await runner.start(warmup);
          await runner.idle();
          started = true;
        }
      } else if (canAct) {
        // Most bars decide nothing and are done on this turn; only a handler that awaits (an order) is waited for.
        const deciding = runner.offerBar(bar);
        if (deciding !== null) await deciding;
      } else {
        runner.pause();
        await runner.onBar(bar);
        runner.resume();
      }
      if (engine.commands.size > 0) await settle();
      if (failure !== null) throw new KeelError('INVALID_STATE', `${definition.name} failed on bar ${i}: ${failure}`);
      if (runner.lastSignal !== lastSignal && runner.lastSignal) {
        lastSignal = runner.lastSignal;
        decisions.push({ bar: i, text: lastSignal.text });
      }
      if ((i + 1) % every === 0) options.onProgress?.(i + 1, n);
      if (options.cancelled?.()) throw new BacktestCancelled();
    }
    if (settings.finalizeTrades && !runner.book.position.isZero()) {
      market.setPrice(bars[n - 1]!.open, symbol);
      fillBar = n - 1;
      await runner.cancelAll();
      await runner.closePosition('end of data: close');
      await settle();
      equity[n - 1] = settings.cash + held.realized;
    }
    options.onProgress?.(n, n);
  } finally {
    runner?.halt('stopped');
    await runner?.idle();
    await backtest.stop();
  }

  const book = new TradeBook();
  for (const fill of fills) book.apply(fill);
  const firstDecisionBar = Math.min(runner.warmupBars, n - 1);
  const series = drawdownSeries(bars.map((b) => b.time), equity);
  const stats = computeStatistics({ bars, equity, trades: book.closed, firstTradableBar: Math.max(0, runner.warmupBars - 1), drawdown: series });
  const { drawdown } = series;
  return {
    stats,
    trades: book.closed.map((t) => ({
      size: t.size,
      entryBar: t.entryBar,
      exitBar: t.exitBar,
      entryTime: t.entryTime,
      exitTime: t.exitTime,
      entryPrice: t.entryPrice,
      exitPrice: t.exitPrice,
      pnl: t.pnl,
      commission: t.commission,
      returnPct: t.returnFraction * 100,
      ...(t.regime === undefined ? {} : { regime: t.regime }),
    })),
    equity: bars.map((b, i) => ({ time: b.time, equity: equity[i]!, drawdownPct: drawdown[i]! * 100 })),
    firstDecisionBar,
    decisions,
    warnings: warnings.list(),
  };
}
