/**
 * The Reconciliation view, full width under the header: a venue's latest
 * report (what started it, when, whether the venue is clean, waits for the
 * trader or could not be reconciled) with every difference, the evidence on
 * both sides and the decisions that apply; the audit trail of decisions
 * underneath. Every venue the engine runs can be chosen, paper included.
 */
import { useKeel } from '../../stores/KeelProvider';
import { AuditTrail } from './AuditTrail';
import { ItemsTable } from './ItemsTable';
import { ReportHeader } from './ReportHeader';
import { VenueTabs } from './VenueTabs';
import './reconciliation.css';

export function ReconciliationPanel() {
  const selected = useKeel((s) => s.reconciliationVenue);
  const first = useKeel((s) => s.venues[0]?.venue ?? null);
  const known = useKeel((s) => selected !== null && s.venues.some((v) => v.venue === selected));
  // A venue that has been removed gives way to the first one.
  const venue = known ? selected : first;

  return (
    <div className="rc" data-testid="reconciliation-panel">
      <section className="panel rc-report" aria-label="Reconciliation report">
        <div className="panel-title">
          <span>Reconciliation</span>
          <VenueTabs current={venue} />
        </div>
        {venue ? (
          <>
            <ReportHeader key={venue} venue={venue} />
            <ItemsTable venue={venue} />
          </>
        ) : (
          <div className="table-empty">No venue is running yet.</div>
        )}
      </section>
      <AuditTrail venue={venue} />
    </div>
  );
}
