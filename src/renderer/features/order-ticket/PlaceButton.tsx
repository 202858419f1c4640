/**
 * Place order, enabled only when the ticket can be sent as it stands; when
 * it cannot, the reason is written under it (and is the button's
 * description), from the same checks sending runs. Its own component: the
 * checks follow the live price (a market order's value, a share of margin),
 * and the rest of the ticket should not re-render with every tick.
 */
import type { OrderSide } from '../../../shared/domain';
import { useKeel } from '../../stores/KeelProvider';
import { selectActiveInstrument, selectActiveTicker } from '../../stores/selectors';
import type { TicketDraft } from '../../stores/ui';
import { placeBlock, sizedDraft, type AccountFigures } from './sizing';

interface Props {
  /** The draft as it would be sent (reduce-only forced while HALTED). */
  draft: TicketDraft;
  figures: AccountFigures;
  busy: boolean;
  halted: boolean;
  side: OrderSide;
}

export function PlaceButton({ draft, figures, busy, halted, side }: Props) {
  const inst = useKeel(selectActiveInstrument);
  const ticker = useKeel(selectActiveTicker);
  const connected = useKeel((s) => s.connection.state === 'open');
  const block = connected
    ? placeBlock(sizedDraft(draft, inst, ticker, figures), inst, ticker)
    : 'Not connected to the Keel host: nothing can be sent until the connection is back.';
  return (
    <>
      <button
        type="submit"
        className={`place place-${side}`}
        aria-label="Place order"
        aria-describedby={block ? 'ticket-place-reason' : undefined}
        disabled={busy || block !== null}
      >
        {busy ? 'Sending…' : halted ? `Place reduce-only ${side}` : `Place ${side} order`}
      </button>
      {block && (
        <p id="ticket-place-reason" className="place-reason">
          {block}
        </p>
      )}
    </>
  );
}
