import { describe, expect, it } from 'vitest';
import { analyticsScopeSchema, type AnalyticsScope } from '../../../shared/contract';
import { parseTags, rangeOf, scopeFromKey, scopeGroups, scopeKey, utcDateMs } from './analyticsFilters';

const NOW = Date.UTC(2025, 5, 15, 13, 30);
const DAY = 86_400_000;

describe('analytics filters', () => {
  it.each<AnalyticsScope>([
    { kind: 'account' },
    { kind: 'manual' },
    { kind: 'venue', venue: 'paper' },
    { kind: 'strategy', strategyId: 's-abc:1' },
    { kind: 'symbol', symbol: 'BTC/USDT:USDT', venue: 'paper' },
    { kind: 'symbol', symbol: 'ETH/USDT:USDT' },
    { kind: 'regime', regime: 'trending_down' },
  ])('turn the scope %j into a select value and back', (scope) => {
    const back = scopeFromKey(scopeKey(scope));
    expect(back).toEqual(scope);
    expect(analyticsScopeSchema.parse(back)).toEqual(scope);
  });

  it('read anything unknown as the whole account', () => {
    for (const key of ['', 'nonsense', 'venue:', 'regime:sideways', 'symbol:paper|', 'strategy:']) expect(scopeFromKey(key)).toEqual({ kind: 'account' });
  });

  it('offer what the desk has, grouped and sorted', () => {
    const groups = scopeGroups({
      venues: ['paper', 'binance', 'paper'],
      strategies: [{ id: 's2', name: 'Zeta' }, { id: 's1', name: 'Alpha' }],
      symbols: [{ venue: 'paper', symbol: 'ETH/USDT:USDT' }, { venue: 'paper', symbol: 'BTC/USDT:USDT' }],
    });
    expect(groups.map((g) => g.label)).toEqual(['Account', 'Venue', 'Strategy', 'Symbol', 'Regime at entry']);
    expect(groups[1]!.options.map((o) => o.value)).toEqual(['venue:binance', 'venue:paper']);
    expect(groups[2]!.options.map((o) => o.label)).toEqual(['Alpha', 'Zeta']);
    expect(groups[3]!.options[0]).toEqual({ value: 'symbol:paper|BTC/USDT:USDT', label: 'BTC/USDT:USDT · paper' });
    expect(scopeGroups({ venues: [], strategies: [], symbols: [] }).map((g) => g.label)).toEqual(['Account', 'Regime at entry']);
  });

  it('turn presets and UTC dates into a range', () => {
    expect(rangeOf('7d', '', '', NOW)).toEqual({ from: NOW - 7 * DAY });
    expect(rangeOf('ytd', '', '', NOW)).toEqual({ from: Date.UTC(2025, 0, 1) });
    expect(rangeOf('all', '', '', NOW)).toEqual({});
    // The "to" day is included whole.
    expect(rangeOf('custom', '2025-06-01', '2025-06-10', NOW)).toEqual({ from: Date.UTC(2025, 5, 1), to: Date.UTC(2025, 5, 11) });
    expect(rangeOf('custom', '2025-06-01', '', NOW)).toEqual({ from: Date.UTC(2025, 5, 1) });
    expect(rangeOf('custom', '2025-06-10', '2025-06-01', NOW)).toHaveProperty('error');
    expect(rangeOf('custom', '2025-07-01', '', NOW)).toHaveProperty('error');
    expect(rangeOf('custom', '06/01/2025', '', NOW)).toHaveProperty('error');
    expect(utcDateMs('2025-02-30')).toBe(Date.UTC(2025, 2, 2));
    expect(utcDateMs('2025-2-3')).toBeNull();
  });

  it('split tags on commas, dropping blanks and repeats', () => {
    expect(parseTags(' breakout, news ,, Breakout,plan ')).toEqual(['breakout', 'news', 'plan']);
    expect(parseTags('   ')).toEqual([]);
  });
});
