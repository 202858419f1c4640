/**
 * The runner's bar path for a driver that owns the thread (`offerBar`): a
 * bar with no decision is done on this turn, a decision that awaits is
 * waited for, calls keep their order behind anything queued, and the guards
 * (a throw, the thread held past the budget) still put only this instance in
 * `error`.
 */
import { describe, expect, it } from 'vitest';
import type { Bar, Instrument } from '../../../shared/domain';
import { SimulatedClock } from '../ports/clock';
import { defineStrategy, type StrategyDefinition } from './definition';
import type { StrategyHandlers } from './handlers';
import { StrategyInstanceRunner } from './instance';
import type { StrategyKernel } from './kernelAccess';

const instrument = { symbol: 'SYN', tickSize: '0.01', lotSize: '0.001', defaultLeverage: 1 } as unknown as Instrument;

function kernel(): StrategyKernel {
  const unused = () => {
    throw new Error('not used here');
  };
  return {
    clock: new SimulatedClock(0),
    submit: unused,
    cancel: unused,
    cancelAllOf: unused,
    openOrdersOf: () => [],
    order: () => undefined,
    settled: unused,
    instrument: () => instrument,
    quote: () => ({ bid: 100, ask: 100, last: 100 }),
    account: unused,
    costs: () => ({ feeRate: 0, entrySpread: 0, reserve: 0 }),
    record: () => {},
  };
}

function runner(handlers: (log: string[]) => StrategyHandlers, options: { syncMs?: number; warmup?: number } = {}) {
  const log: string[] = [];
  const failures: string[] = [];
  const definition: StrategyDefinition = defineStrategy({
    type: 'probe',
    name: 'Probe',
    summary: 'test',
    explanation: 'test',
    params: [],
    warmupBars: () => options.warmup ?? 0,
    create: () => handlers(log),
  });
  const run = new StrategyInstanceRunner(
    { id: 's1', name: 'Probe', venue: 'paper', symbol: 'SYN', timeframe: '1m', params: {}, limits: { maxPositionValue: null, maxOpenOrders: null, maxDailyLoss: null }, state: {} },
    {
      kernel: kernel(),
      definition,
      budget: { syncMs: options.syncMs ?? 1_000, totalMs: 30_000 },
      stopwatch: () => performance.now(),
      watchdog: (ms, fire) => {
        const t = setTimeout(fire, ms);
        return { cancel: () => clearTimeout(t) };
      },
      changed: () => {},
      stateChanged: () => {},
      failed: (reason) => failures.push(reason),
      breached: () => {},
    },
  );
  return { run, log, failures };
}

const bar = (i: number): Bar => ({ time: i * 60_000, open: 100, high: 101, low: 99, close: 100, volume: 1 });

describe('StrategyInstanceRunner.offerBar', () => {
  it('decides a bar that awaits nothing on this turn', async () => {
    const { run, log } = runner((log) => ({ onBar: (b) => void log.push(`bar ${b.time}`) }));
    await run.start([]);
    await run.idle();
    expect(run.offerBar(bar(1))).toBeNull();
    expect(log).toEqual(['bar 60000']);
  });

  it('answers a promise for a decision that awaits, and the next bar waits its turn behind it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { run, log } = runner((log) => ({
      onBar: (b) => {
        log.push(`start ${b.time}`);
        if (b.time === 60_000) return gate.then(() => void log.push(`end ${b.time}`));
        return undefined;
      },
    }));
    await run.start([]);
    await run.idle();
    const first = run.offerBar(bar(1));
    expect(first).toBeInstanceOf(Promise);
    const second = run.offerBar(bar(2));
    expect(second).toBeInstanceOf(Promise);
    expect(log).toEqual(['start 60000']);
    release();
    await second;
    expect(log).toEqual(['start 60000', 'end 60000', 'start 120000']);
  });

  it('feeds the warm-up without deciding, and each bar once', async () => {
    const { run, log } = runner((log) => ({ onBar: (b) => void log.push(`bar ${b.time}`) }), { warmup: 2 });
    await run.start([]);
    await run.idle();
    expect(run.offerBar(bar(1))).toBeNull();
    expect(run.offerBar(bar(2))).toBeNull();
    expect(run.offerBar(bar(3))).toBeNull();
    expect(run.offerBar(bar(3))).toBeNull();
    expect(log).toEqual(['bar 180000']);
  });

  it('puts the instance in error when the handler throws or holds the thread, and decides nothing after', async () => {
    const thrower = runner(() => ({ onBar: () => { throw new Error('boom'); } }));
    await thrower.run.start([]);
    await thrower.run.idle();
    expect(thrower.run.offerBar(bar(1))).toBeNull();
    expect(thrower.run.status).toBe('error');
    expect(thrower.failures[0]).toMatch(/onBar threw: boom/);

    const hog = runner((log) => ({
      onBar: () => {
        log.push('held');
        const end = performance.now() + 30;
        while (performance.now() < end) {
          // holds the thread past its 5 ms budget
        }
      },
    }), { syncMs: 5 });
    await hog.run.start([]);
    await hog.run.idle();
    hog.run.offerBar(bar(1));
    expect(hog.run.status).toBe('error');
    expect(hog.failures[0]).toMatch(/held the engine/);
    expect(hog.run.offerBar(bar(2))).toEqual(expect.any(Promise));
    expect(hog.log).toEqual(['held']);
  });
});
