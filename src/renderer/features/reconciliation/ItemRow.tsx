/**
 * One item of a reconciliation report: its kind (coloured by severity, with
 * whether it blocks trading in words), what it is about, Keel's figure and
 * the venue's side by side, the evidence, and either the decisions that
 * apply (each button named with its item and venue) or what was decided.
 */
import type { ReconciliationAction, ReconciliationItem } from '../../../shared/contract';
import { fmtSince } from '../../lib/format';
import { ACTION_LABEL, actionAriaLabel, isDangerous, KIND_HINT, KIND_LABEL, resolutionLabel, severityOf, type Severity } from './itemText';

const SEVERITY_NOTE: Record<Severity, string> = {
  block: 'blocks trading',
  warn: 'to review',
  pending: 'Keel is asking',
  ok: '',
  resolved: 'resolved',
};

interface Props {
  item: ReconciliationItem;
  venue: string;
  currency: string | null;
  onAct(action: ReconciliationAction): void;
}

function Figure({ value, differs }: { value: string | null; differs: boolean }) {
  if (value === null) return <span className="muted">none</span>;
  return <span className={differs ? 'rc-fig-differs' : undefined}>{value}</span>;
}

export function ItemRow({ item, venue, currency, onAct }: Props) {
  const severity = severityOf(item);
  const differs = item.kind !== 'matched' && item.keel !== item.venue;
  return (
    <tr className={`rc-row rc-sev-${severity}`} data-testid={`reconciliation-item-${item.id}`} data-kind={item.kind}>
      <td className="rc-two">
        <span className={`rc-kind rc-kind-${severity}`} title={KIND_HINT[item.kind]}>
          {KIND_LABEL[item.kind]}
        </span>
        {SEVERITY_NOTE[severity] && <span className="rc-line2">{SEVERITY_NOTE[severity]}</span>}
      </td>
      <td className="rc-two">
        <span className="rc-line1 rc-subject">{item.subject === 'balance' ? (currency ?? 'Balance') : (item.symbol ?? '—')}</span>
        <span className="rc-line2">
          {item.subject === 'order' ? (
            <>
              order <span className="mono-id" title={item.orderId ? `Keel id ${item.orderId}` : undefined}>{item.clientOrderId ?? item.orderId}</span>
            </>
          ) : (
            item.subject
          )}
        </span>
      </td>
      <td className="rc-fig">
        <Figure value={item.keel} differs={differs} />
      </td>
      <td className="rc-fig">
        <Figure value={item.venue} differs={differs} />
      </td>
      <td className="rc-detail">{item.detail}</td>
      <td className="rc-actions">
        {item.resolution ? (
          <span className="rc-resolved" title={item.resolution.note ?? undefined}>
            <span className="rc-line1">
              <span aria-hidden="true">✓ </span>
              {resolutionLabel(item.resolution.action)} · {fmtSince(item.resolution.at)}
            </span>
            {item.resolution.note && <span className="rc-line2 rc-note">“{item.resolution.note}”</span>}
          </span>
        ) : item.actions.length > 0 ? (
          <span className="rc-action-group">
            {item.actions.map((action) => (
              <button
                key={action}
                type="button"
                className={`btn btn-xs ${isDangerous(action) ? 'btn-danger-outline' : ''}`}
                aria-label={actionAriaLabel(action, item, venue, currency)}
                data-testid={`reconciliation-action-${action}-${item.id}`}
                onClick={() => onAct(action)}
              >
                {ACTION_LABEL[action]}
              </button>
            ))}
          </span>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
    </tr>
  );
}
