import { describe, expect, it } from 'vitest';
import { fmtDateTime, fmtTime } from '../../lib/format';
import { MINUTE, SIGNAL_T0 as T0, signal } from './fixtures/signal';
import { decision, fmtConfidence, modelLabel, regimeText, shortHash, signalRow, strategyChoices, strategyText, symbolChoices } from './signalFormat';

const strategies = [
  { id: 's-1', name: 'BTC ML scalper' },
  { id: 's-2', name: 'ETH trend' },
];

describe('signal row', () => {
  it('reads every column in words: direction with its colour class, confidence as a percent, model as name vN', () => {
    const row = signalRow(signal('a', { direction: 'short', confidence: 0.6449, modelName: 'btc-dir', modelVersion: 12, regime: 'volatile', orderIds: ['o-1', 'o-2'] }), strategies, T0 + 2 * MINUTE);
    expect(row).toMatchObject({
      id: 'a',
      time: fmtTime(T0),
      symbol: 'BTC/USDT:USDT',
      timeframe: '1m',
      direction: { label: 'Short', letter: 'S', className: 'neg' },
      confidence: '64.5%',
      model: 'btc-dir v12',
      strategy: 'BTC ML scalper',
      regime: 'Volatile',
      orderIds: ['o-1', 'o-2'],
    });
    expect(row.timeTitle).toBe(`Bar opening ${fmtDateTime(T0)}, scored ${fmtDateTime(T0 + MINUTE + 5)}`);
  });

  it('tells long, short and neutral apart by words, not colour alone', () => {
    const labels = (['long', 'short', 'neutral'] as const).map((d) => signalRow(signal('a', { direction: d }), []).direction);
    expect(labels.map((l) => l.label)).toEqual(['Long', 'Short', 'Neutral']);
    expect(new Set(labels.map((l) => l.className)).size).toBe(3);
  });

  it('shows the date as well for a bar of another day', () => {
    expect(signalRow(signal('a'), [], T0 + 3 * 24 * 60 * MINUTE).time).toBe(fmtDateTime(T0));
  });

  it('says the strategy acted, or why it did not', () => {
    expect(decision({ acted: true, note: 'confidence 0.91 above 0.85' })).toEqual({ acted: true, text: 'Acted', title: 'confidence 0.91 above 0.85' });
    expect(decision({ acted: true, note: '' })).toMatchObject({ text: 'Acted', title: 'The strategy acted on it' });
    expect(decision({ acted: false, note: 'regime volatile is gated out' })).toEqual({ acted: false, text: 'regime volatile is gated out', title: 'regime volatile is gated out' });
    expect(decision({ acted: false, note: '' })).toMatchObject({ text: 'Not acted' });
  });

  it('formats the parts on their own', () => {
    expect(fmtConfidence(1)).toBe('100.0%');
    expect(fmtConfidence(0)).toBe('0.0%');
    expect(modelLabel({ modelName: 'x', modelVersion: 1 })).toBe('x v1');
    expect(regimeText(null)).toBe('—');
    expect(regimeText('trending_down')).toBe('Trending down');
    expect(strategyText('s-2', strategies)).toBe('ETH trend');
    expect(strategyText('s-gone', strategies)).toBe('s-gone');
    expect(strategyText(null, strategies)).toBe('No strategy');
    expect(shortHash('f3a9c2d1e0b4a5c6d7e8')).toBe('f3a9c2d1e0…');
    expect(shortHash('f3a9c2')).toBe('f3a9c2');
  });
});

describe('filter choices', () => {
  it('offers every strategy, those only old signals name, and the chosen one, by name', () => {
    const seen = [signal('a', { strategyId: 's-old' }), signal('b', { strategyId: null }), signal('c', { strategyId: 's-1' })];
    expect(strategyChoices(strategies, seen, 's-chosen')).toEqual([
      { id: 's-1', name: 'BTC ML scalper' },
      { id: 's-2', name: 'ETH trend' },
      { id: 's-chosen', name: 's-chosen' },
      { id: 's-old', name: 's-old' },
    ]);
  });

  it('offers each symbol once, sorted', () => {
    const seen = [signal('a', { symbol: 'SOL/USDT:USDT' }), signal('b')];
    expect(symbolChoices(['ETH/USDT:USDT', 'BTC/USDT:USDT'], seen, 'XRP/USDT:USDT')).toEqual(['BTC/USDT:USDT', 'ETH/USDT:USDT', 'SOL/USDT:USDT', 'XRP/USDT:USDT']);
    expect(symbolChoices([], [], null)).toEqual([]);
  });
});
