/**
 * The venue's audit trail: every decision taken on a reconciliation
 * difference, newest first, with the trader's note and what came of it as
 * the engine recorded it.
 */
import { fmtSince, fmtDateTimeMs } from '../../lib/format';
import { KIND_LABEL, resolutionLabel } from './itemText';
import { AUDIT_LIMIT, useReconciliationAudit } from './useReconciliationAudit';

export function AuditTrail({ venue }: { venue: string | null }) {
  const { entries, loaded, error } = useReconciliationAudit(venue);

  return (
    <section className="panel rc-audit" aria-label="Audit trail">
      <div className="panel-title">
        <span>
          Audit trail <span className="count">{entries.length}</span>
        </span>
        <span className="muted">{venue ? `Decisions on ${venue}, newest first (the last ${AUDIT_LIMIT})` : ''}</span>
      </div>
      {error && (
        <div className="risk-error" role="alert">
          Could not load the audit trail: {error}
        </div>
      )}
      <div className="table-scroll">
        <table className="grid rc-table rc-audit-table" aria-label={`Audit trail${venue ? ` of ${venue}` : ''}`}>
          <colgroup>
            <col className="rc-col-time" />
            <col className="rc-col-kind" />
            <col className="rc-col-subject" />
            <col className="rc-col-action" />
            <col className="rc-col-note" />
            <col />
          </colgroup>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Kind</th>
              <th scope="col">Symbol</th>
              <th scope="col">Decision</th>
              <th scope="col">Note</th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} data-testid={`reconciliation-audit-${e.id}`}>
                <td className="num-left" title={fmtDateTimeMs(e.at)}>
                  {fmtSince(e.at)}
                </td>
                <td>{KIND_LABEL[e.kind]}</td>
                <td>{e.symbol ?? <span className="muted">—</span>}</td>
                <td>{resolutionLabel(e.action)}</td>
                <td className="rc-wrap">{e.note ?? <span className="muted">—</span>}</td>
                <td className="rc-wrap">{e.outcome}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {entries.length === 0 && <div className="table-empty">{!venue || loaded ? 'No decisions taken yet.' : 'Loading the audit trail…'}</div>}
      </div>
    </section>
  );
}
