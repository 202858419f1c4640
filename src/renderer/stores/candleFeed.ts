/**
 * Live 1-minute candles, kept outside React and the store: the chart
 * subscribes for one instrument and draws imperatively. Bars are coalesced
 * to the latest copy per (instrument, minute) and handed over once per frame.
 * The contract carries candles as exact decimal strings; the chart only
 * draws them, so they become numbers here, once, on the way in.
 */
import type { Bar, Candle } from '../../shared/domain';
import { marketKey } from './market';

export type { Bar };

/** Reads a contract candle for drawing; the exact strings stay in the engine and journal. */
export function toBar(c: Candle): Bar {
  return {
    time: c.time,
    open: Number(c.open),
    high: Number(c.high),
    low: Number(c.low),
    close: Number(c.close),
    volume: Number(c.volume),
  };
}

export type CandleListener = (minuteBars: readonly Bar[]) => void;

export interface CandleFeed {
  push(venue: string, symbol: string, candle: Candle): void;
  /** Delivers what arrived since the last flush; called by the frame batcher. */
  flush(): void;
  subscribe(venue: string, symbol: string, listener: CandleListener): () => void;
}

export function createCandleFeed(): CandleFeed {
  const pending = new Map<string, Map<number, Candle>>();
  const listeners = new Map<string, Set<CandleListener>>();

  return {
    push(venue, symbol, candle) {
      const key = marketKey(venue, symbol);
      // Nobody is drawing this instrument: nothing to keep (history is refetched on subscribe).
      if (!listeners.has(key)) return;
      let bars = pending.get(key);
      if (!bars) pending.set(key, (bars = new Map()));
      bars.set(candle.time, candle);
    },
    flush() {
      if (pending.size === 0) return;
      const batch = [...pending];
      pending.clear();
      for (const [key, candles] of batch) {
        // Converted after coalescing: a minute updated ten times in a frame is read once.
        const sorted = [...candles.values()].sort((a, b) => a.time - b.time).map(toBar);
        for (const l of listeners.get(key) ?? []) l(sorted);
      }
    },
    subscribe(venue, symbol, listener) {
      const key = marketKey(venue, symbol);
      let set = listeners.get(key);
      if (!set) listeners.set(key, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) {
          listeners.delete(key);
          pending.delete(key);
        }
      };
    },
  };
}
