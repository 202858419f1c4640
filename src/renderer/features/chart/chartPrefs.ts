/**
 * What the trader put on each instrument's chart (indicators with their
 * parameters, drawings), kept in this window's localStorage per instrument
 * (venue and symbol) so it is there again after a reload or a restart. The
 * engine is not involved: these are views, not trading state, and they
 * travel with the window's profile like the rest of its layout. Anything
 * unreadable is dropped on the way in, and at most MAX_INSTRUMENTS charts are
 * kept (the least recently changed go first).
 */
import { parseDrawings, type Drawing } from './drawings/drawingModel';
import { parseIndicators, type IndicatorConfig } from './indicators/indicatorCatalog';

export const CHART_PREFS_KEY = 'keel.chart.v1';
export const MAX_INSTRUMENTS = 200;

export interface ChartPrefs {
  indicators: IndicatorConfig[];
  drawings: Drawing[];
}

interface Stored {
  indicators?: unknown;
  drawings?: unknown;
  changedAt?: unknown;
}

function readAll(storage: Storage): Record<string, Stored> {
  try {
    const raw: unknown = JSON.parse(storage.getItem(CHART_PREFS_KEY) ?? '{}');
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
    const charts = (raw as { charts?: unknown }).charts;
    return typeof charts === 'object' && charts !== null && !Array.isArray(charts) ? (charts as Record<string, Stored>) : {};
  } catch {
    // Disabled storage or garbage: start clean.
    return {};
  }
}

/** The instrument's saved chart; empty when nothing was saved. */
export function loadChartPrefs(storage: Storage, instrument: string): ChartPrefs {
  const all = readAll(storage);
  const saved = Object.prototype.hasOwnProperty.call(all, instrument) ? all[instrument] : undefined;
  return { indicators: parseIndicators(saved?.indicators), drawings: parseDrawings(saved?.drawings) };
}

/** Saves part of the instrument's chart; `now` orders charts for trimming. */
export function saveChartPrefs(storage: Storage, instrument: string, patch: Partial<ChartPrefs>, now: number): void {
  const all = readAll(storage);
  const before = Object.prototype.hasOwnProperty.call(all, instrument) ? all[instrument] : undefined;
  all[instrument] = { ...before, ...patch, changedAt: now };
  const keys = Object.keys(all);
  if (keys.length > MAX_INSTRUMENTS) {
    const age = (k: string) => (typeof all[k]?.changedAt === 'number' ? (all[k]!.changedAt as number) : 0);
    for (const k of keys.sort((x, y) => age(x) - age(y)).slice(0, keys.length - MAX_INSTRUMENTS)) delete all[k];
  }
  try {
    storage.setItem(CHART_PREFS_KEY, JSON.stringify({ charts: all }));
  } catch {
    // Quota or privacy mode: the chart still works, it just will not be remembered.
  }
}
