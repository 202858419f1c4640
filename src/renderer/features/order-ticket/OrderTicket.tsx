/**
 * The order ticket. Client-side checks stop obvious typing mistakes before
 * anything is sent (and send nothing); the engine's own verdict, thrown as a
 * KeelError or returned as a rejected order, lands in the same alert.
 * Keys: B / S pick the side (outside text fields), Enter submits from any
 * field, Escape clears the error.
 */
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { ORDER_TYPES, TIME_IN_FORCE, type OrderSide, type OrderType, type TimeInForce } from '../../../shared/domain';
import { errorMessage } from '../../api/client';
import { ORDER_TYPE_LABEL, fmtQty, fmtPrice, fmtStatus } from '../../lib/format';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { selectActiveInstrument, selectActiveTicker, selectVenueInstruments } from '../../stores/selectors';
import { TicketSummary } from './TicketSummary';
import { allowsPostOnly, checkTicket, newClientOrderId, usesLimitPrice, usesStopPrice } from './ticketModel';

const CONFIRMATION_MS = 4_000;

function isTextEntry(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  if (el.isContentEditable) return true;
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  if (el instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'submit'].includes(el.type);
  return false;
}

export function OrderTicket() {
  const { client, store } = useServices();
  const draft = useKeel((s) => s.ticket);
  const venue = useKeel((s) => s.venue);
  const symbol = useKeel((s) => s.symbol);
  const instruments = useKeel(selectVenueInstruments);
  const inst = useKeel(selectActiveInstrument);
  const editTicket = useKeel((s) => s.editTicket);
  const selectMarket = useKeel((s) => s.selectMarket);

  const [error, setError] = useState<string | null>(null);
  const [confirmation, setConfirmation] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const buyRef = useRef<HTMLButtonElement>(null);
  const sellRef = useRef<HTMLButtonElement>(null);
  const quantityRef = useRef<HTMLInputElement>(null);
  const priceRef = useRef<HTMLInputElement>(null);
  const stopRef = useRef<HTMLInputElement>(null);
  const confirmTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key === 'Escape') {
        setError(null);
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey || e.repeat) return;
      if (isTextEntry(e.target) || document.querySelector('dialog[open]')) return;
      const key = e.key.toLowerCase();
      if (key !== 'b' && key !== 's') return;
      e.preventDefault();
      const side: OrderSide = key === 'b' ? 'buy' : 'sell';
      store.getState().editTicket({ side });
      (side === 'buy' ? buyRef : sellRef).current?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);

  useEffect(
    () => () => {
      if (confirmTimer.current) clearTimeout(confirmTimer.current);
    },
    [],
  );

  async function submit(): Promise<void> {
    if (busy) return;
    const s = store.getState();
    const check = checkTicket(s.ticket, selectActiveInstrument(s), selectActiveTicker(s));
    setConfirmation(null);
    if (!check.ok) {
      setError(check.error);
      const focusTarget = { quantity: quantityRef, price: priceRef, stopPrice: stopRef, symbol: null }[check.field];
      focusTarget?.current?.focus();
      return;
    }
    setBusy(true);
    try {
      const order = await client.invoke('orders.place', { ...check.params, clientOrderId: newClientOrderId() });
      store.getState().upsertOrders([order]);
      if (order.status === 'rejected') {
        setError(order.rejectReason ?? 'The order was rejected.');
        return;
      }
      setError(null);
      const inst = selectActiveInstrument(store.getState());
      const limit = order.price ? ` @ ${fmtPrice(order.price, inst)}` : '';
      const at =
        order.type === 'stop' && order.stopPrice
          ? ` @ ${fmtPrice(order.stopPrice, inst)}`
          : order.stopPrice
            ? `${limit} (stop ${fmtPrice(order.stopPrice, inst)})`
            : limit;
      setConfirmation(
        `${order.side === 'buy' ? 'Buy' : 'Sell'} ${fmtQty(order.quantity, inst)} ${order.symbol} ${ORDER_TYPE_LABEL[order.type].toLowerCase()}${at} — ${fmtStatus(order.status)}`,
      );
      if (confirmTimer.current) clearTimeout(confirmTimer.current);
      confirmTimer.current = setTimeout(() => setConfirmation(null), CONFIRMATION_MS);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  function onSubmit(e: FormEvent): void {
    e.preventDefault();
    void submit();
  }

  // Browsers submit on Enter only from text inputs; a trader expects it from every field.
  function onKeyDown(e: KeyboardEvent<HTMLFormElement>): void {
    if (e.key !== 'Enter' || e.nativeEvent.isComposing) return;
    const t = e.target;
    if (t instanceof HTMLSelectElement || (t instanceof HTMLInputElement && t.type === 'checkbox')) {
      e.preventDefault();
      void submit();
    }
  }

  const side = draft.side;
  const limitUsed = usesLimitPrice(draft.type);
  const stopUsed = usesStopPrice(draft.type);
  const postOnlyAllowed = allowsPostOnly(draft.type);
  const setType = (type: OrderType) =>
    editTicket({ type, postOnly: allowsPostOnly(type) ? draft.postOnly : false });
  const fillLast = (field: 'price' | 'stopPrice') => {
    const t = selectActiveTicker(store.getState());
    if (t) editTicket({ [field]: fmtPrice(t.last, inst) });
  };

  return (
    <section className={`panel ticket side-${side}`} aria-label="Order ticket">
      <div className="panel-title">
        <span>Order ticket</span>
        <span className="muted hotkeys" aria-hidden="true">
          B/S side · ↵ send · Esc clear
        </span>
      </div>
      <form className="ticket-form" onSubmit={onSubmit} onKeyDown={onKeyDown} noValidate>
        <div className="field">
          <label htmlFor="ticket-symbol">Symbol</label>
          <select
            id="ticket-symbol"
            value={symbol ?? ''}
            onChange={(e) => venue && selectMarket(venue, e.target.value)}
          >
            {instruments.length === 0 && <option value="">—</option>}
            {instruments.map((i) => (
              <option key={i.symbol} value={i.symbol}>
                {i.symbol}
              </option>
            ))}
          </select>
        </div>

        <div className="side-toggle" role="group" aria-label="Side">
          <button
            ref={buyRef}
            type="button"
            className="side-buy"
            aria-pressed={side === 'buy'}
            onClick={() => editTicket({ side: 'buy' })}
          >
            Buy
          </button>
          <button
            ref={sellRef}
            type="button"
            className="side-sell"
            aria-pressed={side === 'sell'}
            onClick={() => editTicket({ side: 'sell' })}
          >
            Sell
          </button>
        </div>

        <div className="field-row">
          <div className="field">
            <label htmlFor="ticket-type">Order type</label>
            <select id="ticket-type" value={draft.type} onChange={(e) => setType(e.target.value as OrderType)}>
              {ORDER_TYPES.map((t) => (
                <option key={t} value={t}>
                  {ORDER_TYPE_LABEL[t]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="ticket-tif">Time in force</label>
            <select
              id="ticket-tif"
              value={draft.postOnly && postOnlyAllowed ? 'GTC' : draft.timeInForce}
              disabled={draft.postOnly && postOnlyAllowed}
              title={draft.postOnly && postOnlyAllowed ? 'Post-only orders are always GTC' : undefined}
              onChange={(e) => editTicket({ timeInForce: e.target.value as TimeInForce })}
            >
              {TIME_IN_FORCE.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </div>
        </div>

        <div className="field">
          <label htmlFor="ticket-qty">Quantity</label>
          <div className="input-affix">
            <input
              id="ticket-qty"
              ref={quantityRef}
              type="text"
              inputMode="decimal"
              autoComplete="off"
              spellCheck={false}
              placeholder={inst ? `min ${inst.minQuantity}` : ''}
              value={draft.quantity}
              onChange={(e) => editTicket({ quantity: e.target.value })}
            />
            <span className="affix">{inst?.base ?? ''}</span>
          </div>
        </div>

        <div className="field-row">
          <div className={`field ${limitUsed ? '' : 'unused'}`}>
            <div className="label-row">
              <label htmlFor="ticket-price">Limit price</label>
              <button type="button" className="link" disabled={!limitUsed} onClick={() => fillLast('price')}>
                last
              </button>
            </div>
            <div className="input-affix">
              <input
                id="ticket-price"
                ref={priceRef}
                type="text"
                inputMode="decimal"
                autoComplete="off"
                spellCheck={false}
                disabled={!limitUsed}
                placeholder={limitUsed ? (inst ? `tick ${inst.tickSize}` : '') : 'not used'}
                value={limitUsed ? draft.price : ''}
                onChange={(e) => editTicket({ price: e.target.value })}
              />
              <span className="affix">{inst?.quote ?? ''}</span>
            </div>
          </div>

          <div className={`field ${stopUsed ? '' : 'unused'}`}>
            <div className="label-row">
              <label htmlFor="ticket-stop">Stop price</label>
              <button type="button" className="link" disabled={!stopUsed} onClick={() => fillLast('stopPrice')}>
                last
              </button>
            </div>
            <div className="input-affix">
              <input
                id="ticket-stop"
                ref={stopRef}
                type="text"
                inputMode="decimal"
                autoComplete="off"
                spellCheck={false}
                disabled={!stopUsed}
                placeholder={stopUsed ? (inst ? `tick ${inst.tickSize}` : '') : 'not used'}
                value={stopUsed ? draft.stopPrice : ''}
                onChange={(e) => editTicket({ stopPrice: e.target.value })}
              />
              <span className="affix">{inst?.quote ?? ''}</span>
            </div>
          </div>
        </div>

        <div className="checks">
          <label className={postOnlyAllowed ? '' : 'disabled'}>
            <input
              type="checkbox"
              checked={draft.postOnly && postOnlyAllowed}
              disabled={!postOnlyAllowed}
              onChange={(e) => editTicket({ postOnly: e.target.checked })}
            />
            Post-only
          </label>
          <label>
            <input
              type="checkbox"
              checked={draft.reduceOnly}
              onChange={(e) => editTicket({ reduceOnly: e.target.checked })}
            />
            Reduce-only
          </label>
        </div>

        <TicketSummary />

        {error && (
          <div className="ticket-error" role="alert">
            {error}
          </div>
        )}
        {confirmation && !error && (
          <div className="ticket-ok" role="status">
            {confirmation}
          </div>
        )}

        <button type="submit" className={`place place-${side}`} aria-label="Place order" disabled={busy}>
          {busy ? 'Sending…' : `Place ${side} order`}
        </button>
      </form>
    </section>
  );
}
