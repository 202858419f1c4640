import { describe, expect, it } from 'vitest';
import type { ParityOrder, ParityReport, ParityRow } from '../../../shared/contract/parity';
import type { StrategyInstance } from '../../../shared/contract/strategies';
import { fmtLag, fmtParityOrder, fmtRowBar, fmtSlippage, parityCandidates, summaryLines } from './parityView';

const order = (over: Partial<ParityOrder> = {}): ParityOrder => ({
  orderId: 'o1',
  type: 'market',
  side: 'buy',
  createdAt: 0,
  quantity: '0.001',
  price: null,
  status: 'filled',
  filledQuantity: '0.001',
  averagePrice: '83250.3',
  ...over,
});

const row = (over: Partial<ParityRow> = {}): ParityRow => ({
  reason: 'price',
  severity: 'info',
  barTime: new Date(2026, 10, 20, 12, 5).getTime(),
  bars: 1,
  side: 'buy',
  live: order(),
  replay: order({ averagePrice: '83250.1' }),
  slippage: { price: '0.2', bps: 0.02 },
  lagMs: 800,
  note: '',
  ...over,
});

describe('the parity section\'s wording', () => {
  it('shows an order with its fill, a limit that did not fill with its price, and no order as a dash', () => {
    expect(fmtParityOrder(order())).toBe('buy 0.001 @ 83,250.3 (filled)');
    expect(fmtParityOrder(order({ type: 'limit', price: '99', status: 'partially_filled', filledQuantity: '0', averagePrice: null }))).toBe('buy 0.001 limit 99 (partially filled)');
    expect(fmtParityOrder(null)).toBe('—');
  });

  it('signs the slippage (positive: live did worse) and gives the lag in seconds', () => {
    expect(fmtSlippage(row())).toBe('+0.02 bps');
    expect(fmtSlippage(row({ slippage: { price: '-1', bps: -1.5 } }))).toBe('-1.50 bps');
    expect(fmtSlippage(row({ slippage: null }))).toBe('—');
    expect(fmtLag(row())).toBe('0.8 s');
    expect(fmtLag(row({ lagMs: 28_400 }))).toBe('28 s');
    expect(fmtLag(row({ lagMs: null }))).toBe('—');
  });

  it('names a stretch of missed bars by its first bar and its length', () => {
    expect(fmtRowBar(row())).toBe('12:05:00');
    expect(fmtRowBar(row({ bars: 3 }))).toBe('12:05:00 (+2 bars)');
  });

  it('lists the instances of the chosen type only, newest first', () => {
    const inst = (id: string, type: string, createdAt: number) => ({ id, type, createdAt }) as StrategyInstance;
    expect(parityCandidates([inst('a', 'sma', 1), inst('b', 'rsi', 2), inst('c', 'sma', 3)], 'sma').map((s) => s.id)).toEqual(['c', 'a']);
  });

  it('sums a report up, saying when there is not enough to measure the tracking error', () => {
    const report = {
      summary: {
        from: 0, to: 60_000, bars: 8, warmupBars: 3, liveOrders: 8, replayOrders: 9, matched: 8, same: 5, missing: 0, extra: 0, missedBars: 1,
        liveTrades: 3, replayTrades: 4, livePnl: '-0.6', replayPnl: '1.25', meanSlippageBps: 0.09, trackingErrorBps: null,
      },
    } as unknown as ParityReport;
    const lines = Object.fromEntries(summaryLines(report).map((l) => [l.label, l.value]));
    expect(lines['Orders live / replay']).toBe('8 / 9');
    expect(lines['Matched (same)']).toBe('8 (5)');
    expect(lines['PnL live / replay']).toBe('-0.60 / +1.25');
    expect(lines['Mean slippage']).toBe('+0.09 bps');
    expect(lines['Tracking error']).toBe('not enough trades');
  });
});
