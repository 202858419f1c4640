/**
 * Trading from the chart, wired to the engine: orders placed from the
 * right-click menu, order lines dragged to amend their price, the position
 * line's TP / SL handles dragged to set its exits. Every one passes the gate
 * the ticket's orders pass (orderGate: the ticket's checks and its
 * confirmations, in the same dialog); an amend passes the gate the blotter's
 * Edit passes (gateAmend: its amend checks and the value confirmation). What
 * the engine refuses is shown as a toast with its code, in the chart's words
 * (chartDenialText), and a dragged line goes back where its order is.
 */
import { useMemo, useRef, useState } from 'react';
import type { AmendOrderParams, PlaceOrderParams } from '../../../../shared/contract';
import type { Order } from '../../../../shared/domain';
import { ORDER_TYPE_LABEL, fmtPrice, fmtQty } from '../../../lib/format';
import { useServices } from '../../../stores/KeelProvider';
import { selectActiveInstrument, selectActiveOpenOrders, selectActivePosition, selectActiveTicker } from '../../../stores/selectors';
import type { KeelState } from '../../../stores/store';
import { activeGateContext } from '../../order-ticket/gateContext';
import { gateAmend, gateOrder, type LargeOrder } from '../../order-ticket/orderGate';
import { placedText } from '../../order-ticket/orderMessages';
import { newClientOrderId } from '../../order-ticket/ticketModel';
import type { TicketDraft } from '../../../stores/ui';
import type { ChartMenuItem } from '../ChartContextMenu';
import type { AmendCheck } from '../../blotter/amendModel';
import { chartDenialText, type ChartGesture } from './chartDenial';
import { chartOrderDraft, choiceLabel, orderChoicesAt } from './chartOrderMenu';
import type { LineDrag, LineDragEvents } from './lineDragLayer';
import { amendForDrag, linePrice } from './orderDrag';
import { PROTECTION_LABEL, planProtection } from './protection';

/** The id the position's line carries on the chart. */
export const POSITION_LINE_ID = 'position';

/** An order or an amend from the chart held back for the trader's confirmation. */
export type HeldChartOrder =
  | { kind: 'place'; params: Omit<PlaceOrderParams, 'clientOrderId'>; gesture: ChartGesture; confirm: LargeOrder }
  | { kind: 'amend'; order: Order; params: AmendOrderParams; confirm: LargeOrder };

/** The order's label on the chart: "TP SELL LMT 0.010" for a bracket's exit. */
export function orderLineTitle(o: Order, remaining: string, typeShort: string): string {
  const role = o.role === 'tp' ? 'TP ' : o.role === 'sl' ? 'SL ' : '';
  return `${role}${o.side.toUpperCase()} ${typeShort} ${remaining}`;
}

/** What the ticket's size is, in the menu's words: "0.010 BTC", "500 USDT", "25% margin". */
function ticketSizeText(s: KeelState): string {
  const t = s.ticket;
  const inst = selectActiveInstrument(s);
  if (t.sizeMode === 'base') return t.quantity.trim() ? `${t.quantity.trim()} ${inst?.base ?? ''}`.trim() : 'no size';
  if (!t.sizeAmount.trim()) return 'no size';
  return t.sizeMode === 'quote' ? `${t.sizeAmount.trim()} ${inst?.quote ?? ''}`.trim() : `${t.sizeAmount.trim().replace(/%$/, '')}% margin`;
}

interface Options {
  /** Puts dragged lines back where the orders say (the drop's answer is in). */
  settle(): void;
  /** The title an order line has now (for the drag's label). */
  titleOf(order: Order): string;
}

export function useChartTrading({ settle, titleOf }: Options) {
  const { client, store } = useServices();
  const [held, setHeld] = useState<HeldChartOrder | null>(null);
  const [drag, setDrag] = useState<LineDrag | null>(null);
  const options = useRef({ settle, titleOf });
  options.current = { settle, titleOf };

  const notify = (kind: 'success' | 'error', text: string) => store.getState().notify(kind, text);

  /** The engine's refusal in the chart's words, prices as the chart shows them. */
  const denial = (err: unknown, order: { side: Order['side']; type: Order['type'] }, gesture: ChartGesture) =>
    chartDenialText(err, order, gesture, (price) => fmtPrice(price, selectActiveInstrument(store.getState())));

  async function send(params: Omit<PlaceOrderParams, 'clientOrderId'>, gesture: ChartGesture): Promise<void> {
    try {
      const order = await client.invoke('orders.place', { ...params, clientOrderId: newClientOrderId() });
      store.getState().upsertOrders([order]);
      if (order.status === 'rejected') notify('error', `Order rejected: ${order.rejectReason ?? 'the venue refused it.'}`);
      else notify('success', placedText(order, selectActiveInstrument(store.getState())));
    } catch (err) {
      notify('error', `Order not placed: ${denial(err, params, gesture)}`);
    } finally {
      options.current.settle();
    }
  }

  async function amend(order: Order, params: AmendOrderParams): Promise<void> {
    try {
      const amended = await client.invoke('orders.amend', params);
      store.getState().upsertOrders([amended]);
      const inst = selectActiveInstrument(store.getState());
      const at = params.price ?? params.stopPrice;
      const to = at ? ` to ${fmtPrice(at, inst)}` : '';
      const what = `${order.side === 'buy' ? 'Buy' : 'Sell'} ${ORDER_TYPE_LABEL[order.type].toLowerCase()} ${fmtQty(amended.quantity, inst)}`;
      notify('success', amended.id === order.id ? `${what} amended${to}` : `${what} replaced by order ${amended.id}${to}`);
    } catch (err) {
      notify('error', `Amend refused: ${denial(err, order, 'drag')}`);
    } finally {
      options.current.settle();
    }
  }

  /** An order through the ticket's gate: refused with the ticket's words, held for its confirmation, or sent. */
  function place(draft: TicketDraft, what: string, gesture: ChartGesture): void {
    const gate = gateOrder(draft, activeGateContext(store.getState()));
    if (!gate.ok) {
      notify('error', `${what} not placed: ${gate.error}`);
      options.current.settle();
      return;
    }
    if (gate.confirm) setHeld({ kind: 'place', params: gate.params, gesture, confirm: gate.confirm });
    else void send(gate.params, gesture);
  }

  /** An amend through the blotter's gate: refused with its words, held for the value confirmation, or sent. */
  function amendChecked(order: Order, check: AmendCheck, refusedAs: string): void {
    const gate = gateAmend(order, check, store.getState().deskPrefs);
    if (!gate.ok) return gate.error === 'Nothing has changed.' ? options.current.settle() : refuse(`${refusedAs}: ${gate.error}`);
    if (gate.confirm) setHeld({ kind: 'amend', order, params: gate.params, confirm: gate.confirm });
    else void amend(order, gate.params);
  }

  function refuse(text: string): void {
    notify('error', text);
    options.current.settle();
  }

  function onDrop(d: LineDrag & { price: string }): void {
    const s = store.getState();
    const inst = selectActiveInstrument(s);
    if (d.what === 'order') {
      const order = selectActiveOpenOrders(s).find((o) => o.id === d.id);
      if (!order) return refuse('That order is no longer open.');
      return amendChecked(order, amendForDrag(order, d.price, inst), 'Amend not sent');
    }
    const position = selectActivePosition(s);
    if (!position) return refuse('The position is closed.');
    const plan = planProtection(d.what, position, selectActiveOpenOrders(s), d.price, selectActiveTicker(s)?.last ?? null, inst);
    if (plan.kind === 'refused') return refuse(`${PROTECTION_LABEL[d.what]} not set: ${plan.error}`);
    if (plan.kind === 'amend') return amendChecked(plan.order, { ok: true, params: plan.params }, `${PROTECTION_LABEL[d.what]} not moved`);
    place(plan.draft, d.what === 'tp' ? 'Take-profit' : 'Stop-loss', 'drag');
  }

  // Handed to the chart once, when it is made: it reads the latest state through the store and the refs.
  const dragEvents = useMemo<LineDragEvents>(
    () => ({
      onDragMove: (d) => setDrag(d),
      onDrop: (d) => onDropRef.current(d),
      priceOf: (id) => {
        const s = store.getState();
        if (id === POSITION_LINE_ID) return selectActivePosition(s)?.entryPrice ?? null;
        const order = selectActiveOpenOrders(s).find((o) => o.id === id);
        return order ? linePrice(order) : null;
      },
      previewTitle: (id, what, price) => {
        const s = store.getState();
        const at = fmtPrice(price, selectActiveInstrument(s));
        if (what !== 'order') return `${what.toUpperCase()} ${at}`;
        const order = selectActiveOpenOrders(s).find((o) => o.id === id);
        return order ? `${options.current.titleOf(order)} → ${at}` : at;
      },
    }),
    [store],
  );
  const onDropRef = useRef(onDrop);
  onDropRef.current = onDrop;

  /** The right-click menu's orders at `price`, each with the ticket's size. */
  function menuItems(price: string): ChartMenuItem[] {
    const s = store.getState();
    const inst = selectActiveInstrument(s);
    const size = ticketSizeText(s);
    return orderChoicesAt(price, selectActiveTicker(s)?.last ?? null).map((choice) => ({
      label: `${choiceLabel(choice)} ${size} @ ${fmtPrice(price, inst)}`,
      onSelect: () => place(chartOrderDraft(store.getState().ticket, choice, price), choiceLabel(choice), 'menu'),
    }));
  }

  function confirmHeld(): void {
    const h = held;
    setHeld(null);
    if (!h) return;
    if (h.kind === 'place') void send(h.params, h.gesture);
    else void amend(h.order, h.params);
  }

  function cancelHeld(): void {
    setHeld(null);
    options.current.settle();
  }

  /** What the drag's tag near the pointer says. */
  const dragText = drag
    ? drag.price === null
      ? null
      : `${drag.what === 'order' ? 'Move to' : `${PROTECTION_LABEL[drag.what]} at`} ${fmtPrice(drag.price, selectActiveInstrument(store.getState()))}`
    : null;

  return { dragEvents, menuItems, held, confirmHeld, cancelHeld, drag, dragText };
}
