/**
 * The create and edit forms' model beyond the parameters: an instance's own
 * limits as typed (empty = no limit of that kind), checked the way the
 * contract checks them, and the create call's params built from the whole
 * form. Nothing is sent while a field is refused.
 */
import type { CreateStrategyParams, StrategyLimits, StrategyParams } from '../../../shared/contract';
import type { Timeframe } from '../../../shared/domain';
import { readUserDecimal } from '../../lib/numberInput';

export type LimitsText = Record<keyof StrategyLimits, string>;
export type LimitsErrors = Partial<Record<keyof StrategyLimits, string>>;

export const EMPTY_LIMITS_TEXT: LimitsText = { maxPositionValue: '', maxOpenOrders: '', maxDailyLoss: '' };

export const LIMIT_FIELDS: readonly { key: keyof StrategyLimits; label: string; unit: string; help: string }[] = [
  { key: 'maxPositionValue', label: 'Max position value', unit: 'quote', help: 'Largest position (quantity × price) it may build, counting its resting orders as filled' },
  { key: 'maxOpenOrders', label: 'Max open orders', unit: 'orders', help: 'Working orders it may have at once' },
  { key: 'maxDailyLoss', label: 'Max daily loss', unit: 'quote', help: 'Loss since 00:00 UTC (realized net of fees + unrealized) that stops it' },
];

/** The contract allows at most this many open orders per instance. */
export const MAX_OPEN_ORDERS_LIMIT = 10_000;

export function limitsText(limits: StrategyLimits): LimitsText {
  return {
    maxPositionValue: limits.maxPositionValue ?? '',
    maxOpenOrders: limits.maxOpenOrders === null ? '' : String(limits.maxOpenOrders),
    maxDailyLoss: limits.maxDailyLoss ?? '',
  };
}

function amount(label: string, text: string): { value: string | null } | { error: string } {
  if (text.trim() === '') return { value: null };
  const r = readUserDecimal(text);
  if (!r.ok) return { error: `${label} ${r.problem ?? 'must be a number'}` };
  if (!r.value.isPositive()) return { error: `${label} must be greater than zero (leave it empty for no limit)` };
  return { value: r.text };
}

export function checkLimits(text: LimitsText): { ok: true; limits: StrategyLimits } | { ok: false; errors: LimitsErrors } {
  const errors: LimitsErrors = {};
  const limits: StrategyLimits = { maxPositionValue: null, maxOpenOrders: null, maxDailyLoss: null };
  for (const key of ['maxPositionValue', 'maxDailyLoss'] as const) {
    const label = LIMIT_FIELDS.find((f) => f.key === key)?.label ?? key;
    const r = amount(label, text[key]);
    if ('error' in r) errors[key] = r.error;
    else limits[key] = r.value;
  }
  const count = text.maxOpenOrders.trim().replace(/[,_\s]/g, '');
  if (count !== '') {
    if (!/^\d{1,6}$/.test(count) || Number(count) < 1 || Number(count) > MAX_OPEN_ORDERS_LIMIT) {
      errors.maxOpenOrders = `Max open orders must be a whole number from 1 to ${MAX_OPEN_ORDERS_LIMIT.toLocaleString('en-US')}`;
    } else {
      limits.maxOpenOrders = Number(count);
    }
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, limits };
}

export interface CreateFormFields {
  type: string;
  name: string;
  venue: string;
  symbol: string;
  timeframe: Timeframe;
  resumeAfterRestart: boolean;
}

/** What the create form sends: an empty name lets the engine name it; limits all off are still sent, explicitly. */
export function buildCreateParams(fields: CreateFormFields, params: StrategyParams, limits: StrategyLimits): CreateStrategyParams {
  const name = fields.name.trim();
  return {
    type: fields.type,
    ...(name ? { name } : {}),
    venue: fields.venue,
    symbol: fields.symbol,
    timeframe: fields.timeframe,
    params,
    limits,
    resumeAfterRestart: fields.resumeAfterRestart,
  };
}

/** Splits a catalog entry's explanation into paragraphs (blank lines between them). */
export function paragraphs(text: string): string[] {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}
