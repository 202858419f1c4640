/**
 * The train form's model: what the trader types (the threshold in percent,
 * as traders quote moves; the maximum age in hours or days) turned into a
 * `models.train` request, every field checked and named where it is wrong.
 * The data source comes from the backtest form's model (one definition of
 * "a dataset or a venue's history"); the date range (from, to) applies to
 * either source and goes as the request's own `from` and `to`. The whole
 * request is checked again with the contract's own schema before it is sent.
 */
import { trainModelParamsSchema, type BacktestData, type TrainModelParams } from '../../../shared/contract';
import { Dec } from '../../../shared/decimal';
import { readNumber } from '../strategies/paramForm';
import { readMaxAge, type MaxAgeUnit } from './maxAge';

export type TrainAlgorithm = TrainModelParams['algorithm'];
export type TargetKind = TrainModelParams['target']['kind'];

export interface TrainFormText {
  name: string;
  algorithm: TrainAlgorithm;
  targetKind: TargetKind;
  /** Bars ahead. */
  horizon: string;
  /** Percent: "0.1" is a 0.1 % move. Direction targets only. */
  thresholdPct: string;
  /** Gradient-boosted trees. */
  rounds: string;
  learningRate: string;
  gbdtDepth: string;
  /** Random forest. */
  trees: string;
  forestDepth: string;
  /** Blank: the model never expires. */
  maxAge: string;
  maxAgeUnit: MaxAgeUnit;
}

export type TrainField = Exclude<keyof TrainFormText, 'algorithm' | 'targetKind' | 'maxAgeUnit'>;
export type TrainFormErrors = Partial<Record<TrainField, string>>;

/** The engine's own defaults for each algorithm, so an untouched field trains what the engine would. */
export const DEFAULT_TRAIN_FORM: TrainFormText = {
  name: '',
  algorithm: 'gbdt',
  targetKind: 'direction',
  horizon: '5',
  thresholdPct: '0.1',
  rounds: '100',
  learningRate: '0.1',
  gbdtDepth: '6',
  trees: '100',
  forestDepth: '24',
  maxAge: '',
  maxAgeUnit: 'days',
};

export interface TrainChoices {
  name: string;
  algorithm: TrainAlgorithm;
  target: TrainModelParams['target'];
  params: Record<string, number>;
  maxAgeMs?: number;
}

function wholeNumber(text: string, label: string, errors: TrainFormErrors, field: TrainField, max?: number): number | null {
  const n = readNumber(text);
  if (n === null || !Number.isInteger(n) || n < 1) {
    errors[field] = `${label} must be a whole number, 1 or more`;
    return null;
  }
  if (max !== undefined && n > max) {
    errors[field] = `${label} must be at most ${max.toLocaleString('en-US')}`;
    return null;
  }
  return n;
}

/** Checks the typed fields and turns them into the request's parts (everything but the data). */
export function checkTrainForm(t: TrainFormText): { ok: true; value: TrainChoices } | { ok: false; errors: TrainFormErrors } {
  const errors: TrainFormErrors = {};
  const name = t.name.trim();
  if (name === '') errors.name = 'Name is required';
  else if (name.length > 80) errors.name = 'Name must be at most 80 characters';

  const horizon = wholeNumber(t.horizon, 'Horizon', errors, 'horizon', 10_000);
  let threshold = 0;
  if (t.targetKind === 'direction') {
    const pct = readNumber(t.thresholdPct);
    if (pct === null || pct < 0 || pct > 100) errors.thresholdPct = 'Threshold must be a percentage from 0 to 100';
    else threshold = Dec.fromNumber(pct).div(Dec.fromBigInt(100n)).toNumber();
  }

  const params: Record<string, number> = {};
  if (t.algorithm === 'gbdt') {
    const rounds = wholeNumber(t.rounds, 'Rounds', errors, 'rounds');
    const depth = wholeNumber(t.gbdtDepth, 'Max depth', errors, 'gbdtDepth');
    const rate = readNumber(t.learningRate);
    if (rate === null || rate <= 0 || rate > 1) errors.learningRate = 'Learning rate must be above 0 and at most 1';
    if (rounds !== null) params.rounds = rounds;
    if (depth !== null) params.maxDepth = depth;
    if (rate !== null) params.learningRate = rate;
  } else {
    const trees = wholeNumber(t.trees, 'Trees', errors, 'trees');
    const depth = wholeNumber(t.forestDepth, 'Max depth', errors, 'forestDepth');
    if (trees !== null) params.trees = trees;
    if (depth !== null) params.maxDepth = depth;
  }

  const age = readMaxAge(t.maxAge, t.maxAgeUnit);
  if (!age.ok) errors.maxAge = age.error;
  const maxAgeMs = age.ok ? age.ms : undefined;

  if (Object.keys(errors).length > 0 || horizon === null) return { ok: false, errors };
  const target: TrainModelParams['target'] = t.targetKind === 'direction' ? { kind: 'direction', horizon, threshold } : { kind: 'return', horizon };
  return { ok: true, value: { name, algorithm: t.algorithm, target, params, ...(maxAgeMs !== undefined ? { maxAgeMs } : {}) } };
}

/** Bars opening at or after `from` and before `to` (ms); either may be left open. */
export interface TrainRange {
  from?: number;
  to?: number;
}

/** The request as the contract takes it; a refusal by its schema is a message, so nothing malformed is sent. */
export function buildTrainRequest(choices: TrainChoices, data: BacktestData, range: TrainRange = {}): { ok: true; request: TrainModelParams } | { ok: false; error: string } {
  const request: TrainModelParams = { ...choices, data, ...(range.from !== undefined ? { from: range.from } : {}), ...(range.to !== undefined ? { to: range.to } : {}) };
  const parsed = trainModelParamsSchema.safeParse(request);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: issue ? `${issue.path.map(String).join('.') || 'request'}: ${issue.message}` : 'The request is not valid' };
  }
  return { ok: true, request: parsed.data };
}
