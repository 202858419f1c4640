import type { IChartApi, LogicalRange } from 'lightweight-charts';
import { describe, expect, it } from 'vitest';
import { WholeRunFit } from './backtestChart';

/** A time scale that shows `points` points across `width` pixels once fitted, and remembers the range it was given. */
function fakeChart(points: number, width: number) {
  let range: LogicalRange | null = null;
  const resize: Array<(width: number) => void> = [];
  const scale = {
    fitContent: () => {
      range = { from: 0, to: points - 1 } as LogicalRange;
    },
    getVisibleLogicalRange: () => range,
    setVisibleLogicalRange: (next: { from: number; to: number }) => {
      range = next as LogicalRange;
    },
    width: () => width,
    subscribeSizeChange: (fn: (width: number) => void) => resize.push(fn),
    unsubscribeSizeChange: () => undefined,
  };
  const chart = { timeScale: () => scale } as unknown as IChartApi;
  return { chart, range: () => range, resize: (w: number) => resize.forEach((fn) => fn(w)) };
}

/** Only its events are used: an EventTarget stands in for the chart's element. */
const pane = (): HTMLElement => new EventTarget() as unknown as HTMLElement;

describe('WholeRunFit', () => {
  it('shows the whole run, edge to edge, by default', () => {
    const fake = fakeChart(31, 220);
    new WholeRunFit(fake.chart, pane()).fit();
    expect(fake.range()).toEqual({ from: 0, to: 30 });
  });

  it('keeps the padding it was given left of the first point, at the spacing the padding leaves', () => {
    const fake = fakeChart(31, 220);
    new WholeRunFit(fake.chart, pane(), { leftPx: 32 }).fit();
    const { from, to } = fake.range()!;
    expect(to).toBe(30);
    // The first point sits 32 px in: (0 - from) points at 220 / (to - from) px each.
    expect(((0 - from) * 220) / (to - from)).toBeCloseTo(32, 9);
  });

  it('keeps padding on both sides at once', () => {
    const fake = fakeChart(31, 220);
    new WholeRunFit(fake.chart, pane(), { leftPx: 32, rightPx: 24 }).fit();
    const { from, to } = fake.range()!;
    const pxPerPoint = 220 / (to - from);
    expect((0 - from) * pxPerPoint).toBeCloseTo(32, 9);
    expect((to - 30) * pxPerPoint).toBeCloseTo(24, 9);
  });

  it('fits again, padding included, when the pane is resized, until the trader zooms', () => {
    const fake = fakeChart(31, 220);
    const container = pane();
    new WholeRunFit(fake.chart, container, { leftPx: 32 }).fit();
    fake.resize(400);
    expect(fake.range()!.from).toBeLessThan(0);
    container.dispatchEvent(new Event('wheel'));
    fake.chart.timeScale().setVisibleLogicalRange({ from: 10, to: 20 });
    fake.resize(300);
    expect(fake.range()).toEqual({ from: 10, to: 20 });
  });
});
