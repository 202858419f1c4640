import { ATR, BollingerBands, EMA, MACD, RSI, SMA, VWAP } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import type { Bar } from '../../../../shared/domain';
import { FIXTURE_START, fixtureBars, formingStates } from './fixtureBars';
import { defaultParams, type IndicatorConfig, type IndicatorKind } from './indicatorCatalog';
import { IndicatorStream, computeSeries, vwapSession, type IndicatorPoint } from './indicatorMath';

const BARS = fixtureBars(160);

const config = (kind: IndicatorKind, params: Record<string, number | string> = {}): Pick<IndicatorConfig, 'kind' | 'params'> => ({
  kind,
  params: { ...defaultParams(kind), ...params },
});

/** The library fed the closed bars one by one, as a strategy's indicator is. */
function direct<T>(bars: readonly Bar[], add: (bar: Bar) => T): T[] {
  return bars.map(add);
}

function column(points: readonly IndicatorPoint[], key: string): Array<number | null> {
  return points.map((p) => p.values[key] ?? null);
}

function expectClose(actual: ReadonlyArray<number | null>, expected: ReadonlyArray<number | null | undefined>): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i] ?? null;
    if (e === null) expect(a, `bar ${i}`).toBeNull();
    else expect(a, `bar ${i}`).toBeCloseTo(e, 9);
  });
}

describe('chart indicators match trading-signals on fixed candles', () => {
  it('SMA of the chosen source, nothing before the period is full', () => {
    const sma = new SMA(20);
    const points = computeSeries(config('sma', { period: 20, source: 'high' }), BARS);
    expectClose(column(points, 'value'), direct(BARS, (b) => sma.add(b.high)));
    expect(points[18]!.values.value).toBeNull();
    // And by hand: the mean of the first twenty highs.
    expect(points[19]!.values.value).toBeCloseTo(BARS.slice(0, 20).reduce((s, b) => s + b.high, 0) / 20, 9);
  });

  it('EMA, shown from the bar it is stable on, as the strategies read it', () => {
    const ema = new EMA(21);
    const points = computeSeries(config('ema', { period: 21 }), BARS);
    expectClose(
      column(points, 'value'),
      direct(BARS, (b) => {
        ema.add(b.close);
        return ema.isStable ? ema.getResult() : null;
      }),
    );
    expect(points[19]!.values.value).toBeNull();
    expect(points[20]!.values.value).not.toBeNull();
  });

  it('Bollinger Bands: upper, basis and lower', () => {
    const bb = new BollingerBands(20, 2.5);
    const expected = direct(BARS, (b) => bb.add(b.close));
    const points = computeSeries(config('bollinger', { period: 20, deviations: 2.5 }), BARS);
    expectClose(column(points, 'upper'), expected.map((r) => r?.upper));
    expectClose(column(points, 'middle'), expected.map((r) => r?.middle));
    expectClose(column(points, 'lower'), expected.map((r) => r?.lower));
  });

  it('RSI, MACD and ATR', () => {
    const rsi = new RSI(14);
    expectClose(column(computeSeries(config('rsi', { period: 14 }), BARS), 'value'), direct(BARS, (b) => rsi.add(b.close)));
    const macd = new MACD(new EMA(8), new EMA(21), new EMA(5));
    const expected = direct(BARS, (b) => macd.add(b.close));
    const points = computeSeries(config('macd', { fast: 8, slow: 21, signal: 5 }), BARS);
    expectClose(column(points, 'macd'), expected.map((r) => r?.macd));
    expectClose(column(points, 'signal'), expected.map((r) => r?.signal));
    expectClose(column(points, 'histogram'), expected.map((r) => r?.histogram));
    const atr = new ATR(10);
    expectClose(column(computeSeries(config('atr', { period: 10 }), BARS), 'value'), direct(BARS, (b) => atr.add(b)));
  });

  it('VWAP starts again with each UTC day (or week), skipping bars without volume', () => {
    for (const anchor of ['day', 'week', 'none'] as const) {
      let vwap = new VWAP();
      let session: number | null = null;
      const expected = direct(BARS, (b) => {
        const s = vwapSession(b.time, anchor);
        if (s !== session) {
          vwap = new VWAP();
          session = s;
        }
        if (b.volume > 0) vwap.add(b);
        return vwap.getResult();
      });
      expectClose(column(computeSeries(config('vwap', { anchor }), BARS), 'value'), expected);
    }
    // The first bar of a day is its own VWAP: its typical price.
    const points = computeSeries(config('vwap', { anchor: 'day' }), BARS);
    const midnight = BARS.findIndex((b) => b.time === Date.UTC(2026, 0, 7));
    expect(BARS[midnight]!.volume).toBeGreaterThan(0);
    const first = BARS[midnight]!;
    expect(points[midnight]!.values.value).toBeCloseTo((first.high + first.low + first.close) / 3, 9);
  });

  it('puts UTC days and Monday-started weeks where they belong', () => {
    expect(vwapSession(Date.UTC(2026, 0, 5, 23, 59), 'day')).not.toBe(vwapSession(Date.UTC(2026, 0, 6, 0, 0), 'day'));
    // Sunday night and Monday morning are different weeks; Monday and Sunday of one week are the same.
    expect(vwapSession(Date.UTC(2026, 0, 4, 23, 0), 'week')).not.toBe(vwapSession(Date.UTC(2026, 0, 5, 1, 0), 'week'));
    expect(vwapSession(Date.UTC(2026, 0, 5, 1, 0), 'week')).toBe(vwapSession(Date.UTC(2026, 0, 11, 23, 0), 'week'));
    expect(vwapSession(FIXTURE_START, 'none')).toBe(vwapSession(FIXTURE_START + 1e10, 'none'));
  });
});

describe('incremental updates', () => {
  const kinds: Array<[IndicatorKind, Record<string, number | string>]> = [
    ['sma', { period: 9 }],
    ['ema', { period: 9 }],
    ['bollinger', { period: 12, deviations: 2 }],
    ['vwap', { anchor: 'day' }],
    ['rsi', { period: 7 }],
    ['macd', { fast: 5, slow: 13, signal: 4 }],
    ['atr', { period: 7 }],
  ];

  it.each(kinds)('%s: a forming bar replaced tick by tick ends where the closed bars alone end', (kind, params) => {
    const c = config(kind, params);
    const stream = new IndicatorStream(c);
    const last = new Map<number, IndicatorPoint>();
    for (const bar of BARS) for (const state of formingStates(bar)) last.set(bar.time, stream.update(state)!);
    const expected = computeSeries(c, BARS);
    const live = [...last.values()];
    for (const key of Object.keys(expected[0]!.values)) {
      const want = column(expected, key);
      const got = column(live, key);
      got.forEach((g, i) => {
        const w = want[i]!;
        if (w === null) expect(g, `${key} bar ${i}`).toBeNull();
        else expect(Math.abs(g! - w), `${key} bar ${i}`).toBeLessThan(1e-9 * Math.max(1, Math.abs(w)));
      });
    }
  });

  it('ignores a bar older than the last one', () => {
    const stream = new IndicatorStream(config('sma', { period: 2 }));
    stream.update(BARS[0]!);
    stream.update(BARS[1]!);
    expect(stream.update(BARS[0]!)).toBeNull();
    expect(stream.update(BARS[2]!)!.values.value).toBeCloseTo((BARS[1]!.close + BARS[2]!.close) / 2, 12);
  });

  it('refuses the volume profile, which is not a value per bar', () => {
    expect(() => new IndicatorStream(config('volumeProfile'))).toThrow(RangeError);
  });
});
