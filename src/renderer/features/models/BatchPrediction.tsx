/**
 * Batch prediction: choose a model version, pick a CSV (bars, or rows of the
 * model's features named in the header), and the engine scores it in the
 * ML worker. The first rows are shown with the model's call and its
 * confidence; the full answer downloads as CSV. A refused file is shown in
 * the engine's words, which name the row and column at fault.
 */
import { useEffect, useId, useMemo, useState } from 'react';
import type { PredictBatchResult } from '../../../shared/contract';
import type { ModelRecord } from '../../../shared/models';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { fmtNumber } from '../backtests/statsFormat';
import { FormError, toShownError, type ShownError } from '../strategies/FormError';
import { batchFileName, checkBatchFile, describeBatch, previewBatch, PREVIEW_ROWS } from './batchPrediction';
import { fmtShare } from './modelFormat';
import { versionName } from './modelList';

interface Picked {
  fileName: string;
  csv: string;
}

interface Scored {
  model: ModelRecord;
  fileName: string;
  result: PredictBatchResult;
}

export function BatchPrediction() {
  const { client } = useServices();
  const models = useKeel((s) => s.models);
  const selected = useKeel((s) => s.selectedModel);
  const ids = useId();
  const [modelChoice, setModelChoice] = useState<string | null>(null);
  const [picked, setPicked] = useState<Picked | null>(null);
  const [reading, setReading] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);
  const [scored, setScored] = useState<Scored | null>(null);

  const modelId = [modelChoice, selected].find((id) => id && models.some((m) => m.id === id)) ?? models[0]?.id ?? '';
  const model = models.find((m) => m.id === modelId);

  async function pick(file: File | undefined): Promise<void> {
    setError(null);
    setPicked(null);
    // A new file: the answer for the last one goes, so nothing on screen mixes the two.
    setScored(null);
    if (!file) return;
    setReading(true);
    try {
      const csv = await file.text();
      const refused = checkBatchFile(file.name, csv);
      if (refused) setError({ code: null, message: refused });
      else setPicked({ fileName: file.name, csv });
    } catch (err) {
      setError({ code: null, message: `Could not read ${file.name}: ${toShownError(err).message}` });
    } finally {
      setReading(false);
    }
  }

  async function predict(): Promise<void> {
    if (!model || !picked || busy) return;
    setBusy(true);
    setError(null);
    try {
      const result = await client.invoke('models.predictBatch', { id: model.id, csv: picked.csv });
      setScored({ model, fileName: picked.fileName, result });
    } catch (err) {
      // Keep the file: the trader fixes it, or picks another model, and tries again.
      setError(toShownError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="mv-batch" aria-label="Batch prediction">
      <h2 className="mv-detail-title">Batch prediction</h2>
      <p className="field-help">
        A CSV of bars (time, open, high, low, close, volume), or of the model&apos;s features by name in any order, optionally after a time column.
      </p>
      <form
        className="mv-batch-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void predict();
        }}
      >
        <div className="field">
          <label htmlFor={`${ids}-model`}>Model</label>
          <select
            id={`${ids}-model`}
            value={modelId}
            disabled={models.length === 0}
            onChange={(e) => {
              setModelChoice(e.target.value);
              setError(null);
            }}
          >
            {models.length === 0 && <option value="">No models yet</option>}
            {models.map((m) => (
              <option key={m.id} value={m.id}>
                {versionName(m)} · {m.status}
              </option>
            ))}
          </select>
        </div>
        <label className="btn btn-xs" htmlFor={`${ids}-file`}>
          {reading ? 'Reading…' : picked ? 'Change file…' : 'Choose CSV…'}
        </label>
        <input id={`${ids}-file`} className="sr-only" type="file" accept=".csv,.txt,text/csv,text/plain" data-testid="batch-file" onChange={(e) => void pick(e.target.files?.[0])} />
        {picked && (
          <span className="muted mv-batch-file" title={picked.fileName}>
            {picked.fileName}
          </span>
        )}
        <button type="submit" className="btn btn-xs btn-primary" disabled={!model || !picked || busy || reading}>
          {busy ? 'Predicting…' : 'Predict'}
        </button>
      </form>
      {model && model.features.length > 0 && (
        <p className="field-help mv-batch-features" title={model.features.join(', ')}>
          {versionName(model)} reads {model.features.length} feature{model.features.length === 1 ? '' : 's'}: {model.features.join(', ')}
        </p>
      )}
      <FormError error={error} testId="batch-error" />
      {scored && <BatchResult scored={scored} />}
    </section>
  );
}

function BatchResult({ scored }: { scored: Scored }) {
  const preview = useMemo(() => previewBatch(scored.result), [scored]);
  const url = useMemo(() => URL.createObjectURL(new Blob([scored.result.csv], { type: 'text/csv' })), [scored]);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  const download = batchFileName(scored.model, scored.fileName);

  return (
    <div className="mv-batch-result">
      <div className="mv-batch-summary">
        <span>
          {versionName(scored.model)} on {scored.fileName}: {describeBatch(scored.result)}
          {preview.total > PREVIEW_ROWS && <span className="muted"> The first {PREVIEW_ROWS} are shown.</span>}
        </span>
        <a className="btn btn-xs" href={url} download={download}>
          Download CSV
        </a>
      </div>
      <div className="table-scroll mv-table-box">
        <table className="grid mv-batch-table" aria-label="Batch prediction result">
          <thead>
            <tr>
              <th scope="col">{preview.keyLabel}</th>
              <th scope="col">Call</th>
              <th scope="col" className="num" title="The model's probability for the class it calls">
                Confidence
              </th>
              {preview.outputs.map((o) => (
                <th key={o} scope="col" className="num">
                  {o}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((r, i) => (
              <tr key={i}>
                <th scope="row">{r.key}</th>
                <td>{r.call}</td>
                <td className="num">{fmtShare(r.confidence)}</td>
                {r.outputs.map((v, j) => (
                  <td key={j} className="num">
                    {preview.outputs.length === 1 ? fmtNumber(v, 6) : fmtNumber(v, 4)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
