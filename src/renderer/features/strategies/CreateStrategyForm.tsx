/**
 * Creates an instance of the chosen catalog entry: where it trades (venue,
 * symbol, timeframe), its parameters pre-filled with their defaults (or with
 * an optimization trial's values), its own limits and whether it comes back
 * after a restart. Fields are checked before anything is sent; the engine's
 * refusal is shown as it words it, and nothing typed is lost either way.
 */
import { useId, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Timeframe } from '../../../shared/domain';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { FormError, toShownError, type ShownError } from './FormError';
import { LimitsFields } from './LimitsFields';
import { MarketFields } from './MarketFields';
import { ParamFields } from './ParamFields';
import { checkParams, initialParamValues, type ParamErrors, type ParamValues } from './paramForm';
import { instanceTitle } from './strategyActions';
import { EMPTY_LIMITS_TEXT, buildCreateParams, checkLimits, type LimitsErrors, type LimitsText } from './strategyForm';

export function CreateStrategyForm() {
  const { client, store } = useServices();
  const entry = useKeel((s) => s.strategyCatalog.find((e) => e.type === s.selectedStrategyType));
  const catalog = useKeel((s) => s.strategyCatalog);
  const draft = useKeel((s) => s.strategyDraft);
  const venueIds = useKeel(useShallow((s) => s.venues.map((v) => v.venue)));
  const instruments = useKeel((s) => s.instruments);
  const tradingVenue = useKeel((s) => s.venue);
  const tradingSymbol = useKeel((s) => s.symbol);
  const tradingTimeframe = useKeel((s) => s.timeframe);
  const ids = useId();

  const [name, setName] = useState('');
  const [venueChoice, setVenueChoice] = useState<string | null>(null);
  const [symbolChoice, setSymbolChoice] = useState<string | null>(null);
  const [timeframeChoice, setTimeframeChoice] = useState<Timeframe | null>(null);
  // Typed values per strategy type, so looking at another entry and coming back loses nothing.
  const [paramsByType, setParamsByType] = useState<Record<string, ParamValues>>({});
  const [touched, setTouched] = useState<Record<string, true>>({});
  const [limits, setLimits] = useState<LimitsText>(EMPTY_LIMITS_TEXT);
  const [resume, setResume] = useState(false);
  const [attempted, setAttempted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<ShownError | null>(null);
  const [appliedDraft, setAppliedDraft] = useState(0);

  // A new draft (from an optimization) fills the form once; adjusting state while rendering, as React advises.
  if (draft && draft.seq !== appliedDraft) {
    setAppliedDraft(draft.seq);
    const draftSpecs = catalog.find((e) => e.type === draft.type)?.params;
    // Without the entry's declarations the values cannot be placed; the form keeps its own.
    if (draftSpecs) setParamsByType((p) => ({ ...p, [draft.type]: initialParamValues(draftSpecs, draft.params) }));
    if (draft.venue) setVenueChoice(draft.venue);
    if (draft.symbol) setSymbolChoice(draft.symbol);
    if (draft.timeframe) setTimeframeChoice(draft.timeframe);
    if (draft.name) setName(draft.name);
    setServerError(null);
    setAttempted(false);
  }

  const venueOptions = venueIds.length > 0 ? venueIds : [...new Set(instruments.map((i) => i.venue))];
  const venue = venueChoice && venueOptions.includes(venueChoice) ? venueChoice : (tradingVenue ?? venueOptions[0] ?? '');
  const venueInstruments = useMemo(() => instruments.filter((i) => i.venue === venue), [instruments, venue]);
  const symbol =
    symbolChoice && venueInstruments.some((i) => i.symbol === symbolChoice)
      ? symbolChoice
      : tradingSymbol && venueInstruments.some((i) => i.symbol === tradingSymbol)
        ? tradingSymbol
        : (venueInstruments[0]?.symbol ?? '');
  const timeframe = timeframeChoice ?? tradingTimeframe;
  const currency = venueInstruments.find((i) => i.symbol === symbol)?.quote;

  const specs = entry?.params ?? [];
  const values = entry ? (paramsByType[entry.type] ?? initialParamValues(specs)) : {};
  const paramCheck = checkParams(specs, values);
  const limitsCheck = checkLimits(limits);
  const allParamErrors: ParamErrors = paramCheck.ok ? {} : paramCheck.errors;
  const paramErrors: ParamErrors = attempted
    ? allParamErrors
    : Object.fromEntries(Object.entries(allParamErrors).filter(([k]) => touched[k]));
  const limitErrors: LimitsErrors = limitsCheck.ok ? {} : limitsCheck.errors;
  const usable = entry !== undefined && entry.error === null;

  function editParam(key: string, value: string | boolean): void {
    if (!entry) return;
    setParamsByType((p) => ({ ...p, [entry.type]: { ...(p[entry.type] ?? initialParamValues(specs)), [key]: value } }));
    setTouched((t) => ({ ...t, [key]: true }));
    setServerError(null);
  }

  function resetParams(): void {
    if (!entry) return;
    setParamsByType((p) => ({ ...p, [entry.type]: initialParamValues(specs) }));
    setTouched({});
  }

  async function create(startNow: boolean): Promise<void> {
    setAttempted(true);
    setServerError(null);
    if (!entry || !usable || !paramCheck.ok || !limitsCheck.ok || busy || !venue || !symbol) return;
    setBusy(true);
    try {
      const params = buildCreateParams(
        { type: entry.type, name, venue, symbol, timeframe, resumeAfterRestart: resume },
        paramCheck.params,
        limitsCheck.limits,
      );
      const created = await client.invoke('strategies.create', params);
      store.getState().upsertStrategies([created]);
      setName('');
      setAttempted(false);
      if (startNow) {
        try {
          store.getState().upsertStrategies([await client.invoke('strategies.start', { id: created.id })]);
          store.getState().notify('success', `${instanceTitle(created)} created and starting`);
        } catch (err) {
          // Created but not started: say so here, where the trader is looking; the row shows it stopped.
          setServerError({ ...toShownError(err), message: `Created ${instanceTitle(created)}, but it did not start: ${toShownError(err).message}` });
        }
      } else {
        store.getState().notify('success', `${instanceTitle(created)} created (stopped)`);
      }
    } catch (err) {
      setServerError(toShownError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel sv-create" aria-label="New strategy">
      <div className="panel-title">
        <span>New strategy</span>
        {entry && <span className="muted">{entry.name}</span>}
      </div>
      <form
        className="sv-form"
        data-testid="strategy-create-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void create(false);
        }}
      >
        <div className="sv-form-body">
          {!entry && <p className="field-help">Choose a strategy in the catalog.</p>}
          {entry?.error && <p className="form-error">{entry.error}</p>}
          <div className="field">
            <label htmlFor={`${ids}-name`}>Name (optional)</label>
            <input
              id={`${ids}-name`}
              type="text"
              autoComplete="off"
              maxLength={80}
              placeholder={entry ? `${entry.name} ${symbol}` : ''}
              value={name}
              onChange={(e) => {
                setName(e.target.value);
                setServerError(null);
              }}
            />
          </div>
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
              setServerError(null);
            }}
            onSymbol={(s) => {
              setSymbolChoice(s);
              setServerError(null);
            }}
            onTimeframe={(tf) => {
              setTimeframeChoice(tf);
              setServerError(null);
            }}
          />
          {entry && (
            <fieldset className="limits-group sv-params">
              <legend>
                Parameters
                <button type="button" className="link sv-reset" onClick={resetParams} disabled={!usable}>
                  Defaults
                </button>
              </legend>
              <ParamFields
                specs={specs}
                values={values}
                errors={paramErrors}
                onChange={editParam}
                idPrefix={`${ids}-param`}
                disabled={!usable}
              />
              {entry.constraints.length > 0 && <p className="field-help">Rules: {entry.constraints.join('; ')}</p>}
            </fieldset>
          )}
          <LimitsFields
            text={limits}
            errors={limitErrors}
            idPrefix={`${ids}-limit`}
            currency={currency}
            onChange={(patch) => {
              setLimits((l) => ({ ...l, ...patch }));
              setServerError(null);
            }}
          />
          <label className="check-row sv-check">
            <input type="checkbox" checked={resume} onChange={(e) => setResume(e.target.checked)} />
            Resume after restart
          </label>
          <p className="field-help">
            If it is running when Keel shuts down, start it again after a restart, once {venue || 'its venue'} is reconciled.
          </p>
        </div>
        {/* Outside the scrolling body: the answer to a click on Create is always in view. */}
        <FormError error={serverError} testId="strategy-create-error" />
        {attempted && (!paramCheck.ok || !limitsCheck.ok) && (
          <p className="field-error sv-form-note" role="alert">
            Correct the marked fields; nothing was sent.
          </p>
        )}
        <div className="sv-form-actions">
          <button
            type="button"
            className="btn"
            disabled={busy || !usable || !symbol}
            onClick={() => void create(true)}
            title="Create the instance and start it at once"
          >
            Create &amp; start
          </button>
          <button
            type="submit"
            className="btn btn-primary"
            data-testid="strategy-create-submit"
            disabled={busy || !usable || !symbol}
          >
            {busy ? 'Creating…' : 'Create strategy'}
          </button>
        </div>
      </form>
    </section>
  );
}
