import { describe, expect, it } from 'vitest';
import { MINUTE, SIGNAL_T0 as T0, signal } from '../signals/fixtures/signal';
import { CHART_COLORS } from './chartColors';
import { fmtDateTime } from '../../lib/format';
import { MAX_SIGNAL_MARKERS, SIGNAL_MUTED, describeSignalMarkers, fillMarkers, mergeMarkers, signalMarkers } from './chartMarkers';

const sec = (ms: number) => Math.floor(ms / 1000);

describe('signal markers', () => {
  it('puts a long below its bar and a short above, solid and labelled when acted on, faint and smaller when not', () => {
    const markers = signalMarkers(
      [
        signal('short-acted', { time: T0 + 3 * MINUTE, direction: 'short', confidence: 0.9, acted: true }),
        signal('long-not', { time: T0 + 2 * MINUTE, direction: 'long', acted: false }),
        signal('long-acted', { time: T0 + MINUTE, direction: 'long', confidence: 0.8123, acted: true }),
        signal('short-not', { time: T0, direction: 'short', acted: false }),
      ],
      '1m',
    );
    expect(markers).toEqual([
      { id: 'signal:short-not', time: sec(T0), position: 'aboveBar', shape: 'circle', color: SIGNAL_MUTED.short, size: 0.6 },
      { id: 'signal:long-acted', time: sec(T0 + MINUTE), position: 'belowBar', shape: 'circle', color: CHART_COLORS.up, size: 1, text: 'L 81.2%' },
      { id: 'signal:long-not', time: sec(T0 + 2 * MINUTE), position: 'belowBar', shape: 'circle', color: SIGNAL_MUTED.long, size: 0.6 },
      { id: 'signal:short-acted', time: sec(T0 + 3 * MINUTE), position: 'aboveBar', shape: 'circle', color: CHART_COLORS.down, size: 1, text: 'S 90.0%' },
    ]);
  });

  it('draws no neutral signal and none of another timeframe', () => {
    const markers = signalMarkers([signal('n', { direction: 'neutral', acted: true }), signal('five', { timeframe: '5m' }), signal('one')], '1m');
    expect(markers.map((m) => m.id)).toEqual(['signal:one']);
    expect(signalMarkers([signal('five', { timeframe: '5m' })], '5m')).toHaveLength(1);
  });

  it('draws only the newest signals beyond its limit', () => {
    const newestFirst = Array.from({ length: MAX_SIGNAL_MARKERS + 20 }, (_, i) => signal(`s${i}`, { time: T0 + (MAX_SIGNAL_MARKERS + 20 - i) * MINUTE }));
    const markers = signalMarkers(newestFirst, '1m');
    expect(markers).toHaveLength(MAX_SIGNAL_MARKERS);
    expect(markers.at(-1)!.id).toBe('signal:s0');
    expect(markers.map((m) => m.id)).not.toContain(`signal:s${MAX_SIGNAL_MARKERS}`);
  });
});

describe('signal markers in words', () => {
  it('counts the markers drawn and the acted ones, and names the newest', () => {
    const text = describeSignalMarkers(
      [
        signal('newest', { time: T0 + 3 * MINUTE, direction: 'short', confidence: 0.6, acted: true }),
        signal('neutral', { time: T0 + 2 * MINUTE, direction: 'neutral', acted: false }),
        signal('five', { time: T0 + MINUTE, timeframe: '5m', acted: true }),
        signal('old', { time: T0, acted: false }),
      ],
      '1m',
    );
    expect(text).toBe(`Model signals marked on this 1m chart: 2 (1 acted on). Newest: Short 60.0%, btc-direction v3, bar of ${fmtDateTime(T0 + 3 * MINUTE)}, acted on.`);
  });

  it('says so when nothing is marked, and counts no more than are drawn', () => {
    expect(describeSignalMarkers([signal('n', { direction: 'neutral' })], '1m')).toBe('No model signals marked on this 1m chart.');
    const many = Array.from({ length: MAX_SIGNAL_MARKERS + 5 }, (_, i) => signal(`s${i}`, { time: T0 - i * MINUTE }));
    expect(describeSignalMarkers(many, '1m')).toMatch(new RegExp(`^Model signals marked on this 1m chart: ${MAX_SIGNAL_MARKERS} \\(0 acted on\\)\\. Newest: Long 81\\.2%, btc-direction v3, .*not acted on\\.$`));
  });
});

describe('fill markers', () => {
  it('snaps each fill to the start of its bar: buys below with an up arrow, sells above with a down arrow', () => {
    const markers = fillMarkers(
      [
        { timeMs: T0 + MINUTE + 30_000, side: 'sell', text: 'S 0.01' },
        { timeMs: T0 + 12_000, side: 'buy', text: 'B 0.01' },
      ],
      MINUTE,
    );
    expect(markers).toEqual([
      { time: sec(T0), position: 'belowBar', shape: 'arrowUp', color: CHART_COLORS.up, text: 'B 0.01', size: 1 },
      { time: sec(T0 + MINUTE), position: 'aboveBar', shape: 'arrowDown', color: CHART_COLORS.down, text: 'S 0.01', size: 1 },
    ]);
  });
});

describe('merging markers', () => {
  it('keeps every fill and signal marker, in time order, the fills first at a shared bar', () => {
    const fills = fillMarkers(
      [
        { timeMs: T0 + MINUTE, side: 'buy', text: 'B 1' },
        { timeMs: T0 + 3 * MINUTE, side: 'sell', text: 'S 1' },
      ],
      MINUTE,
    );
    const signals = signalMarkers([signal('b', { time: T0 + 2 * MINUTE }), signal('a', { time: T0 + MINUTE, acted: true })], '1m');
    const merged = mergeMarkers(fills, signals);
    expect(merged).toHaveLength(4);
    expect(merged.map((m) => m.text ?? m.id)).toEqual(['B 1', 'L 81.2%', 'signal:b', 'S 1']);
    for (let i = 1; i < merged.length; i++) expect(merged[i]!.time as number).toBeGreaterThanOrEqual(merged[i - 1]!.time as number);
    expect(mergeMarkers(fills, [])).toEqual(fills);
  });
});
