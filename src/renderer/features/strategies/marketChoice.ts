/**
 * Which venue and symbol a market form shows: the trader's own choice while
 * it still exists, else the market on the trading screen, else the first
 * one there is. Venues come from the venue list, or from the instruments
 * while that list has not loaded.
 */
import type { Instrument } from '../../../shared/domain';

export interface MarketChoiceInput {
  venueIds: readonly string[];
  instruments: readonly Instrument[];
  /** The trading screen's market. */
  tradingVenue: string | null;
  tradingSymbol: string | null;
  /** What the trader picked in this form; null until they do. */
  venueChoice: string | null;
  symbolChoice: string | null;
}

export interface MarketChoice {
  venues: string[];
  venue: string;
  /** The chosen venue's instruments. */
  instruments: Instrument[];
  symbol: string;
}

export function pickMarket(input: MarketChoiceInput): MarketChoice {
  const venues = input.venueIds.length > 0 ? [...input.venueIds] : [...new Set(input.instruments.map((i) => i.venue))];
  const venue = input.venueChoice && venues.includes(input.venueChoice) ? input.venueChoice : (input.tradingVenue ?? venues[0] ?? '');
  const instruments = input.instruments.filter((i) => i.venue === venue);
  const has = (symbol: string | null): symbol is string => symbol !== null && instruments.some((i) => i.symbol === symbol);
  const symbol = has(input.symbolChoice) ? input.symbolChoice : has(input.tradingSymbol) ? input.tradingSymbol : (instruments[0]?.symbol ?? '');
  return { venues, venue, instruments, symbol };
}
