/**
 * Imports an ONNX model from the screen: the .onnx file (its bytes read
 * here and sent as base64), a name, the model's features in its input
 * column order (typed, or read from a features CSV's header; names Keel's
 * pipeline computes let it score bars and drive a strategy), what its
 * outputs mean, its maximum age, and optional golden rows from a CSV. The form's own checks
 * are shown at each field; the engine's refusal (input name, shape or type,
 * a golden row that does not match) is shown in its words under the form,
 * which keeps everything chosen. An accepted model is listed and shown.
 */
import { useId, useState } from 'react';
import { TextField } from '../../components/TextField';
import { useServices } from '../../stores/KeelProvider';
import { FormError, toShownError, type ShownError } from '../strategies/FormError';
import { KEEL_FEATURE_NAMES } from '../../../shared/featureNames';
import { MaxAgeFields } from './MaxAgeFields';
import {
  buildImportRequest,
  DEFAULT_IMPORT_FORM,
  featureNamesFromCsv,
  foreignFeatures,
  readFeatureNames,
  toBase64,
  type GoldenRowsFile,
  type ImportFormErrors,
  type ImportFormText,
  type ModelFile,
} from './importForm';

export function ImportOnnxForm() {
  const { client, store } = useServices();
  const ids = useId();
  const [text, setText] = useState<ImportFormText>(DEFAULT_IMPORT_FORM);
  const [model, setModel] = useState<ModelFile | null>(null);
  const [golden, setGolden] = useState<GoldenRowsFile | null>(null);
  const [fileError, setFileError] = useState<ImportFormErrors>({});
  const [attempted, setAttempted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<ShownError | null>(null);

  const built = buildImportRequest(text, model, golden);
  const errors: ImportFormErrors = { ...(attempted && !built.ok ? built.errors : {}), ...fileError };
  const names = readFeatureNames(text.features);
  const foreign = names.ok ? foreignFeatures(names.names) : [];

  function edit<K extends keyof ImportFormText>(key: K, value: ImportFormText[K]): void {
    setText((t) => ({ ...t, [key]: value }));
    setServerError(null);
  }

  async function read(file: File | undefined, what: 'model' | 'features' | 'goldenRows'): Promise<void> {
    setServerError(null);
    setFileError((e) => ({ ...e, [what === 'features' ? 'features' : what]: undefined }));
    if (!file) return;
    try {
      if (what === 'model') {
        setModel({ fileName: file.name, base64: toBase64(new Uint8Array(await file.arrayBuffer())) });
        if (text.name.trim() === '') edit('name', file.name.replace(/\.onnx$/i, ''));
      } else if (what === 'features') {
        const got = featureNamesFromCsv(await file.text());
        if (got.ok) edit('features', got.names.join(', '));
        else setFileError((e) => ({ ...e, features: `${file.name}: ${got.error}` }));
      } else {
        setGolden({ fileName: file.name, csv: await file.text() });
      }
    } catch (err) {
      setFileError((e) => ({ ...e, [what]: `Could not read ${file.name}: ${toShownError(err).message}` }));
    }
  }

  async function submit(): Promise<void> {
    setAttempted(true);
    setServerError(null);
    if (busy || !built.ok) return;
    setBusy(true);
    try {
      const record = await client.invoke('models.import', built.request);
      const s = store.getState();
      s.upsertModel(record);
      s.selectModel(record.id);
      s.notify('info', `Imported ${record.name} v${record.version}`);
      setAttempted(false);
    } catch (err) {
      // Keep every choice: the trader fixes the names or the rows and tries again.
      setServerError(toShownError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="mv-import" aria-label="Import ONNX">
      <h2 className="mv-detail-title">Import an ONNX model</h2>
      <p className="field-help">
        A classifier (probabilities per class) or a model of one value, with one float input of shape [batch, features]. Golden rows, if given, are run and must match its answers.
      </p>
      <form
        className="mv-import-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <div className={`field ${errors.model ? 'has-error' : ''}`}>
          <span className="field-label">Model file</span>
          <span className="mv-file-row">
            <label className="btn btn-xs" htmlFor={`${ids}-onnx`}>
              {model ? 'Change file…' : 'Choose .onnx…'}
            </label>
            <input id={`${ids}-onnx`} className="sr-only" type="file" accept=".onnx,application/octet-stream" data-testid="onnx-file" onChange={(e) => void read(e.target.files?.[0], 'model')} />
            {model && <span className="muted">{model.fileName}</span>}
          </span>
          {errors.model && (
            <span className="field-error" role="alert">
              {errors.model}
            </span>
          )}
        </div>

        <TextField id={`${ids}-name`} label="Name" words value={text.name} error={errors.name} placeholder="imported-direction" onChange={(v) => edit('name', v)} />

        <div className={`field ${errors.features ? 'has-error' : ''}`}>
          <label htmlFor={`${ids}-features`}>Features, in the model&apos;s input column order</label>
          <textarea
            id={`${ids}-features`}
            rows={3}
            spellCheck={false}
            value={text.features}
            placeholder="ret_1, ret_3, rsi_14"
            aria-invalid={errors.features ? true : undefined}
            onChange={(e) => edit('features', e.target.value)}
          />
          <span className="mv-file-row">
            <label className="btn btn-xs btn-ghost" htmlFor={`${ids}-features-csv`}>
              From a features CSV…
            </label>
            <input id={`${ids}-features-csv`} className="sr-only" type="file" accept=".csv,.txt,text/csv,text/plain" onChange={(e) => void read(e.target.files?.[0], 'features')} />
            <button type="button" className="btn btn-xs btn-ghost" title={KEEL_FEATURE_NAMES.join(', ')} onClick={() => edit('features', KEEL_FEATURE_NAMES.join(', '))}>
              All of Keel&apos;s features
            </button>
          </span>
          {errors.features && (
            <span className="field-error" role="alert">
              {errors.features}
            </span>
          )}
          {foreign.length > 0 && (
            <span className="field-help" data-testid="foreign-features">
              Not Keel&apos;s features: {foreign.join(', ')}. The model can score a features CSV, but not bars, a backtest or a strategy.
            </span>
          )}
        </div>

        <fieldset className="limits-group">
          <legend>Outputs</legend>
          <div className="seg seg-wide" role="radiogroup" aria-label="Outputs">
            <button type="button" role="radio" className="seg-btn" aria-checked={text.targetKind === 'direction'} aria-pressed={text.targetKind === 'direction'} onClick={() => edit('targetKind', 'direction')}>
              Long / short / neutral
            </button>
            <button type="button" role="radio" className="seg-btn" aria-checked={text.targetKind === 'return'} aria-pressed={text.targetKind === 'return'} onClick={() => edit('targetKind', 'return')}>
              Return
            </button>
          </div>
          <div className="mv-grid3">
            <TextField id={`${ids}-horizon`} label="Horizon" unit="bars" value={text.horizon} error={errors.horizon} onChange={(v) => edit('horizon', v)} help="Bars ahead its outputs speak of" />
            {text.targetKind === 'direction' && (
              <TextField id={`${ids}-threshold`} label="Threshold" unit="%" value={text.thresholdPct} error={errors.thresholdPct} onChange={(v) => edit('thresholdPct', v)} help="The move beyond which a bar is long or short" />
            )}
          </div>
          {text.targetKind === 'direction' && <p className="field-help">Three probabilities, in this order: long, short, neutral.</p>}
        </fieldset>

        <fieldset className="limits-group">
          <legend>Use</legend>
          <MaxAgeFields id={ids} value={text.maxAge} unit={text.maxAgeUnit} error={errors.maxAge} onValue={(v) => edit('maxAge', v)} onUnit={(u) => edit('maxAgeUnit', u)} />
        </fieldset>

        <div className={`field ${errors.goldenRows ? 'has-error' : ''}`}>
          <span className="field-label">Golden rows (optional)</span>
          <span className="mv-file-row">
            <label className="btn btn-xs" htmlFor={`${ids}-golden`}>
              {golden ? 'Change CSV…' : 'Choose CSV…'}
            </label>
            <input id={`${ids}-golden`} className="sr-only" type="file" accept=".csv,.txt,text/csv,text/plain" data-testid="golden-file" onChange={(e) => void read(e.target.files?.[0], 'goldenRows')} />
            {golden && (
              <>
                <span className="muted">{golden.fileName}</span>
                <button type="button" className="btn btn-xs btn-ghost" onClick={() => setGolden(null)}>
                  Remove
                </button>
              </>
            )}
          </span>
          <span className="field-help">A column per feature (by name), the other columns the outputs expected, in order.</span>
          {errors.goldenRows && (
            <span className="field-error" role="alert">
              {errors.goldenRows}
            </span>
          )}
        </div>

        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Importing…' : 'Import'}
        </button>
      </form>
      <FormError error={serverError} testId="import-error" />
    </section>
  );
}
