/**
 * The feature set: the fixed, ordered, named columns every model is trained
 * and scored on, with how many bars each needs before it exists. Any change to
 * a feature's maths, order or parameters bumps FEATURES_VERSION, which changes
 * FEATURES_HASH, so the registry can refuse a model whose features no longer
 * mean what they meant at training.
 */
import { REGIME_LABELS } from '../regime/regimeRules';
import { regimeWarmup } from '../regime/regimeClassifier';
import { fnv1a64 } from './hash';

/** Bump on any change to what a column means or how it is computed. */
export const FEATURES_VERSION = 1;

export const RETURN_HORIZONS = [1, 3, 12, 48] as const;
export const VOLATILITY_WINDOW = 20;
export const RSI_PERIOD = 14;
export const MACD_FAST = 12;
export const MACD_SLOW = 26;
export const MACD_SIGNAL = 9;
export const ATR_PERIOD = 14;
export const BOLLINGER_PERIOD = 20;
export const BOLLINGER_DEVIATIONS = 2;
export const VOLUME_WINDOW = 20;

export interface FeatureDefinition {
  name: string;
  /** Bars needed before the first value: the value at row `warmup - 1` is the first that is not NaN. */
  warmup: number;
  description: string;
}

const macdSignalWarmup = MACD_SLOW + MACD_SIGNAL - 1;

/** The columns, in order. */
export const FEATURE_DEFINITIONS: readonly FeatureDefinition[] = Object.freeze([
  ...RETURN_HORIZONS.map((h) => ({ name: `ret_${h}`, warmup: h + 1, description: `log return of the close over ${h} bar${h === 1 ? '' : 's'}` })),
  { name: `rv_${VOLATILITY_WINDOW}`, warmup: VOLATILITY_WINDOW + 1, description: `realised volatility: RMS of the last ${VOLATILITY_WINDOW} one-bar log returns` },
  { name: `rsi_${RSI_PERIOD}`, warmup: RSI_PERIOD + 1, description: `RSI(${RSI_PERIOD}), 0 to 100` },
  { name: `macd_${MACD_FAST}_${MACD_SLOW}_${MACD_SIGNAL}_line`, warmup: MACD_SLOW, description: 'MACD line (EMA fast - EMA slow) divided by the close' },
  { name: `macd_${MACD_FAST}_${MACD_SLOW}_${MACD_SIGNAL}_signal`, warmup: macdSignalWarmup, description: 'MACD signal line (EMA of the MACD line) divided by the close' },
  { name: `macd_${MACD_FAST}_${MACD_SLOW}_${MACD_SIGNAL}_hist`, warmup: macdSignalWarmup, description: 'MACD histogram (line - signal) divided by the close' },
  { name: `atr_${ATR_PERIOD}_norm`, warmup: ATR_PERIOD, description: `ATR(${ATR_PERIOD}) divided by the close` },
  { name: `bb_${BOLLINGER_PERIOD}_${BOLLINGER_DEVIATIONS}_pctb`, warmup: BOLLINGER_PERIOD, description: 'Bollinger %B: (close - lower) / (upper - lower); 0.5 when the bands have no width' },
  { name: `volume_z_${VOLUME_WINDOW}`, warmup: VOLUME_WINDOW + 1, description: `z-score of the volume against the previous ${VOLUME_WINDOW} bars; 0 when they did not vary` },
  { name: 'tod_sin', warmup: 1, description: 'sine of the time of day of the bar open (UTC)' },
  { name: 'tod_cos', warmup: 1, description: 'cosine of the time of day of the bar open (UTC)' },
  { name: 'dow_sin', warmup: 1, description: 'sine of the day of the week of the bar open (UTC, Monday = 0)' },
  { name: 'dow_cos', warmup: 1, description: 'cosine of the day of the week of the bar open (UTC, Monday = 0)' },
  ...REGIME_LABELS.map((label) => ({ name: `regime_${label}`, warmup: regimeWarmup(), description: `1 when the market regime is ${label.replace('_', ' ')}, else 0` })),
]);

export const FEATURE_NAMES: readonly string[] = Object.freeze(FEATURE_DEFINITIONS.map((f) => f.name));
export const FEATURE_COUNT = FEATURE_NAMES.length;
/** Bars before every feature exists (the pipeline's `ready`). */
export const FEATURES_WARMUP = Math.max(...FEATURE_DEFINITIONS.map((f) => f.warmup));

/** Stable identity of a feature set: its version and ordered column names. */
export function featuresHash(names: readonly string[] = FEATURE_NAMES, version: number = FEATURES_VERSION): string {
  return fnv1a64(`keel-features/v${version}\n${names.join('\n')}`);
}

export const FEATURES_HASH = featuresHash();

/** Column index of a feature by name. */
export function featureIndex(name: string): number {
  const index = FEATURE_NAMES.indexOf(name);
  if (index < 0) throw new RangeError(`unknown feature "${name}"`);
  return index;
}
