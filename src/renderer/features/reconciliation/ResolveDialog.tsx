/**
 * Asks before carrying out a decision on one reconciliation difference: says
 * what the action will do, shows both sides' figures and the evidence, and
 * takes an optional note for the audit trail. A refusal stays in the dialog
 * as the engine words it, with the note kept, so the trader can try again
 * or back out.
 */
import { useId, useState } from 'react';
import type { ReconciliationAction, ReconciliationItem } from '../../../shared/contract';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useServices } from '../../stores/KeelProvider';
import { FormError, toShownError, type ShownError } from '../strategies/FormError';
import { ACTION_LABEL, actionConsequence, isDangerous, itemName, resolutionLabel } from './itemText';

/** The engine keeps notes up to this length. */
const NOTE_MAX = 500;

interface Props {
  venue: string;
  item: ReconciliationItem;
  action: ReconciliationAction;
  currency: string | null;
  onClose(): void;
}

export function ResolveDialog({ venue, item, action, currency, onClose }: Props) {
  const { client, store } = useServices();
  const noteId = useId();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);
  const name = itemName(item, currency);

  async function confirm(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const trimmed = note.trim();
      const report = await client.invoke('reconciliation.resolve', { venue, itemId: item.id, action, ...(trimmed ? { note: trimmed } : {}) });
      store.getState().applyReconciliations([report]);
      store.getState().notify('success', `${venue}: ${resolutionLabel(action)} — ${name}`);
      onClose();
    } catch (err) {
      setError(toShownError(err));
      setBusy(false);
    }
  }

  return (
    <ConfirmDialog
      open
      title={`${ACTION_LABEL[action]}: ${name}?`}
      confirmLabel={ACTION_LABEL[action]}
      // "Cancel" beside "Cancel on venue" would read as the same thing.
      cancelLabel="Back"
      danger={isDangerous(action)}
      busy={busy}
      onCancel={onClose}
      onConfirm={() => void confirm()}
    >
      <p>{actionConsequence(action, item, venue, currency)}</p>
      <dl className="rc-dialog-figures">
        <div>
          <dt>Keel</dt>
          <dd>{item.keel ?? 'none'}</dd>
        </div>
        <div>
          <dt>{venue}</dt>
          <dd>{item.venue ?? 'none'}</dd>
        </div>
      </dl>
      <p className="muted rc-dialog-detail">{item.detail}</p>
      <div className="field">
        <label htmlFor={noteId}>Note (optional)</label>
        <textarea id={noteId} className="rc-note-input" rows={2} maxLength={NOTE_MAX} value={note} onChange={(e) => setNote(e.target.value)} placeholder="Why — kept in the audit trail" />
      </div>
      <FormError error={error} testId="reconciliation-resolve-error" />
    </ConfirmDialog>
  );
}
