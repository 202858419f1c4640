/**
 * Training jobs (and permutation importance jobs), newest first: a running job shows its progress bar, what
 * it is doing (loading data, fold 2 of 4, final model) and a Cancel button;
 * a finished one its outcome in the engine's words, and the model it
 * registered.
 */
import { useState } from 'react';
import type { JobView } from '../../../shared/contract';
import { ProgressBar } from '../../components/ProgressBar';
import { fmtDateTime } from '../../lib/format';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { isJobFinished } from '../../stores/models';
import { fmtWhen } from '../backtests/statsFormat';
import { toShownError } from '../strategies/FormError';
import { JOB_KIND_LABEL, jobPercent, jobProgressText, jobStatusLabel } from './jobText';

function CancelJobButton({ job }: { job: JobView }) {
  const { client, store } = useServices();
  const [busy, setBusy] = useState(false);
  async function cancel(): Promise<void> {
    setBusy(true);
    try {
      await client.invoke('jobs.cancel', { id: job.id });
    } catch (err) {
      store.getState().notify('error', `Cancel ${JOB_KIND_LABEL[job.kind].toLowerCase()} ${job.name} failed: ${toShownError(err).message}`);
    } finally {
      setBusy(false);
    }
  }
  return (
    <button type="button" className="btn btn-xs btn-danger-outline" aria-label={`Cancel ${JOB_KIND_LABEL[job.kind].toLowerCase()} ${job.name}`} disabled={busy} onClick={() => void cancel()}>
      {busy ? 'Canceling…' : 'Cancel'}
    </button>
  );
}

function JobOutcome({ job }: { job: JobView }) {
  const selectModel = useKeel((s) => s.selectModel);
  const model = useKeel((s) => (job.modelId ? s.models.find((m) => m.id === job.modelId) : undefined));
  if (job.status === 'failed') {
    return (
      <span className="neg mv-job-error" title={job.error ?? job.message}>
        {job.error ?? job.message}
      </span>
    );
  }
  if (job.status === 'done' && model) {
    return (
      <button type="button" className="link" title={job.message} aria-label={`Show ${model.name} v${model.version}`} onClick={() => selectModel(model.id)}>
        Show v{model.version}
      </button>
    );
  }
  return (
    <span className="muted" title={job.message}>
      {job.status === 'cancelled' ? `Cancelled at ${jobPercent(job) ?? 0}%` : job.message}
    </span>
  );
}

function JobRow({ job }: { job: JobView }) {
  const running = !isJobFinished(job.status);
  return (
    <tr aria-label={`${JOB_KIND_LABEL[job.kind]} ${job.name}`} data-status={job.status} data-kind={job.kind}>
      <td className="mv-job-name" title={job.name}>
        <span className="clip">{job.name}</span>
      </td>
      <td>
        <span className={`sbadge mv-job-${job.status}`}>{jobStatusLabel(job)}</span>
      </td>
      <td className="mv-job-progress">
        {running ? (
          <span className="bt-progress-line">
            <ProgressBar progress={job} testId={`job-progress-${job.id}`} label={`${JOB_KIND_LABEL[job.kind]} ${job.name}`} title={jobProgressText(job)} wide />
            <span className="muted mv-job-message">{job.message}</span>
          </span>
        ) : (
          <JobOutcome job={job} />
        )}
      </td>
      <td className="num muted" title={fmtDateTime(job.startedAt)}>
        {fmtWhen(job.startedAt)}
      </td>
      <td className="actions">{running && <CancelJobButton job={job} />}</td>
    </tr>
  );
}

export function JobsPanel() {
  const jobs = useKeel((s) => s.jobs);
  const running = jobs.filter((j) => !isJobFinished(j.status)).length;
  return (
    <section className="panel mv-jobs" aria-label="Training jobs">
      <div className="panel-title">
        <span>
          Training jobs <span className="count">{jobs.length}</span>
          {running > 0 && <span className="count count-run">{running} running</span>}
        </span>
      </div>
      <div className="table-scroll">
        {jobs.length === 0 ? (
          <div className="table-empty">No training yet: set one up on the left.</div>
        ) : (
          <table className="grid mv-jobs-table" aria-label="Jobs">
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Status</th>
                <th scope="col">Progress</th>
                <th scope="col" className="num">
                  Started
                </th>
                <th scope="col" className="actions">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((j) => (
                <JobRow key={j.id} job={j} />
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
