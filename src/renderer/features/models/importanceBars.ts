/**
 * Feature importance as bars: each feature's share of the total and its bar
 * width relative to the most important one (0 to 100), largest first. A
 * negative importance (a permutation that helped) draws no bar.
 */
export interface ImportanceBar {
  feature: string;
  importance: number;
  /** Share of the summed positive importance, 0 to 1. */
  share: number;
  /** Bar width in percent of the longest bar. */
  width: number;
}

export function importanceBars(list: readonly { feature: string; importance: number }[], limit = Infinity): ImportanceBar[] {
  const clean = list.filter((f) => Number.isFinite(f.importance));
  const positive = clean.map((f) => Math.max(0, f.importance));
  const total = positive.reduce((a, b) => a + b, 0);
  const max = Math.max(0, ...positive);
  return clean
    .map((f) => {
      const v = Math.max(0, f.importance);
      return { feature: f.feature, importance: f.importance, share: total > 0 ? v / total : 0, width: max > 0 ? (v / max) * 100 : 0 };
    })
    .sort((a, b) => b.importance - a.importance || a.feature.localeCompare(b.feature))
    .slice(0, limit);
}
