import { describe, expect, it } from 'vitest';
import type { Candle } from '../../../shared/domain';
import { SimulatedClock } from '../ports/clock';
import { silentLogger } from '../ports/logger';
import { CandlePollingBarFeed } from './barFeed';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);

/** A venue's one-minute candles up to now, the newest still forming. */
function candlesUpTo(now: number): Candle[] {
  const out: Candle[] = [];
  for (let t = T0 - 10 * MINUTE; t <= now; t += MINUTE) {
    const p = String(100 + (t - T0) / MINUTE);
    out.push({ time: t, open: p, high: p, low: p, close: p, volume: '1' });
  }
  return out;
}

describe('CandlePollingBarFeed', () => {
  it('hands on each bar once, oldest first, only after it has closed; history holds only closed bars', async () => {
    const clock = new SimulatedClock(T0 + 30_000);
    let failNext = false;
    const feed = new CandlePollingBarFeed(
      async (_v, _s, _tf, limit) => {
        if (failNext) {
          failNext = false;
          throw new Error('venue busy');
        }
        return candlesUpTo(clock.now()).slice(-limit);
      },
      clock,
      silentLogger,
    );
    const history = await feed.history('paper', 'X', '1m', 3);
    expect(history.map((b) => b.time)).toEqual([T0 - 3 * MINUTE, T0 - 2 * MINUTE, T0 - MINUTE]);
    const seen: number[] = [];
    const unsubscribe = feed.subscribe('paper', 'X', '1m', (bar) => {
      seen.push(bar.time);
    });
    await clock.advanceAndSettle(20_000); // 12:00:50: the 12:00 bar is still forming
    expect(seen).toEqual([]);
    await clock.advanceAndSettle(15_000); // 12:01:05: it has closed
    expect(seen).toEqual([T0]);
    failNext = true; // a poll that fails loses nothing: the bar comes on a later poll
    await clock.advanceAndSettle(MINUTE);
    await clock.advanceAndSettle(5_000);
    expect(seen).toEqual([T0, T0 + MINUTE]);
    await clock.advanceAndSettle(3 * MINUTE);
    expect(seen).toEqual([T0, T0 + MINUTE, T0 + 2 * MINUTE, T0 + 3 * MINUTE, T0 + 4 * MINUTE]);
    unsubscribe();
    await clock.advanceAndSettle(2 * MINUTE);
    expect(seen).toHaveLength(5);
  });
});
