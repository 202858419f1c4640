/**
 * The market regime rules: four labels from two measurements, trend strength
 * and volatility relative to its own recent past. Kept apart from the
 * streaming code so the thresholds can be read, tested and shown in one place.
 *
 * Order of precedence (the first rule that holds wins):
 *  1. volatile      - realised volatility is in the top decile of its trailing
 *                     window (percentile rank >= 0.90) AND at least 1.5x the
 *                     trailing median. The percentile alone would call one bar
 *                     in ten "volatile" on a series whose volatility never
 *                     changes; the ratio floor demands a real expansion (1.5x
 *                     is about three standard errors of a 20-return estimate).
 *  2. trending_up / - ADX >= 25 (Wilder's classic "trending" level) AND the
 *     trending_down   efficiency ratio >= 0.35 (net move over the window is at
 *                     least 35% of the window's high-low range). Both, because
 *                     ADX lags and also rises on violent two-way swings, while
 *                     ER alone is noisy on short windows. The direction is the
 *                     sign of the close-to-close change over the ER window.
 *  3. ranging       - everything else.
 */
import { z } from 'zod';

export const REGIME_LABELS = ['trending_up', 'trending_down', 'ranging', 'volatile'] as const;
export type RegimeLabel = (typeof REGIME_LABELS)[number];
export const regimeLabel = z.enum(REGIME_LABELS);

export const regimeThresholdsSchema = z.object({
  /** ADX at or above this counts as a trend (0-100 scale). */
  trendAdx: z.number().min(0).max(100),
  /** Efficiency ratio at or above this counts as a trend (0-1). */
  trendEfficiency: z.number().min(0).max(1),
  /** Volatility percentile rank at or above this may be volatile (0-1). */
  volatilePercentile: z.number().min(0).max(1),
  /** ...and volatility must also be at least this multiple of the trailing median. */
  volatileRatio: z.number().min(0),
});
export type RegimeThresholds = z.infer<typeof regimeThresholdsSchema>;

export const DEFAULT_REGIME_THRESHOLDS: Readonly<RegimeThresholds> = Object.freeze({
  trendAdx: 25,
  trendEfficiency: 0.35,
  volatilePercentile: 0.9,
  volatileRatio: 1.5,
});

export interface RegimeInputs {
  adx: number;
  efficiency: number;
  /** Close now minus close at the start of the efficiency window: its sign is the trend's direction. */
  netChange: number;
  volatilityPercentile: number;
  /** Realised volatility divided by its trailing median. */
  volatilityRatio: number;
}

export function classifyRegime(inputs: RegimeInputs, thresholds: RegimeThresholds = DEFAULT_REGIME_THRESHOLDS): RegimeLabel {
  if (inputs.volatilityPercentile >= thresholds.volatilePercentile && inputs.volatilityRatio >= thresholds.volatileRatio) return 'volatile';
  if (inputs.adx >= thresholds.trendAdx && inputs.efficiency >= thresholds.trendEfficiency && inputs.netChange !== 0) {
    return inputs.netChange > 0 ? 'trending_up' : 'trending_down';
  }
  return 'ranging';
}
