/**
 * A version's live drift in its detail: the status (ok, watch, drifting,
 * or too early while nothing could be measured) with its reasons in words; per stream it is scored on, the outcomes
 * counted, the rolling accuracy of the model beside the online model's and
 * its out-of-sample accuracy, and each feature's PSI against the 0.1 and
 * 0.25 lines; then what to do about it: Retrain (the job appears with the
 * others), Roll back to the version before (after a confirmation), and
 * retraining on a schedule.
 */
import { useState } from 'react';
import type { ModelDrift, RetrainSchedule, StreamDrift } from '../../../shared/contract/modelMonitor';
import type { ModelRecord } from '../../../shared/models';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { fmtDateTime } from '../../lib/format';
import { useServices } from '../../stores/KeelProvider';
import { FormError, toShownError, type ShownError } from '../strategies/FormError';
import { driftBadge, retrainAction, rollbackAction, scheduleRequest, scheduleText, streamLabel, type DriftBadge } from './driftView';
import { fmtShare } from './modelFormat';
import { versionName } from './modelList';
import { PsiChart } from './PsiChart';
import { useModelDrift } from './useModelDrift';
import { refreshModels } from './useModelsSync';

export function DriftSection({ model, versions, now }: { model: ModelRecord; versions: readonly ModelRecord[]; now: number }) {
  const { drift, error, reload } = useModelDrift(model.id);
  return (
    <section className="mv-section" aria-label="Drift">
      <div className="mv-drift-head">
        <h3 className="mv-h3">Live drift</h3>
        {drift && drift.streams.length > 0 && <DriftBadgeView badge={driftBadge(drift.status, drift.streams, drift)} testId="drift-status" />}
        <DriftActions model={model} versions={versions} now={now} />
      </div>
      {error && (
        <p className="field-error" role="alert">
          Drift: {error}
        </p>
      )}
      {drift === null ? (
        !error && <p className="muted">Reading…</p>
      ) : drift.streams.length === 0 ? (
        <p className="muted">Not scored on live bars yet: drift is measured once a strategy scores bars with this version.</p>
      ) : (
        drift.streams.map((s) => <StreamDriftView key={`${s.venue}|${s.symbol}|${s.timeframe}`} stream={s} drift={drift} model={model} showLabel={drift.streams.length > 1} />)
      )}
      <ScheduleControl key={`${model.name}|${drift?.schedule?.everyHours ?? 'off'}`} name={model.name} schedule={drift?.schedule ?? null} onSaved={reload} />
    </section>
  );
}

function DriftBadgeView({ badge, testId }: { badge: DriftBadge; testId?: string }) {
  return (
    <span className={`sbadge ${badge.className}`} data-testid={testId} title={badge.help}>
      {badge.label}
    </span>
  );
}

function StreamDriftView({ stream, drift, model, showLabel }: { stream: StreamDrift; drift: ModelDrift; model: ModelRecord; showLabel: boolean }) {
  const measure = model.target.kind === 'direction' ? 'Accuracy' : 'Direction hits';
  const cards: [string, string, string][] = [
    ['Outcomes', `${stream.outcomes}`, `Scored bars whose ${model.target.horizon}-bar horizon has passed (${stream.observations} scored, ${stream.pending} waiting)`],
    [`${measure} (live)`, fmtShare(stream.batchAccuracy), `This version over the last ${stream.accuracySamples} outcomes (window ${drift.thresholds.accuracyWindow})`],
    ['Online model', fmtShare(stream.onlineAccuracy), 'An online logistic model learning from each outcome, over the same outcomes'],
    ['Out of sample', fmtShare(drift.referenceAccuracy), 'What this version scored in its walk-forward validation'],
  ];
  return (
    <div className="mv-drift-stream" aria-label={`Drift on ${streamLabel(stream)}`}>
      {showLabel && (
        <h4 className="mv-h4">
          {streamLabel(stream)} <DriftBadgeView badge={driftBadge(stream.status, [stream], drift)} />
        </h4>
      )}
      {stream.reasons.length > 0 && (
        <ul className="mv-drift-reasons" aria-label="Reasons">
          {stream.reasons.map((r, i) => (
            <li key={i} className={`mv-drift-reason-${r.status}`}>
              {r.text}
            </li>
          ))}
        </ul>
      )}
      <div className="mv-cards">
        {cards.map(([label, value, help]) => (
          <div key={label} className="mv-card" title={help}>
            <span className="mv-card-label">{label}</span>
            <span className="mv-card-value num">{value}</span>
          </div>
        ))}
      </div>
      {drift.hasReference ? (
        <PsiChart psi={stream.psi} thresholds={drift.thresholds} />
      ) : (
        <p className="muted">PSI unknown: this version has no training reference (an imported model has none).</p>
      )}
      {stream.notes.length > 0 && (
        <ul className="mv-drift-notes muted">
          {stream.notes.map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      )}
      {stream.updatedAt !== null && <p className="muted mv-drift-updated">Updated {fmtDateTime(stream.updatedAt)}</p>}
    </div>
  );
}

function DriftActions({ model, versions, now }: { model: ModelRecord; versions: readonly ModelRecord[]; now: number }) {
  const { client, store } = useServices();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);
  const [confirming, setConfirming] = useState(false);
  const retrain = retrainAction(model);
  const rollback = rollbackAction(model, versions, now);

  async function startRetrain(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const { jobId } = await client.invoke('models.retrain', { id: model.id });
      store.getState().followJob(jobId);
      store.getState().notify('info', `Retraining ${versionName(model)} started`);
    } catch (err) {
      setError(toShownError(err));
    } finally {
      setBusy(false);
    }
  }

  async function rollBack(): Promise<void> {
    if (!rollback) return;
    setBusy(true);
    setError(null);
    try {
      const record = await client.invoke('models.activate', { id: rollback.target.id });
      store.getState().upsertModel(record);
      store.getState().notify('success', `Rolled back: ${versionName(record)} is active`);
      setConfirming(false);
    } catch (err) {
      setError(toShownError(err));
      setConfirming(false);
    } finally {
      setBusy(false);
    }
    await refreshModels(client, store);
  }

  return (
    <div className="mv-actions">
      <div className="mv-action-buttons">
        <button type="button" className="btn btn-xs" disabled={retrain.disabled || busy} title={retrain.help} onClick={() => void startRetrain()}>
          Retrain
        </button>
        {rollback && (
          <button type="button" className="btn btn-xs" disabled={rollback.disabled || busy} title={rollback.help} onClick={() => setConfirming(true)}>
            {rollback.label}
          </button>
        )}
      </div>
      <FormError error={error} testId="drift-action-error" />
      {rollback && (
        <ConfirmDialog open={confirming} title={`${rollback.label}?`} confirmLabel={rollback.label} busy={busy} onCancel={() => setConfirming(false)} onConfirm={() => void rollBack()}>
          <p>
            {versionName(rollback.target)} becomes the active version of {model.name} again and v{model.version} is retired. Strategies using {model.name} use v{rollback.target.version} for their next decisions. You can activate v{model.version} again later.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}

function ScheduleControl({ name, schedule, onSaved }: { name: string; schedule: RetrainSchedule | null; onSaved(): void }) {
  const { client, store } = useServices();
  const [enabled, setEnabled] = useState(schedule !== null);
  const [hours, setHours] = useState(String(schedule?.everyHours ?? 24));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);
  const request = scheduleRequest(enabled, hours);
  const text = scheduleText(schedule);
  const unchanged = request.ok && request.everyHours === (schedule?.everyHours ?? null);

  async function save(): Promise<void> {
    if (!request.ok) return;
    setBusy(true);
    setError(null);
    try {
      const result = await client.invoke('models.setSchedule', { name, everyHours: request.everyHours });
      store.getState().notify('info', result.schedule ? `${name} is retrained every ${result.schedule.everyHours} h` : `Scheduled retraining of ${name} is off`);
      onSaved();
    } catch (err) {
      setError(toShownError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="mv-schedule" aria-label="Retrain schedule">
      <h4 className="mv-h4">Retrain on a schedule</h4>
      <div className="mv-schedule-row">
        <select aria-label="Schedule" value={enabled ? 'every' : 'off'} onChange={(e) => setEnabled(e.target.value === 'every')}>
          <option value="off">Off</option>
          <option value="every">Every</option>
        </select>
        <input className="mv-schedule-hours" aria-label="Hours between retrains" inputMode="numeric" value={hours} disabled={!enabled} onChange={(e) => setHours(e.target.value)} />
        <span className="muted">hours</span>
        <button type="button" className="btn btn-xs btn-primary" disabled={busy || !request.ok || unchanged} onClick={() => void save()}>
          {busy ? 'Saving…' : 'Save'}
        </button>
      </div>
      {!request.ok && (
        <p className="field-error" role="alert">
          {request.error}
        </p>
      )}
      <p className="muted">
        {text.summary} {text.last} Retrains the active version (or the newest), never while a training of {name} runs; each run is listed with the training jobs.
      </p>
      {text.error && <p className="mv-gap-warn">{text.error}</p>}
      <FormError error={error} testId="schedule-error" />
    </div>
  );
}
