import { describe, expect, it } from 'vitest';
import { modelRecord } from '../models/fixtures/modelRecord';
import { modelChoices } from './modelChoices';

const DAY = 86_400_000;

describe('modelChoices', () => {
  const models = [
    modelRecord({ id: 'm-1', name: 'btc', version: 1, status: 'retired' }),
    modelRecord({ id: 'm-2', name: 'btc', version: 2, status: 'active', createdAt: 10 * DAY, maxAgeMs: DAY }),
    modelRecord({ id: 'm-3', name: 'alpha', version: 1, status: 'candidate' }),
    modelRecord({ id: 'm-4', name: 'returns', version: 1, status: 'active', target: { kind: 'return', horizon: 3 } }),
  ];

  it('offers each direction model by name (its active version) and each of its versions pinned, names in order', () => {
    const { groups, missing } = modelChoices(models, 10 * DAY + 1, 'btc');
    expect(missing).toBeNull();
    expect(groups).toEqual([
      { name: 'alpha', choices: [{ value: 'alpha', label: 'alpha: active version (none active now)' }, { value: 'm-3', label: 'alpha v1 only (candidate)' }] },
      {
        name: 'btc',
        choices: [
          { value: 'btc', label: 'btc: active version (now v2)' },
          { value: 'm-2', label: 'btc v2 only (active)' },
          { value: 'm-1', label: 'btc v1 only (retired)' },
        ],
      },
    ]);
  });

  it('says when a version has expired', () => {
    const { groups } = modelChoices(models, 12 * DAY, '');
    expect(groups[1]!.choices.map((c) => c.label)).toEqual(['btc: active version (now v2, expired)', 'btc v2 only (active, expired)', 'btc v1 only (retired)']);
  });

  it('keeps a chosen value the registry no longer holds, saying so', () => {
    expect(modelChoices(models, 0, 'm-gone').missing).toEqual({ value: 'm-gone', label: 'm-gone (not in the registry)' });
    expect(modelChoices(models, 0, 'returns').missing).toEqual({ value: 'returns', label: 'returns (not a direction model)' });
  });
});
