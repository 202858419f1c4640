/**
 * Replays a live instance's period through the backtest kernel, as close to
 * how it ran live as bars allow: the same strategy code and parameters in
 * the same instance runner, the same strategy kernel (sizing with the live
 * venue's fee and all-in reserve), the venue's own instrument (tick, lot,
 * fees), its leverage and risk limits, and the paper venue's fill model
 * (takers walk the book; here the book is the bar's close with the venue's
 * half spread on each side). Live, an instance decides the moment a bar
 * closes and its market orders meet the book then; here each bar is pushed
 * at its close and the instance decides on it at once, so a market order
 * fills at that close across the half spread ("trade on close").
 *
 * The warm-up bars are handed over at start, as live (where they come from
 * the venue's history); decisions begin on the bar after them. The replay
 * keeps every order and fill it made, each order stamped at the close of
 * the bar it was sent on.
 */
import type { StrategyLimits, StrategyParams } from '../../shared/contract/strategies';
import type { Bar, Fill, Instrument, Order, Timeframe } from '../../shared/domain';
import { TIMEFRAME_MS } from '../../shared/domain';
import type { RiskConfig } from '../../shared/risk';
import { DeadlineQueue } from '../core/deadlines';
import { BACKTEST_VENUE, createBacktest } from '../backtest/createBacktest';
import type { Engine } from '../engine/engine';
import type { StrategyDefinition } from '../engine/strategies/definition';
import { resolveParams } from '../engine/strategies/definition';
import { engineKernel } from '../engine/strategies/engineKernel';
import { DEFAULT_HANDLER_BUDGET, StrategyInstanceRunner } from '../engine/strategies/instance';
import type { ModelScoringPort } from '../engine/strategies/modelScoring';
import { unpackBars } from '../workers/packedBars';
import type { BacktestModels } from '../ml/scoring/backtestScoring';
import { HalfSpreadFillModel } from './halfSpreadFillModel';

export interface ParityReplayJob {
  strategy: { type: string; params: StrategyParams };
  /** The live venue's instrument; the replay lists it under its own venue id. */
  instrument: Instrument;
  timeframe: Timeframe;
  /** The warm-up, then the period's bars, oldest first: `packBars` output or plain bars. */
  bars: Float64Array | readonly Bar[];
  /** Starting balance, a decimal string. */
  cash: string;
  /** Half the venue's spread as a rate ("0.00005"): the touch a replayed taker meets on either side of the close. */
  halfSpread: string;
  /** The live account's leverage on the symbol; null keeps the instrument's default. */
  leverage: number | null;
  /** The live venue's risk limits; null: the defaults. */
  risk: RiskConfig | null;
  limits: StrategyLimits;
  /** Where the user's strategy files are, for types that are not built in (the worker loads them). */
  userStrategiesDir?: string;
  /** A model-driven strategy's models, resolved when the report was asked for. */
  models?: BacktestModels;
}

export interface ParityReplay {
  /** Every order the replay sent, oldest first; `createdAt` is the close of the bar it was sent on. */
  orders: Order[];
  fills: Fill[];
  /** Bars the instance took as warm-up before its first decision. */
  warmupBars: number;
  /** Why the instance failed part-way (the replay stops there), else null. */
  failure: string | null;
}

export interface ReplayOptions {
  models?: ModelScoringPort;
  /** Asked between bars; true ends the replay with what it has. */
  cancelled?: () => boolean;
}

/** A replay runs off the main thread; a handler's hold on its own thread is not limited, one that never finishes still fails. */
const REPLAY_BUDGET = { syncMs: Number.POSITIVE_INFINITY, totalMs: DEFAULT_HANDLER_BUDGET.totalMs };
const REPLAY_ID = 'replay';

export async function replayInstance(definition: StrategyDefinition, job: ParityReplayJob, options: ReplayOptions = {}): Promise<ParityReplay> {
  const bars = unpackBars(job.bars);
  const tf = TIMEFRAME_MS[job.timeframe];
  const symbol = job.instrument.symbol;
  const params = resolveParams(definition, job.strategy.params, options.models);
  const backtest = await createBacktest({
    instruments: [{ ...job.instrument, venue: BACKTEST_VENUE }],
    bars: { [symbol]: bars },
    timeframe: job.timeframe,
    initialBalance: job.cash,
    spread: job.halfSpread,
    fillModel: new HalfSpreadFillModel(job.halfSpread),
  });
  const { engine, clock, market } = backtest;
  const deadlines = new DeadlineQueue();
  let failure: string | null = null;
  let runner: StrategyInstanceRunner | null = null;
  const settle = async (): Promise<void> => {
    do {
      await clock.advanceAndSettle(0);
      await engine.commands.drained();
    } while (engine.commands.size > 0);
  };
  const bus = engine.bus.subscribe((topic, payload) => {
    if (topic === 'fills.new') runner?.onFill(payload as Fill);
    else runner?.onOrder(payload as Order);
  }, ['fills.new', 'orders.updated']);

  try {
    for (let i = 0; i < bars.length && failure === null; i++) {
      const bar = bars[i]!;
      const closesAt = bar.time + tf;
      if (closesAt > clock.now()) await clock.advanceAndSettle(closesAt - clock.now());
      market.pushBar(bar, symbol);
      if (i === 0) await start(engine, job);
      await settle();
      if (runner === null) {
        runner = makeRunner(engine, definition, params, job, deadlines, options.models, (reason) => {
          failure = reason;
        });
      }
      // Started as live starts: after its warm-up bars have closed (none: before the first bar closes, which it then decides on).
      if (runner.status === 'stopped' && i === Math.max(runner.warmupBars - 1, 0) && runner.barsSeen === 0) {
        await runner.start(bars.slice(0, runner.warmupBars));
        await runner.idle();
      }
      if (i >= runner.warmupBars) await runner.onBar(bar);
      await runner.idle();
      await settle();
      if (options.cancelled?.()) break;
    }
  } finally {
    bus();
    runner?.halt('stopped');
    await runner?.idle();
  }
  const result: ParityReplay = { orders: allOrders(engine), fills: allFills(engine), warmupBars: runner?.warmupBars ?? 0, failure };
  await backtest.stop();
  return result;
}

async function start(engine: Engine, job: ParityReplayJob): Promise<void> {
  await engine.start();
  if (job.risk) engine.setRiskLimits({ ...job.risk, venue: BACKTEST_VENUE });
  if (job.leverage !== null) await engine.setLeverage(BACKTEST_VENUE, job.instrument.symbol, job.leverage);
}

function makeRunner(
  engine: Engine,
  definition: StrategyDefinition,
  params: StrategyParams,
  job: ParityReplayJob,
  deadlines: DeadlineQueue,
  models: ModelScoringPort | undefined,
  failed: (reason: string) => void,
): StrategyInstanceRunner {
  let runner: StrategyInstanceRunner | null = null;
  runner = new StrategyInstanceRunner(
    { id: REPLAY_ID, name: definition.name, venue: BACKTEST_VENUE, symbol: job.instrument.symbol, timeframe: job.timeframe, params, limits: job.limits, state: {} },
    {
      // The live kernel's defaults: the instrument's taker fee and the live all-in reserve.
      kernel: engineKernel(engine),
      definition,
      budget: REPLAY_BUDGET,
      stopwatch: () => performance.now(),
      watchdog: (ms, fire) => deadlines.watch(ms, fire),
      changed: () => {},
      stateChanged: () => {},
      failed,
      // Live, a breached limit stops the instance: so here.
      breached: () => runner?.halt('stopped'),
      ...(models ? { models } : {}),
    },
  );
  return runner;
}

function allOrders(engine: Engine): Order[] {
  const out: Order[] = [];
  let cursor: string | undefined;
  do {
    const page = engine.listOrders('all', 5_000, cursor);
    out.push(...page.orders);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out.sort((a, b) => a.createdAt - b.createdAt);
}

function allFills(engine: Engine): Fill[] {
  const out: Fill[] = [];
  let cursor: string | undefined;
  do {
    const page = engine.listFills(5_000, cursor);
    out.push(...page.fills);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out.sort((a, b) => a.timestamp - b.timestamp);
}
