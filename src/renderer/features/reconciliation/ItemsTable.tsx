/**
 * A venue's reconciliation items: the differences, most urgent first, then
 * what matched, collapsed behind one toggle so a venue with fifty matching
 * positions still shows its two differences at a glance. A decision opens
 * the confirm dialog for that item and action.
 */
import { useState } from 'react';
import type { ReconciliationAction } from '../../../shared/contract';
import { useKeel } from '../../stores/KeelProvider';
import { ItemRow } from './ItemRow';
import { itemName } from './itemText';
import { balanceCurrency, partitionItems } from './reportStatus';
import { ResolveDialog } from './ResolveDialog';

interface Pending {
  itemId: string;
  action: ReconciliationAction;
}

const COLUMNS = 6;

export function ItemsTable({ venue }: { venue: string }) {
  const report = useKeel((s) => s.reconciliations[venue]);
  const [showMatched, setShowMatched] = useState(false);
  const [pending, setPending] = useState<Pending | null>(null);

  if (report === undefined) return <div className="table-empty">Loading the latest report…</div>;
  if (report === null) return <div className="table-empty">{venue} has not been reconciled yet: press Reconcile now.</div>;

  const { differences, matched } = partitionItems(report.items);
  const currency = balanceCurrency(report);
  const pendingItem = pending ? report.items.find((i) => i.id === pending.itemId) : undefined;
  const matchedNames = matched.map((i) => itemName(i, currency)).join(', ');

  return (
    <div className="table-scroll rc-items">
      <table className="grid rc-table" aria-label={`Reconciliation items of ${venue}`}>
        <colgroup>
          <col className="rc-col-kind" />
          <col className="rc-col-subject" />
          <col className="rc-col-fig" />
          <col className="rc-col-fig" />
          <col />
          <col className="rc-col-actions" />
        </colgroup>
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col">Symbol / order</th>
            <th scope="col">Keel</th>
            <th scope="col">{venue}</th>
            <th scope="col">Evidence</th>
            <th scope="col" className="rc-actions">
              Decision
            </th>
          </tr>
        </thead>
        <tbody>
          {differences.map((item) => (
            <ItemRow key={item.id} item={item} venue={venue} currency={currency} onAct={(action) => setPending({ itemId: item.id, action })} />
          ))}
          {differences.length === 0 && (
            <tr className="rc-none">
              <td colSpan={COLUMNS}>No differences: Keel and {venue} agree on everything compared.</td>
            </tr>
          )}
          {matched.length > 0 && (
            <tr className="rc-matched-toggle">
              <td colSpan={COLUMNS}>
                <button type="button" className="link rc-disclosure" aria-expanded={showMatched} onClick={() => setShowMatched((v) => !v)}>
                  <span aria-hidden="true">{showMatched ? '▾' : '▸'} </span>
                  Matched ({matched.length})
                </button>
                {!showMatched && <span className="muted"> {matchedNames}</span>}
              </td>
            </tr>
          )}
          {showMatched && matched.map((item) => <ItemRow key={item.id} item={item} venue={venue} currency={currency} onAct={() => undefined} />)}
        </tbody>
      </table>
      {pending && pendingItem && (
        <ResolveDialog
          key={`${pending.itemId}-${pending.action}`}
          venue={venue}
          item={pendingItem}
          action={pending.action}
          currency={currency}
          onClose={() => setPending(null)}
        />
      )}
    </div>
  );
}
