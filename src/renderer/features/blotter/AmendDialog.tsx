/**
 * Amends a working order from the blotter: its limit price, stop price or
 * quantity, whichever its type has (see amendModel), prefilled with what it
 * has now. Only what changed is sent; the engine's answer (the same order
 * amended in place, or its replacement) lands in the blotter, a refusal in
 * the dialog, word for word.
 */
import { useEffect, useState } from 'react';
import type { Order } from '../../../shared/domain';
import { errorMessage } from '../../api/client';
import { Modal } from '../../components/Modal';
import { TextField } from '../../components/TextField';
import { ORDER_TYPE_LABEL, fmtPrice, fmtQty } from '../../lib/format';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { instrumentFor } from '../../stores/selectors';
import { amendableFields, checkAmendDraft, type AmendDraft } from './amendModel';

export function AmendDialog({ order, onClose }: { order: Order | null; onClose(): void }) {
  const { client, store } = useServices();
  const inst = useKeel((s) => (order ? instrumentFor(s, order.venue, order.symbol) : undefined));
  const [draft, setDraft] = useState<AmendDraft>({ price: '', stopPrice: '', quantity: '' });
  const [error, setError] = useState<{ field: keyof AmendDraft | null; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!order) return;
    setDraft({ price: order.price ?? '', stopPrice: order.stopPrice ?? '', quantity: order.quantity });
    setError(null);
  }, [order]);

  if (!order) return <Modal open={false} title="" onClose={onClose}>{null}</Modal>;
  const fields = amendableFields(order);
  const quote = inst?.quote ?? '';

  async function save(): Promise<void> {
    if (!order) return;
    const check = checkAmendDraft(order, draft, inst);
    if (!check.ok) {
      setError({ field: check.field, text: check.error });
      return;
    }
    setBusy(true);
    try {
      const amended = await client.invoke('orders.amend', check.params);
      store.getState().upsertOrders([amended]);
      store.getState().notify('success', amended.id === order.id ? `Order ${order.id} amended` : `Order ${order.id} replaced by ${amended.id}`);
      onClose();
    } catch (err) {
      setError({ field: null, text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  }

  const fieldError = (field: keyof AmendDraft) => (error?.field === field ? error.text : undefined);
  return (
    <Modal open title={`Amend ${order.side} ${ORDER_TYPE_LABEL[order.type].toLowerCase()} ${order.symbol}`} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <div className="dialog-body">
          <p className="muted">
            Now {fmtQty(order.quantity, inst)} {inst?.base ?? ''}
            {order.price ? ` at ${fmtPrice(order.price, inst)}` : ''}
            {order.stopPrice ? `, stop ${fmtPrice(order.stopPrice, inst)}` : ''}; filled {fmtQty(order.filledQuantity, inst)}.
          </p>
          {fields.price && (
            <TextField id="amend-price" label="Limit price" unit={quote} value={draft.price} error={fieldError('price')} onChange={(price) => setDraft({ ...draft, price })} />
          )}
          {fields.stopPrice && (
            <TextField id="amend-stop" label="Stop price" unit={quote} value={draft.stopPrice} error={fieldError('stopPrice')} onChange={(stopPrice) => setDraft({ ...draft, stopPrice })} />
          )}
          {fields.quantity && (
            <TextField id="amend-qty" label="Quantity" unit={inst?.base ?? ''} value={draft.quantity} error={fieldError('quantity')} onChange={(quantity) => setDraft({ ...draft, quantity })} />
          )}
          {!fields.quantity && <p className="field-help">A take-profit or stop-loss is sized by its entry’s fills: only its prices can change.</p>}
          {error && error.field === null && (
            <p className="dialog-error" role="alert">
              {error.text}
            </p>
          )}
        </div>
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Amending…' : 'Amend'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
