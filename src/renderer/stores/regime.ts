/**
 * Regime slice: the market regime of each instrument the screen shows, by
 * venue, symbol and timeframe, as `regime.current` last answered. The
 * watchlist reads the label; the chart reads the history for its band.
 */
import type { RegimeView } from '../../shared/contract';
import type { Timeframe } from '../../shared/domain';
import type { SliceCreator } from './store';

export interface RegimeSlice {
  regimes: Record<string, RegimeView>;
  setRegimes(views: readonly RegimeView[]): void;
}

export function regimeKey(venue: string, symbol: string, timeframe: Timeframe): string {
  return `${venue}|${symbol}|${timeframe}`;
}

export const createRegimeSlice: SliceCreator<RegimeSlice> = (set) => ({
  regimes: {},
  setRegimes: (views) => {
    if (views.length === 0) return;
    set((s) => {
      const regimes = { ...s.regimes };
      for (const v of views) regimes[regimeKey(v.venue, v.symbol, v.timeframe)] = v;
      return { regimes };
    });
  },
});
