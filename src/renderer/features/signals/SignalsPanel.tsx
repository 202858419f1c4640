/**
 * The Signals view: what models said about each closed bar for the running
 * model-driven strategies, newest first and live, narrowed by strategy and
 * symbol. A row tells the bar, the direction (in words and colour), the
 * confidence, the model version, the strategy, the regime, whether the
 * strategy acted or why not, and the orders it caused (each opens that
 * order's detail). The newest thousand are kept on screen; older ones stay
 * in the journal.
 */
import { useMemo } from 'react';
import { VirtualTable, type Column } from '../../components/VirtualTable';
import { useNow } from '../../lib/useNow';
import { useKeel } from '../../stores/KeelProvider';
import { SIGNAL_CAPS } from '../../stores/signals';
import { signalRow, strategyChoices, symbolChoices, type SignalRow } from './signalFormat';
import { useSignalFeed } from './useSignalFeed';
import './signals.css';

function Filters() {
  const filter = useKeel((s) => s.signalFeedFilter);
  const setFilter = useKeel((s) => s.setSignalFeedFilter);
  const strategies = useKeel((s) => s.strategies);
  const instruments = useKeel((s) => s.instruments);
  const rows = useKeel((s) => s.signalFeed.rows);
  const strategyOptions = useMemo(() => strategyChoices(strategies, rows, filter.strategyId), [strategies, rows, filter.strategyId]);
  const symbolOptions = useMemo(() => symbolChoices(instruments.map((i) => i.symbol), rows, filter.symbol), [instruments, rows, filter.symbol]);
  return (
    <div className="sg-filters">
      <select
        className="venue-filter"
        aria-label="Signals: strategy"
        title="Show every strategy's signals, or one's"
        value={filter.strategyId ?? ''}
        onChange={(e) => setFilter({ strategyId: e.target.value === '' ? null : e.target.value })}
      >
        <option value="">All strategies</option>
        {strategyOptions.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
      <select
        className="venue-filter"
        aria-label="Signals: symbol"
        title="Show every symbol's signals, or one's"
        value={filter.symbol ?? ''}
        onChange={(e) => setFilter({ symbol: e.target.value === '' ? null : e.target.value })}
      >
        <option value="">All symbols</option>
        {symbolOptions.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
    </div>
  );
}

function Orders({ ids }: { ids: readonly string[] }) {
  const open = useKeel((s) => s.openOrderDetail);
  if (ids.length === 0) return <span className="muted">—</span>;
  return (
    <span className="sg-orders">
      {ids.map((id) => (
        <button key={id} type="button" className="link mono-id" title={`Open order ${id}`} onClick={() => open(id)}>
          {id}
        </button>
      ))}
    </span>
  );
}

const COLUMNS: Column<SignalRow>[] = [
  { key: 'time', header: 'Bar', className: 'num muted', width: 126, render: (r) => <span title={r.timeTitle}>{r.time}</span> },
  { key: 'symbol', header: 'Symbol', width: 112, render: (r) => r.symbol },
  { key: 'tf', header: 'TF', width: 36, className: 'muted', render: (r) => r.timeframe },
  {
    key: 'direction',
    header: 'Direction',
    width: 70,
    render: (r) => <span className={`sg-direction ${r.direction.className}`}>{r.direction.label}</span>,
  },
  { key: 'confidence', header: 'Confidence', className: 'num', width: 78, render: (r) => r.confidence },
  { key: 'model', header: 'Model', width: 150, render: (r) => <span title={r.model}>{r.model}</span> },
  { key: 'strategy', header: 'Strategy', width: 140, render: (r) => <span title={r.strategy}>{r.strategy}</span> },
  { key: 'regime', header: 'Regime', width: 100, className: 'muted', render: (r) => r.regime },
  {
    key: 'decision',
    header: 'Acted / why not',
    width: 300,
    render: (r) => (
      <span className={r.decision.acted ? 'sg-acted' : 'sg-not-acted'} title={r.decision.title}>
        {r.decision.text}
      </span>
    ),
  },
  { key: 'orders', header: 'Orders', render: (r) => <Orders ids={r.orderIds} /> },
];

export function SignalsPanel() {
  useSignalFeed();
  const feed = useKeel((s) => s.signalFeed);
  const strategies = useKeel((s) => s.strategies);
  const now = useNow();
  const rows = useMemo(() => feed.rows.map((s) => signalRow(s, strategies, now)), [feed.rows, strategies, now]);
  const full = feed.rows.length >= SIGNAL_CAPS.signalFeed;
  return (
    <section className="panel sg-panel" aria-label="Signals" data-testid="signals-panel">
      <div className="panel-title">
        <span>
          Signals <span className="count">{feed.rows.length}</span>
        </span>
        <span className="muted">{full ? `newest ${SIGNAL_CAPS.signalFeed.toLocaleString()} · live` : 'newest first · live'}</span>
        <Filters />
      </div>
      {feed.error && (
        <div className="risk-error" role="alert">
          Could not load signals: {feed.error}
        </div>
      )}
      <VirtualTable
        label="Signals"
        rows={rows}
        columns={COLUMNS}
        rowKey={(r) => r.id}
        rowClassName={(r) => (r.decision.acted ? 'sg-row-acted' : '')}
        empty={feed.loaded ? 'No signals yet: a running model-driven strategy records one for each closed bar it scores.' : 'Loading signals…'}
      />
    </section>
  );
}
