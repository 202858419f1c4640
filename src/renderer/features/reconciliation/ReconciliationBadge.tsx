/**
 * The navigation tab's badge: how many reconciliation differences wait for
 * the trader across every venue (each keeps its venue from trading), or "!"
 * when a venue could not be reconciled at all. Nothing when all is clean.
 */
import { useKeel } from '../../stores/KeelProvider';
import { selectBlockingDifferences, selectFailedReconciliations } from '../../stores/reconciliation';

export function ReconciliationBadge() {
  const blocking = useKeel(selectBlockingDifferences);
  const failed = useKeel(selectFailedReconciliations);
  return (
    <>
      {blocking > 0 && (
        <span className="count count-err" title={`${blocking} difference(s) to resolve`} data-testid="reconciliation-nav-count">
          {blocking}
        </span>
      )}
      {failed && (
        <span className="count count-err" title={`Could not reconcile ${failed}`}>
          !
        </span>
      )}
    </>
  );
}
