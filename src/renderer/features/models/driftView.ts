/**
 * How a version's live drift reads on screen: its status in words, the PSI
 * of each feature as bars on a scale that keeps the 0.1 and 0.25 lines in
 * view, what Retrain and Roll back would do (or why they cannot), and the
 * retrain schedule as the trader sets and reads it.
 */
import type { FeaturePsi, ModelDrift, ModelDriftStatus, RetrainSchedule, StreamDrift } from '../../../shared/contract/modelMonitor';
import { MAX_RETRAIN_EVERY_HOURS } from '../../../shared/contract/modelMonitor';
import { isModelExpired, type ModelRecord } from '../../../shared/models';
import { fmtDateTime } from '../../lib/format';

export const DRIFT_STATUS_LABEL: Record<ModelDriftStatus, string> = {
  ok: 'OK',
  watch: 'Watch',
  drifting: 'Drifting',
};

export const DRIFT_STATUS_HELP: Record<ModelDriftStatus, string> = {
  ok: 'Live bars look like the training bars and the model does as well as it did out of sample',
  watch: 'Some features are moving away from their training distribution (PSI 0.1 to 0.25)',
  drifting: 'The model no longer sees what it was trained on, or does worse than it did: retrain it or roll back',
};

export interface DriftBadge {
  label: string;
  /** What it means, for a tooltip. */
  help: string;
  /** Its colour: the status's, or muted while too early. */
  className: string;
}

/** Whether anything of a stream has been judged yet: its PSI (enough bars scored, against a training reference) or its accuracy (enough outcomes). */
export function streamJudged(stream: Pick<StreamDrift, 'psiRows' | 'accuracySamples'>, drift: Pick<ModelDrift, 'hasReference' | 'thresholds'>): boolean {
  return (drift.hasReference && stream.psiRows >= drift.thresholds.minPsiRows) || stream.accuracySamples >= drift.thresholds.minOutcomes;
}

/**
 * The badge of a drift status. The monitor says "ok" until something goes
 * wrong, also before it could measure anything; then the badge reads "Too
 * early" rather than vouch for a model nothing was measured of yet.
 */
export function driftBadge(
  status: ModelDriftStatus,
  streams: readonly Pick<StreamDrift, 'psiRows' | 'accuracySamples'>[],
  drift: Pick<ModelDrift, 'hasReference' | 'thresholds'>,
): DriftBadge {
  if (status === 'ok' && !streams.some((s) => streamJudged(s, drift))) {
    const { minPsiRows, minOutcomes } = drift.thresholds;
    const psi = drift.hasReference ? `PSI is measured once ${minPsiRows} bars are scored, ` : '';
    return { label: 'Too early', help: `Nothing judged yet: ${psi}accuracy once ${minOutcomes} outcomes are known`, className: 'mv-drift-early' };
  }
  return { label: DRIFT_STATUS_LABEL[status], help: DRIFT_STATUS_HELP[status], className: `mv-drift-${status}` };
}

export interface PsiBar {
  feature: string;
  psi: number | null;
  status: FeaturePsi['status'];
  /** Bar width in percent of the scale (at most 100). */
  width: number;
  text: string;
}

export interface PsiChartModel {
  /** The PSI at the right end of the track. */
  scale: number;
  /** Where the watch and drift lines sit, in percent of the track. */
  watchAt: number;
  driftAt: number;
  /** Largest first; unknown ones last, in the model's order. */
  bars: PsiBar[];
}

/** The scale runs to 0.5 at least (both lines well inside it), to the largest PSI rounded up to a tenth, and never past 1: beyond that a bar is full and its number says how far. */
export function psiChart(psi: readonly FeaturePsi[], thresholds: Pick<ModelDrift['thresholds'], 'psiWatch' | 'psiDrift'>): PsiChartModel {
  const known = psi.map((f) => f.psi).filter((v): v is number => v !== null && Number.isFinite(v));
  const largest = known.length > 0 ? Math.max(...known) : 0;
  const scale = Math.min(1, Math.max(0.5, Math.ceil(largest * 10) / 10));
  const bars = psi
    .map((f) => ({ feature: f.feature, psi: f.psi, status: f.status, width: f.psi === null ? 0 : Math.min(100, (Math.max(0, f.psi) / scale) * 100), text: fmtPsi(f.psi) }))
    .sort((a, b) => (a.psi === null ? (b.psi === null ? 0 : 1) : b.psi === null ? -1 : b.psi - a.psi));
  return { scale, watchAt: (thresholds.psiWatch / scale) * 100, driftAt: (thresholds.psiDrift / scale) * 100, bars };
}

export function fmtPsi(psi: number | null): string {
  return psi === null || !Number.isFinite(psi) ? '—' : psi.toFixed(2);
}

export function streamLabel(stream: Pick<StreamDrift, 'venue' | 'symbol' | 'timeframe'>): string {
  return `${stream.symbol} ${stream.timeframe} on ${stream.venue}`;
}

export interface ActionState {
  disabled: boolean;
  /** What pressing it does, or why it cannot be pressed. */
  help: string;
}

/** Retraining needs a trained (not imported) version that recorded the data it was trained on. */
export function retrainAction(model: ModelRecord): ActionState {
  if (model.algorithm === 'onnx' || model.algorithm === 'online-logistic') return { disabled: true, help: 'An imported model cannot be retrained here: import a new version.' };
  if (!('data' in model.trainingParams) || model.trainingWindow === null) return { disabled: true, help: 'This version does not record the data it was trained on: train a new version from the form.' };
  return { disabled: false, help: `Trains v-next of ${model.name} with the same recipe on the latest ${fmtSpan(model.trainingWindow.to - model.trainingWindow.from)} of the same data; it becomes a candidate.` };
}

export interface RollbackAction extends ActionState {
  target: ModelRecord;
  label: string;
}

/** Offered on the active version: the version before it (the highest older version number). */
export function rollbackAction(model: ModelRecord, versions: readonly ModelRecord[], now: number): RollbackAction | null {
  if (model.status !== 'active') return null;
  const target = versions.filter((m) => m.name === model.name && m.version < model.version).sort((a, b) => b.version - a.version)[0];
  if (!target) return null;
  const label = `Roll back to v${target.version}`;
  if (isModelExpired(target, now)) return { target, label, disabled: true, help: `v${target.version} is older than its maximum age: it cannot be activated.` };
  return { target, label, disabled: false, help: `Makes v${target.version} the active version again and retires v${model.version}.` };
}

export type ScheduleRequest = { ok: true; everyHours: number | null } | { ok: false; error: string };

/** The schedule form: off, or a whole number of hours. */
export function scheduleRequest(enabled: boolean, hoursText: string): ScheduleRequest {
  if (!enabled) return { ok: true, everyHours: null };
  const text = hoursText.trim();
  if (!/^\d+$/.test(text)) return { ok: false, error: 'Enter a whole number of hours.' };
  const hours = Number(text);
  if (hours < 1 || hours > MAX_RETRAIN_EVERY_HOURS) return { ok: false, error: `From 1 to ${MAX_RETRAIN_EVERY_HOURS} hours.` };
  return { ok: true, everyHours: hours };
}

/** The schedule in words: when it runs next, when it ran, and what went wrong last. */
export function scheduleText(schedule: RetrainSchedule | null): { summary: string; last: string | null; error: string | null } {
  if (!schedule) return { summary: 'Not scheduled.', last: null, error: null };
  return {
    summary: `Every ${schedule.everyHours} h; next ${fmtDateTime(schedule.nextRunAt)}.`,
    last: schedule.lastRunAt === null ? null : `Last run ${fmtDateTime(schedule.lastRunAt)}.`,
    error: schedule.lastError,
  };
}

function fmtSpan(ms: number): string {
  const hours = ms / 3_600_000;
  if (hours >= 48) return `${Math.round(hours / 24)} days`;
  if (hours >= 1) return `${Math.round(hours)} hours`;
  return `${Math.max(1, Math.round(ms / 60_000))} minutes`;
}
