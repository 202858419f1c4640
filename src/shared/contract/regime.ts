/**
 * The market regime labels, on their own so that every domain of the
 * contract that files something by regime (models, signals, backtest
 * trades) can name them without importing another domain.
 */
import { z } from 'zod';

export const REGIME_LABELS = ['trending_up', 'trending_down', 'ranging', 'volatile'] as const;
export const regimeLabelSchema = z.enum(REGIME_LABELS);
export type RegimeLabelName = z.infer<typeof regimeLabelSchema>;
