/**
 * The confirmation an order held back by the gate (orderGate) asks for: far
 * larger than the last order in the instrument, or worth more than the value
 * set in Settings → Trading. The ticket and the chart show the same one.
 */
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ORDER_TYPE_LABEL, fmtMoney, fmtPrice, fmtQty, fmtTime } from '../../lib/format';
import { useKeel } from '../../stores/KeelProvider';
import { instrumentFor } from '../../stores/selectors';
import type { LargeOrder } from './orderGate';

interface Props {
  large: LargeOrder | null;
  quote: string;
  /** "Send order" for a new order; an amend says so. */
  confirmLabel?: string;
  cancelLabel: string;
  /** Worded for an amend ("Amend to ...") rather than a new order. */
  amend?: boolean;
  onConfirm(): void;
  onCancel(): void;
}

export function LargeOrderConfirm({ large, quote, confirmLabel = 'Send order', cancelLabel, amend = false, onConfirm, onCancel }: Props) {
  const title = !large
    ? ''
    : large.factor || !large.threshold
      ? 'Place a much larger order?'
      : `${amend ? 'Amend to' : 'Place'} an order worth more than ${fmtMoney(large.threshold.toString())} ${quote}?`;
  return (
    <ConfirmDialog open={large !== null} title={title} confirmLabel={confirmLabel} cancelLabel={cancelLabel} danger onCancel={onCancel} onConfirm={onConfirm}>
      {large && <LargeOrderText large={large} quote={quote} />}
    </ConfirmDialog>
  );
}

function LargeOrderText({ large, quote }: { large: LargeOrder; quote: string }) {
  const { order, previous, factor, threshold } = large;
  const inst = useKeel((s) => instrumentFor(s, order.venue, order.symbol));
  const p = previous?.order;
  const at = p ? (p.price ?? p.averagePrice ?? p.stopPrice) : null;
  return (
    <>
      {factor && previous ? (
        <p>
          This order is worth <b className="num">{fmtMoney(large.value.toString())} {quote}</b>, {factor.toFixed(1)}× the value of your last{' '}
          {order.symbol} order: <b className="num">{fmtMoney(previous.value.toString())} {quote}</b>.
        </p>
      ) : (
        <p>
          This order is worth <b className="num">{fmtMoney(large.value.toString())} {quote}</b>.
        </p>
      )}
      {threshold && (
        <p>
          You asked to confirm orders worth more than <b className="num">{fmtMoney(threshold.toString())}</b> (Settings → Trading).
        </p>
      )}
      <p className="muted">
        Now: {order.side} {fmtQty(order.quantity, inst)} {inst?.base ?? ''} {ORDER_TYPE_LABEL[order.type].toLowerCase()}.
        {p && (
          <>
            {' '}
            Last: {p.side} {fmtQty(p.quantity, inst)} {inst?.base ?? ''} {ORDER_TYPE_LABEL[p.type].toLowerCase()}
            {at ? ` at ${fmtPrice(at, inst)}` : ''}, {fmtTime(p.createdAt)}.
          </>
        )}
      </p>
    </>
  );
}
