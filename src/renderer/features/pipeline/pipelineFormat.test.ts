import { describe, expect, it } from 'vitest';
import type { GateCriterion, PipelineCard } from '../../../shared/contract';
import { criterionLine, DEFAULT_DISCOVER_FORM, discoverySpec, figuresLine, formatValue, promoteBlocker } from './pipelineFormat';

const criterion = (key: string, value: GateCriterion['value'], passed: boolean, requirement = '≥ 100'): GateCriterion => ({ key, label: key, value, requirement, passed });
const figures = { from: 0, to: 1, trades: 120, returnPct: 12, sharpeRatio: 1.5, maxDrawdownPct: 9, profitFactor: 1.6 };
const card = (column: PipelineCard['column'], criteria: GateCriterion[]): PipelineCard => ({
  id: 'c',
  name: 'SMA cross',
  column,
  type: 'sma-cross',
  params: { fast: 10, slow: 30 },
  model: null,
  symbol: 'BTC/USDT',
  timeframe: '1h',
  dataLabel: 'paper BTC/USDT 1h',
  instanceId: null,
  venue: null,
  sizeFactor: null,
  evidence: {
    backtest: { searchId: null, backtestId: null, inSample: figures, outOfSample: figures, folds: [figures], trials: 20, deflatedSharpe: 0.97, worstFoldDrawdownPct: 9, worstDrawdownPct: 11 },
    checks: { lookahead: { status: 'passed', detail: '' }, warmup: { status: 'passed', detail: '' } },
    run: null,
    updatedAt: 0,
  },
  discoveryId: null,
  createdAt: 0,
  updatedAt: 0,
  nextGate: column === 'live' ? null : { column: column === 'discovery' ? 'paper' : 'live', passed: criteria.every((c) => c.passed), criteria },
  degradation: null,
});

describe('the board text', () => {
  it('formats values: counts whole, ratios to four places, unknowns and checks in words', () => {
    expect([formatValue(120), formatValue(0.9712), formatValue(14.25), formatValue(null), formatValue(true), formatValue(false)]).toEqual(['120', '0.9712', '14.25', 'unknown', 'passed', 'failed']);
    expect(criterionLine(criterion('Paper days', 3.5, false, '≥ 14'))).toBe('Paper days: 3.50 (needs ≥ 14)');
  });

  it('says why a promotion is disabled: the failing criteria of the next gate, or the last column', () => {
    expect(promoteBlocker(card('discovery', [criterion('Trades', 150, true)]))).toBeNull();
    expect(promoteBlocker(card('paper', [criterion('Paper days', 3, false, '≥ 14'), criterion('Trades', 40, true), criterion('Tracking error', null, false, '< 0.05')]))).toBe(
      'Live gate: Paper days: 3 (needs ≥ 14); Tracking error: unknown (needs < 0.05)',
    );
    expect(promoteBlocker(card('live', []))).toBe('Already Live, the last column');
  });

  it('puts a stretch of a backtest on one line', () => {
    expect(figuresLine({ from: 0, to: 1, trades: 120, returnPct: 12, sharpeRatio: 1.5, maxDrawdownPct: 9, profitFactor: 1.6 })).toBe('120 trades · +12.0 % · DD 9.0 % · Sharpe 1.50');
    expect(figuresLine(null)).toBe('—');
  });
});

describe('the discover form', () => {
  const filled = { ...DEFAULT_DISCOVER_FORM, source: 'dataset:ds-1', symbol: 'BTC/USDT', timeframe: '1d', maxTrials: '8', folds: '2', candidates: '1' };

  it('becomes a spec on a dataset or on a venue history', () => {
    expect(discoverySpec(filled)).toEqual({
      spec: { families: [{ type: 'sma-cross' }], markets: [{ dataset: 'ds-1', symbol: 'BTC/USDT', timeframe: '1d' }], maxTrials: 8, folds: 2, candidates: 1 },
    });
    const venue = discoverySpec({ ...filled, source: 'venue:paper', family: 'ml-scored', model: 'btc-dir', everyHours: '24' });
    expect(venue).toEqual({
      spec: { families: [{ type: 'ml-scored', params: { model: 'btc-dir' } }], markets: [{ venue: 'paper', symbol: 'BTC/USDT', timeframe: '1d' }], maxTrials: 8, folds: 2, candidates: 1, everyHours: 24 },
    });
  });

  it('sizes a search on a venue history in the instrument\'s lot, and one on a dataset in whole units', () => {
    const lotOf = (venue: string, symbol: string) => (venue === 'paper' && symbol === 'BTC/USDT' ? '0.001' : undefined);
    expect(discoverySpec({ ...filled, source: 'venue:paper' }, lotOf)).toMatchObject({ spec: { settings: { fractionalUnit: 0.001 } } });
    const onDataset = discoverySpec(filled, lotOf);
    expect(onDataset).toHaveProperty('spec.markets');
    expect(onDataset).not.toHaveProperty('spec.settings');
    // A symbol the venue does not list keeps the default (the engine then refuses it for what it is).
    const unlisted = discoverySpec({ ...filled, source: 'venue:paper', symbol: 'DOGE/USDT' }, lotOf);
    expect(unlisted).toHaveProperty('spec.markets');
    expect(unlisted).not.toHaveProperty('spec.settings');
  });

  it('says what is wrong', () => {
    expect(discoverySpec({ ...filled, source: '' })).toEqual({ error: 'Choose the data to search' });
    expect(discoverySpec({ ...filled, symbol: 'btc' })).toMatchObject({ error: expect.stringMatching(/symbol/) });
    expect(discoverySpec({ ...filled, folds: '0' })).toEqual({ error: 'Folds must be a whole number from 1 to 10' });
    expect(discoverySpec({ ...filled, maxTrials: '2.5' })).toMatchObject({ error: expect.stringMatching(/Trials/) });
    expect(discoverySpec({ ...filled, family: 'ml-scored' })).toEqual({ error: 'ML-scored variants need a model' });
    expect(discoverySpec({ ...filled, everyHours: '-1' })).toMatchObject({ error: expect.stringMatching(/Repeat/) });
  });
});

describe('the gate settings draft', () => {
  it('becomes nested settings with numbers parsed and a blank live venue as none', async () => {
    const { settingsOf } = await import('./GateSettingsForm');
    expect(settingsOf({ 'paper.minOosTrades': '50', 'paper.requireChecks': false, 'live.maxTrackingError': '0.03', autoPromote: true, liveSizeFactor: '0.5', liveVenue: ' ' })).toEqual({
      paper: { minOosTrades: 50, requireChecks: false },
      live: { maxTrackingError: 0.03 },
      autoPromote: true,
      liveSizeFactor: 0.5,
      liveVenue: null,
    });
  });
});
