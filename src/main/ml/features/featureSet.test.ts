import { describe, expect, it } from 'vitest';
import { REGIME_LABELS } from '../regime/regimeRules';
import { FEATURE_COUNT, FEATURE_DEFINITIONS, FEATURE_NAMES, FEATURES_HASH, FEATURES_VERSION, FEATURES_WARMUP, featureIndex, featuresHash } from './featureSet';
import { fnv1a64 } from './hash';

describe('feature set', () => {
  it('has unique, ordered names covering every family of the spec', () => {
    expect(new Set(FEATURE_NAMES).size).toBe(FEATURE_COUNT);
    expect(FEATURE_NAMES).toEqual([
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
      ...REGIME_LABELS.map((l) => `regime_${l}`),
    ]);
    expect(featureIndex('rsi_14')).toBe(5);
    expect(() => featureIndex('nope')).toThrow(/unknown feature/);
  });

  it('needs the regime warm-up (the longest) before the whole row is ready', () => {
    expect(FEATURES_WARMUP).toBe(71);
    expect(FEATURE_DEFINITIONS.find((f) => f.name === 'ret_48')?.warmup).toBe(49);
  });

  it('hashes names and version stably: a pinned value, and any change moves it', () => {
    // Pinned on purpose: if this changes, FEATURES_VERSION must have been bumped and every stored model's hash no longer matches.
    expect(FEATURES_VERSION).toBe(1);
    expect(FEATURES_HASH).toBe('b574702d257b8c1c');
    expect(featuresHash(FEATURE_NAMES, 1)).toBe(FEATURES_HASH);
    expect(featuresHash(FEATURE_NAMES, 2)).not.toBe(FEATURES_HASH);
    expect(featuresHash([...FEATURE_NAMES].reverse())).not.toBe(FEATURES_HASH);
    expect(featuresHash(FEATURE_NAMES.slice(0, -1))).not.toBe(FEATURES_HASH);
  });

  it('FNV-1a 64 matches the published test vectors', () => {
    expect(fnv1a64('')).toBe('cbf29ce484222325');
    expect(fnv1a64('a')).toBe('af63dc4c8601ec8c');
    expect(fnv1a64('foobar')).toBe('85944171f73967e8');
  });
});
