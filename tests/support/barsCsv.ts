/** Bars as the CSV text `datasets.import` reads: a header, then one ISO-dated row per bar. */
import type { Bar } from '../../src/shared/domain';

export function barsCsv(bars: readonly Bar[]): string {
  const rows = bars.map((b) => `${new Date(b.time).toISOString()},${b.open},${b.high},${b.low},${b.close},${b.volume}`);
  return ['Time,Open,High,Low,Close,Volume', ...rows].join('\n');
}
