/**
 * The discovery schedules, kept by the host across restarts: what each
 * searches, how often, when it runs next, its last run (or why its last time
 * was skipped), and Remove, which ends it (a run under way finishes).
 */
import { useState } from 'react';
import { errorMessage } from '../../api/client';
import { useKeel, useServices } from '../../stores/KeelProvider';

const when = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

export function SchedulesList() {
  const { client, store } = useServices();
  const schedules = useKeel((s) => s.pipeline?.schedules ?? null);
  const [busy, setBusy] = useState<string | null>(null);

  const remove = (id: string): void => {
    setBusy(id);
    client.invoke('pipeline.schedules.remove', { scheduleId: id }).then(
      () => {
        store.getState().setPipelineError(null);
        setBusy(null);
      },
      (err: unknown) => {
        store.getState().setPipelineError(errorMessage(err));
        setBusy(null);
      },
    );
  };

  return (
    <section className="panel pl-schedules" aria-label="Discovery schedules">
      <div className="panel-title">Schedules</div>
      <ul className="pl-schedule-list">
        {(schedules ?? []).length === 0 && <li className="muted">No discovery repeats: give “Repeat every” to keep one.</li>}
        {(schedules ?? []).map((s) => (
          <li key={s.id} data-testid="pipeline-schedule" data-schedule-id={s.id}>
            <strong>{s.label}</strong> <span className="muted">every {s.spec.everyHours} h</span>
            <div className="muted" title={s.lastJobId ? `Last run: discovery ${s.lastJobId}` : undefined}>
              next {when(s.nextRunAt)} UTC
              {s.lastJobId && s.lastRunAt !== null && ` · last ran ${when(s.lastRunAt)} UTC`}
            </div>
            {s.lastSkipped && <div className="muted">{s.lastSkipped}</div>}
            <button type="button" className="btn btn-xs btn-danger-outline" disabled={busy === s.id} onClick={() => remove(s.id)}>
              Remove
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
