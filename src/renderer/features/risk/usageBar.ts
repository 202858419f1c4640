/**
 * How a limit's usage is drawn: the bar's width (the ratio, capped at full),
 * its colour band (amber above 80 %, red at or past the limit) and the text
 * beside it. Pure, so the thresholds are tested rather than eyeballed.
 */
import { Dec } from '../../../shared/decimal';
import type { UsageEntry } from '../../../shared/risk';
import { group } from '../../lib/format';

export type UsageLevel = 'ok' | 'warn' | 'breach';

export const WARN_RATIO = 0.8;

export interface UsageBarView {
  /** 0..100, for the bar's width. */
  widthPercent: number;
  level: UsageLevel;
  /** "64%", or "112%" past the limit. */
  percentText: string;
  /** "640 / 1,000 USDT". */
  valueText: string;
}

export function usageLevel(ratio: number): UsageLevel {
  if (!Number.isFinite(ratio)) return ratio > 0 ? 'breach' : 'ok';
  if (ratio >= 1) return 'breach';
  if (ratio > WARN_RATIO) return 'warn';
  return 'ok';
}

/** A decimal string for reading: grouped, at most `digits` decimals, trailing zeros dropped. */
export function fmtAmount(value: string, digits = 2): string {
  if (!Dec.isValid(value)) return value;
  const d = Dec.parse(value);
  // Small quantities (0.0015 BTC) need their decimals; large money does not.
  const places = d.abs().lt(Dec.ONE) ? Math.max(digits, 8) : digits;
  return group(d.roundTo(places).toString());
}

export function usageBar(entry: Pick<UsageEntry, 'ratio' | 'used' | 'max' | 'unit'>): UsageBarView {
  const ratio = Number.isFinite(entry.ratio) ? Math.max(0, entry.ratio) : entry.ratio > 0 ? Infinity : 0;
  const widthPercent = Math.min(100, Number.isFinite(ratio) ? ratio * 100 : 100);
  const percentText = Number.isFinite(ratio) ? `${Math.round(ratio * 100)}%` : '∞';
  const unit = entry.unit ? (entry.unit === '%' ? '%' : ` ${entry.unit}`) : '';
  return {
    widthPercent,
    level: usageLevel(ratio),
    percentText,
    valueText: `${fmtAmount(entry.used)} / ${fmtAmount(entry.max)}${unit}`,
  };
}
