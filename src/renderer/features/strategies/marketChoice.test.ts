import { describe, expect, it } from 'vitest';
import type { Instrument } from '../../../shared/domain';
import { pickMarket } from './marketChoice';

const inst = (venue: string, symbol: string) => ({ venue, symbol }) as Instrument;
const instruments = [inst('paper', 'BTC'), inst('paper', 'ETH'), inst('bybit', 'SOL')];
const none = { venueChoice: null, symbolChoice: null, tradingVenue: null, tradingSymbol: null };

describe('pickMarket', () => {
  it('keeps the trader’s own choice while it exists', () => {
    const m = pickMarket({ ...none, venueIds: ['paper', 'bybit'], instruments, venueChoice: 'paper', symbolChoice: 'ETH', tradingVenue: 'bybit', tradingSymbol: 'SOL' });
    expect([m.venue, m.symbol, m.instruments.map((i) => i.symbol)]).toEqual(['paper', 'ETH', ['BTC', 'ETH']]);
  });

  it('falls back to the trading screen’s market, then to the first', () => {
    expect(pickMarket({ ...none, venueIds: ['paper', 'bybit'], instruments, tradingVenue: 'paper', tradingSymbol: 'ETH', symbolChoice: 'GONE' })).toMatchObject({ venue: 'paper', symbol: 'ETH' });
    expect(pickMarket({ ...none, venueIds: ['paper', 'bybit'], instruments, venueChoice: 'bybit', tradingSymbol: 'ETH' })).toMatchObject({ venue: 'bybit', symbol: 'SOL' });
    expect(pickMarket({ ...none, venueIds: [], instruments })).toMatchObject({ venues: ['paper', 'bybit'], venue: 'paper', symbol: 'BTC' });
    expect(pickMarket({ ...none, venueIds: [], instruments: [] })).toMatchObject({ venue: '', symbol: '', instruments: [] });
  });
});
