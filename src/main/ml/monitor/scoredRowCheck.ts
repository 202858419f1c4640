/**
 * The monitor's door: a scored row is checked in full before anything is
 * kept. Its shape (a known timeframe, a positive close, finite features,
 * probabilities that are probabilities) and then its fit with the model
 * (as many features as the model has; probabilities for a direction model,
 * a value for a return model). A row that does not fit is refused with
 * VALIDATION_FAILED and changes nothing.
 */
import { z } from 'zod';
import { timeframe, type Timeframe } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import type { ScoredRow } from '../scoring/scoringObserver';
import type { MonitoredModel } from './monitoredModel';

const finite = z.number().finite();
const probability = finite.min(0).max(1);

const scoredRowSchema = z.object({
  modelId: z.string().min(1).max(64),
  venue: z.string().min(1).max(64),
  symbol: z.string().min(1).max(64),
  timeframe,
  time: z.number().int().nonnegative(),
  close: finite.positive(),
  features: z.array(finite).min(1).max(1_000),
  probabilities: z.object({ long: probability, short: probability, neutral: probability }).nullable(),
  value: finite.nullable(),
});

export type CheckedRow = ScoredRow & { timeframe: Timeframe };

/** The row's shape, whatever the model. */
export function checkRowShape(row: ScoredRow): CheckedRow {
  const parsed = scoredRowSchema.safeParse(row);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new KeelError('VALIDATION_FAILED', `A scored row was refused: ${issue.path.join('.') || 'row'}: ${issue.message}.`, { modelId: typeof row?.modelId === 'string' ? row.modelId : null });
  }
  return { ...row, timeframe: parsed.data.timeframe };
}

/** The row fits the model it says scored it. */
export function checkRowFitsModel(row: CheckedRow, model: MonitoredModel): void {
  const refuse = (why: string) => {
    throw new KeelError('VALIDATION_FAILED', `A scored row of ${model.name} v${model.version} was refused: ${why}.`, { modelId: model.id, time: row.time });
  };
  if (row.features.length !== model.features.length) refuse(`it has ${row.features.length} features, the model ${model.features.length}`);
  if (model.target.kind === 'direction' && row.probabilities === null) refuse('a direction model gives probabilities, the row has none');
  if (model.target.kind === 'return' && row.value === null) refuse('a return model gives a value, the row has none');
}
