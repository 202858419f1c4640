/**
 * What the emergency stop did: orders canceled, positions closed, and first
 * and loudest, anything it could not confirm, with the reason. Opens for the
 * answer to our own stop and for the emergency.report event (a stop from the
 * OS hotkey, the tray or another window); stays until the trader dismisses it.
 */
import { useRef } from 'react';
import type { EmergencyReport } from '../../../shared/risk';
import { Modal } from '../../components/Modal';
import { fmtDateTime, fmtTime } from '../../lib/format';
import { useKeel } from '../../stores/KeelProvider';

function after(start: number, at: number | null): string {
  if (at === null) return '';
  return ` (+${Math.max(0, at - start).toLocaleString()} ms)`;
}

const TRIGGER_LABEL: Record<string, string> = {
  hotkey: 'hotkey',
  button: 'button',
  menu: 'menu',
  tray: 'tray',
  limit: 'risk limit',
  api: 'API call',
};

/** Anything left unconfirmed, or a report that does not claim completion. */
export function isIncomplete(r: EmergencyReport): boolean {
  return !r.complete || r.unconfirmed.length > 0;
}

export function ReportBody({ report: r }: { report: EmergencyReport }) {
  const unconfirmed = r.unconfirmed.length;
  return (
    <div className="dialog-body report">
      {unconfirmed === 0 && !r.complete && (
        <div className="report-unconfirmed" role="alert">
          <strong>The stop did not confirm that it completed. Check every venue for open orders and positions.</strong>
        </div>
      )}
      {unconfirmed > 0 ? (
        <div className="report-unconfirmed" role="alert">
          <strong>
            {unconfirmed} action{unconfirmed === 1 ? ' was' : 's were'} NOT confirmed. Check the venue before you rely on
            this stop.
          </strong>
          <table className="grid" aria-label="Unconfirmed actions">
            <thead>
              <tr>
                <th scope="col">Action</th>
                <th scope="col">Venue</th>
                <th scope="col">Order / symbol</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {r.unconfirmed.map((u, i) => (
                <tr key={`${u.kind}|${u.venue}|${u.target}|${i}`}>
                  <td>{u.kind === 'cancel' ? 'Cancel order' : 'Close position'}</td>
                  <td>{u.venue}</td>
                  <td className="mono-id">{u.target}</td>
                  <td className="wrap">{u.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        r.complete && <p className="report-ok">
          Everything confirmed: trading is halted, every order is canceled{r.flatten ? ' and every position is closed' : ''}.
        </p>
      )}
      <dl className="kv report-kv">
        <dt>Orders canceled</dt>
        <dd className="num-left">{r.ordersCanceled}</dd>
        <dt>Positions closed</dt>
        <dd className="num-left">{r.flatten ? r.positionsClosed : 'not requested (cancel only)'}</dd>
        <dt>Triggered by</dt>
        <dd>{TRIGGER_LABEL[r.trigger] ?? r.trigger}</dd>
        <dt>Started</dt>
        <dd className="num-left">{fmtDateTime(r.startedAt)}</dd>
        <dt>Halted</dt>
        <dd className="num-left">
          {fmtTime(r.haltedAt)}
          {after(r.startedAt, r.haltedAt)}
        </dd>
        <dt>Cancels confirmed</dt>
        <dd className={`num-left ${r.cancelsConfirmedAt === null ? 'neg' : ''}`}>
          {r.cancelsConfirmedAt === null ? 'not confirmed' : `${fmtTime(r.cancelsConfirmedAt)}${after(r.startedAt, r.cancelsConfirmedAt)}`}
        </dd>
        {r.flatten && (
          <>
            <dt>Flat</dt>
            <dd className={`num-left ${r.flatAt === null ? 'neg' : ''}`}>
              {r.flatAt === null ? 'not confirmed' : `${fmtTime(r.flatAt)}${after(r.startedAt, r.flatAt)}`}
            </dd>
          </>
        )}
        <dt>Finished</dt>
        <dd className="num-left">
          {fmtTime(r.finishedAt)}
          {after(r.startedAt, r.finishedAt)}
        </dd>
      </dl>
    </div>
  );
}

export function EmergencyReportDialog() {
  const report = useKeel((s) => s.lastReport);
  const dismissed = useKeel((s) => s.reportDismissed);
  const dismiss = useKeel((s) => s.dismissReport);
  const dismissRef = useRef<HTMLButtonElement>(null);
  const open = report !== null && !dismissed;
  const incomplete = report !== null && isIncomplete(report);
  return (
    <Modal
      open={open}
      title="Emergency report"
      onClose={dismiss}
      initialFocus={dismissRef}
      className={`dialog-wide ${incomplete ? 'dialog-alarm' : ''}`}
      titleAside={
        report && (
          <span className={`pill ${incomplete ? 'pill-bad' : 'pill-good'}`}>{incomplete ? 'INCOMPLETE' : 'COMPLETE'}</span>
        )
      }
    >
      {report && <ReportBody report={report} />}
      <div className="dialog-actions">
        <button ref={dismissRef} type="button" className="btn btn-primary" onClick={dismiss}>
          Dismiss
        </button>
      </div>
    </Modal>
  );
}
