import { describe, expect, it } from 'vitest';
import { openJournalDatabase } from '../../journal/database';
import { SqliteModelStore } from '../../journal/sqliteModelStore';
import { MemoryModelStore } from './memoryModelStore';
import { ModelRegistry, type NewModel } from './modelRegistry';
import type { ModelStore } from './modelStore';

const model = (name = 'btc-direction', overrides: Partial<NewModel> = {}): NewModel => ({
  name,
  algorithm: 'gbdt',
  features: ['ret_1', 'rsi_14'],
  featuresHash: 'f1',
  target: { kind: 'direction', horizon: 12, threshold: 0.002 },
  trainingWindow: { from: 1, to: 2 },
  dataHash: 'd1',
  metrics: { accuracy: 0.61 },
  featureImportance: [{ feature: 'rsi_14', importance: 0.7 }, { feature: 'ret_1', importance: 0.3 }],
  trainingLog: ['round 1'],
  errors: [],
  parentId: null,
  maxAgeMs: null,
  ...overrides,
});

describe.each([
  ['SQLite', () => new SqliteModelStore(openJournalDatabase(':memory:'))],
  ['in memory', () => new MemoryModelStore()],
] as Array<[string, () => ModelStore]>)('the model registry (%s)', (_name, makeStore) => {
  function setup(start = 1_000) {
    let now = start;
    let ids = 0;
    const registry = new ModelRegistry(makeStore(), () => now, () => `m${++ids}`);
    return { registry, advance: (ms: number) => (now += ms) };
  }

  it('numbers versions per name, keeps the stored model apart, and lists newest first', () => {
    const { registry, advance } = setup();
    const v1 = registry.register(model(), new Uint8Array([1, 2, 3]));
    advance(10);
    const v2 = registry.register(model('btc-direction', { parentId: v1.id }), new Uint8Array([4, 5]));
    advance(10);
    const other = registry.register(model('eth-return', { target: { kind: 'return', horizon: 6 } }), new Uint8Array([9]));
    expect([v1.version, v2.version, other.version]).toEqual([1, 2, 1]);
    expect(v2).toMatchObject({ status: 'candidate', parentId: v1.id, sizeBytes: 2, createdAt: 1_010 });
    expect(registry.list().map((m) => m.id)).toEqual([other.id, v2.id, v1.id]);
    expect([...registry.bytes(v1.id)]).toEqual([1, 2, 3]);
    expect(registry.get(v2.id)).toEqual(v2);
  });

  it('has one active version per name: activating one retires the one before, and rolling back is activating the old one', () => {
    const { registry } = setup();
    const v1 = registry.register(model(), new Uint8Array([1]));
    const v2 = registry.register(model(), new Uint8Array([2]));
    const other = registry.register(model('eth-return'), new Uint8Array([3]));
    registry.activate(v1.id);
    registry.activate(other.id);
    registry.activate(v2.id);
    expect(registry.get(v1.id).status).toBe('retired');
    expect(registry.get(v2.id).status).toBe('active');
    expect(registry.get(other.id).status).toBe('active');
    expect(registry.usable('btc-direction')?.id).toBe(v2.id);
    registry.activate(v1.id);
    expect(registry.get(v2.id).status).toBe('retired');
    expect(registry.usable('btc-direction')?.id).toBe(v1.id);
  });

  it('never deletes an active model, and deletes others with their stored model', () => {
    const { registry } = setup();
    const v1 = registry.register(model(), new Uint8Array([1]));
    registry.activate(v1.id);
    expect(() => registry.delete(v1.id)).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
    registry.retire(v1.id);
    registry.delete(v1.id);
    expect(() => registry.get(v1.id)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => registry.bytes(v1.id)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(registry.usable('btc-direction')).toBeNull();
  });

  it('does not hand out a model past its age for new decisions, nor activate one', () => {
    const { registry, advance } = setup();
    const young = registry.register(model('btc-direction', { maxAgeMs: 60_000 }), new Uint8Array([1]));
    registry.activate(young.id);
    expect(registry.usable('btc-direction')?.id).toBe(young.id);
    advance(60_001);
    expect(registry.usable('btc-direction')).toBeNull();
    const old = registry.register(model('eth', { maxAgeMs: 1 }), new Uint8Array([1]));
    advance(5);
    expect(() => registry.activate(old.id)).toThrow(expect.objectContaining({ code: 'INVALID_STATE' }));
  });

  it('refuses a record outside the schema and stores nothing', () => {
    const { registry } = setup();
    expect(() => registry.register(model('', {}), new Uint8Array([1]))).toThrow();
    expect(() => registry.register(model('x', { features: [] }), new Uint8Array([1]))).toThrow();
    expect(registry.list()).toEqual([]);
  });
});
