/**
 * A model's maximum age as a form takes it (a number and a unit; blank for
 * none), shared by the train and import forms: past it, the model is not
 * used for new decisions.
 */
import { readNumber } from '../strategies/paramForm';

export type MaxAgeUnit = 'hours' | 'days';

const UNIT_MS: Record<MaxAgeUnit, number> = { hours: 3_600_000, days: 86_400_000 };

/** The age in ms (absent when blank), or why the text is not one. */
export function readMaxAge(text: string, unit: MaxAgeUnit): { ok: true; ms?: number } | { ok: false; error: string } {
  if (text.trim() === '') return { ok: true };
  const age = readNumber(text);
  if (age === null || age <= 0) return { ok: false, error: 'Maximum age must be a number above 0, or blank for none' };
  return { ok: true, ms: Math.max(1, Math.round(age * UNIT_MS[unit])) };
}
