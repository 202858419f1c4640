/**
 * A version's feature importance as bars, labelled with its kind: the
 * trees' gain for a trained version, a permutation importance for an
 * imported one, with how it was measured. An imported version can have it
 * measured (again): on its golden rows, a dataset, or a venue's history;
 * the job runs with the others and the chart follows when it is done. A
 * refusal is shown under the button in the engine's words.
 */
import { useId, useState } from 'react';
import type { BacktestData } from '../../../shared/contract';
import type { ModelRecord } from '../../../shared/models';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { FormError, toShownError, type ShownError } from '../strategies/FormError';
import { ImportanceChart } from './ImportanceChart';
import { describePermutation, IMPORTANCE_TITLE, importanceKind, permutationOf } from './importanceView';
import { versionName } from './modelList';
import { RangeFields } from './RangeFields';
import { checkWindow } from '../backtests/backtestForm';

const GOLDEN = 'golden';
const VENUE = 'venue';

export function ImportanceSection({ model }: { model: ModelRecord }) {
  const kind = importanceKind(model);
  const permutation = permutationOf(model);
  return (
    <section className="mv-section" aria-label="Importance">
      <h3 className="mv-h3">{kind ? IMPORTANCE_TITLE[kind] : 'Feature importance'}</h3>
      {permutation && <p className="field-help">{describePermutation(permutation)}</p>}
      {kind === null ? <p className="muted">Not measured yet: an imported model&apos;s importance is measured by shuffling each feature.</p> : <ImportanceChart importance={model.featureImportance} />}
      {model.algorithm === 'onnx' && <MeasureImportance model={model} />}
    </section>
  );
}

function MeasureImportance({ model }: { model: ModelRecord }) {
  const { client, store } = useServices();
  const datasets = useKeel((s) => s.datasets);
  const venue = useKeel((s) => s.venue);
  const symbol = useKeel((s) => s.symbol);
  const ids = useId();
  const golden = Array.isArray(model.trainingParams.goldenRows) ? model.trainingParams.goldenRows.length : 0;
  const [choice, setChoice] = useState<string | null>(null);
  const [fromText, setFromText] = useState('');
  const [toText, setToText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);
  const source = choice ?? (golden > 0 || !(venue && symbol) ? GOLDEN : (datasets[0]?.id ?? VENUE));
  // Golden rows have no times: a range applies to bars only.
  const windowCheck = source === GOLDEN ? null : checkWindow(fromText, toText);
  const windowErrors = windowCheck && !windowCheck.ok ? windowCheck.errors : {};

  /** A field's setter that also clears the last refusal: the trader is changing what was refused. */
  const edited = (set: (value: string) => void) => (value: string) => {
    set(value);
    setError(null);
  };

  function data(): BacktestData | undefined {
    if (source === GOLDEN) return undefined;
    if (source === VENUE) return venue && symbol ? { venue, symbol, timeframe: '1m' } : undefined;
    return { dataset: source };
  }

  async function measure(): Promise<void> {
    if (windowCheck && !windowCheck.ok) return;
    setBusy(true);
    setError(null);
    try {
      const wanted = data();
      const range = windowCheck?.window ?? {};
      const { jobId } = await client.invoke('models.importance', { id: model.id, ...(wanted ? { data: wanted } : {}), ...range });
      store.getState().followJob(jobId);
      store.getState().notify('info', `Measuring the importance of ${versionName(model)}`);
    } catch (err) {
      setError(toShownError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <form
        className="mv-importance-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void measure();
        }}
      >
        <div className="field">
          <label htmlFor={`${ids}-source`}>Measure on</label>
          <select
            id={`${ids}-source`}
            value={source}
            onChange={(e) => {
              setChoice(e.target.value);
              setError(null);
            }}
          >
            <option value={GOLDEN}>Its golden rows ({golden})</option>
            {datasets.map((d) => (
              <option key={d.id} value={d.id}>
                Dataset {d.name}
              </option>
            ))}
            {venue && symbol && (
              <option value={VENUE}>
                {venue} {symbol} history, 1m
              </option>
            )}
          </select>
        </div>
        {source !== GOLDEN && (
          <RangeFields id={ids} from={fromText} to={toText} errors={windowErrors} onFrom={edited(setFromText)} onTo={edited(setToText)} />
        )}
        <button type="submit" className="btn btn-xs btn-primary" disabled={busy}>
          {busy ? 'Starting…' : 'Compute permutation importance'}
        </button>
      </form>
      <FormError error={error} testId="importance-error" />
    </>
  );
}
