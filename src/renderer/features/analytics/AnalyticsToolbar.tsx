/**
 * The Analytics view's bar: whose trading (the scope), over which dates (a
 * preset or two UTC dates), reload, and the exports: fills, round trips or
 * FIFO tax lots as CSV in Keel's or a tax tool's columns, and the HTML
 * report of what is on screen.
 */
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { EXPORT_FORMATS, EXPORT_KINDS, type ExportFile } from '../../../shared/contract';
import { errorMessage } from '../../api/client';
import { saveTextFile } from '../../lib/download';
import { RANGE_PRESETS, type RangePreset } from '../../stores/analytics';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { rangeOf, scopeFromKey, scopeGroups } from './analyticsFilters';

const RANGE_LABELS: Record<RangePreset, string> = { '1d': '24h', '7d': '7d', '30d': '30d', '90d': '90d', ytd: 'YTD', all: 'All', custom: 'Dates' };
const KIND_LABELS: Record<(typeof EXPORT_KINDS)[number], string> = { fills: 'Fills', trades: 'Round trips', taxLots: 'FIFO tax lots' };
const FORMAT_LABELS: Record<(typeof EXPORT_FORMATS)[number], string> = { keel: 'Keel columns', koinly: 'Koinly', cointracker: 'CoinTracker' };

export function AnalyticsToolbar({ onReload }: { onReload: () => void }) {
  const { client, store } = useServices();
  const filters = useKeel((s) => s.analyticsFilters);
  const setFilters = useKeel((s) => s.setAnalyticsFilters);
  const loading = useKeel((s) => s.analyticsLoading);
  const notify = useKeel((s) => s.notify);
  const venues = useKeel(useShallow((s) => s.venues.map((v) => v.venue)));
  // The instances themselves: a selector that built new {id, name} objects would never compare equal, and React would re-render forever.
  const strategies = useKeel((s) => s.strategies);
  const instruments = useKeel((s) => s.instruments);
  const [kind, setKind] = useState<(typeof EXPORT_KINDS)[number]>('fills');
  const [format, setFormat] = useState<(typeof EXPORT_FORMATS)[number]>('keel');
  const [exporting, setExporting] = useState<string | null>(null);

  const groups = scopeGroups({ venues, strategies, symbols: instruments });
  // A scope the desk no longer lists (a deleted strategy, a venue removed) stays chosen, and shown, until the trader changes it.
  if (!groups.some((g) => g.options.some((o) => o.value === filters.scopeKey))) {
    groups.push({ label: 'Chosen', options: [{ value: filters.scopeKey, label: filters.scopeKey.replace(':', ' ') }] });
  }

  async function save(what: string, ask: () => Promise<ExportFile>): Promise<void> {
    setExporting(what);
    try {
      const file = await ask();
      saveTextFile(document, file.filename, file.mimeType, file.content);
      notify('success', `Saved ${file.filename} (${file.rows} ${file.rows === 1 ? 'row' : 'rows'})`);
    } catch (err) {
      notify('error', `Export failed: ${errorMessage(err)}`);
    } finally {
      setExporting(null);
    }
  }

  function range(): { from?: number; to?: number } | null {
    const { range: preset, customFrom, customTo } = store.getState().analyticsFilters;
    const span = rangeOf(preset, customFrom, customTo, Date.now());
    if ('error' in span) {
      notify('error', span.error);
      return null;
    }
    return span;
  }

  return (
    <section className="panel av-bar" aria-label="Analytics filters">
      <div className="av-bar-row">
        <label className="av-field">
          <span>Scope</span>
          <select aria-label="Scope" value={filters.scopeKey} onChange={(e) => setFilters({ scopeKey: e.target.value })}>
            {groups.map((g) => (
              <optgroup key={g.label} label={g.label}>
                {g.options.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
        <div className="seg" role="group" aria-label="Date range">
          {RANGE_PRESETS.map((p) => (
            <button key={p} type="button" className="seg-btn" aria-pressed={filters.range === p} onClick={() => setFilters({ range: p })}>
              {RANGE_LABELS[p]}
            </button>
          ))}
        </div>
        {filters.range === 'custom' && (
          <>
            <label className="av-field av-date">
              <span>From (UTC)</span>
              <input type="date" aria-label="From date" value={filters.customFrom} onChange={(e) => setFilters({ customFrom: e.target.value })} />
            </label>
            <label className="av-field av-date">
              <span>To (UTC)</span>
              <input type="date" aria-label="To date" value={filters.customTo} onChange={(e) => setFilters({ customTo: e.target.value })} />
            </label>
          </>
        )}
        <button type="button" className="btn btn-xs" onClick={onReload} disabled={loading} aria-label="Reload analytics">
          {loading ? 'Loading…' : 'Reload'}
        </button>
        <div className="av-spacer" />
        <div className="av-export" role="group" aria-label="Export">
          <select aria-label="Export kind" value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
            {EXPORT_KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k]}
              </option>
            ))}
          </select>
          <select aria-label="Export format" value={format} onChange={(e) => setFormat(e.target.value as typeof format)}>
            {EXPORT_FORMATS.map((f) => (
              <option key={f} value={f}>
                {FORMAT_LABELS[f]}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="btn btn-xs"
            disabled={exporting !== null}
            onClick={() => {
              const span = range();
              if (span) void save('csv', () => client.invoke('export.csv', { kind, format, ...span }));
            }}
          >
            {exporting === 'csv' ? 'Exporting…' : 'Export CSV'}
          </button>
          <button
            type="button"
            className="btn btn-xs"
            disabled={exporting !== null}
            title="The figures, charts and round trips on screen as one printable HTML page"
            onClick={() => {
              const span = range();
              if (span) void save('report', () => client.invoke('export.report', { scope: scopeFromKey(store.getState().analyticsFilters.scopeKey), ...span }));
            }}
          >
            {exporting === 'report' ? 'Exporting…' : 'HTML report'}
          </button>
        </div>
      </div>
    </section>
  );
}
