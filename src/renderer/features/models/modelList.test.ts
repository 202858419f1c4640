import { describe, expect, it } from 'vitest';
import { modelRecord } from './fixtures/modelRecord';
import { activateAction, groupModels, modelBadges } from './modelList';

describe('groupModels', () => {
  it('groups by name in alphabetical order, newest version first, and finds the active one', () => {
    const groups = groupModels([
      modelRecord({ id: 'b1', name: 'btc', version: 1, status: 'retired' }),
      modelRecord({ id: 'e1', name: 'eth', version: 1 }),
      modelRecord({ id: 'b3', name: 'btc', version: 3 }),
      modelRecord({ id: 'b2', name: 'btc', version: 2, status: 'active' }),
    ]);
    expect(groups.map((g) => [g.name, g.versions.map((v) => v.version), g.active?.id ?? null])).toEqual([
      ['btc', [3, 2, 1], 'b2'],
      ['eth', [1], null],
    ]);
  });
});

describe('modelBadges', () => {
  it('adds expired once the model is older than its maximum age', () => {
    const m = modelRecord({ status: 'active', createdAt: 1_000, maxAgeMs: 60_000 });
    expect(modelBadges(m, 61_000)).toEqual(['active']);
    expect(modelBadges(m, 61_001)).toEqual(['active', 'expired']);
    expect(modelBadges(modelRecord({ maxAgeMs: null }), Number.MAX_SAFE_INTEGER)).toEqual(['candidate']);
  });
});

describe('activateAction', () => {
  const v1 = modelRecord({ id: 'v1', version: 1, status: 'retired' });
  const v2 = modelRecord({ id: 'v2', version: 2, status: 'active' });
  const v3 = modelRecord({ id: 'v3', version: 3, status: 'candidate' });
  const all = [v1, v2, v3];

  it('offers a roll back for a version older than the active one', () => {
    expect(activateAction(v1, all, 0)).toMatchObject({ label: 'Roll back to this version', disabled: false });
    expect(activateAction(v1, all, 0).help).toContain('retires v2');
  });

  it('activates a newer version, or any when none is active, and cannot activate the active one again', () => {
    expect(activateAction(v3, all, 0)).toMatchObject({ label: 'Activate', disabled: false });
    expect(activateAction(v1, [v1, { ...v2, status: 'retired' }], 0)).toMatchObject({ label: 'Activate' });
    expect(activateAction(v2, all, 0)).toMatchObject({ label: 'Active', disabled: true });
  });

  it('warns that an expired version will not be used', () => {
    const old = { ...v3, createdAt: 0, maxAgeMs: 10 };
    expect(activateAction(old, all, 11).help).toContain('past its maximum age');
    expect(activateAction(old, all, 10).help).not.toContain('past its maximum age');
  });
});
