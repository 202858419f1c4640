/**
 * Sets up a training: the model's name (a new version when the name
 * exists), the algorithm and its main tree parameters, the bars (a dataset
 * or a venue's history, and an optional date range for either), what to
 * predict, and how long the model may be used. Nothing is sent while a field is refused; the
 * engine's refusal is shown as it says it and the form is kept.
 */
import { useId, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Timeframe } from '../../../shared/domain';
import { TextField } from '../../components/TextField';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { buildData, checkWindow } from '../backtests/backtestForm';
import { DataSourceFields, type SourceKind } from '../strategies/DataSourceFields';
import { FormError, toShownError, type ShownError } from '../strategies/FormError';
import { pickMarket } from '../strategies/marketChoice';
import { ALGORITHM_LABEL } from './modelFormat';
import { MaxAgeFields } from './MaxAgeFields';
import { RangeFields } from './RangeFields';
import { DEFAULT_TRAIN_FORM, buildTrainRequest, checkTrainForm, type TrainAlgorithm, type TrainFormErrors, type TrainFormText } from './trainForm';

/** Short enough for the switch; the full name is its hover text. */
const ALGORITHM_CHOICE: Record<TrainAlgorithm, string> = { gbdt: 'Boosted trees', 'random-forest': 'Random forest' };

export function TrainForm() {
  const { client, store } = useServices();
  const datasets = useKeel((s) => s.datasets);
  const venueIds = useKeel(useShallow((s) => s.venues.map((v) => v.venue)));
  const allInstruments = useKeel((s) => s.instruments);
  const tradingVenue = useKeel((s) => s.venue);
  const tradingSymbol = useKeel((s) => s.symbol);
  const modelNames = useKeel(useShallow((s) => [...new Set(s.models.map((m) => m.name))].sort()));
  const ids = useId();

  const [text, setText] = useState<TrainFormText>(DEFAULT_TRAIN_FORM);
  const [sourceChoice, setSourceChoice] = useState<SourceKind | null>(null);
  const [datasetChoice, setDatasetChoice] = useState<string | null>(null);
  const [venueChoice, setVenueChoice] = useState<string | null>(null);
  const [symbolChoice, setSymbolChoice] = useState<string | null>(null);
  const [timeframe, setTimeframe] = useState<Timeframe>('1m');
  const [fromText, setFromText] = useState('');
  const [toText, setToText] = useState('');
  const [attempted, setAttempted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<ShownError | null>(null);

  const sourceKind: SourceKind = sourceChoice ?? (datasets.length > 0 ? 'dataset' : 'venue');
  const dataset = datasetChoice && datasets.some((d) => d.id === datasetChoice) ? datasetChoice : (datasets[0]?.id ?? '');
  const market = useMemo(
    () => pickMarket({ venueIds, instruments: allInstruments, tradingVenue, tradingSymbol, venueChoice, symbolChoice }),
    [venueIds, allInstruments, tradingVenue, tradingSymbol, venueChoice, symbolChoice],
  );

  // Every check, every render: cheap, and the button always knows whether it may send.
  const form = checkTrainForm(text);
  // The range is the training's own (from, to), whatever the source: the data carries none.
  const windowCheck = checkWindow(fromText, toText);
  const dataBuild = buildData(sourceKind === 'dataset' ? { kind: 'dataset', dataset } : { kind: 'venue', venue: market.venue, symbol: market.symbol, timeframe }, {});
  const request = form.ok && dataBuild.ok && windowCheck.ok ? buildTrainRequest(form.value, dataBuild.data, windowCheck.window) : null;
  const errors: TrainFormErrors = attempted && !form.ok ? form.errors : {};
  const windowErrors = windowCheck.ok ? {} : windowCheck.errors;
  const existing = modelNames.includes(text.name.trim());

  function edit<K extends keyof TrainFormText>(key: K, value: TrainFormText[K]): void {
    setText((t) => ({ ...t, [key]: value }));
    setServerError(null);
  }

  async function submit(): Promise<void> {
    setAttempted(true);
    setServerError(null);
    if (busy || !request?.ok) return;
    setBusy(true);
    try {
      const { jobId } = await client.invoke('models.train', request.request);
      store.getState().followJob(jobId);
      store.getState().notify('info', `Training ${request.request.name} started`);
      setAttempted(false);
    } catch (err) {
      setServerError(toShownError(err));
    } finally {
      setBusy(false);
    }
  }

  const field = (key: keyof TrainFormText & keyof TrainFormErrors) => (value: string) => edit(key, value);
  const editRange = (set: (value: string) => void, value: string) => {
    set(value);
    setServerError(null);
  };

  return (
    <section className="panel mv-form-panel" aria-label="Train a model">
      <div className="panel-title">
        <span>Train a model</span>
      </div>
      <form
        className="sv-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <div className="sv-form-body">
          <TextField id={`${ids}-name`} label="Name" words value={text.name} error={errors.name} placeholder="btc-direction" onChange={field('name')} />
          {existing && <p className="field-help">A new version of {text.name.trim()}: it starts as a candidate; the active version stays until you activate this one.</p>}

          <fieldset className="limits-group">
            <legend>Algorithm</legend>
            <div className="seg seg-wide" role="radiogroup" aria-label="Algorithm">
              {(['gbdt', 'random-forest'] as TrainAlgorithm[]).map((a) => (
                <button
                  key={a}
                  type="button"
                  role="radio"
                  className="seg-btn"
                  title={ALGORITHM_LABEL[a]}
                  aria-checked={text.algorithm === a}
                  aria-pressed={text.algorithm === a}
                  onClick={() => edit('algorithm', a)}
                >
                  {ALGORITHM_CHOICE[a]}
                </button>
              ))}
            </div>
            {text.algorithm === 'gbdt' ? (
              <div className="mv-grid3">
                <TextField id={`${ids}-rounds`} label="Rounds" value={text.rounds} error={errors.rounds} onChange={field('rounds')} help="Boosting rounds: trees added one after another" />
                <TextField id={`${ids}-depth`} label="Max depth" value={text.gbdtDepth} error={errors.gbdtDepth} onChange={field('gbdtDepth')} help="Deepest split of each tree" />
                <TextField id={`${ids}-rate`} label="Learning rate" value={text.learningRate} error={errors.learningRate} onChange={field('learningRate')} help="How much each round corrects the last (0 to 1)" />
              </div>
            ) : (
              <div className="mv-grid3">
                <TextField id={`${ids}-trees`} label="Trees" value={text.trees} error={errors.trees} onChange={field('trees')} help="Trees in the forest" />
                <TextField id={`${ids}-fdepth`} label="Max depth" value={text.forestDepth} error={errors.forestDepth} onChange={field('forestDepth')} help="Deepest split of each tree" />
              </div>
            )}
          </fieldset>

          <fieldset className="limits-group">
            <legend>Data</legend>
            <DataSourceFields
              ids={ids}
              kind={sourceKind}
              onKind={(k) => {
                setSourceChoice(k);
                setServerError(null);
              }}
              datasets={datasets}
              dataset={dataset}
              onDataset={(d) => {
                setDatasetChoice(d);
                setServerError(null);
              }}
              market={market}
              timeframe={timeframe}
              onVenue={(v) => {
                setVenueChoice(v);
                setSymbolChoice(null);
                setServerError(null);
              }}
              onSymbol={(s) => {
                setSymbolChoice(s);
                setServerError(null);
              }}
              onTimeframe={(tf) => {
                setTimeframe(tf);
                setServerError(null);
              }}
            />
            <RangeFields id={ids} from={fromText} to={toText} errors={windowErrors} onFrom={(v) => editRange(setFromText, v)} onTo={(v) => editRange(setToText, v)} />
            <p className="field-help">Only bars opening in this range are used; blank uses all of {sourceKind === 'dataset' ? 'the dataset' : 'the history'}.</p>
            {!dataBuild.ok && attempted && (
              <p className="field-error" role="alert">
                {dataBuild.error}
              </p>
            )}
          </fieldset>

          <fieldset className="limits-group">
            <legend>Target</legend>
            <div className="seg seg-wide" role="radiogroup" aria-label="Target">
              <button type="button" role="radio" className="seg-btn" aria-checked={text.targetKind === 'direction'} aria-pressed={text.targetKind === 'direction'} onClick={() => edit('targetKind', 'direction')}>
                Direction
              </button>
              <button type="button" role="radio" className="seg-btn" aria-checked={text.targetKind === 'return'} aria-pressed={text.targetKind === 'return'} onClick={() => edit('targetKind', 'return')}>
                Return
              </button>
            </div>
            <div className="bt-grid2">
              <TextField id={`${ids}-horizon`} label="Horizon" value={text.horizon} error={errors.horizon} onChange={field('horizon')} unit="bars" help="How far ahead the target looks" />
              <TextField
                id={`${ids}-threshold`}
                label="Threshold"
                value={text.thresholdPct}
                error={errors.thresholdPct}
                onChange={field('thresholdPct')}
                unit="%"
                disabled={text.targetKind !== 'direction'}
                help="A move beyond ± this over the horizon is long or short; inside it, neutral"
              />
            </div>
            <p className="field-help">
              {text.targetKind === 'direction' ? 'Predicts long, short or neutral for the next bars.' : 'Predicts the return over the next bars.'}
            </p>
          </fieldset>

          <fieldset className="limits-group">
            <legend>Use</legend>
            <MaxAgeFields id={ids} value={text.maxAge} unit={text.maxAgeUnit} error={errors.maxAge} onValue={field('maxAge')} onUnit={(u) => edit('maxAgeUnit', u)} />
          </fieldset>
        </div>
        <FormError error={serverError ?? (attempted && request && !request.ok ? { code: null, message: request.error } : null)} testId="train-error" />
        {attempted && (!form.ok || !windowCheck.ok) && (
          <p className="field-error sv-form-note" role="alert">
            Correct the marked fields; nothing was sent.
          </p>
        )}
        <div className="sv-form-actions">
          <button type="submit" className="btn btn-primary bt-run" disabled={busy}>
            {busy ? 'Starting…' : 'Train model'}
          </button>
        </div>
      </form>
    </section>
  );
}
