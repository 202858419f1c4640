/**
 * The trade journal: the scope's round trips in the range, newest first,
 * with entry and exit, net PnL, return, R, who traded, the regime at entry,
 * and the trader's tags and note, both edited in place (saved on Enter or
 * when the field is left; Escape puts back what was saved).
 */
import { useMemo, useState, type KeyboardEvent } from 'react';
import type { RoundTripView } from '../../../shared/contract';
import { errorMessage } from '../../api/client';
import { VirtualTable, type Column } from '../../components/VirtualTable';
import { fmtDateTime, fmtMoney, group, pnlClass } from '../../lib/format';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { parseTags, REGIME_NAMES } from './analyticsFilters';

const NO_TRADES: RoundTripView[] = [];

/** A decimal string shown to at most `digits` decimals, trailing zeros dropped. */
function short(value: string | null, digits = 6): string {
  if (value === null) return '—';
  const [whole = '', fraction = ''] = value.split('.');
  const cut = fraction.slice(0, digits).replace(/0+$/, '');
  return group(cut ? `${whole}.${cut}` : whole);
}

/** The loaded round trips a status and a tag keep (the tag matched whole, in any case). */
export function filterTrips(trips: readonly RoundTripView[], status: 'all' | 'open' | 'closed', tag: string): RoundTripView[] {
  const wanted = tag.trim().toLowerCase();
  return trips.filter((t) => (status === 'all' || t.status === status) && (wanted === '' || t.tags.some((x) => x.toLowerCase() === wanted)));
}

export function TradeJournal() {
  const loadedTrades = useKeel((s) => s.analytics?.trades ?? NO_TRADES);
  const [status, setStatus] = useState<'all' | 'open' | 'closed'>('all');
  const [tag, setTag] = useState('');
  const trades = useMemo(() => filterTrips(loadedTrades, status, tag), [loadedTrades, status, tag]);
  const knownTags = useMemo(() => [...new Set(loadedTrades.flatMap((t) => t.tags))].sort((a, b) => a.localeCompare(b)), [loadedTrades]);
  const more = useKeel((s) => s.analytics?.moreTrades ?? false);
  const loaded = useKeel((s) => s.analytics !== null);
  const strategies = useKeel((s) => s.strategies);
  const who = (t: RoundTripView): string => {
    const base =
      t.source === 'strategy' ? (strategies.find((s) => s.id === t.sourceId)?.name ?? t.sourceId ?? 'strategy') : t.source === 'api' ? `api ${t.sourceId ?? ''}`.trim() : t.source;
    return t.model ? `${base} · ${t.model.modelName} v${t.model.modelVersion}` : base;
  };

  const columns: Column<RoundTripView>[] = [
    { key: 'opened', header: 'Opened', width: 156, render: (t) => <span className="num" title={t.closedAt === null ? 'Still open' : `Closed ${fmtDateTime(t.closedAt)}`}>{fmtDateTime(t.openedAt)}</span> },
    {
      key: 'symbol',
      header: 'Symbol',
      width: 150,
      render: (t) => (
        <span title={`${t.venue} · ${t.id}`}>
          {t.symbol} <span className="muted">{t.venue}</span>
        </span>
      ),
    },
    { key: 'side', header: 'Side', width: 48, render: (t) => <span className={t.side === 'long' ? 'pos' : 'neg'}>{t.side}</span> },
    { key: 'qty', header: 'Qty', width: 70, className: 'num', render: (t) => short(t.quantity) },
    { key: 'entry', header: 'Entry', width: 84, className: 'num', render: (t) => short(t.entryPrice, 4) },
    { key: 'exit', header: 'Exit', width: 84, className: 'num', render: (t) => (t.status === 'open' ? <span className="muted">open</span> : short(t.exitPrice, 4)) },
    {
      key: 'net',
      header: 'Net PnL',
      width: 84,
      className: 'num',
      render: (t) =>
        t.status === 'open' ? (
          <span className={pnlClass(t.unrealizedPnl)} title="Unrealized at the mark">
            {fmtMoney(t.unrealizedPnl, { signed: true })}*
          </span>
        ) : (
          <span className={pnlClass(t.netPnl)} title={`Gross ${t.grossPnl} · fees ${t.fees} · funding ${t.funding}`}>
            {fmtMoney(t.netPnl, { signed: true })}
          </span>
        ),
    },
    { key: 'ret', header: 'Ret %', width: 60, className: 'num', render: (t) => (t.returnPct === null ? '—' : <span className={t.returnPct >= 0 ? 'pos' : 'neg'}>{t.returnPct.toFixed(2)}</span>) },
    {
      key: 'r',
      header: 'R',
      width: 48,
      className: 'num',
      render: (t) => (t.rMultiple === null ? <span className="muted" title={t.stopPrice ? `Stop ${t.stopPrice}` : 'No stop defined the risk'}>—</span> : <span title={`Stop ${t.stopPrice ?? ''}, risk ${t.initialRisk ?? ''}`}>{t.rMultiple.toFixed(2)}</span>),
    },
    { key: 'who', header: 'Who', width: 110, render: (t) => <span className="clip" title={who(t)}>{who(t)}</span> },
    { key: 'regime', header: 'Regime', width: 104, render: (t) => (t.regime ? REGIME_NAMES[t.regime] : <span className="muted">—</span>) },
    { key: 'tags', header: 'Tags', width: 160, render: (t) => <AnnotationField trip={t} field="tags" /> },
    { key: 'note', header: 'Note', render: (t) => <AnnotationField trip={t} field="note" /> },
  ];

  return (
    <section className="panel av-journal" aria-label="Trade journal">
      <div className="panel-title">
        <span>
          Trade journal{' '}
          <span className="muted">
            {trades.length} round {trades.length === 1 ? 'trip' : 'trips'}
            {more ? ' (the newest; narrow the range for older ones)' : ''} · * unrealized
          </span>
        </span>
        <div className="av-journal-filters">
          <select aria-label="Round trip status" value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
            <option value="all">All</option>
            <option value="closed">Closed</option>
            <option value="open">Open</option>
          </select>
          <input aria-label="Filter by tag" placeholder="tag" list="av-known-tags" value={tag} onChange={(e) => setTag(e.target.value)} />
          <datalist id="av-known-tags">
            {knownTags.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
        </div>
      </div>
      <VirtualTable
        label="Round trips"
        rows={trades}
        columns={columns}
        rowKey={(t) => t.id}
        rowHeight={26}
        empty={<div className="table-empty">{!loaded ? 'Loading the journal…' : loadedTrades.length > 0 ? 'No round trip matches the filters.' : 'No round trips in this range.'}</div>}
      />
    </section>
  );
}

function AnnotationField({ trip, field }: { trip: RoundTripView; field: 'note' | 'tags' }) {
  const { client, store } = useServices();
  const saved = field === 'note' ? trip.note : trip.tags.join(', ');
  const [draft, setDraft] = useState<string | null>(null);
  const [state, setState] = useState<'idle' | 'saving' | 'error'>('idle');
  const [error, setError] = useState<string | null>(null);
  const value = draft ?? saved;
  const label = `${field === 'note' ? 'Note' : 'Tags'} for ${trip.side} ${trip.symbol} opened ${fmtDateTime(trip.openedAt)}`;

  async function save(): Promise<void> {
    if (draft === null || draft === saved) {
      setDraft(null);
      return;
    }
    setState('saving');
    try {
      const updated = await client.invoke('journal.annotate', field === 'note' ? { tradeId: trip.id, note: draft } : { tradeId: trip.id, tags: parseTags(draft) });
      store.getState().replaceRoundTrip(updated);
      setDraft(null);
      setState('idle');
      setError(null);
    } catch (err) {
      setState('error');
      setError(errorMessage(err));
    }
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>): void {
    if (e.key === 'Enter') {
      e.preventDefault();
      void save();
    } else if (e.key === 'Escape') {
      setDraft(null);
      setState('idle');
      setError(null);
    }
  }

  return (
    <input
      className={`av-edit${state === 'error' ? ' invalid' : ''}${state === 'saving' ? ' saving' : ''}`}
      aria-label={label}
      aria-invalid={state === 'error'}
      title={error ?? (field === 'tags' ? 'Tags, separated by commas' : 'A note on this round trip')}
      placeholder={field === 'tags' ? 'add tags' : 'add a note'}
      maxLength={field === 'note' ? 2000 : 600}
      value={value}
      onChange={(e) => setDraft(e.target.value)}
      onKeyDown={onKeyDown}
      onBlur={() => void save()}
    />
  );
}
