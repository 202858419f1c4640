import { describe, expect, it } from 'vitest';
import { optimizeParams, runBacktestParams, type StrategyParamSpec } from '../../../shared/contract';
import {
  DEFAULT_SETTINGS,
  buildData,
  buildSearch,
  checkMaxTrials,
  checkSettings,
  checkWindow,
  datasetNameFromFile,
  defaultRange,
  defaultRanges,
  describeData,
  fixedParams,
  fmtPeriod,
  parseLocalDateTime,
  rangeValues,
  settingsText,
  toLocalDateTimeText,
} from './backtestForm';

function spec(patch: Partial<StrategyParamSpec> & Pick<StrategyParamSpec, 'name' | 'type' | 'default'>): StrategyParamSpec {
  return { label: patch.name, min: null, max: null, step: null, options: null, description: '', ...patch };
}

const fast = spec({ name: 'fast', type: 'int', default: 10, min: 2, max: 100, step: 1 });
const slow = spec({ name: 'slow', type: 'int', default: 30, min: 5, max: 400, step: 1 });
const k = spec({ name: 'k', type: 'float', default: 2, min: 0.5, max: 5, step: 0.1 });
const longOnly = spec({ name: 'longOnly', type: 'bool', default: false });
const source = spec({ name: 'source', type: 'enum', default: 'close', options: ['close', 'hl2'] });
const specs = [fast, slow, k, longOnly, source];

describe('settings', () => {
  it('starts from the contract defaults, commission and spread shown in percent', () => {
    const t = settingsText();
    expect(t).toEqual({
      cash: '10000',
      commissionPct: '0',
      spreadPct: '0',
      margin: '1',
      tradeOnClose: false,
      exclusiveOrders: false,
      finalizeTrades: false,
      fractionalUnit: '1',
      fillModel: 'bar',
      slippageTicks: '0',
    });
    const r = checkSettings(t);
    expect(r.ok).toBe(true);
    if (r.ok) expect({ ...DEFAULT_SETTINGS, ...r.settings }).toEqual(DEFAULT_SETTINGS);
  });

  it('turns percent into the contract rates exactly', () => {
    const r = checkSettings({ ...settingsText(), commissionPct: '0.07', spreadPct: '0.2', cash: '1,000,000' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.settings.commission).toBe(0.0007);
    expect(r.settings.spread).toBe(0.002);
    expect(r.settings.cash).toBe(1_000_000);
    expect(checkSettings(settingsText({ ...DEFAULT_SETTINGS, commission: 0.0007 }))).toEqual(r.ok ? { ok: true, settings: { ...r.settings, spread: 0, cash: 10_000 } } : r);
  });

  it('names the field the contract refuses, in the trader units', () => {
    const r = checkSettings({ ...settingsText(), commissionPct: '20', margin: '0', cash: 'lots' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.cash).toBe('Cash must be a number');
    const r2 = checkSettings({ ...settingsText(), commissionPct: '20', margin: '0' });
    expect(r2.ok).toBe(false);
    if (r2.ok) return;
    expect(r2.errors.commissionPct).toBe('Commission must be at most 10 %');
    expect(r2.errors.margin).toBe('Margin must be more than 0');
  });

  it('reads slippage only with the intrabar fill model, and then as whole ticks', () => {
    expect(checkSettings({ ...settingsText(), slippageTicks: 'x' }).ok).toBe(true);
    const r = checkSettings({ ...settingsText(), fillModel: 'intrabar', slippageTicks: '1.5' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.slippageTicks).toMatch(/whole number/);
    const ok = checkSettings({ ...settingsText(), fillModel: 'intrabar', slippageTicks: '2' });
    expect(ok.ok && ok.settings.slippageTicks).toBe(2);
  });
});

describe('time window', () => {
  it('reads datetime-local text in local time and writes it back', () => {
    const ms = parseLocalDateTime('2024-03-05T14:30');
    expect(ms).toBe(new Date(2024, 2, 5, 14, 30).getTime());
    expect(toLocalDateTimeText(ms!)).toBe('2024-03-05T14:30');
    expect(parseLocalDateTime('2024-03-05')).toBe(new Date(2024, 2, 5).getTime());
    expect(parseLocalDateTime('2024-02-31T00:00')).toBeNull();
    expect(parseLocalDateTime('yesterday')).toBeNull();
  });

  it('needs To after From, and both optional', () => {
    expect(checkWindow('', '')).toEqual({ ok: true, window: {} });
    expect(checkWindow('2024-01-02T00:00', '2024-01-01T00:00')).toEqual({ ok: false, errors: { to: 'To must be after From' } });
    expect(checkWindow('nope', '')).toEqual({ ok: false, errors: { from: 'From must be a date and time' } });
  });
});

describe('buildData', () => {
  it('puts a dataset window into the settings and a venue window into the data', () => {
    expect(buildData({ kind: 'dataset', dataset: 'ds1' }, { from: 5 })).toEqual({ ok: true, data: { dataset: 'ds1' }, settingsWindow: { from: 5 } });
    expect(buildData({ kind: 'venue', venue: 'paper', symbol: 'BTC/USDT:USDT', timeframe: '1h' }, { from: 5, to: 9 })).toEqual({
      ok: true,
      data: { venue: 'paper', symbol: 'BTC/USDT:USDT', timeframe: '1h', from: 5, to: 9 },
      settingsWindow: {},
    });
    expect(buildData({ kind: 'dataset', dataset: '' }, {}).ok).toBe(false);
  });

  it('builds run params the contract accepts', () => {
    const d = buildData({ kind: 'dataset', dataset: 'ds1' }, {});
    const s = checkSettings(settingsText());
    if (!d.ok || !s.ok) throw new Error('setup');
    expect(runBacktestParams.safeParse({ strategy: { type: 'sma-cross', params: { fast: 10 } }, data: d.data, settings: s.settings }).success).toBe(true);
  });
});

describe('optimization ranges', () => {
  it('starts around the default, inside the declared bounds', () => {
    expect(defaultRange(fast)).toEqual({ search: false, min: '5', max: '20', step: '1', values: [] });
    expect(defaultRange(k)).toEqual({ search: false, min: '1', max: '4', step: '0.2', values: [] }); // the declared 0.1 would be 31 values
    expect(defaultRange(spec({ name: 'x', type: 'int', default: 100, min: 1, max: 150 }))).toMatchObject({ min: '50', max: '150', step: '10' });
    expect(defaultRange(longOnly).values).toEqual(['true', 'false']);
    expect(defaultRange(source).values).toEqual(['close', 'hl2']);
  });

  it('enumerates a range in decimals, without float drift', () => {
    expect(rangeValues({ min: 0.1, max: 0.5, step: 0.1 })).toEqual([0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(rangeValues({ min: 5, max: 20, step: 5 })).toEqual([5, 10, 15, 20]);
    expect(rangeValues({ min: 1, max: 10, step: 4 })).toEqual([1, 5, 9]);
    expect(rangeValues({ min: 0, max: 1, step: 0.0001 })).toBeNull();
  });

  it('builds a grid of every value of the searched parameters, and counts the combinations', () => {
    const ranges = defaultRanges(specs);
    ranges.fast = { ...ranges.fast!, search: true, min: '5', max: '15', step: '5' };
    ranges.longOnly = { ...ranges.longOnly!, search: true };
    const r = buildSearch(specs, ranges, 'grid');
    expect(r).toEqual({ ok: true, grid: { fast: [5, 10, 15], longOnly: [true, false] }, combinations: 6, searched: ['fast', 'longOnly'] });
    const fixed = fixedParams({ fast: 10, slow: 30, k: 2, longOnly: false, source: 'close' }, ranges);
    expect(fixed).toEqual({ slow: 30, k: 2, source: 'close' });
    if (!r.ok) return;
    const params = optimizeParams.safeParse({
      strategy: { type: 'sma-cross', params: fixed, grid: r.grid },
      data: { dataset: 'ds1' },
      method: 'grid',
      objective: 'sharpe',
    });
    expect(params.success).toBe(true);
  });

  it('builds ranges to sample for random and TPE searches', () => {
    const ranges = defaultRanges(specs);
    ranges.k = { ...ranges.k!, search: true, min: '1', max: '3', step: '0.5' };
    ranges.source = { ...ranges.source!, search: true, values: ['hl2'] };
    const r = buildSearch(specs, ranges, 'tpe');
    expect(r).toEqual({ ok: true, space: { k: { min: 1, max: 3, step: 0.5 }, source: { values: ['hl2'] } }, combinations: 5, searched: ['k', 'source'] });
  });

  it('refuses a search of nothing, and names the parameter of a bad range', () => {
    expect(buildSearch(specs, defaultRanges(specs), 'grid')).toEqual({ ok: false, errors: { _: 'Tick at least one parameter to search' } });
    const ranges = defaultRanges(specs);
    ranges.fast = { ...ranges.fast!, search: true, min: '20', max: '10' };
    ranges.slow = { ...ranges.slow!, search: true, min: '1', max: '10', step: '1' };
    ranges.k = { ...ranges.k!, search: true, min: '0.5', max: '5', step: '0.001' };
    ranges.source = { ...ranges.source!, search: true, values: [] };
    const r = buildSearch(specs, ranges, 'grid');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.fast).toMatch(/“to” must not be below “from”/);
    expect(r.errors.slow).toBe('slow: from must be at least 5');
    expect(r.errors.k).toMatch(/more than 1000 values/);
    expect(r.errors.source).toMatch(/at least one value/);
  });

  it('needs whole numbers for an int parameter', () => {
    const ranges = defaultRanges(specs);
    ranges.fast = { ...ranges.fast!, search: true, min: '5', max: '10', step: '0.5' };
    const r = buildSearch(specs, ranges, 'random');
    expect(r.ok).toBe(false);
  });

  it('checks max trials', () => {
    expect(checkMaxTrials('', false)).toEqual({ ok: true, value: undefined });
    expect(checkMaxTrials('', true).ok).toBe(false);
    expect(checkMaxTrials('1,000', true)).toEqual({ ok: true, value: 1000 });
    expect(checkMaxTrials('100001', false).ok).toBe(false);
    expect(checkMaxTrials('0', false).ok).toBe(false);
  });
});

describe('datasets', () => {
  it('names a dataset after its file', () => {
    expect(datasetNameFromFile('C:\\data\\BTCUSD_1h.csv')).toBe('BTCUSD_1h');
    expect(datasetNameFromFile('eurusd.TXT')).toBe('eurusd');
    expect(datasetNameFromFile('x'.repeat(100) + '.csv')).toHaveLength(80);
  });

  it('says a bar period in the largest whole unit', () => {
    expect(fmtPeriod(86_400_000)).toBe('1 day');
    expect(fmtPeriod(4 * 3_600_000)).toBe('4 hours');
    expect(fmtPeriod(60_000)).toBe('1 minute');
    expect(fmtPeriod(7 * 86_400_000)).toBe('1 week');
    expect(fmtPeriod(31 * 86_400_000)).toBe('1 month');
    expect(fmtPeriod(90 * 60_000)).toBe('90 minutes');
  });
});

describe('describeData', () => {
  it('names a dataset by its name, a venue history by venue, symbol and timeframe', () => {
    expect(describeData({ dataset: 'd1' }, [{ id: 'd1', name: 'GOOG daily' }])).toBe('GOOG daily (dataset)');
    expect(describeData({ dataset: 'd2' }, [])).toBe('dataset d2');
    expect(describeData({ venue: 'paper', symbol: 'BTC/USDT:USDT', timeframe: '1h' }, [])).toBe('paper · BTC/USDT:USDT · 1h');
  });
});
