import { describe, expect, it } from 'vitest';
import { EventCoalescer, contractKeyOf, type Schedule } from './eventCoalescer';

/** A manual clock: scheduled callbacks run only when the test advances time. */
function manualScheduler() {
  let now = 0;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const schedule: Schedule = (fn, ms) => {
    const id = ++seq;
    timers.set(id, { at: now + ms, fn });
    return () => {
      timers.delete(id);
    };
  };
  return {
    schedule,
    get scheduledCount() {
      return timers.size;
    },
    advance(ms: number) {
      now += ms;
      for (const [id, t] of [...timers.entries()].sort((a, b) => a[1].at - b[1].at)) {
        if (t.at <= now && timers.has(id)) {
          timers.delete(id);
          t.fn();
        }
      }
    },
  };
}

function setup(overrides: { onError?: (e: unknown, topic: string) => void } = {}) {
  const clock = manualScheduler();
  const delivered: Array<[string, unknown]> = [];
  const coalescer = new EventCoalescer({
    flushIntervalMs: 16,
    schedule: clock.schedule,
    deliver: (topic, data) => delivered.push([topic, data]),
    ...overrides,
  });
  return { clock, delivered, coalescer };
}

const tick = (symbol: string, last: string) => ({ venue: 'paper', symbol, last });

describe('EventCoalescer', () => {
  it('keeps only the latest value per key and delivers it on the next flush', () => {
    const { clock, delivered, coalescer } = setup();
    coalescer.push('market.tick', tick('BTC/USDT', '1'));
    coalescer.push('market.tick', tick('BTC/USDT', '2'));
    coalescer.push('market.tick', tick('ETH/USDT', '10'));
    coalescer.push('market.tick', tick('BTC/USDT', '3'));
    expect(delivered).toEqual([]);
    expect(coalescer.pendingCount).toBe(2);

    clock.advance(15);
    expect(delivered).toEqual([]);
    clock.advance(1);
    // First-seen order of keys, latest value of each.
    expect(delivered).toEqual([
      ['market.tick', tick('BTC/USDT', '3')],
      ['market.tick', tick('ETH/USDT', '10')],
    ]);
    expect(coalescer.pendingCount).toBe(0);
  });

  it('delivers non-coalesced topics immediately, in order, every one of them', () => {
    const { clock, delivered, coalescer } = setup();
    for (let i = 0; i < 5; i++) coalescer.push('orders.updated', { id: `o${i}` });
    expect(delivered.map(([, d]) => (d as { id: string }).id)).toEqual(['o0', 'o1', 'o2', 'o3', 'o4']);
    expect(clock.scheduledCount).toBe(0);
  });

  it('does not let a coalesced burst hold back or swallow an immediate event', () => {
    const { clock, delivered, coalescer } = setup();
    coalescer.push('market.tick', tick('BTC/USDT', '1'));
    coalescer.push('fills.new', { tradeId: 't1' });
    coalescer.push('market.tick', tick('BTC/USDT', '2'));
    expect(delivered).toEqual([['fills.new', { tradeId: 't1' }]]);
    clock.advance(16);
    expect(delivered).toEqual([
      ['fills.new', { tradeId: 't1' }],
      ['market.tick', tick('BTC/USDT', '2')],
    ]);
  });

  it('keys different topics apart even when their keys are equal', () => {
    const clock = manualScheduler();
    const delivered: Array<[string, unknown]> = [];
    const coalescer = new EventCoalescer({
      flushIntervalMs: 16,
      schedule: clock.schedule,
      deliver: (topic, data) => delivered.push([topic, data]),
      keyOf: () => 'same',
    });
    coalescer.push('a', 1);
    coalescer.push('b', 2);
    coalescer.push('a', 3);
    clock.advance(16);
    expect(delivered).toEqual([
      ['a', 3],
      ['b', 2],
    ]);
  });

  it('schedules one flush per frame, and a new one only after new data arrives', () => {
    const { clock, delivered, coalescer } = setup();
    coalescer.push('system.health', { eventLoopLagMs: 1 });
    coalescer.push('system.health', { eventLoopLagMs: 2 });
    expect(clock.scheduledCount).toBe(1);
    clock.advance(16);
    expect(clock.scheduledCount).toBe(0);
    clock.advance(100);
    expect(delivered).toHaveLength(1);
    coalescer.push('system.health', { eventLoopLagMs: 3 });
    expect(clock.scheduledCount).toBe(1);
    clock.advance(16);
    expect(delivered).toEqual([
      ['system.health', { eventLoopLagMs: 2 }],
      ['system.health', { eventLoopLagMs: 3 }],
    ]);
  });

  it('flush() delivers pending values at once and cancels the timer', () => {
    const { clock, delivered, coalescer } = setup();
    coalescer.push('positions.updated', { venue: 'paper', positions: [] });
    coalescer.flush();
    expect(delivered).toEqual([['positions.updated', { venue: 'paper', positions: [] }]]);
    expect(clock.scheduledCount).toBe(0);
    clock.advance(16);
    expect(delivered).toHaveLength(1);
  });

  it('dispose() cancels the timer, drops pending values and ignores later pushes', () => {
    const { clock, delivered, coalescer } = setup();
    coalescer.push('market.tick', tick('BTC/USDT', '1'));
    coalescer.dispose();
    expect(clock.scheduledCount).toBe(0);
    coalescer.push('orders.updated', { id: 'late' });
    clock.advance(100);
    expect(delivered).toEqual([]);
  });

  it('keeps delivering the rest of a batch when one delivery throws', () => {
    const clock = manualScheduler();
    const delivered: unknown[] = [];
    const errors: string[] = [];
    const coalescer = new EventCoalescer({
      flushIntervalMs: 16,
      schedule: clock.schedule,
      deliver: (_topic, data) => {
        if ((data as { symbol: string }).symbol === 'BAD/USDT') throw new Error('boom');
        delivered.push(data);
      },
      onError: (_e, topic) => errors.push(topic),
    });
    coalescer.push('market.tick', tick('BAD/USDT', '1'));
    coalescer.push('market.tick', tick('BTC/USDT', '2'));
    clock.advance(16);
    expect(delivered).toEqual([tick('BTC/USDT', '2')]);
    expect(errors).toEqual(['market.tick']);
  });

  it('delivers an event whose key cannot be computed instead of losing it', () => {
    const errors: string[] = [];
    const { delivered, coalescer } = setup({ onError: (_e, topic) => errors.push(topic) });
    coalescer.push('market.tick', null);
    expect(delivered).toEqual([['market.tick', null]]);
    expect(errors).toEqual(['market.tick']);
  });

  it('lets a delivery push again without losing the new value', () => {
    const clock = manualScheduler();
    const delivered: unknown[] = [];
    const coalescer: EventCoalescer = new EventCoalescer({
      flushIntervalMs: 16,
      schedule: clock.schedule,
      deliver: (topic, data) => {
        delivered.push(data);
        if (data === 1) coalescer.push(topic, 2);
      },
      keyOf: () => 'k',
    });
    coalescer.push('t', 1);
    clock.advance(16);
    clock.advance(16);
    expect(delivered).toEqual([1, 2]);
  });

  it('rejects a nonsensical interval', () => {
    expect(
      () => new EventCoalescer({ flushIntervalMs: Number.NaN, schedule: () => () => undefined, deliver: () => undefined }),
    ).toThrow(RangeError);
  });
});

describe('contractKeyOf', () => {
  it('keys coalesced contract topics and leaves the rest alone', () => {
    expect(contractKeyOf('market.tick', { venue: 'paper', symbol: 'BTC/USDT' })).toBe('paper|BTC/USDT');
    expect(contractKeyOf('account.updated', { venue: 'paper' })).toBe('paper');
    expect(contractKeyOf('orders.updated', { id: 'x' })).toBeUndefined();
    expect(contractKeyOf('fills.new', {})).toBeUndefined();
    expect(contractKeyOf('not.a.topic', {})).toBeUndefined();
    expect(contractKeyOf('__proto__', {})).toBeUndefined();
  });
});
