/** Remembers what the trader was looking at (venue, symbol, timeframe) and the header's sum currency across restarts. */
import { TIMEFRAMES, type Timeframe } from '../../shared/domain';
import type { KeelStore } from './store';

const KEY = 'keel.ui.v1';

interface Prefs {
  venue?: string;
  symbol?: string;
  timeframe?: Timeframe;
  sumCurrency?: string;
}

function read(storage: Storage): Prefs {
  try {
    const raw: unknown = JSON.parse(storage.getItem(KEY) ?? '{}');
    if (typeof raw !== 'object' || raw === null) return {};
    const r = raw as Record<string, unknown>;
    const out: Prefs = {};
    if (typeof r.venue === 'string') out.venue = r.venue;
    if (typeof r.symbol === 'string') out.symbol = r.symbol;
    if (typeof r.sumCurrency === 'string' && /^[A-Z0-9]{1,20}$/.test(r.sumCurrency)) out.sumCurrency = r.sumCurrency;
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
    ...(saved.sumCurrency ? { sumCurrency: saved.sumCurrency } : {}),
  });
  return store.subscribe(
    (s) => `${s.venue ?? ''}\n${s.symbol ?? ''}\n${s.timeframe}\n${s.sumCurrency}`,
    () => {
      const s = store.getState();
      try {
        storage.setItem(KEY, JSON.stringify({ venue: s.venue, symbol: s.symbol, timeframe: s.timeframe, sumCurrency: s.sumCurrency }));
      } catch {
        // Quota or privacy mode: losing a preference is harmless.
      }
    },
  );
}
