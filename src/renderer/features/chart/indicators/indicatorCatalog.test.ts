import { describe, expect, it } from 'vitest';
import {
  INDICATORS,
  INDICATOR_KINDS,
  MAX_INDICATORS,
  defaultParams,
  indicatorTitle,
  newIndicator,
  paramsProblems,
  parseIndicators,
  searchIndicators,
} from './indicatorCatalog';

describe('indicator catalog', () => {
  it('offers every indicator the chart promises, overlays and panes', () => {
    expect(INDICATOR_KINDS).toEqual(['sma', 'ema', 'bollinger', 'vwap', 'volumeProfile', 'rsi', 'macd', 'atr']);
    const panes = INDICATOR_KINDS.filter((k) => INDICATORS[k].placement === 'pane');
    expect(panes).toEqual(['rsi', 'macd', 'atr']);
    for (const k of INDICATOR_KINDS) expect(paramsProblems(k, defaultParams(k))).toEqual([]);
  });

  it('finds indicators by name, kind or keyword, every word counting', () => {
    expect(searchIndicators('').map((d) => d.kind)).toEqual([...INDICATOR_KINDS]);
    expect(searchIndicators('moving').map((d) => d.kind)).toEqual(['sma', 'ema', 'macd']);
    expect(searchIndicators('BB').map((d) => d.kind)).toEqual(['bollinger']);
    expect(searchIndicators('volume').map((d) => d.kind)).toEqual(['vwap', 'volumeProfile']);
    expect(searchIndicators('momentum oscillator').map((d) => d.kind)).toEqual(['rsi', 'macd']);
    expect(searchIndicators('ichimoku')).toEqual([]);
  });

  it('says what is wrong with parameters, one by one and together', () => {
    expect(paramsProblems('sma', { period: 0, source: 'close' })).toEqual(['Period must be from 1 to 1000']);
    expect(paramsProblems('sma', { period: 2.5, source: 'close' })).toEqual(['Period must be a whole number']);
    expect(paramsProblems('sma', { period: 10, source: 'volume' })).toEqual(['Source must be one of Close, Open, High, Low']);
    expect(paramsProblems('bollinger', { period: 20, deviations: Number.NaN })).toEqual(['Std. deviations must be a number']);
    expect(paramsProblems('macd', { fast: 26, slow: 12, signal: 9 })).toEqual(['Fast must be shorter than Slow']);
  });

  it('titles an instance by its parameters', () => {
    expect(indicatorTitle({ kind: 'ema', params: defaultParams('ema') })).toBe('EMA 21');
    expect(indicatorTitle({ kind: 'sma', params: { period: 50, source: 'high' } })).toBe('SMA 50 high');
    expect(indicatorTitle({ kind: 'macd', params: defaultParams('macd') })).toBe('MACD 12 26 9');
    expect(indicatorTitle({ kind: 'vwap', params: { anchor: 'none' } })).toBe('VWAP');
  });

  it('reads saved configs back, dropping what it cannot draw and filling parameters added since', () => {
    const saved = [
      { id: 'a', kind: 'ema', params: { period: 50, source: 'close' }, color: '#112233' },
      { id: 'b', kind: 'rsi', params: {} },
      { id: 'a', kind: 'sma', params: { period: 5 } },
      { id: 'c', kind: 'ichimoku', params: {} },
      { id: 'd', kind: 'sma', params: { period: -3 } },
      { id: 'e', kind: 'bollinger', params: { period: 20, deviations: 2 }, color: 'red' },
      'junk',
      null,
    ];
    const configs = parseIndicators(saved);
    expect(configs.map((c) => c.id)).toEqual(['a', 'b', 'e']);
    expect(configs[0]).toEqual({ id: 'a', kind: 'ema', params: { period: 50, source: 'close' }, color: '#112233' });
    expect(configs[1]!.params).toEqual({ period: 14, source: 'close' });
    expect(configs[2]!.color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(parseIndicators({ not: 'a list' })).toEqual([]);
    const many = Array.from({ length: MAX_INDICATORS + 5 }, (_, i) => ({ id: `x${i}`, kind: 'sma', params: { period: 5 } }));
    expect(parseIndicators(many)).toHaveLength(MAX_INDICATORS);
  });

  it('gives a new instance a fresh id and a colour not yet used', () => {
    const first = newIndicator('ema', []);
    const second = newIndicator('ema', [first]);
    expect(second.id).not.toBe(first.id);
    expect(second.color).not.toBe(first.color);
    expect(second.params).toEqual(defaultParams('ema'));
  });
});
