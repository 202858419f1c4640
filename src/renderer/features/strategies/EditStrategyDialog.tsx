/**
 * Changes a stopped instance: its parameters, name, limits and whether it
 * resumes after a restart. Where it trades (venue, symbol, timeframe) is part
 * of what it is, so that is not editable: create another instance instead.
 */
import { useId, useRef, useState, type RefObject } from 'react';
import type { StrategyInstance } from '../../../shared/contract';
import { Modal } from '../../components/Modal';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { FormError, toShownError, type ShownError } from './FormError';
import { LimitsFields } from './LimitsFields';
import { ParamFields } from './ParamFields';
import { checkParams, initialParamValues, type ParamValues } from './paramForm';
import { instanceTitle } from './strategyActions';
import { checkLimits, limitsText, type LimitsText } from './strategyForm';

export function EditStrategyDialog({ instance, onClose }: { instance: StrategyInstance; onClose(): void }) {
  const nameRef = useRef<HTMLInputElement>(null);
  return (
    <Modal open title={`Edit ${instanceTitle(instance)}`} onClose={onClose} initialFocus={nameRef} className="dialog-strategy">
      <EditForm instance={instance} onDone={onClose} nameRef={nameRef} />
    </Modal>
  );
}

function EditForm({
  instance,
  onDone,
  nameRef,
}: {
  instance: StrategyInstance;
  onDone(): void;
  nameRef: RefObject<HTMLInputElement | null>;
}) {
  const { client, store } = useServices();
  const entry = useKeel((s) => s.strategyCatalog.find((e) => e.type === instance.type));
  const currency = useKeel((s) => s.instruments.find((i) => i.venue === instance.venue && i.symbol === instance.symbol)?.quote);
  const specs = entry?.params ?? [];
  const ids = useId();
  const [name, setName] = useState(instance.name);
  const [values, setValues] = useState<ParamValues>(() => initialParamValues(specs, instance.params));
  const [limits, setLimits] = useState<LimitsText>(() => limitsText(instance.limits));
  const [resume, setResume] = useState(instance.resumeAfterRestart);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<ShownError | null>(null);

  const paramCheck = checkParams(specs, values);
  const limitsCheck = checkLimits(limits);
  const nameOk = name.trim().length > 0;

  async function save(): Promise<void> {
    if (!paramCheck.ok || !limitsCheck.ok || !nameOk || busy) return;
    setBusy(true);
    setServerError(null);
    try {
      const updated = await client.invoke('strategies.update', {
        id: instance.id,
        name: name.trim(),
        // Without the catalog entry we cannot show the parameters, so we do not send them either.
        ...(entry ? { params: paramCheck.params } : {}),
        limits: limitsCheck.limits,
        resumeAfterRestart: resume,
      });
      store.getState().upsertStrategies([updated]);
      store.getState().notify('success', `${instanceTitle(updated)} updated`);
      onDone();
    } catch (err) {
      setServerError(toShownError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <div className="dialog-body sv-edit-body">
        <p className="muted">
          {entry?.name ?? instance.type} on {instance.venue} · {instance.symbol} · {instance.timeframe}
        </p>
        <div className={`field ${nameOk ? '' : 'has-error'}`}>
          <label htmlFor={`${ids}-name`}>Name</label>
          <input
            id={`${ids}-name`}
            ref={nameRef}
            type="text"
            maxLength={80}
            autoComplete="off"
            value={name}
            aria-invalid={!nameOk}
            onChange={(e) => {
              setName(e.target.value);
              setServerError(null);
            }}
          />
          {!nameOk && <span className="field-error">A name is required</span>}
        </div>
        {entry ? (
          <fieldset className="limits-group sv-params">
            <legend>Parameters</legend>
            <ParamFields
              specs={specs}
              values={values}
              errors={paramCheck.ok ? {} : paramCheck.errors}
              idPrefix={`${ids}-param`}
              testIdPrefix="strategy-edit-param"
              onChange={(key, value) => {
                setValues((v) => ({ ...v, [key]: value }));
                setServerError(null);
              }}
            />
          </fieldset>
        ) : (
          <p className="dialog-warn">The catalog has no entry “{instance.type}”: its parameters cannot be edited here.</p>
        )}
        <LimitsFields
          text={limits}
          errors={limitsCheck.ok ? {} : limitsCheck.errors}
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
        <FormError error={serverError} />
      </div>
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onDone} disabled={busy}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy || !paramCheck.ok || !limitsCheck.ok || !nameOk}>
          {busy ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}
