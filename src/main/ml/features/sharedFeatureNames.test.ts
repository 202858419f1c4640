import { describe, expect, it } from 'vitest';
import { KEEL_FEATURE_NAMES } from '../../../shared/featureNames';
import { FEATURE_NAMES } from './featureSet';

describe('the feature names the screen knows', () => {
  it('are the pipeline\'s, in its order', () => {
    expect(KEEL_FEATURE_NAMES).toEqual(FEATURE_NAMES);
  });
});
