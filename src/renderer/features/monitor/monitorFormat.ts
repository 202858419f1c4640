/**
 * How the Monitor view writes its figures: sizes in binary units, durations
 * in ms or s, shares as percentages, ages in words a trader reads at a
 * glance. Floats are fine here: these are measurements, not money.
 */
import type { MetricSeries } from '../../../shared/contract/monitor';
import { fmtNumber } from '../../lib/format';

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function fmtBytes(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  let v = value;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < BYTE_UNITS.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${fmtNumber(v, i === 0 ? 0 : v >= 100 ? 0 : 1)} ${BYTE_UNITS[i]}`;
}

/** Milliseconds: two decimals under 1 ms, one under 100 ms, whole above; seconds from 10 s. */
export function fmtMs(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (value >= 10_000) return `${fmtNumber(value / 1000, 1)} s`;
  return `${fmtNumber(value, value < 1 ? 2 : value < 100 ? 1 : 0)} ms`;
}

/** A share from 0 to 1 as a percentage. */
export function fmtRatio(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return `${fmtNumber(value * 100, digits)}%`;
}

/** CPU as a share of one core (already in percent). */
export function fmtCpu(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return `${fmtNumber(value, 1)}%`;
}


/** A value in a series' own unit. */
export function fmtInUnit(value: number | null, unit: MetricSeries['unit']): string {
  switch (unit) {
    case 'ms':
      return fmtMs(value);
    case 'bytes':
      return fmtBytes(value);
    case 'percent':
      return fmtCpu(value);
    case 'ratio':
      return fmtRatio(value, 1);
    case 'count':
      return value === null ? '—' : fmtNumber(value, 0);
  }
}
