/**
 * Discovery: parameter searches over catalog families on chosen markets,
 * keeping the candidates whose evidence passes the Discovery gate as cards.
 * Everything heavy runs in the backtest workers through the backtest
 * service (`optimize` and `run`), so the searches and their runs are also in
 * the Backtests list, where each card's evidence links to them.
 *
 * For each family on each market:
 * 1. the bars are split: the first `inSampleFraction` is searched, the rest
 *    is cut into `folds` out-of-sample folds the search never sees;
 * 2. a search (`method`, `maxTrials`, `objective`) on the in-sample part;
 * 3. the best `candidates` distinct sets (scored on all in-sample bars)
 *    are each backtested on the whole history: figures in sample, per fold
 *    and out of sample, the deflated Sharpe ratio against the sets tried;
 * 4. the lookahead check (the same run cut at the first fold's end) and the
 *    warm-up check (the full run, and one starting at the first fold);
 * 5. a candidate that passes the Discovery gate becomes a card.
 *
 * An `ml-scored` family names its model in `params.model`; each card pins
 * the model version its backtests scored. A failing search or run is
 * reported in the progress and the others go on.
 */
import type { BacktestData, BacktestResult, BacktestSettings, OptimizeTrial } from '../../shared/contract/backtests';
import {
  discoverySpecSchema,
  type BacktestEvidence,
  type CardEvidence,
  type DiscoveryFamily,
  type DiscoveryMarket,
  type DiscoveryProgress,
  type DiscoverySchedule,
  type DiscoverySpec,
  type DiscoverySpecInput,
} from '../../shared/contract/pipeline';
import type { StrategyParams } from '../../shared/contract/strategies';
import type { Bar } from '../../shared/domain';
import { errorText, KeelError } from '../../shared/errors';
import type { Clock, TimerHandle } from '../engine/ports/clock';
import type { Logger } from '../engine/ports/logger';
import { modelParams, resolveParams, usesMarketFeatures, type StrategyDefinition } from '../engine/strategies/definition';
import { SCORING_WARMUP_BARS } from '../ml/scoring/modelScoring';
import { barsInRange } from '../backtest/strategyBacktest';
import { evaluateGate } from './gates';
import type { NewCard, PipelineService } from './pipelineService';
import { SIZE_PARAMETERS } from './sizeScaling';
import { parse } from '../backtest/service/parseInput';
import { lookaheadVerdict, warmupVerdict } from './strategyChecks';
import { backtestEvidence, planWalkForward, type WalkForwardPlan } from './walkForward';

/** The backtest service, as discovery uses it. */
export interface DiscoveryBacktests {
  optimize(input: unknown): { id: string };
  run(input: unknown): { id: string };
  settled(id: string): Promise<void>;
  cancel(id: string): void | Promise<void>;
  get(id: string): BacktestResult;
  loadBars(data: BacktestData): Promise<{ symbol: string; bars: readonly Bar[] }>;
}

export interface DiscoveryOptions {
  backtests: DiscoveryBacktests;
  definitions: { get(type: string): StrategyDefinition | null | undefined };
  pipeline: PipelineService;
  /** The model version a reference names (a name follows its active version), for ML-scored cards. */
  models?: { pin(ref: string): { id: string; name: string; version: number } };
  /** A dataset's name, for labels; without it (or for a dataset since deleted) the id is shown. */
  datasetName?: (id: string) => string | undefined;
  clock: Clock;
  newId: () => string;
  newScheduleId: () => string;
  log: Logger;
}

/** Number of steps one family on one market reports: the search, then per candidate its full run and the two check runs. */
const RUNS_PER_CANDIDATE = 3;

/** Why a discovery still marked running at start ended. */
export const INTERRUPTED_REASON = 'Keel stopped while this discovery ran';

export class Discovery {
  /** Each schedule's pending timer. */
  private readonly timers = new Map<string, TimerHandle>();
  /** Each schedule's run under way, so one schedule never runs twice at once. */
  private readonly runningBySchedule = new Map<string, string>();
  private readonly running = new Set<Promise<void>>();
  /** Backtests under way, canceled when Keel stops so a shutdown never waits for a search. */
  private readonly inFlight = new Set<string>();
  private stopped = false;

  constructor(private readonly options: DiscoveryOptions) {}

  /**
   * At start: the discoveries Keel stopped during end failed with the
   * reason, and every kept schedule is armed on the clock again (one whose
   * time passed while Keel was stopped runs once at once).
   */
  restore(): void {
    const failed = this.options.pipeline.failInterruptedDiscoveries(INTERRUPTED_REASON);
    if (failed > 0) this.options.log.warn(`[pipeline] ${failed} discover${failed === 1 ? 'y' : 'ies'} under way when Keel stopped ended failed`);
    for (const schedule of this.options.pipeline.schedules()) this.arm(schedule);
  }

  /** Checks the spec, starts the discovery in the background and answers its job id; with `everyHours`, keeps a schedule that repeats it. */
  discover(input: DiscoverySpecInput): { jobId: string; scheduleId?: string } {
    if (this.stopped) throw new KeelError('INVALID_STATE', 'The pipeline is shutting down and takes no new discovery');
    const spec = parse(discoverySpecSchema, input);
    const label = this.labelOf(spec); // refuses an unknown family before anything starts
    if (spec.everyHours === undefined || spec.everyHours <= 0) return { jobId: this.start(spec, null) };
    const now = this.options.clock.now();
    const scheduleId = this.options.newScheduleId();
    const jobId = this.start(spec, scheduleId);
    const schedule: DiscoverySchedule = {
      id: scheduleId,
      label,
      spec,
      createdAt: now,
      nextRunAt: now + periodMs(spec),
      lastJobId: jobId,
      lastRunAt: now,
      lastSkipped: null,
    };
    this.options.pipeline.saveSchedule(schedule);
    this.arm(schedule);
    return { jobId, scheduleId };
  }

  /** Ends a schedule: it starts no more runs; a run under way finishes. An unknown id is `NOT_FOUND`. */
  removeSchedule(id: string): void {
    this.options.pipeline.removeSchedule(id);
    this.timers.get(id)?.cancel();
    this.timers.delete(id);
  }

  /** Cancels the timers and the backtests under way, and waits for the discoveries to end; the schedules stay kept. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const handle of this.timers.values()) handle.cancel();
    this.timers.clear();
    for (const id of this.inFlight) {
      try {
        await this.options.backtests.cancel(id);
      } catch (error) {
        this.options.log.warn(`[pipeline] canceling backtest ${id} failed: ${errorText(error)}`);
      }
    }
    await Promise.allSettled([...this.running]);
  }

  private arm(schedule: DiscoverySchedule): void {
    this.timers.get(schedule.id)?.cancel();
    const delay = Math.max(0, schedule.nextRunAt - this.options.clock.now());
    this.timers.set(schedule.id, this.options.clock.after(delay, () => this.fire(schedule.id)));
  }

  /** A schedule falls due: it runs unless its previous run is still going, and is armed for its next time. */
  private fire(id: string): void {
    this.timers.delete(id);
    // Removed meanwhile, or Keel is stopping: nothing runs and nothing is armed.
    const schedule = this.options.pipeline.schedule(id);
    if (schedule === null || this.stopped) return;
    const now = this.options.clock.now();
    const period = periodMs(schedule.spec);
    let next = schedule.nextRunAt + period;
    if (next <= now) next = now + period;
    let updated: DiscoverySchedule;
    const busy = this.runningBySchedule.get(id);
    if (busy !== undefined) {
      const note = `skipped at ${new Date(now).toISOString()}: run ${busy} was still going`;
      this.options.log.warn(`[pipeline] discovery schedule ${id} ${note}`);
      updated = { ...schedule, nextRunAt: next, lastSkipped: note };
    } else {
      updated = { ...schedule, nextRunAt: next, lastJobId: this.start(schedule.spec, id), lastRunAt: now, lastSkipped: null };
    }
    try {
      this.options.pipeline.saveSchedule(updated);
    } catch (error) {
      this.options.log.warn(`[pipeline] keeping discovery schedule ${id} failed: ${errorText(error)}`);
    }
    this.arm(updated);
  }

  private start(spec: DiscoverySpec, scheduleId: string | null): string {
    const jobId = this.options.newId();
    if (scheduleId !== null) this.runningBySchedule.set(scheduleId, jobId);
    const work = this.run(jobId, spec, scheduleId)
      .catch((error: unknown) => this.options.log.warn(`[pipeline] discovery ${jobId} failed: ${errorText(error)}`))
      .finally(() => {
        this.running.delete(work);
        if (scheduleId !== null && this.runningBySchedule.get(scheduleId) === jobId) this.runningBySchedule.delete(scheduleId);
      });
    this.running.add(work);
    return jobId;
  }

  /** What a discovery searches, in words: its families' names on its markets. */
  private labelOf(spec: DiscoverySpec): string {
    const names = spec.families.map((family) => this.definition(family.type).name);
    return `${names.join(', ')} on ${spec.markets.map((market) => this.marketLabel(market)).join(', ')}`.slice(0, 200);
  }

  /** A market in words, a dataset by its name when it has one. */
  private marketLabel(market: DiscoveryMarket): string {
    return marketLabel(market, 'dataset' in market ? this.options.datasetName?.(market.dataset) : undefined);
  }

  private async run(jobId: string, spec: DiscoverySpec, scheduleId: string | null): Promise<void> {
    const pairs = spec.families.flatMap((family) => spec.markets.map((market) => ({ family, market })));
    const progress: DiscoveryProgress = {
      jobId,
      label: this.labelOf(spec),
      status: 'running',
      done: 0,
      total: pairs.length * (1 + spec.candidates * RUNS_PER_CANDIDATE),
      kept: 0,
      message: 'starting',
      scheduleId,
      startedAt: this.options.clock.now(),
    };
    const report = (patch: Partial<DiscoveryProgress>): void => {
      Object.assign(progress, patch);
      this.options.pipeline.reportDiscovery({ ...progress });
    };
    report({});
    const failures: string[] = [];
    for (const { family, market } of pairs) {
      const label = `${this.definition(family.type).name} on ${this.marketLabel(market)}`;
      try {
        const kept = await this.searchOne(jobId, spec, family, market, (message) => report({ done: progress.done + 1, message: `${label}: ${message}` }));
        report({ kept: progress.kept + kept });
      } catch (error) {
        failures.push(`${label}: ${errorText(error)}`);
        this.options.log.warn(`[pipeline] discovery ${jobId}, ${label}: ${errorText(error)}`);
      }
    }
    const summary = `kept ${progress.kept} card${progress.kept === 1 ? '' : 's'}`;
    if (failures.length === pairs.length) report({ status: 'failed', done: progress.total, message: failures.join('; ') });
    else report({ status: 'done', done: progress.total, message: failures.length ? `${summary}; ${failures.join('; ')}` : summary });
  }

  /** One family on one market: answers the number of cards kept. */
  private async searchOne(jobId: string, spec: DiscoverySpec, family: DiscoveryFamily, market: DiscoveryMarket, step: (message: string) => void): Promise<number> {
    const definition = this.definition(family.type);
    const data = dataOf(market);
    const loaded = await this.options.backtests.loadBars(data);
    const bars = barsInRange(loaded.bars, spec.settings);
    const plan = planWalkForward(bars.map((b) => b.time), spec.inSampleFraction, spec.folds);
    if (plan === null) throw new KeelError('VALIDATION_FAILED', `${bars.length} bars are too few to split into an in-sample part and ${spec.folds} folds`);
    const fixed = this.fixedParams(definition, family.params ?? {});
    const space = family.space ?? defaultSpace(definition, fixed);
    if (Object.keys(space).length === 0) throw new KeelError('VALIDATION_FAILED', `${definition.name} has no numeric parameter to search; give a space`);
    const search = await this.finish(
      this.options.backtests.optimize({
        name: `Discovery ${jobId}: ${definition.name} on ${this.marketLabel(market)}`.slice(0, 80),
        strategy: { type: definition.type, params: fixed, space },
        data,
        settings: { ...spec.settings, to: plan.splitTime },
        objective: spec.objective,
        method: spec.method,
        maxTrials: spec.maxTrials,
        ...(spec.seed === undefined ? {} : { seed: spec.seed }),
      }).id,
    );
    step('searched');
    const trials = search.optimize?.trials ?? [];
    const candidates = bestDistinct(trials, spec.candidates);
    const tried = new Set(trials.map((t) => JSON.stringify(t.params))).size;
    let kept = 0;
    for (const candidate of candidates) {
      const evidence = await this.evidenceOf(definition, candidate.params, data, spec.settings, plan, { searchId: search.id, trials: tried }, step);
      if (!evaluateGate('discovery', evidence, this.options.pipeline.gates()).passed) continue;
      this.options.pipeline.addCard(this.cardOf(definition, candidate.params, market, jobId, evidence));
      kept += 1;
    }
    return kept;
  }

  private async evidenceOf(
    definition: StrategyDefinition,
    params: StrategyParams,
    data: BacktestData,
    settings: BacktestSettings,
    plan: WalkForwardPlan,
    link: { searchId: string; trials: number },
    step: (message: string) => void,
  ): Promise<CardEvidence> {
    const strategy = { type: definition.type, params };
    const full = await this.finish(this.options.backtests.run({ name: `Discovery candidate ${definition.name}`, strategy, data, settings }).id);
    step('candidate backtested');
    const backtest: BacktestEvidence = backtestEvidence(full.equity, full.trades, plan, { ...link, backtestId: full.id });
    // Cut at the end of the first fold (or the middle of the only one): out-of-sample bars on both sides of the cut.
    const cutTime = plan.foldStarts[1] ?? full.equity[Math.floor((full.equity.findIndex((p) => p.time >= plan.splitTime) + full.equity.length) / 2)]?.time ?? plan.splitTime;
    const truncated = await this.finish(this.options.backtests.run({ name: `Lookahead check ${definition.name}`, strategy, data, settings: { ...settings, to: cutTime } }).id);
    step('lookahead checked');
    const later = await this.finish(this.options.backtests.run({ name: `Warm-up check ${definition.name}`, strategy, data, settings: { ...settings, from: plan.splitTime } }).id);
    step('warm-up checked');
    const resolved = resolveParams(definition, params);
    const warmup = Math.max(definition.warmupBars(resolved), usesMarketFeatures(definition) ? SCORING_WARMUP_BARS : 0);
    return {
      backtest,
      checks: {
        lookahead: lookaheadVerdict(full, truncated, cutTime),
        warmup: warmupVerdict([{ label: 'full history', trades: full.trades }, { label: 'from the first fold', trades: later.trades }], warmup),
      },
      run: null,
      updatedAt: this.options.clock.now(),
    };
  }

  private cardOf(definition: StrategyDefinition, params: StrategyParams, market: DiscoveryMarket, jobId: string, evidence: CardEvidence): NewCard {
    let pinned = { ...params };
    let model: NewCard['model'] = null;
    const modelParam = modelParams(definition)[0];
    if (modelParam !== undefined && typeof params[modelParam] === 'string' && this.options.models) {
      // The card is this version: it keeps trading the model version its backtests scored.
      const version = this.options.models.pin(params[modelParam]);
      pinned = { ...pinned, [modelParam]: version.id };
      model = { name: version.name, version: version.version };
    }
    const shown = Object.entries(params)
      .filter(([name]) => name !== modelParam && typeof params[name] === 'number')
      .map(([name, value]) => `${name} ${typeof value === 'number' ? Number(value.toPrecision(4)) : String(value)}`)
      .join(', ');
    return {
      name: `${definition.name} ${market.symbol} ${market.timeframe}${shown ? ` (${shown})` : ''}`.slice(0, 120),
      type: definition.type,
      params: pinned,
      model,
      symbol: market.symbol,
      timeframe: market.timeframe,
      dataLabel: this.marketLabel(market),
      discoveryId: jobId,
      evidence,
    };
  }

  /** The family's fixed parameters with the defaults of the rest, checked against the definition. */
  private fixedParams(definition: StrategyDefinition, params: StrategyParams): StrategyParams {
    for (const name of modelParams(definition)) {
      if (typeof params[name] !== 'string' || params[name] === '') {
        throw new KeelError('VALIDATION_FAILED', `${definition.name} needs a model: give params.${name}`);
      }
    }
    return { ...params };
  }

  private async finish(id: string): Promise<BacktestResult> {
    this.inFlight.add(id);
    try {
      // One started while Keel was stopping is canceled at once.
      if (this.stopped) await this.options.backtests.cancel(id);
      await this.options.backtests.settled(id);
    } finally {
      this.inFlight.delete(id);
    }
    if (this.stopped) throw new KeelError('INVALID_STATE', 'Keel is stopping');
    const result = this.options.backtests.get(id);
    if (result.status !== 'done') throw new KeelError('INVALID_STATE', `backtest ${id} ended ${result.status}${result.error ? `: ${result.error}` : ''}`);
    return result;
  }

  private definition(type: string): StrategyDefinition {
    const definition = this.options.definitions.get(type);
    if (!definition) throw new KeelError('NOT_FOUND', `No strategy type "${type}"`);
    return definition;
  }
}

/**
 * The default search space: each numeric parameter that is not fixed and
 * does not set the size, from half to twice its default within its bounds.
 */
export function defaultSpace(definition: Pick<StrategyDefinition, 'params'>, fixed: StrategyParams): Record<string, { min: number; max: number; step?: number }> {
  const space: Record<string, { min: number; max: number; step?: number }> = {};
  for (const spec of definition.params) {
    if ((spec.type !== 'int' && spec.type !== 'float') || spec.name in fixed || SIZE_PARAMETERS.includes(spec.name)) continue;
    const value = Number(spec.default);
    const lo = Math.max(spec.min ?? Number.NEGATIVE_INFINITY, value / 2);
    const hi = Math.min(spec.max ?? Number.POSITIVE_INFINITY, value * 2);
    if (!(hi > lo)) continue;
    space[spec.name] = spec.type === 'int' ? { min: Math.ceil(lo), max: Math.floor(hi), step: 1 } : { min: lo, max: hi };
  }
  return space;
}

/** The best `count` distinct parameter sets among the trials scored on the most bars, best first. */
export function bestDistinct(trials: readonly OptimizeTrial[], count: number): OptimizeTrial[] {
  const most = trials.reduce((m, t) => Math.max(m, t.bars), 0);
  const seen = new Set<string>();
  const out: OptimizeTrial[] = [];
  const ranked = trials.filter((t) => t.bars === most && t.objective !== null).sort((a, b) => b.objective! - a.objective!);
  for (const trial of ranked) {
    const key = JSON.stringify(trial.params);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(trial);
    if (out.length === count) break;
  }
  return out;
}

function dataOf(market: DiscoveryMarket): BacktestData {
  if ('dataset' in market) return { dataset: market.dataset };
  return { venue: market.venue, symbol: market.symbol, timeframe: market.timeframe, ...(market.from === undefined ? {} : { from: market.from }), ...(market.to === undefined ? {} : { to: market.to }) };
}

function periodMs(spec: DiscoverySpec): number {
  return (spec.everyHours ?? 0) * 3_600_000;
}

function marketLabel(market: DiscoveryMarket, datasetName?: string): string {
  return 'dataset' in market ? `dataset ${datasetName ?? market.dataset} as ${market.symbol} ${market.timeframe}` : `${market.venue} ${market.symbol} ${market.timeframe}`;
}
