import { describe, expect, it, vi } from 'vitest';
import { Prng } from '../../core/prng';
import { openJournalDatabase } from '../../journal/database';
import { SqliteModelStore } from '../../journal/sqliteModelStore';
import { SqliteMonitorStore } from '../../journal/sqliteMonitorStore';
import type { Logger } from '../../engine/ports/logger';
import { DIRECTION } from '../features/targets';
import type { ScoredRow } from '../scoring/scoringObserver';
import { registerTestModel, row, T0, testRegistry, HOUR } from './fixtures/models';
import { MemoryMonitorStore } from './memoryMonitorStore';
import { ModelMonitor } from './modelMonitor';
import type { MonitorStore } from './monitorStore';
import type { RealisedOutcome } from './streamMonitor';
import { streamStateSchema } from './streamState';

const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

function setup(options: Parameters<typeof registerTestModel>[1] = {}, settings = {}, store: MonitorStore = new MemoryMonitorStore()) {
  const registry = testRegistry();
  const model = registerTestModel(registry, options);
  const outcomes: RealisedOutcome[] = [];
  const changed: string[] = [];
  let now = T0;
  const monitor = new ModelMonitor({ registry, store, now: () => now, log: quiet, settings, onChanged: (id) => changed.push(id), onOutcome: (_id, o) => outcomes.push(o) });
  return { registry, model, monitor, outcomes, changed, store, tick: (ms: number) => (now += ms) };
}

describe('the model monitor settles each scored bar with the model own target rule', () => {
  it('direction beyond ±threshold over the horizon, from the close of the bar exactly that many bars later', () => {
    const { model, monitor, outcomes } = setup({ target: { kind: 'direction', horizon: 2, threshold: 0.01 } });
    const closes = [100, 101, 103, 102, 99, 99.5];
    const calls = ['long', 'short', 'short', 'neutral', 'long', 'long'] as const;
    closes.forEach((close, i) => monitor.observe(row(model.id, i, close, [i], calls[i])));
    // ln(103/100) = 0.0296 long; ln(102/101) = 0.0098 neutral; ln(99/103) = -0.0396 short; ln(99.5/102) = -0.0248 short.
    expect(outcomes.map((o) => [o.time, o.label])).toEqual([
      [T0, DIRECTION.long],
      [T0 + HOUR, DIRECTION.neutral],
      [T0 + 2 * HOUR, DIRECTION.short],
      [T0 + 3 * HOUR, DIRECTION.short],
    ]);
    expect(outcomes.map((o) => o.forwardReturn)).toEqual([Math.log(103 / 100), Math.log(102 / 101), Math.log(99 / 103), Math.log(99.5 / 102)]);
    expect(outcomes.map((o) => o.batchHit)).toEqual([true, false, true, false]);
    const [stream] = monitor.drift(model.id).streams;
    expect(stream).toMatchObject({ venue: 'paper', symbol: 'BTC/USDT', timeframe: '1h', observations: 6, outcomes: 4, pending: 2, batchAccuracy: 0.5, accuracySamples: 4 });
  });

  it('a return model by the sign of the return, a flat outcome not judged', () => {
    const { model, monitor, outcomes } = setup({ target: { kind: 'return', horizon: 1 } });
    const closes = [100, 102, 101, 101, 103];
    const predicted = [0.01, 0.02, -0.003, 0.001, 0];
    closes.forEach((close, i) => monitor.observe(row(model.id, i, close, [i], predicted[i])));
    expect(outcomes.map((o) => [o.label, o.batchHit])).toEqual([
      [1, true],
      [0, false],
      [0, null],
      [1, true],
    ]);
    expect(monitor.drift(model.id).streams[0]).toMatchObject({ outcomes: 4, accuracySamples: 3, batchAccuracy: 2 / 3 });
  });

  it('drops a bar whose settling bar was never scored, and counts it', () => {
    const { model, monitor, outcomes } = setup({ target: { kind: 'direction', horizon: 2, threshold: 0.01 } });
    monitor.observe(row(model.id, 0, 100, [0]));
    monitor.observe(row(model.id, 1, 100, [0]));
    // Bar 2 never comes: bar 0 cannot be settled; bar 1 settles at bar 3.
    monitor.observe(row(model.id, 3, 110, [0]));
    expect(outcomes.map((o) => [o.time, o.forwardReturn])).toEqual([[T0 + HOUR, Math.log(110 / 100)]]);
    const stream = monitor.drift(model.id).streams[0]!;
    expect(stream.outcomes).toBe(1);
    expect(stream.notes.join(' ')).toMatch(/1 scored bar was never followed/);
  });
});

describe('the online model is prequential', () => {
  it('calls each bar when it is scored, before it learns any outcome it could not have known, then learns it', () => {
    const { model, monitor, outcomes } = setup({ target: { kind: 'direction', horizon: 2, threshold: 0.001 } });
    // Every outcome is short; the features never vary, so the online model can only learn the prior.
    const closes = Array.from({ length: 12 }, (_, i) => 100 * Math.exp(-0.01 * i));
    closes.forEach((close, i) => monitor.observe(row(model.id, i, close, [1], 'neutral')));
    expect(outcomes.every((o) => o.label === DIRECTION.short)).toBe(true);
    // Bars 0 and 1 were called by an untrained model (a tie, read as long): wrong. Had bar 1 been called when it
    // settled, the model would have learned bar 0's outcome first and called it short.
    expect(outcomes.slice(0, 2).map((o) => [o.onlinePredicted, o.onlineHit])).toEqual([
      [DIRECTION.long, false],
      [DIRECTION.long, false],
    ]);
    // Bar 2 was scored after bar 0 settled: one example learned, and it calls short.
    expect(outcomes[2]).toMatchObject({ onlinePredicted: DIRECTION.short, onlineHit: true });
    const stream = monitor.drift(model.id).streams[0]!;
    expect(stream.onlineAccuracy).toBe(8 / 10);
    expect(stream.batchAccuracy).toBe(0);
  });
});

describe('drift flags', () => {
  it('reads PSI against the training reference: ok, then watch, then drifting, as the recent window moves', () => {
    const rng = new Prng(7);
    const training = Array.from({ length: 5_000 }, () => [rng.normal()]);
    const { model, monitor } = setup({ referenceRows: training, target: { kind: 'direction', horizon: 1, threshold: 0.5 } }, { psiWindow: 2_000, minPsiRows: 1_000 });
    let i = 0;
    // A constant close: every outcome neutral, which the model calls, so accuracy never flags.
    const feed = (n: number, mean: number) => {
      for (let k = 0; k < n; k++) monitor.observe(row(model.id, i++, 100, [mean + rng.normal()], 'neutral'));
    };
    feed(999, 0);
    let view = monitor.drift(model.id);
    expect(view.streams[0]!.psi).toEqual([{ feature: 'x', psi: null, status: 'unknown' }]);
    expect(view.streams[0]!.notes.join(' ')).toMatch(/PSI is measured once 1000 bars are scored \(999 so far\)/);
    feed(1_001, 0);
    view = monitor.drift(model.id);
    expect(view.streams[0]!.maxPsi).toBeLessThan(0.02);
    expect(view.status).toBe('ok');
    expect(view.streams[0]!.reasons).toEqual([]);
    feed(2_000, 0.4);
    view = monitor.drift(model.id);
    expect(view.streams[0]!.maxPsi).toBeGreaterThan(0.1);
    expect(view.streams[0]!.maxPsi).toBeLessThan(0.25);
    expect(view.status).toBe('watch');
    expect(view.streams[0]!.reasons).toEqual([{ kind: 'psi', status: 'watch', text: expect.stringMatching(/^x \(0\.\d\d\) is moving from the training distribution/) }]);
    feed(2_000, 1);
    view = monitor.drift(model.id);
    expect(view.streams[0]!.maxPsi).toBeGreaterThan(0.25);
    expect(view.status).toBe('drifting');
    expect(view.streams[0]!.reasons).toEqual([{ kind: 'psi', status: 'drifting', text: expect.stringMatching(/^x \(\d\.\d\d\) has moved away from the training distribution/) }]);
    expect(view.streams[0]!.psi[0]).toMatchObject({ feature: 'x', status: 'drifting' });
  });

  it('says PSI is unknown for a model without a training reference', () => {
    const { model, monitor } = setup({ referenceRows: null, algorithm: 'onnx' }, { psiWindow: 10, minPsiRows: 5 });
    for (let i = 0; i < 20; i++) monitor.observe(row(model.id, i, 100, [i]));
    const view = monitor.drift(model.id);
    expect(view.hasReference).toBe(false);
    expect(view.streams[0]!).toMatchObject({ psi: [{ feature: 'x', psi: null, status: 'unknown' }], maxPsi: null, psiRows: 0 });
    expect(view.streams[0]!.notes.join(' ')).toMatch(/PSI unknown: this model has no training reference/);
  });

  it('flags accuracy below the out-of-sample accuracy once enough outcomes are in, and an online model that does better', () => {
    const { model, monitor } = setup({ metrics: { accuracy: 0.6 }, target: { kind: 'direction', horizon: 1, threshold: 0.001 } }, { accuracyWindow: 50, minOutcomes: 30 });
    // Always falling, always called long: the model is always wrong; the online model learns short.
    for (let i = 0; i < 30; i++) monitor.observe(row(model.id, i, 100 * Math.exp(-0.01 * i), [1], 'long'));
    let view = monitor.drift(model.id);
    expect(view.referenceAccuracy).toBe(0.6);
    expect(view.streams[0]).toMatchObject({ outcomes: 29, status: 'ok' });
    expect(view.streams[0]!.notes.join(' ')).toMatch(/Accuracy is judged once 30 outcomes are known \(29 so far\)/);
    monitor.observe(row(model.id, 30, 100 * Math.exp(-0.3), [1], 'long'));
    view = monitor.drift(model.id);
    expect(view.status).toBe('drifting');
    expect(view.streams[0]!.reasons.map((r) => r.kind)).toEqual(['accuracy', 'online']);
    expect(view.streams[0]!.reasons[0]!.text).toMatch(/^Accuracy 0\.0% over the last 30 outcomes is below the 60\.0% it had out of sample/);
    expect(view.streams[0]!.reasons[1]!.text).toMatch(/^The online model is right more often/);
  });
});

describe('persistence', () => {
  function feed(monitor: ModelMonitor, modelId: string, from: number, to: number, rng: Prng) {
    for (let i = from; i < to; i++) monitor.observe(row(modelId, i, 100 * Math.exp(0.01 * Math.sin(i / 3) + 0.002 * rng.normal()), [rng.normal(), rng.normal()], i % 3 === 0 ? 'long' : i % 3 === 1 ? 'short' : 'neutral'));
  }

  it.each([
    ['in memory', () => ({ monitors: new MemoryMonitorStore(), models: undefined })],
    ['in the journal', () => {
      const db = openJournalDatabase(':memory:');
      return { monitors: new SqliteMonitorStore(db), models: new SqliteModelStore(db) };
    }],
  ] as const)('a monitor built again from its store (%s) carries on exactly as the one that saved it', (_name, makeStores) => {
    const { monitors, models } = makeStores();
    const registry = testRegistry(models);
    const rng = new Prng(11);
    const reference = Array.from({ length: 500 }, () => [rng.normal(), rng.normal()]);
    const model = registerTestModel(registry, { features: ['a', 'b'], referenceRows: reference, metrics: { accuracy: 0.4 }, target: { kind: 'direction', horizon: 3, threshold: 0.002 } });
    const settings = { accuracyWindow: 40, minOutcomes: 20, psiWindow: 60, minPsiRows: 30 };
    const first = new ModelMonitor({ registry, store: monitors, now: () => T0, log: quiet, settings });
    feed(first, model.id, 0, 150, new Prng(1));
    const second = new ModelMonitor({ registry, store: monitors, now: () => T0, log: quiet, settings });
    expect(second.drift(model.id)).toEqual(first.drift(model.id));
    const saved = streamStateSchema.parse(monitors.streams(model.id)[0]!.body);
    // Bounded: the horizon's rows, the accuracy window, the PSI window.
    expect(saved.pending).toHaveLength(3);
    expect(saved.hits).toHaveLength(40);
    expect(saved.psiRows).toHaveLength(60);
    feed(first, model.id, 150, 220, new Prng(2));
    feed(second, model.id, 150, 220, new Prng(2));
    expect(second.drift(model.id)).toEqual(first.drift(model.id));
    expect(monitors.streams(model.id)).toHaveLength(1);
    expect(first.drift(model.id).streams[0]!.observations).toBe(220);
  });

  it('starts a stream again, with a warning, when its saved state is damaged', () => {
    const store = new MemoryMonitorStore();
    const { model, monitor, registry } = setup({}, {}, store);
    monitor.observe(row(model.id, 0, 100, [1]));
    const body = store.streams(model.id)[0]!.body as Record<string, unknown>;
    store.saveStream(model.id, { venue: 'paper', symbol: 'BTC/USDT', timeframe: '1h', body: { ...body, hits: 'xyz' } });
    const warn = vi.fn();
    const again = new ModelMonitor({ registry, store, now: () => T0, log: { ...quiet, warn }, settings: {} });
    expect(again.drift(model.id).streams).toEqual([]);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/unreadable and starts again/));
  });
});

describe('bad rows', () => {
  it('are refused with a typed error and change nothing', () => {
    const { model, monitor, store, changed } = setup({ target: { kind: 'direction', horizon: 1, threshold: 0 } });
    monitor.observe(row(model.id, 0, 100, [1]));
    const before = JSON.stringify(store.streams(model.id));
    const good = row(model.id, 1, 100, [1]);
    const bad: Array<[ScoredRow, string, RegExp]> = [
      [{ ...good, features: [Number.NaN] }, 'VALIDATION_FAILED', /features\.0/],
      [{ ...good, features: [1, 2] }, 'VALIDATION_FAILED', /2 features, the model 1/],
      [{ ...good, close: 0 }, 'VALIDATION_FAILED', /close/],
      [{ ...good, close: Number.POSITIVE_INFINITY }, 'VALIDATION_FAILED', /close/],
      [{ ...good, timeframe: '2h' }, 'VALIDATION_FAILED', /timeframe/],
      [{ ...good, probabilities: { long: 1.2, short: 0, neutral: 0 } }, 'VALIDATION_FAILED', /probabilities\.long/],
      [{ ...good, probabilities: null, value: 0.01 }, 'VALIDATION_FAILED', /direction model gives probabilities/],
      [{ ...good, venue: '' }, 'VALIDATION_FAILED', /venue/],
      [{ ...good, time: T0 }, 'INVALID_STATE', /already observed/],
      [{ ...good, time: T0 + HOUR / 2 }, 'VALIDATION_FAILED', /not a whole number of 1h bars/],
      [{ ...good, modelId: 'nope' }, 'NOT_FOUND', /nope/],
    ];
    for (const [r, code, message] of bad) expect(() => monitor.observe(r), message.source).toThrow(expect.objectContaining({ code, message: expect.stringMatching(message) }));
    expect(JSON.stringify(store.streams(model.id))).toBe(before);
    expect(monitor.drift(model.id).streams[0]!.observations).toBe(1);
    expect(changed).toEqual([model.id]);
    monitor.observe(good);
    expect(monitor.drift(model.id).streams[0]!.observations).toBe(2);
  });

  it('refuses a version deleted since it was watched, as not found', () => {
    const { model, monitor, registry } = setup();
    monitor.observe(row(model.id, 0, 100, [1]));
    registry.delete(model.id);
    expect(() => monitor.observe(row(model.id, 1, 100, [1]))).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => monitor.drift(model.id)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('a return model needs its value', () => {
    const { model, monitor } = setup({ target: { kind: 'return', horizon: 1 } });
    expect(() => monitor.observe(row(model.id, 0, 100, [1], 'long'))).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/return model gives a value/) }));
  });
});
