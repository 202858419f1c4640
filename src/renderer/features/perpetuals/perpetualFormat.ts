/**
 * How a perpetual's figures read on screen: funding rates as signed
 * percentages to four decimals ("+0.0100%"), the time left to the next
 * funding as a countdown, margin ratios as percentages coloured by how close
 * they are to liquidation, ROE, and the margin mode in a word. Decimals go
 * through `Dec`.
 */
import { Dec } from '../../../shared/decimal';
import type { MarginMode } from '../../../shared/domain';

const HUNDRED = Dec.parse('100');

function parse(value: string | null | undefined): Dec | null {
  return value === null || value === undefined || !Dec.isValid(value) ? null : Dec.parse(value);
}

/** "+0.0100%" from the rate fraction "0.0001"; "—" when there is none. */
export function fmtFundingRate(rate: string | null | undefined): string {
  const d = parse(rate);
  if (!d) return '—';
  const text = d.mul(HUNDRED).toFixed(4);
  return `${d.isPositive() && text !== '0.0000' ? '+' : ''}${text === '-0.0000' ? '0.0000' : text}%`;
}

/** "03:12:45" until `at`; "00:00:00" once it has passed (the settlement is due). */
export function fmtCountdown(at: number, now: number): string {
  const seconds = Math.max(0, Math.floor((at - now) / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor((seconds % 3600) / 60))}:${pad(seconds % 60)}`;
}

/** "12.34%" from the fraction "0.1234"; "—" without a margin table. */
export function fmtMarginRatio(ratio: string | null | undefined): string {
  const d = parse(ratio);
  return d ? `${d.mul(HUNDRED).toFixed(2)}%` : '—';
}

/** 'neg' at or past the warning level, 'warn' past half of it, '' otherwise. */
export function marginRatioClass(ratio: string | null | undefined, warningPercent: number): string {
  const d = parse(ratio);
  if (!d) return '';
  const percent = d.mul(HUNDRED);
  if (percent.gte(Dec.fromBigInt(BigInt(warningPercent)))) return 'neg';
  return percent.gte(Dec.fromBigInt(BigInt(Math.floor(warningPercent / 2)))) ? 'warn' : '';
}

/** "+4.56%": ROE to two decimals. */
export function fmtRoe(roePercent: string | null | undefined): string {
  const d = parse(roePercent);
  if (!d) return '—';
  const text = d.toFixed(2);
  return `${d.isPositive() && text !== '0.00' ? '+' : ''}${text === '-0.00' ? '0.00' : text}%`;
}

export function marginModeLabel(mode: MarginMode): string {
  return mode === 'isolated' ? 'Isolated' : 'Cross';
}
