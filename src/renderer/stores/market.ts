/**
 * Market slice: the instrument list and the latest ticker per instrument.
 * Tickers arrive at high rate; they reach this slice only through the
 * per-frame batch (see frameBatcher.ts / sync.ts), never one `set` per tick.
 */
import type { Instrument, Ticker } from '../../shared/domain';
import type { SliceCreator } from './store';

export type TickDirection = -1 | 0 | 1;

export interface MarketSlice {
  instruments: Instrument[];
  /** Latest ticker by `marketKey(venue, symbol)`. */
  tickers: Record<string, Ticker>;
  /** Direction of the last change of `last`, for up/down colouring. */
  tickDirection: Record<string, TickDirection>;
  setInstruments(list: Instrument[]): void;
  setTickers(list: Ticker[]): void;
}

export function marketKey(venue: string, symbol: string): string {
  return `${venue}|${symbol}`;
}

type TickerState = Pick<MarketSlice, 'tickers' | 'tickDirection'>;

/** Applies tickers newer than what we hold; returns the same objects when nothing changed. */
export function applyTickers(state: TickerState, incoming: Iterable<Ticker>): TickerState {
  let tickers: Record<string, Ticker> | null = null;
  let tickDirection: Record<string, TickDirection> | null = null;
  for (const t of incoming) {
    const key = marketKey(t.venue, t.symbol);
    const prev = (tickers ?? state.tickers)[key];
    if (prev && prev.timestamp > t.timestamp) continue;
    tickers ??= { ...state.tickers };
    tickers[key] = t;
    if (prev && prev.last !== t.last) {
      tickDirection ??= { ...state.tickDirection };
      tickDirection[key] = Number(t.last) > Number(prev.last) ? 1 : -1;
    }
  }
  return { tickers: tickers ?? state.tickers, tickDirection: tickDirection ?? state.tickDirection };
}

export const createMarketSlice: SliceCreator<MarketSlice> = (set) => ({
  instruments: [],
  tickers: {},
  tickDirection: {},
  setInstruments: (list) => set({ instruments: list }),
  setTickers: (list) => set((s) => applyTickers(s, list)),
});
