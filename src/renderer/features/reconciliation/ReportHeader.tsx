/**
 * The head of a venue's report: its status in words (clean, differences to
 * resolve, could not reconcile and why), what started it and when it
 * finished, what it brought in line on its own (fills recovered, orders
 * whose status the venue decided), the venue's own state, and "Reconcile
 * now", whose refusal is shown as the engine words it. Keyed by venue, so
 * a refusal shown for one venue is not shown for the next.
 */
import { useState } from 'react';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { fmtDateTimeMs } from '../../lib/format';
import { FormError, toShownError, type ShownError } from '../strategies/FormError';
import { reportStatus, triggerLabel } from './reportStatus';

export function ReportHeader({ venue }: { venue: string }) {
  const { client, store } = useServices();
  const report = useKeel((s) => s.reconciliations[venue]);
  const loadError = useKeel((s) => s.reconciliationErrors[venue] ?? null);
  const venueState = useKeel((s) => s.venues.find((v) => v.venue === venue)?.state ?? null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);
  const status = reportStatus(report);

  async function reconcileNow(): Promise<void> {
    setRunning(true);
    setError(null);
    try {
      store.getState().applyReconciliations([await client.invoke('reconciliation.run', { venue })]);
    } catch (err) {
      setError(toShownError(err));
    } finally {
      setRunning(false);
    }
  }

  return (
    <div className="rc-head" data-testid="reconciliation-report">
      <div className="rc-head-main">
        <div className={`rc-status rc-tone-${status.tone}`} data-testid="reconciliation-status" role="status">
          <span className="rc-dot" aria-hidden="true" />
          <span className="rc-headline">{status.headline}</span>
          {status.detail && <span className="rc-status-detail">{status.detail}</span>}
        </div>
        <dl className="rc-facts">
          <div>
            <dt>Trigger</dt>
            <dd data-testid="reconciliation-trigger">{report ? triggerLabel(report.trigger) : '—'}</dd>
          </div>
          <div>
            <dt>Finished</dt>
            <dd className="num-left" data-testid="reconciliation-time">
              {report ? fmtDateTimeMs(report.finishedAt) : '—'}
            </dd>
          </div>
          <div>
            <dt>Took</dt>
            <dd className="num-left">{report ? `${Math.max(0, report.finishedAt - report.startedAt)} ms` : '—'}</dd>
          </div>
          <div title="Fills the venue made that Keel had not recorded, applied once each">
            <dt>Fills recovered</dt>
            <dd className="num-left">{report?.fillsRecovered ?? '—'}</dd>
          </div>
          <div title={report?.ordersResolved.map((o) => `${o.clientOrderId} ${o.symbol}: ${o.from} → ${o.to}`).join('\n') || 'Orders whose status Keel brought in line with the venue'}>
            <dt>Orders brought in line</dt>
            <dd className="num-left">{report?.ordersResolved.length ?? '—'}</dd>
          </div>
          <div>
            <dt>Venue</dt>
            <dd className={`rc-venue-state rc-venue-state-${venueState ?? 'unknown'}`}>{venueState ?? 'unknown'}</dd>
          </div>
        </dl>
      </div>
      <div className="rc-head-actions">
        {(running || venueState === 'reconciling') && <span className="muted">Reconciling…</span>}
        <button type="button" className="btn btn-primary" onClick={() => void reconcileNow()} disabled={running || venueState === 'reconciling'} aria-busy={running}>
          Reconcile now
        </button>
      </div>
      <FormError error={error} testId="reconciliation-run-error" />
      {loadError && (
        <div className="risk-error rc-load-error" role="alert">
          Could not load the report of {venue}: {loadError}
        </div>
      )}
    </div>
  );
}
