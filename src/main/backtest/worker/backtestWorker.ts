/**
 * The backtest worker entry (built to out/main/backtestWorker.js): runs a
 * catalog strategy over bars through `runStrategyBacktest`, off the main
 * thread. `backtest` answers the whole result (statistics, trades, equity)
 * and reports progress; `backtestStored` runs the same and answers the
 * result already encoded for the research store (resultBlob.ts), so the
 * main thread writes bytes instead of spending tens of milliseconds
 * encoding a long run's trades and equity; `trial` answers only the figures a parameter search
 * ranks by, so a search of thousands of trials sends back a few numbers per
 * trial. All of them stop between bars when the caller cancels.
 *
 * Bars cross as one Float64Array, six columns per bar (time, open, high,
 * low, close, volume, bar after bar: `packBars`), not as an array of
 * objects. The protocol posts without a transfer list, so a plain
 * ArrayBuffer is copied, but as one block (about 50 ms for a million bars),
 * where a million objects cost the main thread a structured clone several
 * times slower. Over a SharedArrayBuffer (`packBars(bars, { shared: true })`)
 * nothing is copied at all: a search hands the same memory to every trial
 * on every worker. A plain `Bar[]` is accepted too, for callers with a few
 * bars at hand. The equity curve comes back packed the same way.
 *
 * Strategy types resolve from the built-in catalog, then from the user's
 * strategy folder when the job names it (`loadUserStrategies`, the loader
 * the main thread's catalog uses). The folder is loaded once per worker and
 * again whenever a file in it is added, removed or changed (names, sizes
 * and modification times are compared on every job), so an edited strategy
 * is never played in its old version and a search of many trials does not
 * reload the files for each.
 *
 * A model-driven strategy's models come with the job (each reference its
 * parameters make, with the version's record and stored model, resolved in
 * the main process when the run was submitted) and are scored here, in the
 * worker's own thread, by the same scoring sessions as live; the run's
 * signals come back with its result.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { BacktestSettings, BacktestSignals, BacktestStats, BacktestTrade, BacktestWarning, OptimizeResult } from '../../../shared/contract/backtests';
import type { StrategyParams } from '../../../shared/contract/strategies';
import type { Bar } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import { BUILTIN_STRATEGIES } from '../../engine/strategies/catalog';
import { usesMarketFeatures, type StrategyDefinition } from '../../engine/strategies/definition';
import { createBacktestScoring, signalTimeframe, type BacktestModels } from '../../ml/scoring/backtestScoring';
import { isStrategyFile, loadUserStrategies } from '../../engine/strategies/userStrategies';
import type { Handlers } from '../../workers/protocol';
import { serveWorker } from '../../workers/server';
import type { BacktestResultInput } from '../researchStore';
import { encodeResult } from '../resultBlob';
import { annualisation, periodReturns, sharpeMoments, type SharpeMoments } from '../statistics';
import { barsInRange, runStrategyBacktest } from '../strategyBacktest';
import { replayInstance, type ParityReplay, type ParityReplayJob } from '../../parity/replayInstance';

export { PACKED_BAR_FIELDS, packBars, unpackBars } from '../../workers/packedBars';
export { PACKED_EQUITY_FIELDS, packEquity, unpackEquity } from '../packedEquity';
import { unpackBars } from '../../workers/packedBars';
import { packEquity } from '../packedEquity';

export interface BacktestJob {
  strategy: { type: string; params: StrategyParams };
  /** `packBars` output (fast), or plain bars. */
  bars: Float64Array | readonly Bar[];
  symbol: string;
  settings: BacktestSettings;
  /** Only the first `limit` bars of the settings' date range: the prefix successive halving scores a trial on. */
  limit?: number;
  /** Where the user's strategy files are, for types that are not built in. */
  userStrategiesDir?: string;
  /** The models the strategy's parameters name, by reference, resolved when the run was submitted. */
  models?: BacktestModels;
}

export interface BacktestOutcome {
  stats: BacktestStats;
  trades: BacktestTrade[];
  /** One point per bar, packed (`unpackEquity`): a million points cross as one block instead of a million objects. */
  equity: Float64Array;
  /** A model-driven strategy's signals. */
  signals?: BacktestSignals;
  /** What the strategy could not do; absent when nothing. */
  warnings?: BacktestWarning[];
}

/** A run whose result goes to the research store as it ends. */
export interface StoredBacktestJob extends BacktestJob {
  /** Names the result in a refusal (`resultLabel`). */
  what: string;
  /** A search's trials, stored with the run that closes it; null for a plain run. */
  optimize: OptimizeResult | null;
}

export interface StoredBacktestOutcome {
  stats: BacktestStats;
  /** The whole result as `encodeResult` lays it out, for `ResearchStore.saveBacktestResult`. */
  encoded: Uint8Array;
}

export interface BacktestProgress {
  done: number;
  total: number;
}

/** What a search needs of one trial: its objective's inputs and the moments behind the deflated Sharpe ratio. */
export interface TrialFigures {
  /** Bars the trial was played on. */
  bars: number;
  returnPct: number;
  /** Annualised, as the statistics define it; null when undefined. */
  sharpeRatio: number | null;
  /** Negative percentage (0 when equity never fell), as in the statistics. */
  maxDrawdownPct: number;
  profitFactor: number | null;
  trades: number;
  /** Orders the strategy could not send or had refused. */
  notSent: number;
  /** Per-period (not annualised) Sharpe ratio, skewness and kurtosis of the resampled returns; null with fewer than three. */
  moments: SharpeMoments | null;
}

export interface BacktestWorkerMethods {
  backtest: { params: BacktestJob; result: BacktestOutcome; progress: BacktestProgress };
  backtestStored: { params: StoredBacktestJob; result: StoredBacktestOutcome; progress: BacktestProgress };
  trial: { params: BacktestJob; result: TrialFigures };
  /** A live instance's period replayed for its parity report (parity/replayInstance.ts): its orders and fills. */
  parity: { params: ParityReplayJob; result: ParityReplay };
}

const BUILTIN_BY_TYPE: ReadonlyMap<string, StrategyDefinition> = new Map(BUILTIN_STRATEGIES.map((def) => [def.type, def]));

interface UserFolder {
  /** What the folder held when it was loaded: each strategy file's name, size and modification time. */
  signature: string;
  byType: Map<string, StrategyDefinition>;
  /** Why each file that could not be used was refused. */
  errors: string[];
}

const userFolders = new Map<string, UserFolder>();

async function folderSignature(dir: string): Promise<string> {
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile() && isStrategyFile(e.name)).map((e) => e.name);
  } catch {
    return '';
  }
  const parts = await Promise.all(
    names.map(async (name) => {
      const info = await stat(join(dir, name)).catch(() => null);
      return `${name}:${info?.size ?? -1}:${info?.mtimeMs ?? -1}`;
    }),
  );
  return parts.sort().join('\n');
}

async function definitionOf(type: string, userStrategiesDir: string | undefined): Promise<StrategyDefinition> {
  const builtin = BUILTIN_BY_TYPE.get(type);
  if (builtin) return builtin;
  if (userStrategiesDir === undefined) throw new KeelError('NOT_FOUND', `No strategy type "${type}"`);
  const signature = await folderSignature(userStrategiesDir);
  let folder = userFolders.get(userStrategiesDir);
  if (folder === undefined || folder.signature !== signature) {
    const files = await loadUserStrategies(userStrategiesDir);
    folder = {
      signature,
      byType: new Map(files.flatMap((f) => (f.definition ? [[f.definition.type, f.definition] as const] : []))),
      errors: files.flatMap((f) => (f.error === undefined ? [] : [f.error])),
    };
    userFolders.set(userStrategiesDir, folder);
  }
  const definition = folder.byType.get(type);
  if (definition) return definition;
  const refused = folder.errors.length === 0 ? '' : ` (files refused: ${folder.errors.join('; ')})`;
  throw new KeelError('NOT_FOUND', `No strategy type "${type}" among the built-ins and the files in ${userStrategiesDir}${refused}`);
}

async function play(job: BacktestJob, signal: AbortSignal, onProgress?: (done: number, total: number) => void) {
  const definition = await definitionOf(job.strategy.type, job.userStrategiesDir);
  const all = unpackBars(job.bars);
  const bars = job.limit === undefined ? all : barsInRange(all, job.settings).slice(0, job.limit);
  const models = usesMarketFeatures(definition) ? createBacktestScoring(job.models ?? {}, signalTimeframe(bars)) : null;
  try {
    const result = await runStrategyBacktest({
      definition,
      params: job.strategy.params,
      symbol: job.symbol,
      bars,
      settings: job.settings,
      cancelled: () => signal.aborted,
      ...(onProgress === undefined ? {} : { onProgress }),
      ...(models ? { models: models.scoring } : {}),
    });
    return { ...result, ...(models ? { signals: models.sink.result() } : {}) };
  } finally {
    await models?.scoring.close();
  }
}

async function outcomeOf(job: BacktestJob, signal: AbortSignal, progress: (update: BacktestProgress) => void): Promise<BacktestOutcome> {
  const result = await play(job, signal, (done, total) => progress({ done, total }));
  return {
    stats: result.stats,
    trades: result.trades,
    equity: packEquity(result.equity),
    ...(result.signals ? { signals: result.signals } : {}),
    ...(result.warnings.length > 0 ? { warnings: result.warnings } : {}),
  };
}

/** What is stored of a run: its outcome as answered (the equity still packed), and a search's trials when it closes one. */
function resultBody(outcome: BacktestOutcome, optimize: OptimizeResult | null): BacktestResultInput {
  return {
    stats: outcome.stats,
    trades: outcome.trades,
    equity: outcome.equity,
    optimize,
    ...(outcome.signals ? { signals: outcome.signals } : {}),
    ...(outcome.warnings ? { warnings: outcome.warnings } : {}),
  };
}

export function createBacktestHandlers(): Handlers<BacktestWorkerMethods> {
  return {
    backtest: (job, { signal, progress }) => outcomeOf(job, signal, progress),
    backtestStored: async (job, { signal, progress }) => {
      const outcome = await outcomeOf(job, signal, progress);
      return { stats: outcome.stats, encoded: encodeResult(resultBody(outcome, job.optimize), job.what) };
    },
    trial: async (job, { signal }) => {
      const { stats, equity, warnings } = await play(job, signal);
      const times = equity.map((p) => p.time);
      const returns = periodReturns(times, equity.map((p) => p.equity), annualisation(times).unit);
      return {
        bars: equity.length,
        returnPct: stats.returnPct,
        sharpeRatio: stats.sharpeRatio,
        maxDrawdownPct: stats.maxDrawdownPct,
        profitFactor: stats.profitFactor,
        trades: stats.trades,
        notSent: warnings.reduce((n, w) => n + w.count, 0),
        moments: sharpeMoments(returns),
      };
    },
    parity: async (job, { signal }) => {
      const definition = await definitionOf(job.strategy.type, job.userStrategiesDir);
      const models = usesMarketFeatures(definition) ? createBacktestScoring(job.models ?? {}, job.timeframe) : null;
      try {
        return await replayInstance(definition, job, { cancelled: () => signal.aborted, ...(models ? { models: models.scoring } : {}) });
      } finally {
        await models?.scoring.close();
      }
    },
  };
}

// Backtests and searches are research: they run behind the engine, which must get a core the moment it wakes.
serveWorker<BacktestWorkerMethods>(createBacktestHandlers(), { background: true });
