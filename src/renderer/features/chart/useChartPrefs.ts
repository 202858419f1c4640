/**
 * The chart of the instrument on screen, as the trader left it: its
 * indicators (kept here, as React state, because the toolbar lists them) and
 * its saved drawings (handed to the chart, which owns them while they are
 * edited). Both are saved per instrument in this window's localStorage.
 */
import { useCallback, useMemo, useState } from 'react';
import { loadChartPrefs, saveChartPrefs, type ChartPrefs } from './chartPrefs';
import type { Drawing } from './drawings/drawingModel';
import type { IndicatorConfig } from './indicators/indicatorCatalog';

const EMPTY: ChartPrefs = { indicators: [], drawings: [] };

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    // Storage can be switched off; the chart then forgets on reload.
    return null;
  }
}

export interface ChartPrefsApi {
  indicators: IndicatorConfig[];
  setIndicators(next: IndicatorConfig[]): void;
  /** The drawings saved for the instrument, as they were when it came on screen. */
  savedDrawings: Drawing[];
  saveDrawings(drawings: readonly Drawing[]): void;
}

export function useChartPrefs(venue: string | null, symbol: string | null): ChartPrefsApi {
  const key = venue && symbol ? `${venue}|${symbol}` : null;
  const saved = useMemo(() => {
    const s = storage();
    return key && s ? loadChartPrefs(s, key) : EMPTY;
  }, [key]);
  const [edited, setEdited] = useState<{ key: string; indicators: IndicatorConfig[] } | null>(null);
  const indicators = edited && edited.key === key ? edited.indicators : saved.indicators;

  const setIndicators = useCallback(
    (next: IndicatorConfig[]) => {
      if (!key) return;
      setEdited({ key, indicators: next });
      const s = storage();
      if (s) saveChartPrefs(s, key, { indicators: next }, Date.now());
    },
    [key],
  );

  const saveDrawings = useCallback(
    (drawings: readonly Drawing[]) => {
      const s = storage();
      if (key && s) saveChartPrefs(s, key, { drawings: [...drawings] }, Date.now());
    },
    [key],
  );

  return { indicators, setIndicators, savedDrawings: saved.drawings, saveDrawings };
}
