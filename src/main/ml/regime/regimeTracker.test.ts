import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../shared/domain';
import { syntheticBars } from '../features/syntheticBars';
import { RegimeTracker, type RegimeQuestion } from './regimeTracker';
import { REGIME_HISTORY_BARS, regimeView } from './regimeView';

const HOUR = 3_600_000;

/**
 * A venue's hourly history as it grows: after `closed` bars have closed, a
 * read gives the newest `limit` of them and the bar still forming, as
 * `engine.candles` does. It counts the bars each read handed over.
 */
function growingHistory(all: readonly Bar[]) {
  const venue = {
    closed: 0,
    reads: [] as number[],
    question: (historyLength = 200): RegimeQuestion => ({
      venue: 'paper',
      symbol: 'BTC/USDT:USDT',
      timeframe: '1h',
      // The clock is inside the forming bar: the bars before it have closed.
      closedBefore: all[0]!.time + (venue.closed - 1) * HOUR + HOUR / 2,
      historyLength,
    }),
    read: async (limit: number): Promise<Bar[]> => {
      const upTo = Math.min(all.length, venue.closed + 1);
      const bars = all.slice(Math.max(0, upTo - limit), upTo);
      venue.reads.push(bars.length);
      return bars;
    },
    /** What `regime.current` answered when it classified the whole read each time. */
    afresh: (historyLength = 200) => regimeView('paper', 'BTC/USDT:USDT', '1h', all.slice(Math.max(0, venue.closed - (REGIME_HISTORY_BARS - 1)), venue.closed), historyLength),
  };
  return venue;
}

const noYield = () => Promise.resolve();

describe('RegimeTracker', () => {
  it('answers as a fresh read of the whole history would, bar after bar, reading only the bars closed since', async () => {
    const all = syntheticBars({ count: 2_400, seed: 5, sigma: (i) => (i % 700 < 350 ? 0.004 : 0.012), drift: 0.0005 });
    const venue = growingHistory(all);
    const tracker = new RegimeTracker({ yieldTurn: noYield });
    const labelled = new Set<string>();
    for (venue.closed = 30; venue.closed <= all.length - 1; venue.closed += venue.closed < 2_000 ? 7 : 1) {
      const answer = await tracker.current(venue.question(), venue.read);
      const afresh = venue.afresh();
      expect(answer.label).toBe(afresh.label);
      expect(answer.time).toBe(afresh.time);
      expect(answer.since).toBe(afresh.since);
      expect(answer.history).toEqual(afresh.history);
      expect(answer.efficiency).toBe(afresh.efficiency);
      expect(answer.volatilityPercentile).toBe(afresh.volatilityPercentile);
      // ADX's smoothing still carries bars older than the fresh read, at a weight of (13/14)^1500 at most.
      if (afresh.adx === null) expect(answer.adx).toBeNull();
      else expect(answer.adx).toBeCloseTo(afresh.adx, 9);
      if (afresh.label !== null) labelled.add(afresh.label);
    }
    // The series went through more than one regime, and the history was read once whole.
    expect(labelled.size).toBeGreaterThan(1);
    expect(tracker.rebuilds).toBe(1);
    expect(venue.reads[0]).toBe(31);
    // Each later read: the new bars, the last one fed, and the one forming.
    expect(Math.max(...venue.reads.slice(1))).toBe(7 + 2);
  });

  it('starts over when the bar it last fed comes back revised, and when the gap since outgrows one read', async () => {
    const all = syntheticBars({ count: 4_000, seed: 8 });
    const venue = growingHistory(all);
    const tracker = new RegimeTracker({ yieldTurn: noYield });
    venue.closed = 600;
    await tracker.current(venue.question(), venue.read);
    // The venue refilled its history: the bar last fed now reads differently.
    const revised = all.slice();
    revised[599] = { ...revised[599]!, close: revised[599]!.close * 1.01, high: revised[599]!.high * 1.01 };
    const revisedVenue = growingHistory(revised);
    revisedVenue.closed = 610;
    const answer = await tracker.current(revisedVenue.question(), revisedVenue.read);
    expect(tracker.rebuilds).toBe(2);
    expect(answer).toEqual(revisedVenue.afresh());

    // Closed bars since the last answer: more than one read holds.
    revisedVenue.closed = 610 + REGIME_HISTORY_BARS + 10;
    const later = await tracker.current(revisedVenue.question(), revisedVenue.read);
    expect(tracker.rebuilds).toBe(3);
    expect(later).toEqual(revisedVenue.afresh());
  });

  it('answers the label alone for a history of 0, and the newest labels for a longer one', async () => {
    const all = syntheticBars({ count: 800, seed: 2 });
    const venue = growingHistory(all);
    venue.closed = 700;
    const tracker = new RegimeTracker({ yieldTurn: noYield });
    const alone = await tracker.current(venue.question(0), venue.read);
    expect(alone.history).toEqual([]);
    expect(alone.label).toBe(venue.afresh().label);
    const band = await tracker.current(venue.question(500), venue.read);
    expect(band.history).toHaveLength(500);
    expect(band.history).toEqual(venue.afresh(500).history);
  });

  it('feeds one instrument one question at a time, however many arrive together', async () => {
    const all = syntheticBars({ count: 900, seed: 4 });
    const venue = growingHistory(all);
    const tracker = new RegimeTracker({ yieldTurn: noYield });
    venue.closed = 500;
    await tracker.current(venue.question(), venue.read);
    venue.closed = 520;
    const answers = await Promise.all([1, 2, 3].map(() => tracker.current(venue.question(), venue.read)));
    for (const answer of answers) expect(answer).toEqual(venue.afresh());
    expect(tracker.rebuilds).toBe(1);
  });

  it('yields to the event loop before each full read, so a round of them runs in turns', async () => {
    let turns = 0;
    const tracker = new RegimeTracker({
      yieldTurn: () => {
        turns += 1;
        return Promise.resolve();
      },
    });
    const all = syntheticBars({ count: 300, seed: 6 });
    const venue = growingHistory(all);
    venue.closed = 200;
    await tracker.current(venue.question(), venue.read);
    await tracker.current({ ...venue.question(), symbol: 'ETH/USDT:USDT' }, venue.read);
    venue.closed = 201;
    await tracker.current(venue.question(), venue.read);
    expect(turns).toBe(2);
  });

  it('gives each full read a turn of its own when a round asks for many instruments at once', async () => {
    const waiting: Array<() => void> = [];
    const tracker = new RegimeTracker({ yieldTurn: () => new Promise<void>((resolve) => waiting.push(resolve)) });
    const all = syntheticBars({ count: 300, seed: 9 });
    const venue = growingHistory(all);
    venue.closed = 250;
    const settle = async () => {
      for (let i = 0; i < 20; i++) await Promise.resolve();
    };
    const round = Promise.all(['A', 'B', 'C'].map((symbol) => tracker.current({ ...venue.question(0), symbol }, venue.read)));
    await settle();
    // One turn asked for, nothing read yet; each turn given lets exactly one instrument read and classify.
    expect(waiting).toHaveLength(1);
    expect(venue.reads).toHaveLength(0);
    for (let turn = 1; turn <= 3; turn++) {
      waiting.shift()!();
      await settle();
      expect(venue.reads).toHaveLength(turn);
      expect(tracker.rebuilds).toBe(turn);
      expect(waiting).toHaveLength(turn < 3 ? 1 : 0);
    }
    expect((await round).map((a) => a.label)).toEqual(Array(3).fill(venue.afresh().label));
  });

  it('drops the instrument asked about least recently past its limit, and recovers from a failed read', async () => {
    const all = syntheticBars({ count: 300, seed: 7 });
    const venue = growingHistory(all);
    venue.closed = 250;
    const tracker = new RegimeTracker({ yieldTurn: noYield, maxTracked: 2 });
    const ask = (symbol: string) => tracker.current({ ...venue.question(), symbol }, venue.read);
    await ask('A');
    await ask('B');
    await ask('A');
    await ask('C'); // B was asked about least recently: dropped
    expect(tracker.rebuilds).toBe(3);
    await ask('A');
    expect(tracker.rebuilds).toBe(3);
    await ask('B');
    expect(tracker.rebuilds).toBe(4);

    const failing = tracker.current({ ...venue.question(), symbol: 'B' }, () => Promise.reject(new Error('venue unavailable')));
    await expect(failing).rejects.toThrow('venue unavailable');
    expect(await ask('B')).toEqual({ ...venue.afresh(), symbol: 'B' });
  });
});
