/**
 * The ML-scored strategy trading on the paper venue through the whole
 * engine: a small model trained from the contract on the venue's history
 * and activated scores each closed bar in the scoring worker pool; the
 * instance acts on its confident calls, every order it places is linked to
 * the signal that caused it (in the signal sink the app is given), and a model that cannot be used is refused at create
 * and at start with VALIDATION_FAILED naming it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeel, type Keel } from '../../src/main/app';
import { SimulatedClock } from '../../src/main/engine/ports/clock';
import { UNDECIDED_NOTE } from '../../src/main/ml/scoring/modelScoring';
import type { JobView } from '../../src/shared/contract';
import type { Signal } from '../../src/shared/contract/signals';
import type { StrategyInstance } from '../../src/shared/contract/strategies';
import type { ModelRecord } from '../../src/shared/models';

const SYMBOL = 'BTC/USDT:USDT';
let keel: Keel;
let clock: SimulatedClock;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'keel-ml-strategy-'));
  clock = new SimulatedClock(Date.parse('2026-11-20T12:00:30Z'));
  keel = await createKeel({ dataDir, mode: 'headless', seed: 7, clock, checkResults: true });
});

afterAll(async () => {
  await keel?.shutdown();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call<T>(method: string, params: unknown = {}): Promise<T> {
  const outcome = await keel.server.invoke(method, params);
  if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), outcome.error);
  return outcome.result as T;
}

/** Real time for the workers (training, scoring) to answer. */
const breathe = (ms = 2) => new Promise((resolve) => setTimeout(resolve, ms));

async function trained(jobId: string): Promise<JobView> {
  for (let i = 0; i < 2_400; i++) {
    const job = (await call<{ jobs: JobView[] }>('jobs.list')).jobs.find((j) => j.id === jobId)!;
    if (job.status !== 'running') return job;
    await breathe(50);
  }
  throw new Error(`job ${jobId} did not finish`);
}

describe('the ML-scored strategy on the paper venue', () => {
  it('places orders on its model\'s confident calls, each linked to the signal that caused it', async () => {
    const { jobId } = await call<{ jobId: string }>('models.train', {
      name: 'btc-direction',
      algorithm: 'gbdt',
      data: { venue: 'paper', symbol: SYMBOL, timeframe: '1m' },
      target: { kind: 'direction', horizon: 3, threshold: 0 },
      features: ['ret_1', 'ret_3', 'rsi_14', 'macd_12_26_9_hist', 'bb_20_2_pctb'],
      params: { rounds: 8, maxDepth: 3 },
    });
    const job = await trained(jobId);
    expect(job.status, job.error ?? '').toBe('done');
    const model = await call<ModelRecord>('models.activate', { id: job.modelId! });

    const base = { type: 'ml-scored', venue: 'paper', symbol: SYMBOL, timeframe: '1m' };
    await expect(call('strategies.create', { ...base, params: { model: 'eth-dreams' } })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringMatching(/Model "eth-dreams" cannot be used: there is no model named "eth-dreams"/),
      data: { param: 'model', model: 'eth-dreams' },
    });
    await expect(call('strategies.create', { ...base, params: {} })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', data: { param: 'model' } });

    const created = await call<StrategyInstance>('strategies.create', {
      ...base,
      params: { model: 'btc-direction', threshold: 0.34, allowShort: true, sizing: 'fixed-value', orderValue: 2_000 },
    });
    expect(created.params).toMatchObject({ model: 'btc-direction', threshold: 0.34 });
    expect((await call<StrategyInstance>('strategies.start', { id: created.id })).status).toBe('running');

    // Minutes go by in one-second steps, with real time between them for the scoring worker to answer.
    const mine = () => keel.engine.listOrders('all', 500).orders.filter((o) => o.source === 'strategy' && o.sourceId === created.id);
    // Its signals as the journal keeps them, read through the contract like the Signals view.
    const signalsOf = async () => (await call<{ signals: Signal[] }>('signals.list', { strategyId: created.id, limit: 5_000 })).signals;
    const decided = async () => (await signalsOf()).filter((s) => s.note !== UNDECIDED_NOTE);
    for (let second = 0; second < 40 * 60 && (mine().length < 3 || (await decided()).length < 5); second++) {
      await clock.advanceAndSettle(1_000);
      await breathe();
    }
    // Let the last decision finish before looking.
    for (let i = 0; i < 500 && (await signalsOf()).some((s) => s.note === UNDECIDED_NOTE); i++) {
      await clock.advanceAndSettle(100);
      await breathe();
    }
    await call('strategies.stop', { id: created.id });

    const orders = mine();
    expect(orders.length, 'it traded on its model\'s calls within the time given').toBeGreaterThanOrEqual(1);
    const all = (await signalsOf()).reverse(); // oldest first: the first acted on opened from flat
    expect(all.length).toBeGreaterThanOrEqual(2);
    for (const signal of all) {
      expect(signal).toMatchObject({ venue: 'paper', symbol: SYMBOL, timeframe: '1m', strategyId: created.id, modelId: model.id, modelName: 'btc-direction', modelVersion: 1, featuresHash: model.featuresHash });
      // The warm-up covers the regime classifier: every scored bar has its regime.
      expect(signal.regime).not.toBeNull();
      expect(signal.note).not.toBe(UNDECIDED_NOTE);
      if (!signal.acted) expect(signal.orderIds).toEqual([]);
    }
    // Every order it placed is linked to exactly one signal, which it acted on; every linked id is one of its orders.
    const linked = all.flatMap((s) => s.orderIds.map((orderId) => ({ orderId, signal: s })));
    expect(linked.map((l) => l.orderId).sort()).toEqual(orders.map((o) => o.id).sort());
    for (const { signal } of linked) expect(signal.acted).toBe(true);
    expect(linked[0]!.signal.note).toMatch(/^(long|short) at confidence 0\.\d+$/);
    const view = (await call<{ strategies: StrategyInstance[] }>('strategies.list')).strategies.find((s) => s.id === created.id)!;
    expect(view.accounting.lastSignal?.text).toMatch(/btc-direction v1|stopped/);
    // Its round trips are split by the regime each began in.
    expect(view.accounting.byRegime?.reduce((n, t) => n + t.trades, 0)).toBe(view.accounting.trades);

    // Every bar it scored reached the model monitor, on the instance's stream.
    const drift = await call<{ streams: Array<{ venue: string; symbol: string; timeframe: string; observations: number }> }>('models.drift', { id: model.id });
    expect(drift.streams).toEqual([expect.objectContaining({ venue: 'paper', symbol: SYMBOL, timeframe: '1m', observations: all.length })]);

    // With its model retired it cannot start again, and says why.
    await call('models.retire', { id: model.id });
    await expect(call('strategies.start', { id: created.id })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringMatching(/"btc-direction" has no active version/),
      data: { param: 'model', model: 'btc-direction' },
    });
  }, 300_000);
});
