/**
 * Backtests and parameter searches, run from the main thread and played in
 * worker threads (backtestWorker.ts), so the event loop that serves the UI
 * never runs a bar. `run` and `optimize` check their input at once (unknown
 * strategy type or dataset: NOT_FOUND; bad parameters, broken constraints,
 * a malformed search: VALIDATION_FAILED; nothing stored), answer an id, and
 * the work goes on in the background:
 *
 *   queued -> running (progress, at most one event per `progressIntervalMs`)
 *          -> done (result saved first, then the summary) | failed (with the
 *             error's text) | canceled
 *
 * every status change stored through the ResearchStore and published as
 * `backtests.updated`, progress as `backtests.progress`.
 *
 * Searches:
 * - `grid` runs every combination of the `grid` values (or of a `space`
 *   whose ranges all have steps) with the fixed `params`; `maxTrials` below
 *   the grid's size runs a subset drawn with `seed`, in grid order.
 * - `random` and `tpe` sample `maxTrials` parameter sets (default 100) over
 *   `space` (or over the `grid` values as choices), seeded by `seed`, and
 *   spend the data by successive halving (eta 3): every candidate is scored
 *   on a prefix of the bars (a ninth, then a third), the best third is
 *   promoted to the next prefix, and only the survivors run on all the data.
 *   Prefixes shorter than twice the longest warm-up the space asks for (or
 *   than 250 bars) are skipped. Random halves over all its candidates at
 *   once; TPE works in batches of max(9, 2 × workers) candidates and learns
 *   after each batch from the scores on the batch's first prefix, the one
 *   budget every candidate shares.
 * - `maxTrials` counts parameter sets; every evaluation (one per prefix a
 *   set reached) is one entry of `trials`, with the bars it was scored on.
 * - Parameter sets that break the strategy's constraints (fast < slow) are
 *   never run and not counted: the grid leaves them out and the samplers
 *   never propose them. A search none of whose sets satisfies them is
 *   refused.
 * - A trial is scored null when it made no trades, its figure is undefined,
 *   its strategy failed (the search goes on; it fails only if every trial
 *   did), or, for `returnWithinDrawdown`, its drawdown went deeper than
 *   `maxDrawdownPct` (default 20 %).
 * - The best trial is the highest objective among those scored on all the
 *   data (the earliest on a tie); its full backtest fills the result's
 *   statistics, trades and equity. The deflated Sharpe ratio of the best is
 *   taken with the number of distinct parameter sets tried and the variance
 *   of their per-period Sharpe ratios (each at the longest prefix it ran).
 *
 * A model-driven strategy's models are resolved when the run is asked for
 * (`backtestModels.ts`) and travel with every job, so a version activated
 * meanwhile does not change a run under way.
 *
 * The main thread only moves blocks of memory around a run: a dataset's
 * bars go from the stored bytes to the packed form the workers read in
 * place (shared memory), cut to the date range on the time column, without
 * a bar object per bar; the worker answers the equity curve packed, and the
 * store keeps it packed (resultBlob.ts).
 *
 * Trials run in parallel over one WorkerPool sized to every core; a search
 * keeps at most as many trials in flight as the pool has workers, so a run
 * started meanwhile waits behind a handful of trials, not behind the search.
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { z } from 'zod';
import {
  optimizeParams,
  runBacktestParams,
  type BacktestData,
  type BacktestResult,
  type BacktestSettings,
  type BacktestStatus,
  type BacktestSummary,
  type OptimizeParams,
  type OptimizeResult,
  type OptimizeTrial,
  type RunBacktestParams,
} from '../../../shared/contract/backtests';
import type { EventPayload } from '../../../shared/contract';
import type { Bar, Timeframe } from '../../../shared/domain';
import { errorText, KeelError } from '../../../shared/errors';
import { hashSeed } from '../../core/prng';
import { consoleLogger, type Logger } from '../../engine/ports/logger';
import { BUILTIN_STRATEGIES } from '../../engine/strategies/catalog';
import { resolveParams, usesMarketFeatures, type StrategyDefinition } from '../../engine/strategies/definition';
import { SCORING_WARMUP_BARS } from '../../ml/scoring/modelScoring';
import type { BacktestModels } from '../../ml/scoring/backtestScoring';
import { resolveBacktestModels, type BacktestModelResolver } from './backtestModels';
import { locateWorker } from '../../workers/locate';
import { WorkerPool } from '../../workers/pool';
import { isWorkerError } from '../../workers/protocol';
import { noBacktest, noDataset, type BacktestResultInput, type ResearchStore } from '../researchStore';
import { resultLabel, type ResultReading } from '../resultBlob';
import { RandomSampler, successiveHalving, TpeSampler, type Params } from '../search';
import { barsInRange } from '../strategyBacktest';
import { PACKED_BAR_FIELDS, packBars, type BacktestJob, type BacktestWorkerMethods, type TrialFigures } from '../worker/backtestWorker';
import { parse } from './parseInput';
import type { ParityReplay, ParityReplayJob } from '../../parity/replayInstance';
import { mapLimited, untilAborted } from '../../core/promises';
import { HALVING_ETA, halvingBudgets, halvingEvaluations, planSearch, type SearchPlan } from './searchPlan';
import { deflatedSharpeOf, trialObjective, type Evaluation } from './trialScoring';

// Search planning and trial scoring have their own modules; what callers import from here stays importable here.
export { DEFAULT_MAX_DRAWDOWN_PCT, DEFAULT_RANDOM_TRIALS, HALVING_ETA, MIN_PREFIX_BARS, halvingBudgets, halvingEvaluations, planSearch, type SearchPlan } from './searchPlan';
export { trialObjective } from './trialScoring';

export type BacktestPool = WorkerPool<BacktestWorkerMethods>;
export type BacktestTopic = 'backtests.progress' | 'backtests.updated';
export type RunBacktestInput = z.input<typeof runBacktestParams>;
export type OptimizeInput = z.input<typeof optimizeParams>;

/** Finds a strategy type's definition (the strategy catalog fits); null or undefined when there is none. */
export interface StrategyLookup {
  get(type: string): StrategyDefinition | null | undefined;
}

/** A venue's stored history of one symbol, oldest bar first. */
export type VenueBars = (venue: string, symbol: string, timeframe: Timeframe, from: number | undefined, to: number | undefined) => Promise<readonly Bar[]> | readonly Bar[];

export interface BacktestServiceOptions {
  store: ResearchStore;
  publish<T extends BacktestTopic>(topic: T, payload: EventPayload<T>): void;
  /** The worker pool, or how to start one (first used by the first run). Default: one worker per core. */
  pool?: BacktestPool | (() => Promise<BacktestPool>);
  now?: () => number;
  ids?: () => string;
  /** Required for backtests on a venue's history (`{ venue, symbol, timeframe }` data). */
  venueBars?: VenueBars;
  /** Default: the built-in strategies. */
  strategies?: StrategyLookup;
  /** Handed to the workers, which load user strategy types from it. */
  userStrategiesDir?: string;
  /** The model registry, for strategies that score models; without it they cannot be backtested. */
  models?: BacktestModelResolver;
  /** Least time between two progress events of one run. Default 100 ms. */
  progressIntervalMs?: number;
  logger?: Logger;
}

/** Random draws that estimate the longest warm-up a TPE search will ask for. */
const WARMUP_PROBES = 256;

interface Job {
  readonly id: string;
  summary: BacktestSummary;
  readonly controller: AbortController;
  deleted: boolean;
  lastProgressAt: number;
  /** The last progress published, so a repeat is not sent twice. */
  published: { done: number; total: number };
  done: Promise<void>;
  /** The models its strategy scores, resolved when it was asked for. */
  models: BacktestModels;
}

export interface LoadedBars {
  symbol: string;
  bars: readonly Bar[];
}

/** A job's bars in its date range, packed over shared memory as the workers read them, and the symbol they are for. */
interface PackedBars {
  symbol: string;
  bars: Float64Array;
  /** How many bars. */
  count: number;
}

/** What a finished job adds: its result to store and the summary's headline figures. */
interface Finished {
  /** The result to store: as its worker encoded it, or in objects (a search with no trial to close it). */
  body: BacktestResultInput | Uint8Array;
  returnPct: number | null;
  sharpeRatio: number | null;
  tradeCount: number | null;
}

export class BacktestService {
  private readonly store: ResearchStore;
  private readonly now: () => number;
  private readonly ids: () => string;
  private readonly strategies: StrategyLookup;
  private readonly progressIntervalMs: number;
  private readonly logger: Logger;
  private readonly jobs = new Map<string, Job>();
  private poolStarting: Promise<BacktestPool> | undefined;
  private closed = false;
  private stopping: Promise<void> | undefined;

  constructor(private readonly options: BacktestServiceOptions) {
    this.store = options.store;
    this.now = options.now ?? Date.now;
    this.ids = options.ids ?? (() => `bt-${randomUUID()}`);
    this.strategies = options.strategies ?? builtinStrategies();
    this.progressIntervalMs = options.progressIntervalMs ?? 100;
    this.logger = options.logger ?? consoleLogger;
    if (options.pool !== undefined && typeof options.pool !== 'function') this.poolStarting = Promise.resolve(options.pool);
    // Nothing runs before this service exists: a run still queued or running was cut off by the last exit.
    this.store.markUnfinishedAsFailed('Keel stopped before the run finished');
  }

  /** Starts a backtest; answers its id at once. */
  run(input: RunBacktestInput): { id: string } {
    this.assertOpen();
    const params: RunBacktestParams = parse(runBacktestParams, input);
    const definition = this.definition(params.strategy.type);
    const strategyParams = resolveParams(definition, params.strategy.params);
    const label = this.checkData(params.data);
    const models = resolveBacktestModels(definition, strategyParams, this.options.models);
    const job = this.enqueue(models, {
      kind: 'backtest',
      name: params.name ?? `${definition.name} on ${label}`,
      strategy: { type: definition.type, params: strategyParams },
      data: params.data,
      settings: params.settings,
    });
    this.launch(job, (loaded, begin) => this.playBacktest(job, loaded, begin));
    return { id: job.id };
  }

  /** Starts a parameter search; answers its id at once. */
  optimize(input: OptimizeInput): { id: string } {
    this.assertOpen();
    const params: OptimizeParams = parse(optimizeParams, input);
    const definition = this.definition(params.strategy.type);
    const plan = planSearch(definition, params);
    const label = this.checkData(params.data);
    const searched = Object.fromEntries(Object.entries(plan.space.params).flatMap(([name, dim]) => (dim.kind === 'choice' ? [[name, dim.values]] : [])));
    const models = resolveBacktestModels(definition, plan.fixed, this.options.models, searched);
    const job = this.enqueue(models, {
      kind: 'optimize',
      name: params.name ?? `${definition.name} ${params.method} search on ${label}`,
      strategy: { type: definition.type, params: plan.fixed },
      data: params.data,
      settings: params.settings,
    });
    this.launch(job, (loaded, begin) => this.search(job, definition, plan, loaded, begin));
    return { id: job.id };
  }

  /**
   * Plays a live instance's period for its parity report in a worker (see
   * parity/replayInstance.ts). Not a stored run: it answers the replay's
   * orders and fills. Its models are resolved now, as a run's are.
   */
  async replay(job: ParityReplayJob, signal?: AbortSignal): Promise<ParityReplay> {
    this.assertOpen();
    const definition = this.definition(job.strategy.type);
    const models = resolveBacktestModels(definition, resolveParams(definition, job.strategy.params), this.options.models);
    const pool = await this.pool();
    const packed: ParityReplayJob = {
      ...job,
      bars: job.bars instanceof Float64Array ? job.bars : packBars(job.bars),
      ...(Object.keys(models).length > 0 ? { models } : {}),
      ...(this.options.userStrategiesDir === undefined ? {} : { userStrategiesDir: this.options.userStrategiesDir }),
    };
    return pool.request('parity', packed, signal ? { signal } : {});
  }

  /** Asks a queued or running job to stop; it ends `canceled`. A finished one is left as it is. */
  cancel(id: string): void {
    const job = this.jobs.get(id);
    if (job) {
      job.controller.abort();
      return;
    }
    // A finished run cannot be canceled; only whether it exists is asked, not its result read.
    if (!this.store.hasBacktest(id)) throw noBacktest(id);
  }

  /** Deletes a run and its result, canceling it first if it has not ended. */
  delete(id: string): void {
    const job = this.jobs.get(id);
    if (job) {
      job.deleted = true;
      job.controller.abort();
    }
    if (!this.store.deleteBacktest(id) && !job) throw noBacktest(id);
  }

  /** A run with its result; `equityPoints` thins a long equity curve to a chart's worth (resultBlob.ts). */
  get(id: string, reading: ResultReading = {}): BacktestResult {
    const result = this.store.getBacktest(id, reading);
    if (result === null) throw noBacktest(id);
    return result;
  }

  list(): BacktestSummary[] {
    return this.store.listBacktests();
  }

  /** Jobs not yet ended (queued or running). */
  get active(): number {
    return this.jobs.size;
  }

  /** Resolves once the job has ended and its last status is stored (at once for an unknown id). */
  async settled(id: string): Promise<void> {
    await this.jobs.get(id)?.done;
  }

  /** The bars a backtest's data names, oldest first, and the symbol they are for. */
  async loadBars(data: BacktestData): Promise<LoadedBars> {
    if ('dataset' in data) {
      const dataset = this.store.getDataset(data.dataset);
      if (dataset === null) throw noDataset(data.dataset);
      return { symbol: dataset.symbol, bars: this.store.loadDatasetBars(data.dataset) };
    }
    const venueBars = this.options.venueBars;
    if (venueBars === undefined) throw noVenueHistory();
    return { symbol: data.symbol, bars: await venueBars(data.venue, data.symbol, data.timeframe, data.from, data.to) };
  }

  /**
   * The bars a job plays: a dataset's come straight from the stored bytes to
   * the packed form, cut to the date range on the time column, with no bar
   * object built on this thread; a venue's history is loaded as bars and
   * packed.
   */
  private async loadPackedBars(data: BacktestData, range: Pick<BacktestSettings, 'from' | 'to'>): Promise<PackedBars> {
    let bars: Float64Array;
    let symbol: string;
    if ('dataset' in data) {
      const dataset = this.store.getDataset(data.dataset);
      if (dataset === null) throw noDataset(data.dataset);
      symbol = dataset.symbol;
      bars = this.store.loadPackedDatasetBars(data.dataset, range, { shared: true });
    } else {
      const loaded = await this.loadBars(data);
      symbol = loaded.symbol;
      bars = packBars(barsInRange(loaded.bars, range), { shared: true });
    }
    return { symbol, bars, count: bars.length / PACKED_BAR_FIELDS };
  }

  /** Cancels every job, waits for each to store its end, then drains and stops the worker pool. Takes no new work. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.closed = true;
      const jobs = [...this.jobs.values()];
      for (const job of jobs) job.controller.abort();
      await Promise.allSettled(jobs.map((job) => job.done));
      const pool = await this.poolStarting?.catch(() => undefined);
      await pool?.stop();
    })();
    return this.stopping;
  }

  // ---- the lifecycle of a job ----------------------------------------------

  private enqueue(models: BacktestModels, fields: Pick<BacktestSummary, 'kind' | 'name' | 'strategy' | 'data' | 'settings'>): Job {
    const id = this.ids();
    const summary: BacktestSummary = {
      id,
      ...fields,
      status: 'queued',
      error: null,
      progress: { done: 0, total: 0 },
      returnPct: null,
      sharpeRatio: null,
      tradeCount: null,
      createdAt: this.now(),
      finishedAt: null,
    };
    const job: Job = { id, summary, controller: new AbortController(), deleted: false, lastProgressAt: Number.NEGATIVE_INFINITY, published: { done: -1, total: -1 }, done: Promise.resolve(), models };
    this.store.saveBacktest(summary);
    this.jobs.set(id, job);
    this.publish('backtests.updated', summary);
    return job;
  }

  /** Runs `work` once the bars are loaded; `work` says `begin(total)` when it knows how many steps it will report. */
  private launch(job: Job, work: (loaded: PackedBars, begin: (total: number) => void) => Promise<Finished>): void {
    const { signal } = job.controller;
    job.done = (async () => {
      try {
        const loaded = await untilAborted(this.loadPackedBars(job.summary.data, job.summary.settings), signal);
        signal.throwIfAborted();
        const finished = await work(loaded, (total) => this.setStatus(job, 'running', { progress: { done: 0, total } }));
        signal.throwIfAborted();
        // The result first: a crash between the two writes leaves a run start-up marks failed, never a done run without its result.
        if (!job.deleted) this.store.saveBacktestResult(job.id, finished.body);
        const { total } = job.summary.progress;
        this.setStatus(job, 'done', {
          progress: { done: total, total },
          returnPct: finished.returnPct,
          sharpeRatio: finished.sharpeRatio,
          tradeCount: finished.tradeCount,
          finishedAt: this.now(),
        });
      } catch (error) {
        if (signal.aborted) this.setStatus(job, 'canceled', { finishedAt: this.now() });
        else this.setStatus(job, 'failed', { error: errorText(error), finishedAt: this.now() });
      }
    })()
      .catch((error: unknown) => this.logger.error(`backtest ${job.id}: its end could not be stored`, errorText(error)))
      .finally(() => this.jobs.delete(job.id));
  }

  private setStatus(job: Job, status: BacktestStatus, patch: Partial<BacktestSummary> = {}): void {
    job.summary = { ...job.summary, ...patch, status };
    if (job.deleted) return;
    this.store.saveBacktest(job.summary);
    this.publish('backtests.updated', job.summary);
  }

  /** Progress is stored and published at most once per interval, and always when it reaches the total. */
  private progress(job: Job, done: number, total: number): void {
    job.summary = { ...job.summary, progress: { done, total } };
    const now = this.now();
    if (job.deleted || job.controller.signal.aborted) return;
    if (done === job.published.done && total === job.published.total) return;
    if (done < total && now - job.lastProgressAt < this.progressIntervalMs) return;
    job.lastProgressAt = now;
    job.published = { done, total };
    this.store.saveBacktest(job.summary);
    this.publish('backtests.progress', { id: job.id, done, total });
  }

  private publish<T extends BacktestTopic>(topic: T, payload: EventPayload<T>): void {
    try {
      this.options.publish(topic, payload);
    } catch (error) {
      this.logger.warn(`publishing ${topic} failed`, errorText(error));
    }
  }

  private pool(): Promise<BacktestPool> {
    if (this.poolStarting === undefined) {
      const factory = typeof this.options.pool === 'function' ? this.options.pool : startBacktestPool;
      const starting = factory();
      this.poolStarting = starting;
      // A pool that could not start fails the jobs that waited for it; the next job tries again.
      starting.catch(() => {
        if (this.poolStarting === starting) this.poolStarting = undefined;
      });
    }
    return this.poolStarting;
  }

  // ---- a backtest ----------------------------------------------------------

  private async playBacktest(job: Job, loaded: PackedBars, begin: (total: number) => void): Promise<Finished> {
    const { settings, strategy } = job.summary;
    begin(loaded.count);
    const pool = await untilAborted(this.pool(), job.controller.signal);
    const run = { ...this.job(strategy, loaded.bars, loaded.symbol, settings, job.models), what: resultLabel(job.id), optimize: null };
    const outcome = await pool.request('backtestStored', run, {
      signal: job.controller.signal,
      onProgress: ({ done, total }) => this.progress(job, done, total),
    });
    return {
      body: outcome.encoded,
      returnPct: outcome.stats.returnPct,
      sharpeRatio: outcome.stats.sharpeRatio,
      tradeCount: outcome.stats.trades,
    };
  }

  private job(strategy: BacktestJob['strategy'], bars: Float64Array, symbol: string, settings: BacktestSettings, models: BacktestModels): BacktestJob {
    return {
      strategy,
      bars,
      symbol,
      settings,
      ...(Object.keys(models).length > 0 ? { models } : {}),
      ...(this.options.userStrategiesDir === undefined ? {} : { userStrategiesDir: this.options.userStrategiesDir }),
    };
  }

  // ---- a search ------------------------------------------------------------

  private async search(job: Job, definition: StrategyDefinition, plan: SearchPlan, loaded: PackedBars, begin: (total: number) => void): Promise<Finished> {
    const { settings } = job.summary;
    const n = loaded.count;
    const base = this.job({ type: definition.type, params: plan.fixed }, loaded.bars, loaded.symbol, settings, job.models);
    const pool = await untilAborted(this.pool(), job.controller.signal);
    const concurrency = pool.stats.size;
    // Stops the trials still in flight when one of them ends the search (a crash); the job's own signal is the trader's cancel.
    const halt = new AbortController();
    const signal = AbortSignal.any([job.controller.signal, halt.signal]);
    const cache = new Map<string, Promise<{ figures: TrialFigures | null; failure: string | null }>>();
    const evaluations: Evaluation[] = [];
    let done = 0;
    let total = 0;

    const evaluate = async (point: Params, budget: number): Promise<Evaluation> => {
      const key = `${JSON.stringify(point)}@${budget}`;
      let pending = cache.get(key);
      if (pending === undefined) {
        const params = { ...plan.fixed, ...point };
        pending = pool
          .request('trial', { ...base, strategy: { type: definition.type, params }, ...(budget < n ? { limit: budget } : {}) }, { signal })
          .then(
            (figures) => ({ figures, failure: null }),
            (error: unknown) => {
              // A strategy that fails on these parameters scores null; anything else (cancel, crash, shutdown) ends the search.
              if (signal.aborted || !isWorkerError(error, 'WORKER_FAILED')) throw error;
              return { figures: null, failure: errorText(error) };
            },
          );
        cache.set(key, pending);
      }
      const { figures, failure } = await pending;
      const objective = figures === null ? null : trialObjective(figures, plan.objective, plan.maxDrawdownPct);
      const trial: OptimizeTrial = {
        params: { ...plan.fixed, ...point },
        objective,
        bars: figures?.bars ?? budget,
        returnPct: figures?.returnPct ?? null,
        sharpeRatio: figures?.sharpeRatio ?? null,
        maxDrawdownPct: figures?.maxDrawdownPct ?? null,
        profitFactor: figures?.profitFactor ?? null,
        trades: figures?.trades ?? 0,
        ...(figures && figures.notSent > 0 ? { notSent: figures.notSent } : {}),
      };
      done += 1;
      this.progress(job, done, total);
      return { point, budget, figures, failure, trial };
    };

    try {
      if (plan.method === 'grid') {
        total = plan.points.length;
        begin(total);
        evaluations.push(...(await mapLimited(plan.points, concurrency, (point) => evaluate(point, n))));
      } else {
        const planned = (evaluationCount: number): void => {
          total = evaluationCount;
          begin(total);
        };
        evaluations.push(...(await this.halvingSearch(plan, definition, n, concurrency, evaluate, planned)));
      }
    } catch (error) {
      halt.abort();
      throw error;
    }

    const full = evaluations.filter((e) => e.budget === n);
    let best: Evaluation | null = null;
    for (const e of full) if (e.trial.objective !== null && (best === null || e.trial.objective > best.trial.objective!)) best = e;
    if (best === null) {
      const failed = evaluations.find((e) => e.failure !== null);
      if (failed && evaluations.every((e) => e.figures === null)) throw new KeelError('INVALID_STATE', `Every trial failed; the first: ${failed.failure}`);
    }
    const optimize: OptimizeResult = {
      objective: plan.objective,
      method: plan.method,
      trials: evaluations.map((e) => e.trial),
      best: best?.trial ?? null,
      deflatedSharpe: best === null ? null : deflatedSharpeOf(best, evaluations),
    };
    if (best === null) return { body: { stats: null, trades: [], equity: [], optimize }, returnPct: null, sharpeRatio: null, tradeCount: null };
    // The winner's whole backtest, so the result shows its trades and equity like any run's.
    const closing = { ...base, strategy: { type: definition.type, params: best.trial.params }, what: resultLabel(job.id), optimize };
    const outcome = await pool.request('backtestStored', closing, { signal: job.controller.signal });
    return {
      body: outcome.encoded,
      returnPct: outcome.stats.returnPct,
      sharpeRatio: outcome.stats.sharpeRatio,
      tradeCount: outcome.stats.trades,
    };
  }

  /** Random and TPE: candidates in brackets of successive halving; every evaluation in (bracket, rung, candidate) order. */
  private async halvingSearch(
    plan: SearchPlan,
    definition: StrategyDefinition,
    n: number,
    concurrency: number,
    evaluate: (point: Params, budget: number) => Promise<Evaluation>,
    /** Told once, before the first evaluation, how many evaluations the search will make. */
    planned: (evaluations: number) => void,
  ): Promise<Evaluation[]> {
    // A model-driven strategy's instance also warms up the feature pipeline.
    const scoringWarmup = usesMarketFeatures(definition) ? SCORING_WARMUP_BARS : 0;
    const warmupOf = (point: Params): number => Math.max(definition.warmupBars({ ...plan.fixed, ...point }), scoringWarmup);
    const out: Evaluation[] = [];
    if (plan.method === 'random') {
      const sampler = new RandomSampler(plan.space, { seed: plan.seed });
      const candidates = Array.from({ length: plan.maxTrials }, () => sampler.ask());
      const budgets = halvingBudgets(n, candidates.length, candidates.reduce((most, point) => Math.max(most, warmupOf(point)), 0));
      planned(halvingEvaluations(candidates.length, budgets.length));
      out.push(...(await this.bracket(candidates, budgets, concurrency, evaluate)).evaluations);
      return out;
    }
    const sampler = new TpeSampler(plan.space, { seed: plan.seed });
    const probe = new RandomSampler(plan.space, { seed: hashSeed(plan.seed, 'warmup') });
    let warmup = 0;
    for (let i = 0; i < WARMUP_PROBES; i++) warmup = Math.max(warmup, warmupOf(probe.ask()));
    const batch = Math.max(HALVING_ETA ** 2, 2 * concurrency);
    const sizes: number[] = [];
    for (let left = plan.maxTrials; left > 0; left -= batch) sizes.push(Math.min(batch, left));
    const budgetsOf = sizes.map((size) => halvingBudgets(n, size, warmup));
    planned(sizes.reduce((sum, size, i) => sum + halvingEvaluations(size, budgetsOf[i]!.length), 0));
    for (let b = 0; b < sizes.length; b++) {
      const candidates = Array.from({ length: sizes[b]! }, () => sampler.ask());
      const { evaluations, first } = await this.bracket(candidates, budgetsOf[b]!, concurrency, evaluate);
      out.push(...evaluations);
      // Told in candidate order on the one budget they all share, so the model (and the next batch) is a function of the seed.
      candidates.forEach((point, i) => sampler.tell(point, first[i]!));
    }
    return out;
  }

  private async bracket(
    candidates: Params[],
    budgets: number[],
    concurrency: number,
    evaluate: (point: Params, budget: number) => Promise<Evaluation>,
  ): Promise<{ evaluations: Evaluation[]; first: Array<number | null> }> {
    const byRung = budgets.map(() => new Map<number, Evaluation>());
    await successiveHalving({
      candidates,
      budgets,
      eta: HALVING_ETA,
      concurrency,
      evaluate: async (point, budget, index) => {
        const evaluation = await evaluate(point, budget);
        byRung[budgets.indexOf(budget)]!.set(index, evaluation);
        return evaluation.trial.objective;
      },
    });
    const evaluations = byRung.flatMap((rung) => [...rung.entries()].sort((a, b) => a[0] - b[0]).map(([, e]) => e));
    return { evaluations, first: candidates.map((_, i) => byRung[0]!.get(i)?.trial.objective ?? null) };
  }

  // ---- checks made before anything is stored -------------------------------

  private assertOpen(): void {
    if (this.closed) throw new KeelError('INVALID_STATE', 'Backtests are shutting down and take no new work');
  }

  private definition(type: string): StrategyDefinition {
    const definition = this.strategies.get(type);
    if (!definition) throw new KeelError('NOT_FOUND', `No strategy type "${type}"`);
    return definition;
  }

  /** Refuses data that cannot be found; answers how to name it. */
  private checkData(data: BacktestData): string {
    if ('dataset' in data) {
      const dataset = this.store.getDataset(data.dataset);
      if (dataset === null) throw noDataset(data.dataset);
      return dataset.name;
    }
    if (this.options.venueBars === undefined) throw noVenueHistory();
    if (data.from !== undefined && data.to !== undefined && data.from >= data.to) {
      throw new KeelError('VALIDATION_FAILED', 'The history must start before it ends (from < to)');
    }
    return `${data.venue} ${data.symbol} ${data.timeframe}`;
  }
}

// ---- helpers -----------------------------------------------------------------

function builtinStrategies(): StrategyLookup {
  const byType = new Map(BUILTIN_STRATEGIES.map((def) => [def.type, def]));
  return { get: (type) => byType.get(type) };
}

/** The default pool: one worker per core. */
export function startBacktestPool(): Promise<BacktestPool> {
  return WorkerPool.start<BacktestWorkerMethods>(locateWorker('backtestWorker'), {
    name: 'backtest',
    size: availableParallelism(),
    // The worker looks at its cancel between bars; one that does not answer by then is wedged in a strategy and is replaced.
    killAfterCancelMs: 10_000,
  });
}

function noVenueHistory(): KeelError {
  return new KeelError('VALIDATION_FAILED', 'Backtests on a venue\'s history are not available here; import the bars as a dataset');
}
