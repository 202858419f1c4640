/**
 * Every backtest and optimization run, newest first: its status with a live
 * progress bar and a Cancel button while it works, its headline figures once
 * done. Clicking a row shows it; ticking rows compares them side by side.
 */
import { useState } from 'react';
import type { BacktestStatus, BacktestSummary } from '../../../shared/contract';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ProgressBar as ProgressMeter } from '../../components/ProgressBar';
import { rowActivation } from '../../components/rowActivation';
import { fmtDateTime } from '../../lib/format';
import { isFinished, progressOf, type BacktestProgress } from '../../stores/backtests';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { toShownError } from '../strategies/FormError';
import { fmtNumber, fmtPct, fmtWhen } from './statsFormat';

const STATUS_LABEL: Record<BacktestStatus, string> = {
  queued: 'Queued',
  running: 'Running',
  done: 'Done',
  failed: 'Failed',
  canceled: 'Canceled',
};

export function RunStatus({ status }: { status: BacktestStatus }) {
  return <span className={`sbadge bt-status-${status}`}>{STATUS_LABEL[status]}</span>;
}

export function ProgressBar({ id, progress, wide }: { id: string; progress: BacktestProgress; wide?: boolean }) {
  return <ProgressMeter testId={`backtest-progress-${id}`} progress={progress} wide={wide} />;
}

/** Cancels a queued or running run; `testId` when a second button for the same run is on screen. */
export function CancelRunButton({ run, testId }: { run: BacktestSummary; testId?: string }) {
  const { client, store } = useServices();
  const [busy, setBusy] = useState(false);
  async function cancel(): Promise<void> {
    setBusy(true);
    try {
      await client.invoke('backtests.cancel', { id: run.id });
    } catch (err) {
      store.getState().notify('error', `Cancel ${run.name} failed: ${toShownError(err).message}`);
    } finally {
      setBusy(false);
    }
  }
  return (
    <button
      type="button"
      className="btn btn-xs btn-danger-outline"
      data-testid={testId ?? `backtest-cancel-${run.id}`}
      aria-label={`Cancel ${run.name}`}
      disabled={busy}
      onClick={(e) => {
        e.stopPropagation();
        void cancel();
      }}
    >
      {busy ? 'Canceling…' : 'Cancel'}
    </button>
  );
}

function RunRow({ run, onDelete }: { run: BacktestSummary; onDelete(run: BacktestSummary): void }) {
  const live = useKeel((s) => s.backtestProgress[run.id]);
  const selected = useKeel((s) => s.selectedBacktest === run.id);
  const compared = useKeel((s) => s.compareBacktests.includes(run.id));
  const entryName = useKeel((s) => s.strategyCatalog.find((e) => e.type === run.strategy.type)?.name);
  const select = useKeel((s) => s.selectBacktest);
  const toggle = useKeel((s) => s.toggleCompare);
  const working = !isFinished(run.status);
  const tone = run.returnPct === null ? '' : run.returnPct > 0 ? 'pos' : run.returnPct < 0 ? 'neg' : '';

  return (
    <tr
      data-testid={`backtest-row-${run.id}`}
      className={`row-activatable ${selected ? 'row-selected' : ''}`}
      aria-selected={selected}
      {...rowActivation(() => select(run.id), 'Press Enter to show the result')}
    >
      <td className="bt-check" onClick={(e) => e.stopPropagation()} onKeyDown={(e) => e.stopPropagation()}>
        <input
          type="checkbox"
          aria-label={`Compare ${run.name}`}
          checked={compared}
          disabled={run.status !== 'done'}
          title={run.status === 'done' ? 'Tick two or more runs to compare them' : 'Only finished runs can be compared'}
          onChange={() => toggle(run.id)}
        />
      </td>
      <td className="bt-name" title={run.name}>
        {run.kind === 'optimize' && (
          <span className="tag" title="Optimization">
            OPT
          </span>
        )}
        <span className="clip bt-name-text">{run.name}</span>
      </td>
      <td className="muted">
        <span className="clip bt-strategy-text">{entryName ?? run.strategy.type}</span>
      </td>
      <td className="bt-status-cell" title={run.error ?? undefined}>
        <RunStatus status={run.status} />
      </td>
      {working ? (
        // While it works there are no figures yet: its progress takes their place.
        <td colSpan={3} className="bt-progress-cell">
          <span className="bt-progress-line">
            <ProgressBar id={run.id} progress={progressOf(run, live)} wide />
            <CancelRunButton run={run} />
          </span>
        </td>
      ) : (
        <>
          <td className={`num ${tone}`}>{fmtPct(run.returnPct)}</td>
          <td className="num">{fmtNumber(run.sharpeRatio, 2)}</td>
          <td className="num">{run.tradeCount ?? '—'}</td>
        </>
      )}
      <td className="num muted" title={fmtDateTime(run.createdAt)}>
        {fmtWhen(run.createdAt)}
      </td>
      <td className="actions">
        <button
          type="button"
          className="btn btn-xs btn-ghost"
          aria-label={`Delete ${run.name}`}
          title={working ? 'Cancel it first' : 'Delete this run and its result'}
          disabled={working}
          onClick={(e) => {
            e.stopPropagation();
            onDelete(run);
          }}
        >
          ✕
        </button>
      </td>
    </tr>
  );
}

export function RunsTable() {
  const { client, store } = useServices();
  const runs = useKeel((s) => s.backtests);
  const loaded = useKeel((s) => s.backtestsLoaded);
  const error = useKeel((s) => s.backtestsError);
  const [deleting, setDeleting] = useState<BacktestSummary | null>(null);
  const [busy, setBusy] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const working = runs.filter((r) => !isFinished(r.status)).length;

  async function remove(run: BacktestSummary): Promise<void> {
    setBusy(true);
    setDeleteError(null);
    try {
      await client.invoke('backtests.delete', { id: run.id });
      store.getState().removeBacktest(run.id);
      setDeleting(null);
    } catch (err) {
      setDeleteError(toShownError(err).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel bt-runs" aria-label="Backtest runs">
      <div className="panel-title">
        <span>
          Runs <span className="count">{runs.length}</span>
          {working > 0 && <span className="count count-run">{working} working</span>}
        </span>
        <span className="muted">Tick finished runs to compare them</span>
      </div>
      {error && (
        <div className="risk-error" role="alert">
          Could not load runs or datasets: {error}
        </div>
      )}
      <div className="table-scroll">
        <table className="grid bt-runs-table" aria-label="Runs">
          <thead>
            <tr>
              <th scope="col" className="bt-check">
                <span className="sr-only">Compare</span>
              </th>
              <th scope="col">Name</th>
              <th scope="col">Strategy</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Return
              </th>
              <th scope="col" className="num">
                Sharpe
              </th>
              <th scope="col" className="num">
                Trades
              </th>
              <th scope="col" className="num">
                Created
              </th>
              <th scope="col" className="actions">
                <span className="sr-only">Delete</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <RunRow
                key={r.id}
                run={r}
                onDelete={(run) => {
                  setDeleteError(null);
                  setDeleting(run);
                }}
              />
            ))}
          </tbody>
        </table>
        {runs.length === 0 && <div className="table-empty">{loaded ? 'No runs yet: set one up on the left and run it.' : 'Loading runs…'}</div>}
      </div>
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete ${deleting?.name ?? 'run'}?`}
        confirmLabel="Delete"
        danger
        busy={busy}
        onCancel={() => setDeleting(null)}
        onConfirm={() => deleting && void remove(deleting)}
      >
        <p>Deletes the run and its result. Datasets and strategies are not affected.</p>
        {deleteError && (
          <p className="dialog-error" role="alert">
            {deleteError}
          </p>
        )}
      </ConfirmDialog>
    </section>
  );
}
