/**
 * Historical bars to backtest on, imported from CSV (time, then open, high,
 * low, close, volume). The file is read here and sent as text; the engine
 * parses it strictly and, when it refuses it, names the row and column at
 * fault, which is shown as it says it.
 */
import { uploadDataset } from './datasetUpload';
import { useId, useRef, useState } from 'react';
import { MAX_DATASET_CSV_CHARS, type Dataset } from '../../../shared/contract';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { fmtDateTime } from '../../lib/format';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { FormError, toShownError, type ShownError } from '../strategies/FormError';
import { datasetNameFromFile, fmtPeriod } from './backtestForm';
import { fmtBarTime } from './statsFormat';

interface Picked {
  fileName: string;
  csv: string;
}

function fmtSizeOf(text: string): string {
  const n = text.length;
  if (n < 1024) return `${n} characters`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

function fmtDate(ms: number, periodMs: number): string {
  // Daily and slower bars: the date says it all; intraday bars need the time.
  return fmtBarTime(ms, periodMs < 86_400_000);
}

export function DatasetsPanel() {
  const { client, store } = useServices();
  const datasets = useKeel((s) => s.datasets);
  const ids = useId();
  const fileRef = useRef<HTMLInputElement>(null);
  const [picked, setPicked] = useState<Picked | null>(null);
  const [name, setName] = useState('');
  const [symbol, setSymbol] = useState('');
  const [reading, setReading] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);
  const [deleting, setDeleting] = useState<Dataset | null>(null);
  const [deleteError, setDeleteError] = useState<string | null>(null);

  async function pick(file: File | undefined): Promise<void> {
    setError(null);
    if (!file) {
      setPicked(null);
      return;
    }
    setReading(true);
    try {
      const csv = await file.text();
      if (csv.length > MAX_DATASET_CSV_CHARS) {
        setPicked(null);
        setError({ code: null, message: `${file.name} is larger than ${MAX_DATASET_CSV_CHARS / 1024 / 1024} MiB; split it or keep fewer bars.` });
        return;
      }
      if (csv.trim() === '') {
        setPicked(null);
        setError({ code: null, message: `${file.name} is empty.` });
        return;
      }
      setPicked({ fileName: file.name, csv });
      setName((n) => n || datasetNameFromFile(file.name));
    } catch (err) {
      setError({ code: null, message: `Could not read ${file.name}: ${toShownError(err).message}` });
    } finally {
      setReading(false);
    }
  }

  async function importCsv(): Promise<void> {
    if (!picked || busy) return;
    const trimmed = name.trim();
    if (!trimmed) {
      setError({ code: null, message: 'Give the dataset a name.' });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const dataset = await uploadDataset(client, { name: trimmed, csv: picked.csv, ...(symbol.trim() ? { symbol: symbol.trim() } : {}) });
      store.getState().upsertDataset(dataset);
      store.getState().notify('success', `Imported ${dataset.name}: ${dataset.bars.toLocaleString('en-US')} bars`);
      setPicked(null);
      setName('');
      setSymbol('');
      if (fileRef.current) fileRef.current.value = '';
    } catch (err) {
      // Keep the file, name and symbol: the trader fixes the file or the name and tries again.
      setError(toShownError(err));
    } finally {
      setBusy(false);
    }
  }

  async function remove(d: Dataset): Promise<void> {
    setDeleteError(null);
    try {
      await client.invoke('datasets.delete', { id: d.id });
      store.getState().removeDataset(d.id);
      setDeleting(null);
    } catch (err) {
      setDeleteError(toShownError(err).message);
    }
  }

  return (
    <section className="panel bt-datasets" aria-label="Datasets">
      <div className="panel-title">
        <span>
          Datasets <span className="count">{datasets.length}</span>
        </span>
        <span className="muted" title="A CSV file: the bar time first, then open, high, low, close and volume">
          CSV: time, OHLCV
        </span>
      </div>
      <form
        className="ds-import"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void importCsv();
        }}
      >
        <label className="btn btn-xs ds-file" htmlFor={`${ids}-file`}>
          {reading ? 'Reading…' : picked ? 'Change file…' : 'Choose CSV…'}
        </label>
        <input
          id={`${ids}-file`}
          ref={fileRef}
          className="sr-only"
          type="file"
          accept=".csv,.txt,text/csv,text/plain"
          data-testid="dataset-import-file"
          onChange={(e) => void pick(e.target.files?.[0])}
        />
        <input
          type="text"
          className="ds-name"
          aria-label="Dataset name"
          placeholder="Name"
          maxLength={80}
          data-testid="dataset-import-name"
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            setError(null);
          }}
        />
        <input
          type="text"
          className="ds-symbol"
          aria-label="Symbol (optional)"
          placeholder="Symbol"
          maxLength={40}
          value={symbol}
          onChange={(e) => setSymbol(e.target.value)}
        />
        <button type="submit" className="btn btn-xs btn-primary" data-testid="dataset-import-submit" disabled={!picked || busy || reading}>
          {busy ? 'Importing…' : 'Import'}
        </button>
        {picked && (
          <span className="ds-picked muted" title={picked.fileName}>
            {picked.fileName} · {fmtSizeOf(picked.csv)}
          </span>
        )}
      </form>
      <FormError error={error} testId="dataset-import-error" />
      <ul className="ds-list" aria-label="Imported datasets">
        {datasets.map((d) => (
          <li
            key={d.id}
            className="ds-row"
            data-testid={`dataset-row-${d.id}`}
            title={`${d.name}: ${fmtDate(d.from, d.periodMs)} to ${fmtDate(d.to, d.periodMs)}, imported ${fmtDateTime(d.createdAt)}`}
          >
            <span className="ds-line1">
              <span className="ds-name-text">{d.name}</span>
              {d.symbol !== d.name && <span className="muted ds-sym">{d.symbol}</span>}
            </span>
            <span className="ds-line2">
              <span className="num-left">{d.bars.toLocaleString('en-US')} bars</span>
              <span className="num-left">
                {fmtBarTime(d.from, false)} → {fmtBarTime(d.to, false)}
              </span>
              <span title="Bar period">{fmtPeriod(d.periodMs)}</span>
            </span>
            <button
              type="button"
              className="btn btn-xs btn-ghost ds-delete"
              aria-label={`Delete dataset ${d.name}`}
              title="Delete this dataset"
              onClick={() => {
                setDeleteError(null);
                setDeleting(d);
              }}
            >
              ✕
            </button>
          </li>
        ))}
        {datasets.length === 0 && <li className="table-empty">No datasets: import a CSV of bars.</li>}
      </ul>
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete dataset ${deleting?.name ?? ''}?`}
        confirmLabel="Delete"
        danger
        onCancel={() => setDeleting(null)}
        onConfirm={() => deleting && void remove(deleting)}
      >
        <p>Deletes the imported bars. Runs already made on it keep their results.</p>
        {deleteError && (
          <p className="dialog-error" role="alert">
            {deleteError}
          </p>
        )}
      </ConfirmDialog>
    </section>
  );
}
