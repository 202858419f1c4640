/**
 * Sets up a run: the strategy and its parameters (the same fields as the
 * strategies' create form), the data (a dataset, or a venue's stored history
 * with an optional window), the account, costs and fill model with the
 * contract's defaults, then Run. In Optimize mode the parameters to search
 * get a range each, the rest stay fixed, and the search's method, objective
 * and budget are chosen. Nothing is sent while a field is refused; the
 * engine's refusal is shown as it says it and the form is kept.
 */
import { useId, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import {
  OPTIMIZE_METHODS,
  OPTIMIZE_OBJECTIVES,
  type BacktestSummary,
  type StrategyCatalogEntry,
  type StrategyParamSpec,
} from '../../../shared/contract';
import type { Timeframe } from '../../../shared/domain';
import { TextField } from '../../components/TextField';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { FormError, toShownError, type ShownError } from '../strategies/FormError';
import { MarketFields } from '../strategies/MarketFields';
import { ParamFields } from '../strategies/ParamFields';
import { checkParams, initialParamValues, numberText, readNumber, type ParamErrors, type ParamValues } from '../strategies/paramForm';
import {
  METHOD_HINT,
  METHOD_LABEL,
  OBJECTIVE_LABEL,
  buildData,
  buildSearch,
  checkMaxTrials,
  checkSettings,
  checkWindow,
  defaultRanges,
  isSearchable,
  fixedParams,
  settingsText,
  toLocalDateTimeText,
  type OptimizeMethod,
  type OptimizeObjective,
  type RangeText,
  type SettingsErrors,
  type SettingsText,
} from './backtestForm';
import { CHART_EQUITY_POINTS } from './equityData';

type Mode = 'backtest' | 'optimize';
type SourceKind = 'dataset' | 'venue';

export function BacktestForm() {
  const { client, store } = useServices();
  const catalog = useKeel((s) => s.strategyCatalog);
  const preferredType = useKeel((s) => s.selectedStrategyType);
  const datasets = useKeel((s) => s.datasets);
  const venueIds = useKeel(useShallow((s) => s.venues.map((v) => v.venue)));
  const instruments = useKeel((s) => s.instruments);
  const tradingVenue = useKeel((s) => s.venue);
  const tradingSymbol = useKeel((s) => s.symbol);
  const draft = useKeel((s) => s.backtestDraft);
  const ids = useId();

  const [mode, setMode] = useState<Mode>('backtest');
  const [name, setName] = useState('');
  const [typeChoice, setTypeChoice] = useState<string | null>(null);
  const [paramsByType, setParamsByType] = useState<Record<string, ParamValues>>({});
  const [rangesByType, setRangesByType] = useState<Record<string, Record<string, RangeText>>>({});
  const [sourceChoice, setSourceChoice] = useState<SourceKind | null>(null);
  const [datasetChoice, setDatasetChoice] = useState<string | null>(null);
  const [venueChoice, setVenueChoice] = useState<string | null>(null);
  const [symbolChoice, setSymbolChoice] = useState<string | null>(null);
  const [timeframe, setTimeframe] = useState<Timeframe>('1h');
  const [fromText, setFromText] = useState('');
  const [toText, setToText] = useState('');
  const [settings, setSettings] = useState<SettingsText>(() => settingsText());
  /** The trader typed a size unit (or loaded a run's): it no longer follows the venue instrument's lot. */
  const [unitSet, setUnitSet] = useState(false);
  const [method, setMethod] = useState<OptimizeMethod>('grid');
  const [objective, setObjective] = useState<OptimizeObjective>('sharpe');
  const [maxTrialsText, setMaxTrialsText] = useState('');
  const [maxDdText, setMaxDdText] = useState('20');
  const [seedText, setSeedText] = useState('');
  const [attempted, setAttempted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<ShownError | null>(null);
  const [appliedDraft, setAppliedDraft] = useState(0);

  const usable = useMemo(() => catalog.filter((e) => e.error === null), [catalog]);
  const entry: StrategyCatalogEntry | undefined =
    usable.find((e) => e.type === typeChoice) ?? usable.find((e) => e.type === preferredType) ?? usable[0];
  const specs = useMemo(() => entry?.params ?? [], [entry]);

  // "Load into form" from a run: take everything it used, once per request.
  if (draft && draft.seq !== appliedDraft) {
    setAppliedDraft(draft.seq);
    loadRun(draft.run);
  }

  function loadRun(run: BacktestSummary): void {
    const runSpecs = catalog.find((e) => e.type === run.strategy.type)?.params ?? [];
    setMode(run.kind === 'optimize' ? 'optimize' : 'backtest');
    setName('');
    setTypeChoice(run.strategy.type);
    setParamsByType((p) => ({ ...p, [run.strategy.type]: initialParamValues(runSpecs, run.strategy.params) }));
    if ('dataset' in run.data) {
      setSourceChoice('dataset');
      setDatasetChoice(run.data.dataset);
      setFromText(run.settings.from !== undefined ? toLocalDateTimeText(run.settings.from) : '');
      setToText(run.settings.to !== undefined ? toLocalDateTimeText(run.settings.to) : '');
    } else {
      setSourceChoice('venue');
      setVenueChoice(run.data.venue);
      setSymbolChoice(run.data.symbol);
      setTimeframe(run.data.timeframe);
      setFromText(run.data.from !== undefined ? toLocalDateTimeText(run.data.from) : '');
      setToText(run.data.to !== undefined ? toLocalDateTimeText(run.data.to) : '');
    }
    setSettings(settingsText(run.settings));
    setUnitSet(true);
    setAttempted(false);
    setServerError(null);
  }

  const sourceKind: SourceKind = sourceChoice ?? (datasets.length > 0 ? 'dataset' : 'venue');
  const dataset = datasetChoice && datasets.some((d) => d.id === datasetChoice) ? datasetChoice : (datasets[0]?.id ?? '');
  const venueOptions = venueIds.length > 0 ? venueIds : [...new Set(instruments.map((i) => i.venue))];
  const venue = venueChoice && venueOptions.includes(venueChoice) ? venueChoice : (tradingVenue ?? venueOptions[0] ?? '');
  const venueInstruments = instruments.filter((i) => i.venue === venue);
  const symbol =
    symbolChoice && venueInstruments.some((i) => i.symbol === symbolChoice)
      ? symbolChoice
      : tradingSymbol && venueInstruments.some((i) => i.symbol === tradingSymbol)
        ? tradingSymbol
        : (venueInstruments[0]?.symbol ?? '');

  // On a venue's history the size unit is the instrument's lot until the trader sets one: whole units of
  // BTC cost more than most accounts hold, and a strategy that can never size an order makes no trades.
  const lot = sourceKind === 'venue' && !unitSet ? venueInstruments.find((i) => i.symbol === symbol)?.lotSize : undefined;
  const runSettings: SettingsText = lot !== undefined ? { ...settings, fractionalUnit: lot } : settings;

  const values = entry ? (paramsByType[entry.type] ?? initialParamValues(specs)) : {};
  const ranges = entry ? (rangesByType[entry.type] ?? defaultRanges(specs)) : {};
  const searchedSpecs = mode === 'optimize' ? specs.filter((s) => ranges[s.name]?.search) : [];
  const fixedSpecs = specs.filter((s) => !searchedSpecs.includes(s));

  // Every check, every render: cheap, and the Run button always knows whether it may send.
  const paramCheck = checkParams(fixedSpecs, values);
  const search = mode === 'optimize' ? buildSearch(specs, ranges, method) : null;
  const windowCheck = checkWindow(fromText, toText);
  const dataBuild = buildData(sourceKind === 'dataset' ? { kind: 'dataset', dataset } : { kind: 'venue', venue, symbol, timeframe }, windowCheck.ok ? windowCheck.window : {});
  const settingsCheck = checkSettings(runSettings, dataBuild.ok ? dataBuild.settingsWindow : {});
  const maxTrials = checkMaxTrials(maxTrialsText, mode === 'optimize' && method !== 'grid');
  const maxDd = objective === 'returnWithinDrawdown' ? readNumber(maxDdText) : null;
  const maxDdError = objective === 'returnWithinDrawdown' && (maxDd === null || maxDd <= 0 || maxDd > 100) ? 'Max. drawdown must be a percentage above 0 and at most 100' : null;
  const seed = seedText.trim() === '' ? undefined : readNumber(seedText);
  const seedError = seed === null || (seed !== undefined && (!Number.isInteger(seed) || seed < 0)) ? 'Seed must be a whole number, 0 or more' : null;

  const paramErrors: ParamErrors = attempted && !paramCheck.ok ? paramCheck.errors : {};
  const settingErrors: SettingsErrors = {
    ...(attempted && !settingsCheck.ok ? settingsCheck.errors : {}),
    ...(!windowCheck.ok ? windowCheck.errors : {}),
  };
  const rangeErrors = attempted && search && !search.ok ? search.errors : {};
  const optimizeErrors = mode === 'optimize' && (!maxTrials.ok || maxDdError !== null || seedError !== null);
  const valid =
    entry !== undefined &&
    paramCheck.ok &&
    windowCheck.ok &&
    dataBuild.ok &&
    settingsCheck.ok &&
    (mode === 'backtest' || (search?.ok === true && !optimizeErrors));

  function edit(): void {
    setServerError(null);
  }

  function editRange(paramName: string, patch: Partial<RangeText>): void {
    if (!entry) return;
    setRangesByType((r) => {
      const current = r[entry.type] ?? defaultRanges(specs);
      return { ...r, [entry.type]: { ...current, [paramName]: { ...current[paramName]!, ...patch } } };
    });
    edit();
  }

  async function submit(): Promise<void> {
    setAttempted(true);
    setServerError(null);
    if (!valid || busy || !entry || !paramCheck.ok || !dataBuild.ok || !settingsCheck.ok) return;
    setBusy(true);
    try {
      const base = {
        ...(name.trim() ? { name: name.trim() } : {}),
        data: dataBuild.data,
        settings: settingsCheck.settings,
      };
      let id: string;
      if (mode === 'backtest') {
        ({ id } = await client.invoke('backtests.run', { ...base, strategy: { type: entry.type, params: paramCheck.params } }));
      } else {
        if (!search?.ok || !maxTrials.ok) return;
        ({ id } = await client.invoke('backtests.optimize', {
          ...base,
          strategy: {
            type: entry.type,
            params: fixedParams(paramCheck.params, ranges),
            ...(search.grid ? { grid: search.grid } : {}),
            ...(search.space ? { space: search.space } : {}),
          },
          method,
          objective,
          ...(maxTrials.value !== undefined ? { maxTrials: maxTrials.value } : {}),
          ...(objective === 'returnWithinDrawdown' && maxDd !== null ? { maxDrawdownPct: maxDd } : {}),
          ...(seed !== undefined && seed !== null ? { seed } : {}),
        }));
      }
      store.getState().selectBacktest(id);
      store.getState().notify('info', mode === 'backtest' ? 'Backtest started' : 'Optimization started');
      setAttempted(false);
      // The summary also arrives with backtests.updated; ask for it so the row shows at once.
      client.invoke('backtests.get', { id, equityPoints: CHART_EQUITY_POINTS }).then(
        (r) => store.getState().setBacktestResult(r),
        () => undefined,
      );
    } catch (err) {
      setServerError(toShownError(err));
    } finally {
      setBusy(false);
    }
  }

  const setting = (key: keyof SettingsText) => (value: string | boolean) => {
    setSettings((s) => ({ ...s, [key]: value }));
    if (key === 'fractionalUnit') setUnitSet(true);
    edit();
  };

  return (
    <section className="panel bt-form-panel" aria-label="New backtest">
      <div className="panel-title">
        <span>New run</span>
        <div className="seg" role="group" aria-label="Mode">
          <button type="button" className="seg-btn" aria-pressed={mode === 'backtest'} onClick={() => setMode('backtest')}>
            Backtest
          </button>
          <button type="button" className="seg-btn" aria-pressed={mode === 'optimize'} onClick={() => setMode('optimize')}>
            Optimize
          </button>
        </div>
      </div>
      <form
        className="sv-form"
        data-testid="backtest-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <div className="sv-form-body">
          <div className="field">
            <label htmlFor={`${ids}-type`}>Strategy</label>
            <select
              id={`${ids}-type`}
              value={entry?.type ?? ''}
              onChange={(e) => {
                setTypeChoice(e.target.value);
                edit();
              }}
            >
              {usable.length === 0 && <option value="">No strategies loaded</option>}
              {usable.map((e) => (
                <option key={e.type} value={e.type}>
                  {e.name}
                </option>
              ))}
            </select>
            {entry?.summary && <p className="field-help">{entry.summary}</p>}
          </div>
          <div className="field">
            <label htmlFor={`${ids}-name`}>Run name (optional)</label>
            <input
              id={`${ids}-name`}
              type="text"
              maxLength={80}
              autoComplete="off"
              placeholder={entry ? `${entry.name} on …` : ''}
              value={name}
              onChange={(e) => {
                setName(e.target.value);
                edit();
              }}
            />
          </div>

          {entry && mode === 'optimize' && (
            <fieldset className="limits-group">
              <legend>Search</legend>
              <SearchRanges specs={specs.filter(isSearchable)} ranges={ranges} errors={rangeErrors} onChange={editRange} idPrefix={`${ids}-range`} />
              {search?.ok === true && (
                <p className="field-help">
                  {search.combinations !== null
                    ? `${search.combinations.toLocaleString('en-US')} combination${search.combinations === 1 ? '' : 's'}`
                    : 'Continuous ranges'}
                  {method !== 'grid' && maxTrials.ok && maxTrials.value !== undefined && `, ${maxTrials.value.toLocaleString('en-US')} sampled`}
                </p>
              )}
              {rangeErrors._ && (
                <p className="field-error" role="alert">
                  {rangeErrors._}
                </p>
              )}
              <div className="bt-grid2">
                <div className="field">
                  <label htmlFor={`${ids}-method`}>Method</label>
                  <select
                    id={`${ids}-method`}
                    title={METHOD_HINT[method]}
                    value={method}
                    onChange={(e) => {
                      const m = e.target.value as OptimizeMethod;
                      setMethod(m);
                      if (m !== 'grid' && maxTrialsText.trim() === '') setMaxTrialsText('200');
                      edit();
                    }}
                  >
                    {OPTIMIZE_METHODS.map((m) => (
                      <option key={m} value={m}>
                        {METHOD_LABEL[m]}
                      </option>
                    ))}
                  </select>
                </div>
                <div className="field">
                  <label htmlFor={`${ids}-objective`}>Maximize</label>
                  <select
                    id={`${ids}-objective`}
                    value={objective}
                    onChange={(e) => {
                      setObjective(e.target.value as OptimizeObjective);
                      edit();
                    }}
                  >
                    {OPTIMIZE_OBJECTIVES.map((o) => (
                      <option key={o} value={o}>
                        {OBJECTIVE_LABEL[o]}
                      </option>
                    ))}
                  </select>
                </div>
                <TextField
                  id={`${ids}-trials`}
                  label="Max trials"
                  value={maxTrialsText}
                  placeholder={method === 'grid' ? 'all' : ''}
                  error={maxTrials.ok ? undefined : maxTrials.error}
                  onChange={(v) => {
                    setMaxTrialsText(v);
                    edit();
                  }}
                />
                {objective === 'returnWithinDrawdown' ? (
                  <TextField
                    id={`${ids}-maxdd`}
                    label="Max. drawdown [%]"
                    value={maxDdText}
                    error={maxDdError ?? undefined}
                    onChange={(v) => {
                      setMaxDdText(v);
                      edit();
                    }}
                  />
                ) : (
                  <TextField
                    id={`${ids}-seed`}
                    label="Seed"
                    value={seedText}
                    placeholder="random"
                    disabled={method === 'grid'}
                    error={seedError ?? undefined}
                    onChange={(v) => {
                      setSeedText(v);
                      edit();
                    }}
                  />
                )}
              </div>
            </fieldset>
          )}

          {entry && (
            <fieldset className="limits-group sv-params">
              <legend>{mode === 'optimize' ? 'Fixed parameters' : 'Parameters'}</legend>
              {fixedSpecs.length > 0 ? (
                <ParamFields
                  specs={fixedSpecs}
                  values={values}
                  errors={paramErrors}
                  idPrefix={`${ids}-param`}
                  testIdPrefix="backtest-param"
                  onChange={(key, value) => {
                    setParamsByType((p) => ({ ...p, [entry.type]: { ...(p[entry.type] ?? initialParamValues(specs)), [key]: value } }));
                    edit();
                  }}
                />
              ) : (
                <p className="field-help">{specs.length === 0 ? 'This strategy has no parameters.' : 'Every parameter is searched.'}</p>
              )}
              {entry.constraints.length > 0 && <p className="field-help">Rules: {entry.constraints.join('; ')}</p>}
            </fieldset>
          )}

          <fieldset className="limits-group">
            <legend>Data</legend>
            <div className="seg seg-wide" role="radiogroup" aria-label="Data source">
              <button type="button" role="radio" className="seg-btn" aria-checked={sourceKind === 'dataset'} aria-pressed={sourceKind === 'dataset'} onClick={() => setSourceChoice('dataset')}>
                Dataset
              </button>
              <button type="button" role="radio" className="seg-btn" aria-checked={sourceKind === 'venue'} aria-pressed={sourceKind === 'venue'} onClick={() => setSourceChoice('venue')}>
                Venue history
              </button>
            </div>
            {sourceKind === 'dataset' ? (
              <div className="field">
                <label htmlFor={`${ids}-dataset`}>Dataset</label>
                <select
                  id={`${ids}-dataset`}
                  value={dataset}
                  onChange={(e) => {
                    setDatasetChoice(e.target.value);
                    edit();
                  }}
                >
                  {datasets.length === 0 && <option value="">No datasets: import one →</option>}
                  {datasets.map((d) => (
                    <option key={d.id} value={d.id}>
                      {d.name} ({d.bars.toLocaleString('en-US')} bars)
                    </option>
                  ))}
                </select>
              </div>
            ) : (
              <MarketFields
                ids={ids}
                venue={venue}
                venues={venueOptions}
                symbol={symbol}
                instruments={venueInstruments}
                timeframe={timeframe}
                onVenue={(v) => {
                  setVenueChoice(v);
                  setSymbolChoice(null);
                  edit();
                }}
                onSymbol={(s) => {
                  setSymbolChoice(s);
                  edit();
                }}
                onTimeframe={(tf) => {
                  setTimeframe(tf);
                  edit();
                }}
              />
            )}
            <div className="bt-grid2">
              <TextField id={`${ids}-from`} label="From (optional)" type="datetime-local" value={fromText} error={settingErrors.from} onChange={(v) => { setFromText(v); edit(); }} />
              <TextField id={`${ids}-to`} label="To (optional)" type="datetime-local" value={toText} error={settingErrors.to} onChange={(v) => { setToText(v); edit(); }} />
            </div>
            {!dataBuild.ok && attempted && (
              <p className="field-error" role="alert">
                {dataBuild.error}
              </p>
            )}
          </fieldset>

          <fieldset className="limits-group">
            <legend>Account, costs and fills</legend>
            <div className="bt-grid2">
              <TextField id={`${ids}-cash`} label="Cash" value={settings.cash} error={settingErrors.cash} onChange={setting('cash')} unit="quote" />
              <TextField
                id={`${ids}-margin`}
                label="Margin"
                value={settings.margin}
                error={settingErrors.margin}
                onChange={setting('margin')}
                unit={leverageText(settings.margin)}
                help="1 = no leverage; 0.1 = 10×"
              />
              <TextField id={`${ids}-commission`} label="Commission" value={settings.commissionPct} error={settingErrors.commissionPct} onChange={setting('commissionPct')} unit="%" help="Of each fill's value" />
              <TextField id={`${ids}-spread`} label="Spread" value={settings.spreadPct} error={settingErrors.spreadPct} onChange={setting('spreadPct')} unit="%" help="Paid on entries" />
              <TextField
                id={`${ids}-unit`}
                label="Size unit"
                value={runSettings.fractionalUnit}
                error={settingErrors.fractionalUnit}
                onChange={setting('fractionalUnit')}
                help={lot !== undefined ? `The instrument's lot, until you set one` : 'Sizes are multiples of it (1 = whole units)'}
              />
              <div className="field">
                <label htmlFor={`${ids}-fill`}>Fill model</label>
                <select id={`${ids}-fill`} value={settings.fillModel} onChange={(e) => setting('fillModel')(e.target.value)}>
                  <option value="bar">Bar (next open)</option>
                  <option value="intrabar">Intrabar (with slippage)</option>
                </select>
              </div>
              <TextField
                id={`${ids}-slippage`}
                label="Slippage"
                value={settings.slippageTicks}
                error={settingErrors.slippageTicks}
                onChange={setting('slippageTicks')}
                unit="ticks"
                disabled={settings.fillModel !== 'intrabar'}
              />
            </div>
            <div className="bt-checks">
              <label className="check-row sv-check" title="Orders placed on a bar's close fill at that close instead of the next bar's open">
                <input type="checkbox" checked={settings.tradeOnClose} onChange={(e) => setting('tradeOnClose')(e.target.checked)} />
                Trade on close
              </label>
              <label className="check-row sv-check" title="A new entry first cancels the strategy's other orders and closes its position">
                <input type="checkbox" checked={settings.exclusiveOrders} onChange={(e) => setting('exclusiveOrders')(e.target.checked)} />
                Exclusive orders
              </label>
              <label className="check-row sv-check" title="Positions still open after the last bar are closed and counted as trades">
                <input type="checkbox" checked={settings.finalizeTrades} onChange={(e) => setting('finalizeTrades')(e.target.checked)} />
                Finalize trades
              </label>
            </div>
            <button
              type="button"
              className="link"
              onClick={() => {
                setSettings(settingsText());
                edit();
              }}
            >
              Reset to defaults
            </button>
          </fieldset>
        </div>
        {/* Outside the scrolling body: the answer to a click on Run is always in view. */}
        <FormError error={serverError} testId="backtest-run-error" />
        {attempted && !valid && (
          <p className="field-error sv-form-note" role="alert">
            Correct the marked fields; nothing was sent.
          </p>
        )}
        <div className="sv-form-actions">
          <button type="submit" className="btn btn-primary bt-run" data-testid="backtest-run-submit" disabled={busy || !entry}>
            {busy ? 'Starting…' : mode === 'backtest' ? 'Run backtest' : 'Run optimization'}
          </button>
        </div>
      </form>
    </section>
  );
}

function leverageText(marginText: string): string {
  const m = readNumber(marginText);
  return m !== null && m > 0 && m <= 1 ? `${numberText(Number((1 / m).toPrecision(4)))}×` : '';
}

interface RangesProps {
  specs: readonly StrategyParamSpec[];
  ranges: Record<string, RangeText>;
  errors: Record<string, string>;
  onChange(name: string, patch: Partial<RangeText>): void;
  idPrefix: string;
}

/** A row per parameter: tick it to search it, then its range (numbers) or the values to try (switches, choices). */
function SearchRanges({ specs, ranges, errors, onChange, idPrefix }: RangesProps) {
  if (specs.length === 0) return <p className="field-help">This strategy has no parameters to search.</p>;
  return (
    <table className="grid opt-ranges" aria-label="Search ranges">
      <colgroup>
        <col style={{ width: 22 }} />
        <col />
        <col style={{ width: 58 }} />
        <col style={{ width: 58 }} />
        <col style={{ width: 50 }} />
      </colgroup>
      <thead>
        <tr>
          <th scope="col">
            <span className="sr-only">Search</span>
          </th>
          <th scope="col">Parameter</th>
          <th scope="col" className="num">
            From
          </th>
          <th scope="col" className="num">
            To
          </th>
          <th scope="col" className="num">
            Step
          </th>
        </tr>
      </thead>
      <tbody>
        {specs.map((spec) => {
          const r = ranges[spec.name];
          if (!r) return null;
          const error = errors[spec.name];
          const choices = spec.type === 'bool' ? ['true', 'false'] : spec.type === 'enum' ? (spec.options ?? []) : null;
          return (
            <RangeRow key={spec.name} spec={spec} r={r} error={error} choices={choices} onChange={onChange} id={`${idPrefix}-${spec.name}`} />
          );
        })}
      </tbody>
    </table>
  );
}

function RangeRow({
  spec,
  r,
  error,
  choices,
  onChange,
  id,
}: {
  spec: StrategyParamSpec;
  r: RangeText;
  error: string | undefined;
  choices: string[] | null;
  onChange(name: string, patch: Partial<RangeText>): void;
  id: string;
}) {
  const label = spec.label || spec.name;
  const cell = (key: 'min' | 'max' | 'step', what: string) => (
    <td className="num">
      <input
        type="text"
        inputMode="decimal"
        className="range-input"
        aria-label={`${label} ${what}`}
        disabled={!r.search}
        value={r[key]}
        aria-invalid={r.search && error ? true : undefined}
        onChange={(e) => onChange(spec.name, { [key]: e.target.value })}
      />
    </td>
  );
  return (
    <>
      <tr className={r.search ? 'range-on' : 'range-off'}>
        <td>
          <input
            id={id}
            type="checkbox"
            checked={r.search}
            aria-label={`Search ${label}`}
            data-testid={`optimize-search-${spec.name}`}
            onChange={(e) => onChange(spec.name, { search: e.target.checked })}
          />
        </td>
        <td>
          <label htmlFor={id} title={spec.description}>
            {label}
          </label>
        </td>
        {choices ? (
          <td colSpan={3} className="range-choices">
            {choices.map((c) => {
              const on = r.values.includes(c);
              return (
                <button
                  key={c}
                  type="button"
                  className="chip"
                  aria-pressed={on}
                  disabled={!r.search}
                  onClick={() => onChange(spec.name, { values: on ? r.values.filter((v) => v !== c) : [...r.values, c] })}
                >
                  {spec.type === 'bool' ? (c === 'true' ? 'on' : 'off') : c}
                </button>
              );
            })}
          </td>
        ) : (
          <>
            {cell('min', 'from')}
            {cell('max', 'to')}
            {cell('step', 'step')}
          </>
        )}
      </tr>
      {error && (
        <tr className="range-error">
          <td colSpan={5}>
            <span className="field-error" role="alert">
              {error}
            </span>
          </td>
        </tr>
      )}
    </>
  );
}
