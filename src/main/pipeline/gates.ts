/**
 * The gates of the pipeline, as pure functions of a card's evidence and the
 * gate settings: which criteria of a column's gate hold, with the value
 * seen, and whether a running card has degraded. Nothing here reads a
 * clock, a venue or the journal, so every rule is tested on numbers alone.
 *
 * A criterion whose value is unknown (no out-of-sample trades yet, no
 * tracking error yet) fails: a gate opens on evidence, never on its absence.
 */
import type { BacktestGate, CardEvidence, GateCriterion, GateResult, GateSettings, LiveGate, PipelineColumn } from '../../shared/contract/pipeline';

const NEXT: Record<PipelineColumn, PipelineColumn | null> = { discovery: 'paper', paper: 'live', live: null };
const PREVIOUS: Record<PipelineColumn, PipelineColumn | null> = { discovery: null, paper: 'discovery', live: 'paper' };

export function nextColumn(column: PipelineColumn): PipelineColumn | null {
  return NEXT[column];
}

export function previousColumn(column: PipelineColumn): PipelineColumn | null {
  return PREVIOUS[column];
}

/** The gate a card must pass to enter `column` (Discovery's gate decides which discovered candidates are kept). */
export function evaluateGate(column: PipelineColumn, evidence: CardEvidence, settings: GateSettings): GateResult {
  const criteria = column === 'live' ? liveCriteria(evidence, settings.live) : backtestCriteria(evidence, settings[column]);
  return { column, passed: criteria.every((c) => c.passed), criteria };
}

function backtestCriteria(evidence: CardEvidence, gate: BacktestGate): GateCriterion[] {
  const { backtest, checks } = evidence;
  const oosTrades = backtest.outOfSample?.trades ?? null;
  const criteria: GateCriterion[] = [
    atLeast('oosTrades', 'Out-of-sample trades', oosTrades, gate.minOosTrades),
    {
      key: 'deflatedSharpe',
      label: 'Deflated Sharpe probability',
      value: backtest.deflatedSharpe,
      requirement: `> ${gate.minDeflatedSharpe}`,
      passed: backtest.deflatedSharpe !== null && backtest.deflatedSharpe > gate.minDeflatedSharpe,
    },
    {
      key: 'worstFoldDrawdownPct',
      label: 'Worst fold drawdown %',
      value: backtest.worstFoldDrawdownPct,
      requirement: `< ${gate.maxWorstFoldDrawdownPct} %`,
      passed: backtest.worstFoldDrawdownPct !== null && backtest.worstFoldDrawdownPct < gate.maxWorstFoldDrawdownPct,
    },
  ];
  if (gate.requireChecks) {
    criteria.push(checkCriterion('lookahead', 'Lookahead check', checks.lookahead.status), checkCriterion('warmup', 'Warm-up check', checks.warmup.status));
  }
  return criteria;
}

function liveCriteria(evidence: CardEvidence, gate: LiveGate): GateCriterion[] {
  const run = evidence.run;
  const trackingError = run?.trackingError ?? null;
  const differences = run?.openDifferences ?? null;
  return [
    atLeast('paperDays', 'Paper days', run === null ? null : run.days, gate.minPaperDays),
    atLeast('paperTrades', 'Paper trades', run === null ? null : run.trades, gate.minPaperTrades),
    {
      key: 'trackingError',
      label: 'Tracking error',
      value: trackingError,
      requirement: `< ${gate.maxTrackingError}`,
      passed: trackingError !== null && trackingError < gate.maxTrackingError,
    },
    {
      key: 'openDifferences',
      label: 'Open reconciliation differences',
      value: differences,
      requirement: `≤ ${gate.maxOpenDifferences}`,
      passed: differences !== null && differences <= gate.maxOpenDifferences,
    },
  ];
}

function atLeast(key: string, label: string, value: number | null, min: number): GateCriterion {
  return { key, label, value, requirement: `≥ ${min}`, passed: value !== null && value >= min };
}

function checkCriterion(key: string, label: string, status: CardEvidence['checks']['lookahead']['status']): GateCriterion {
  return { key, label, value: status === 'not_run' ? null : status === 'passed', requirement: 'passed', passed: status === 'passed' };
}

/**
 * Why a card running in Paper or Live should be demoted, or null while it
 * holds up: its drawdown went beyond its backtest's worst (times the
 * settings' multiple), or its tracking error is over the live gate's bound
 * and still rising.
 */
export function degradation(column: PipelineColumn, evidence: CardEvidence, settings: GateSettings): string | null {
  const run = evidence.run;
  if (column === 'discovery' || run === null) return null;
  const worst = evidence.backtest.worstDrawdownPct;
  if (worst !== null && run.drawdownPct !== null) {
    const limit = worst * settings.drawdownMultiple;
    if (run.drawdownPct > limit) {
      return `drawdown ${run.drawdownPct.toFixed(2)} % is beyond its backtest's worst (${limit.toFixed(2)} %)`;
    }
  }
  const bound = settings.live.maxTrackingError;
  if (run.trackingError !== null && run.trackingError >= bound && run.previousTrackingError !== null && run.trackingError > run.previousTrackingError) {
    return `tracking error ${run.trackingError.toFixed(4)} is over its bound ${bound} and rising (from ${run.previousTrackingError.toFixed(4)})`;
  }
  return null;
}
