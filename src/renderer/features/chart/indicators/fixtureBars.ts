/** Fixed candles for the indicator tests: a wave with a drift, every bar different, nothing random. */
import type { Bar } from '../../../../shared/domain';

export const FIXTURE_START = Date.UTC(2026, 0, 5, 20, 0); // a Monday evening, so day and week sessions both turn inside the data

export function fixtureBars(count: number, stepMs = 15 * 60_000): Bar[] {
  const bars: Bar[] = [];
  let prevClose = 100;
  for (let i = 0; i < count; i++) {
    const close = 100 + 10 * Math.sin(i / 7) + 3 * Math.cos(i / 3) + i * 0.05;
    const open = prevClose;
    const high = Math.max(open, close) + 0.4 + (i % 3) * 0.3;
    const low = Math.min(open, close) - 0.3 - (i % 4) * 0.25;
    bars.push({ time: FIXTURE_START + i * stepMs, open, high, low, close, volume: i % 11 === 5 ? 0 : 10 + (i % 5) * 3 });
    prevClose = close;
  }
  return bars;
}

/** The states a bar goes through while it forms, ending with the bar itself: what a live chart is fed. */
export function formingStates(bar: Bar): Bar[] {
  const states: Bar[] = [];
  for (const f of [0.25, 0.6, 0.9]) {
    const close = bar.open + (bar.close - bar.open) * f;
    states.push({
      time: bar.time,
      open: bar.open,
      high: Math.max(bar.open, close, bar.open + (bar.high - bar.open) * f),
      low: Math.min(bar.open, close, bar.open - (bar.open - bar.low) * f),
      close,
      volume: bar.volume * f,
    });
  }
  states.push(bar);
  return states;
}
