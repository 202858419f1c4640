/** Remembers what the trader was looking at (venue, symbol, timeframe) across restarts. */
import { TIMEFRAMES, type Timeframe } from '../../shared/domain';
import type { KeelStore } from './store';

const KEY = 'keel.ui.v1';

interface Prefs {
  venue?: string;
  symbol?: string;
  timeframe?: Timeframe;
}

function read(storage: Storage): Prefs {
  try {
    const raw: unknown = JSON.parse(storage.getItem(KEY) ?? '{}');
    if (typeof raw !== 'object' || raw === null) return {};
    const r = raw as Record<string, unknown>;
    const out: Prefs = {};
    if (typeof r.venue === 'string') out.venue = r.venue;
    if (typeof r.symbol === 'string') out.symbol = r.symbol;
    if (typeof r.timeframe === 'string' && (TIMEFRAMES as readonly string[]).includes(r.timeframe)) {
      out.timeframe = r.timeframe as Timeframe;
    }
    return out;
  } catch {
    // Storage may be disabled or hold garbage; defaults are fine.
    return {};
  }
}

/** Restores saved preferences into the store and keeps saving them; returns the unsubscribe. */
export function persistUiPrefs(store: KeelStore, storage: Storage): () => void {
  const saved = read(storage);
  store.setState({
    ...(saved.venue ? { venue: saved.venue } : {}),
    ...(saved.symbol ? { symbol: saved.symbol } : {}),
    ...(saved.timeframe ? { timeframe: saved.timeframe } : {}),
  });
  return store.subscribe(
    (s) => `${s.venue ?? ''}\n${s.symbol ?? ''}\n${s.timeframe}`,
    () => {
      const s = store.getState();
      try {
        storage.setItem(KEY, JSON.stringify({ venue: s.venue, symbol: s.symbol, timeframe: s.timeframe }));
      } catch {
        // Quota or privacy mode: losing a preference is harmless.
      }
    },
  );
}
