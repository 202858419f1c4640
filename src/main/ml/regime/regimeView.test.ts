import { describe, expect, it } from 'vitest';
import { syntheticBars } from '../features/syntheticBars';
import { classifyRegimes } from './regimeClassifier';
import { regimeView } from './regimeView';

describe('regimeView', () => {
  it('answers the newest label, how long it has held, what it was read from, and the recent labels', () => {
    const bars = syntheticBars({ count: 600, seed: 3, drift: 0.004, sigma: 0.002 });
    const view = regimeView('paper', 'BTC/USDT:USDT', '1h', bars, 50);
    const labels = classifyRegimes(bars);
    expect(view.label).toBe('trending_up');
    expect(view.label).toBe(labels.at(-1));
    expect(view.time).toBe(bars.at(-1)!.time);
    expect(view.history).toHaveLength(50);
    expect(view.history.map((h) => h.label)).toEqual(labels.slice(-50));
    // `since` is the first bar of the current run of this label.
    const firstOfRun = labels.findIndex((_, i) => labels.slice(i).every((l) => l === view.label));
    expect(firstOfRun).toBeGreaterThan(0);
    expect(view.since).toBe(bars[firstOfRun]!.time);
    expect(view.adx).toBeGreaterThan(0);
    expect(view.efficiency).toBeGreaterThan(0);
  });

  it('has no label (and says so) before the classifier has enough history, and none at all without bars', () => {
    const short = regimeView('paper', 'BTC/USDT:USDT', '1m', syntheticBars({ count: 20, seed: 1 }));
    expect(short).toMatchObject({ label: null, since: null });
    expect(short.history.every((h) => h.label === null)).toBe(true);
    expect(regimeView('paper', 'BTC/USDT:USDT', '1m', [])).toMatchObject({ label: null, time: null, since: null, adx: null, history: [] });
  });
});
