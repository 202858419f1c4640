/**
 * Amends a working order from the blotter: its limit price, stop price or
 * quantity, whichever its type has (see amendModel), prefilled with what it
 * has now. Only what changed is sent, through the gate the chart's drags
 * pass (gateAmend): an amend worth more than the value set in Settings →
 * Trading asks the same confirmation first. The engine's answer (the same
 * order amended in place, or its replacement) lands in the blotter, a refusal
 * in the dialog, word for word.
 */
import { useEffect, useState } from 'react';
import type { Order } from '../../../shared/domain';
import { errorMessage } from '../../api/client';
import { Modal } from '../../components/Modal';
import { TextField } from '../../components/TextField';
import { ORDER_TYPE_LABEL, fmtPrice, fmtQty } from '../../lib/format';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { instrumentFor } from '../../stores/selectors';
import type { AmendOrderParams } from '../../../shared/contract';
import { LargeOrderConfirm } from '../order-ticket/LargeOrderConfirm';
import { gateAmend, type LargeOrder } from '../order-ticket/orderGate';
import { amendableFields, checkAmendDraft, type AmendDraft } from './amendModel';

export function AmendDialog({ order, onClose }: { order: Order | null; onClose(): void }) {
  const { client, store } = useServices();
  const inst = useKeel((s) => (order ? instrumentFor(s, order.venue, order.symbol) : undefined));
  const [draft, setDraft] = useState<AmendDraft>({ price: '', stopPrice: '', quantity: '' });
  const [error, setError] = useState<{ field: keyof AmendDraft | null; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [held, setHeld] = useState<{ params: AmendOrderParams; confirm: LargeOrder } | null>(null);

  useEffect(() => {
    if (!order) return;
    setDraft({ price: order.price ?? '', stopPrice: order.stopPrice ?? '', quantity: order.quantity });
    setError(null);
    setHeld(null);
  }, [order]);

  if (!order) return <Modal open={false} title="" onClose={onClose}>{null}</Modal>;
  const fields = amendableFields(order);
  const quote = inst?.quote ?? '';

  function save(): void {
    if (!order) return;
    const gate = gateAmend(order, checkAmendDraft(order, draft, inst), store.getState().deskPrefs);
    if (!gate.ok) {
      setError({ field: gate.field, text: gate.error });
      return;
    }
    if (gate.confirm) setHeld({ params: gate.params, confirm: gate.confirm });
    else void send(gate.params);
  }

  async function send(params: AmendOrderParams): Promise<void> {
    if (!order) return;
    setError(null);
    setBusy(true);
    try {
      const amended = await client.invoke('orders.amend', params);
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
  // Beside the edit dialog, not in it: Escape on the confirmation goes back to the edit, it does not close both.
  return (
    <>
      <Modal open title={`Amend ${order.side} ${ORDER_TYPE_LABEL[order.type].toLowerCase()} ${order.symbol}`} onClose={onClose}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            save();
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
      <LargeOrderConfirm
        large={held?.confirm ?? null}
        quote={quote}
        amend
        confirmLabel="Amend order"
        cancelLabel="Back to edit"
        onConfirm={() => {
          const h = held;
          setHeld(null);
          if (h) void send(h.params);
        }}
        onCancel={() => setHeld(null)}
      />
    </>
  );
}
