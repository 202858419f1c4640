import { describe, expect, it } from 'vitest';
import { strategyInstance } from '../../../../tests/support/fixtures';
import { fmtWinRate, instanceCounts, instanceTotals } from './instanceFigures';

const instance = strategyInstance;

describe('instanceTotals', () => {
  it('adds money exactly, as decimals (0.1 + 0.2 is 0.3)', () => {
    const t = instanceTotals([
      instance('a', {}, { realizedPnl: '0.1', unrealizedPnl: '-5.25', fees: '0.01', trades: 3, wins: 2, openOrders: 1 }),
      instance('b', {}, { realizedPnl: '0.2', unrealizedPnl: '1.25', fees: '0.02', trades: 1, wins: 0, openOrders: 2 }),
    ]);
    expect(t).toEqual({ realizedPnl: '0.3', unrealizedPnl: '-4', fees: '0.03', trades: 4, wins: 2, openOrders: 3, winRatePct: 50 });
  });

  it('has no win rate without a closed trade', () => {
    expect(instanceTotals([instance('a')]).winRatePct).toBeNull();
    expect(instanceTotals([]).realizedPnl).toBe('0');
  });
});

describe('instanceCounts', () => {
  it('counts starting with running, and paused and errored apart', () => {
    const list = (['running', 'starting', 'paused', 'error', 'stopped'] as const).map((status, i) => instance(String(i), { status }));
    expect(instanceCounts(list)).toEqual({ running: 2, paused: 1, error: 1 });
  });
});

describe('fmtWinRate', () => {
  it('shows one decimal, or a dash', () => {
    expect(fmtWinRate(66.6667)).toBe('66.7%');
    expect(fmtWinRate(null)).toBe('—');
  });
});
