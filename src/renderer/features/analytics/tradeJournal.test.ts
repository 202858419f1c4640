import { describe, expect, it } from 'vitest';
import type { RoundTripView } from '../../../shared/contract';
import { tripMarks } from './EquityPanel';
import { filterTrips } from './TradeJournal';

const trip = (id: string, patch: Partial<RoundTripView>): RoundTripView => ({
  id,
  venue: 'paper',
  symbol: 'BTC/USDT:USDT',
  side: 'long',
  status: 'closed',
  currency: 'USDT',
  openedAt: 1_000,
  closedAt: 2_000,
  durationMs: 1_000,
  quantity: '0.5',
  peakQuantity: '0.5',
  openQuantity: '0',
  entryPrice: '100',
  exitPrice: '110',
  grossPnl: '5',
  fees: '0.1',
  funding: '0',
  netPnl: '4.9',
  unrealizedPnl: null,
  returnPct: 9.8,
  source: 'manual',
  sourceId: null,
  model: null,
  regime: null,
  stopPrice: null,
  initialRisk: null,
  rMultiple: null,
  fills: 2,
  note: '',
  tags: [],
  ...patch,
});

describe('the trade journal table', () => {
  const trips = [
    trip('a', { tags: ['Breakout', 'plan'] }),
    trip('b', { status: 'open', closedAt: null, tags: ['breakout'] }),
    trip('c', { side: 'short', openedAt: 500, closedAt: 900, netPnl: '-2', tags: ['breakouts'] }),
  ];

  it('keeps the round trips of a status and a whole tag, in any case', () => {
    expect(filterTrips(trips, 'all', '').map((t) => t.id)).toEqual(['a', 'b', 'c']);
    expect(filterTrips(trips, 'all', ' BREAKOUT ').map((t) => t.id)).toEqual(['a', 'b']);
    expect(filterTrips(trips, 'closed', 'breakout').map((t) => t.id)).toEqual(['a']);
    expect(filterTrips(trips, 'open', '').map((t) => t.id)).toEqual(['b']);
  });

  it('marks closed round trips on the equity chart, shorts with a negative size, oldest first', () => {
    expect(tripMarks(trips)).toEqual([
      { size: -0.5, entryTime: 500, exitTime: 900, pnl: -2 },
      { size: 0.5, entryTime: 1_000, exitTime: 2_000, pnl: 4.9 },
    ]);
  });
});
