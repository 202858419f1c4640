import { afterEach, describe, expect, it } from 'vitest';
import { startEventLoopDelayProbe, type EventLoopDelayProbe } from './eventLoopDelay';

const probes: EventLoopDelayProbe[] = [];
afterEach(() => {
  for (const probe of probes.splice(0)) probe.stop();
});

/** Real time, on purpose: what is measured here is the real event loop. */
const turn = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function blockFor(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // a stall: nothing else may run
  }
}

describe('event-loop delay probe', () => {
  it('reports a stall once, as the worst delay of the window, then starts a new window', async () => {
    const probe = startEventLoopDelayProbe(10);
    probes.push(probe);
    probe.readMs();
    await turn(30); // the read above dropped the sample in progress; start the stall in a fresh one
    blockFor(150);
    await turn(30);
    expect(probe.readMs()).toBeGreaterThanOrEqual(100);
    // The read started a new window: the stall is not reported again.
    expect(probe.readMs()).toBe(0);
  });

  it('reads 0 when nothing was sampled since the last read', () => {
    const probe = startEventLoopDelayProbe(10);
    probes.push(probe);
    expect(probe.readMs()).toBe(0);
    expect(probe.readMs()).toBe(0);
  });
});
