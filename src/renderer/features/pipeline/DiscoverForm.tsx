/**
 * The Discover form: a family of the catalog (ML-scored with a model), the
 * data (a dataset, or a venue's stored history) with the market its cards
 * would trade, and the size of the search; Discover answers a job whose
 * progress is listed underneath.
 */
import { useState } from 'react';
import { TIMEFRAMES } from '../../../shared/domain';
import { errorMessage } from '../../api/client';
import { fmtDateTime } from '../../lib/format';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { DEFAULT_DISCOVER_FORM, discoverySpec, type DiscoverForm as Form } from './pipelineFormat';

export function DiscoverForm() {
  const { client } = useServices();
  const catalog = useKeel((s) => s.strategyCatalog);
  const datasets = useKeel((s) => s.datasets);
  const venues = useKeel((s) => s.venues);
  const instruments = useKeel((s) => s.instruments);
  const discoveries = useKeel((s) => s.pipeline?.discoveries ?? null);
  const [form, setForm] = useState<Form>(DEFAULT_DISCOVER_FORM);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));

  const submit = (): void => {
    const built = discoverySpec(form, (venue, symbol) => instruments.find((i) => i.venue === venue && i.symbol === symbol)?.lotSize);
    if ('error' in built) {
      setMessage(built.error);
      return;
    }
    setBusy(true);
    client.invoke('pipeline.discover', { spec: built.spec }).then(
      () => {
        setMessage('Discovery started: its progress is listed below.');
        setBusy(false);
      },
      (err: unknown) => {
        setMessage(errorMessage(err));
        setBusy(false);
      },
    );
  };

  return (
    <section className="panel pl-discover" aria-label="Discover">
      <div className="panel-title">Discover</div>
      <form
        className="pl-form"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <label>
          <span>Family</span>
          <select value={form.family} onChange={(e) => set({ family: e.target.value })}>
            {catalog.filter((entry) => entry.error === null).map((entry) => (
              <option key={entry.type} value={entry.type}>
                {entry.name}
              </option>
            ))}
          </select>
        </label>
        {form.family === 'ml-scored' && (
          <label>
            <span>Model</span>
            <input value={form.model} onChange={(e) => set({ model: e.target.value })} placeholder="model name or version id" />
          </label>
        )}
        <label>
          <span>Data</span>
          <select value={form.source} onChange={(e) => set({ source: e.target.value })}>
            <option value="">Choose…</option>
            {datasets.map((d) => (
              <option key={d.id} value={`dataset:${d.id}`}>
                Dataset {d.name}
              </option>
            ))}
            {venues.map((v) => (
              <option key={v.venue} value={`venue:${v.venue}`}>
                {v.venue} history
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Symbol</span>
          <input value={form.symbol} onChange={(e) => set({ symbol: e.target.value.toUpperCase() })} placeholder="BTC/USDT:USDT" />
        </label>
        <label>
          <span>Timeframe</span>
          <select value={form.timeframe} onChange={(e) => set({ timeframe: e.target.value })}>
            {TIMEFRAMES.map((tf) => (
              <option key={tf} value={tf}>
                {tf}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Trials</span>
          <input inputMode="numeric" value={form.maxTrials} onChange={(e) => set({ maxTrials: e.target.value })} />
        </label>
        <label>
          <span>Folds</span>
          <input inputMode="numeric" value={form.folds} onChange={(e) => set({ folds: e.target.value })} />
        </label>
        <label>
          <span>Candidates</span>
          <input inputMode="numeric" value={form.candidates} onChange={(e) => set({ candidates: e.target.value })} />
        </label>
        <label>
          <span>Repeat every (h)</span>
          <input inputMode="decimal" value={form.everyHours} onChange={(e) => set({ everyHours: e.target.value })} placeholder="once" />
        </label>
        <button type="submit" className="btn btn-primary btn-xs" disabled={busy}>
          Discover
        </button>
      </form>
      {message && (
        <p className="pl-note" role="status">
          {message}
        </p>
      )}
      <ul className="pl-discoveries">
        {(discoveries ?? []).slice(0, 5).map((d) => (
          <li key={d.jobId} data-testid="pipeline-discovery" data-status={d.status} title={`Discovery ${d.jobId}`}>
            <strong>{d.label ?? d.jobId}</strong>
            <div>
              {d.startedAt !== undefined && <span className="muted">{fmtDateTime(d.startedAt)} · </span>}
              {d.status} {d.done}/{d.total} · kept {d.kept}
            </div>
            <div className="muted">{d.message}</div>
          </li>
        ))}
      </ul>
    </section>
  );
}
