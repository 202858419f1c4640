import { describe, expect, it } from 'vitest';
import type { AnalyticsFigures } from '../../../shared/contract';
import { figureCards, fmtDuration } from './figureCards';

const figures: AnalyticsFigures = {
  trades: 3,
  openTrades: 1,
  wins: 2,
  losses: 1,
  netPnl: '1234.5',
  grossProfit: '1500',
  grossLoss: '-265.5',
  profitFactor: 5.6497,
  winRatePct: 66.6667,
  averageWin: '750',
  averageLoss: '-265.5',
  payoffRatio: 2.8249,
  expectancy: '411.5',
  expectancyPct: 1.5,
  expectancyR: null,
  rTrades: 0,
  bestTradePct: 3,
  worstTradePct: -1,
  averageDurationMs: 3_600_000,
  sharpeRatio: 1.234,
  sortinoRatio: null,
  maxDrawdown: '300',
  maxDrawdownPct: 2.5,
  maxDrawdownDurationMs: 90 * 3_600_000,
  exposurePct: 40,
  feesPaid: '12.3456',
  fundingPaid: '0',
  startEquity: '10000',
  endEquity: '11234.5',
  returnPct: 12.345,
  unrealizedPnl: '-5',
};

describe('headline figure cards', () => {
  it('show a figure that rounds to zero as zero, uncoloured: a return of -0.004 % is not "-0.00%" in red', () => {
    const cards = figureCards({ ...figures, returnPct: -0.0042, sharpeRatio: -0.001, maxDrawdownPct: 0.0042 }, 'USDT');
    const card = (key: string) => cards.find((c) => c.key === key)!;
    expect(card('returnPct')).toMatchObject({ value: '0.00%', tone: '' });
    expect(card('sharpeRatio').value).toBe('0.00');
    expect(card('maxDrawdown').value).toMatch(/· 0\.00%$/);
    expect(figureCards({ ...figures, returnPct: -0.006 }, 'USDT').find((c) => c.key === 'returnPct')).toMatchObject({ value: '-0.01%', tone: 'neg' });
  });

  it('read as a trader reads them, coloured by sign', () => {
    const cards = Object.fromEntries(figureCards(figures, 'USDT').map((c) => [c.key, c]));
    expect(cards.netPnl).toMatchObject({ value: '+1,234.50 USDT', tone: 'pos' });
    expect(cards.returnPct).toMatchObject({ value: '12.35%', tone: 'pos' });
    expect(cards.trades!.value).toBe('3 + 1 open');
    expect(cards.winRatePct!.value).toBe('66.67%');
    expect(cards.expectancyR).toMatchObject({ value: '—', tone: '' });
    expect(cards.sortinoRatio!.value).toBe('—');
    expect(cards.maxDrawdown).toMatchObject({ value: '300.00 · 2.50%', tone: 'neg' });
    expect(cards.maxDrawdown!.help).toContain('3.8d');
    expect(cards.feesPaid!.value).toBe('12.35 · 0.00');
    expect(cards.unrealizedPnl).toMatchObject({ value: '-5.00', tone: 'neg' });
  });

  it('give durations in their largest sensible unit', () => {
    expect([fmtDuration(null), fmtDuration(45_000), fmtDuration(30 * 60_000), fmtDuration(5 * 3_600_000), fmtDuration(72 * 3_600_000)]).toEqual(['—', '45s', '30m', '5.0h', '3.0d']);
  });
});
