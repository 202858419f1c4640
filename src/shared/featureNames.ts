/**
 * The names of the features Keel's pipeline computes, in its column order,
 * for the screen (an import form says which names Keel can make from
 * bars). The pipeline's own list (src/main/ml/features/featureSet.ts) is
 * the source; a test keeps this copy equal to it.
 */
export const KEEL_FEATURE_NAMES: readonly string[] = Object.freeze([
  'ret_1',
  'ret_3',
  'ret_12',
  'ret_48',
  'rv_20',
  'rsi_14',
  'macd_12_26_9_line',
  'macd_12_26_9_signal',
  'macd_12_26_9_hist',
  'atr_14_norm',
  'bb_20_2_pctb',
  'volume_z_20',
  'tod_sin',
  'tod_cos',
  'dow_sin',
  'dow_cos',
  'regime_trending_up',
  'regime_trending_down',
  'regime_ranging',
  'regime_volatile',
]);
