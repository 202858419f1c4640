import { describe, expect, it } from 'vitest';
import { createFrameBatcher, type FrameClock } from './frameBatcher';

function manualClock() {
  const frames = new Map<number, () => void>();
  const timers = new Map<number, () => void>();
  let next = 1;
  const clock: FrameClock = {
    requestFrame: (cb) => {
      frames.set(next, cb);
      return next++;
    },
    cancelFrame: (h) => frames.delete(h),
    setTimer: (cb) => {
      const id = next++;
      timers.set(id, cb);
      return id as unknown as ReturnType<typeof setTimeout>;
    },
    clearTimer: (h) => timers.delete(h as unknown as number),
  };
  const run = (m: Map<number, () => void>) => {
    const cbs = [...m.values()];
    m.clear();
    cbs.forEach((cb) => cb());
  };
  return { clock, frame: () => run(frames), timeout: () => run(timers), pending: () => frames.size + timers.size };
}

describe('createFrameBatcher', () => {
  it('flushes once per frame however many requests arrive', () => {
    const c = manualClock();
    let flushes = 0;
    const b = createFrameBatcher(() => flushes++, c.clock);
    for (let i = 0; i < 100; i++) b.request();
    c.frame();
    expect(flushes).toBe(1);
    expect(c.pending()).toBe(0);
    b.request();
    c.frame();
    expect(flushes).toBe(2);
  });

  it('falls back to a timer when no frame comes (hidden window)', () => {
    const c = manualClock();
    let flushes = 0;
    const b = createFrameBatcher(() => flushes++, c.clock);
    b.request();
    c.timeout();
    expect(flushes).toBe(1);
    c.frame();
    expect(flushes).toBe(1);
  });

  it('does nothing after dispose', () => {
    const c = manualClock();
    let flushes = 0;
    const b = createFrameBatcher(() => flushes++, c.clock);
    b.request();
    b.dispose();
    c.frame();
    c.timeout();
    b.request();
    expect(flushes).toBe(0);
  });
});
