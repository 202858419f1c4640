/**
 * The order ticket. Client-side checks stop obvious typing mistakes before
 * anything is sent (and send nothing); the engine's own verdict, thrown as a
 * KeelError or returned as a rejected order, lands in the same alert.
 * Keys: B / S pick the side (outside text fields), Enter submits from any
 * field, Escape clears the error. While trading is HALTED the whole ticket is
 * disabled and says why; while REDUCING it stays usable and says what the
 * engine will accept.
 */
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { ORDER_TYPES, TIME_IN_FORCE, type OrderSide, type OrderType, type TimeInForce } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import { errorMessage } from '../../api/client';
import { ORDER_TYPE_LABEL, fmtQty, fmtPrice, fmtStatus } from '../../lib/format';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { selectAccount, selectActiveInstrument, selectActiveTicker, selectVenueInstruments } from '../../stores/selectors';
import { TicketSummary } from './TicketSummary';
import { allowsPostOnly, checkTicket, leverageChoices, newClientOrderId, usesLimitPrice, usesStopPrice } from './ticketModel';

const CONFIRMATION_MS = 4_000;

/** Limit and stop prices are what the price band checks; a market order has none. */
function usesPrice(type: OrderType): boolean {
  return usesLimitPrice(type) || usesStopPrice(type);
}

const DENIAL_PREFIX: Partial<Record<string, string>> = {
  RISK_REJECTED: 'Refused by risk limit',
  HALTED: 'Refused: trading is halted',
  REDUCING_ONLY: 'Refused: reduce only',
};

/** The engine's refusal as the trader reads it; a price-band refusal says how to send it anyway. */
function denialText(err: unknown): string {
  const message = errorMessage(err);
  if (!(err instanceof KeelError)) return message;
  const prefix = DENIAL_PREFIX[err.code];
  if (!prefix) return message;
  const limit = typeof err.data === 'object' && err.data !== null ? (err.data as { limit?: unknown }).limit : undefined;
  const band = limit === 'priceBandPercent' || /price band/i.test(message);
  const hint = band && !/override price band/i.test(message) ? ' Tick “Override price band” to send this one order anyway.' : '';
  return `${prefix} — ${message}${hint}`;
}

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
  const risk = useKeel((s) => s.riskState);
  const account = useKeel(selectAccount);
  const leverage = (symbol ? account?.leverage?.[symbol] : undefined) ?? inst?.defaultLeverage ?? 1;
  const halted = risk?.state === 'HALTED';

  const [error, setError] = useState<string | null>(null);

  /** Leverage is per instrument; the engine refuses a change while a position or order is open there, and says so. */
  async function changeLeverage(next: number): Promise<void> {
    if (!venue || !symbol) return;
    try {
      await client.invoke('account.setLeverage', { venue, symbol, leverage: next });
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    }
  }

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
    if (s.riskState?.state === 'HALTED') return;
    const check = checkTicket(s.ticket, selectActiveInstrument(s), selectActiveTicker(s));
    setConfirmation(null);
    if (!check.ok) {
      setError(check.error);
      const focusTarget = { quantity: quantityRef, price: priceRef, stopPrice: stopRef, symbol: null }[check.field];
      focusTarget?.current?.focus();
      return;
    }
    setBusy(true);
    // The override is for this one order: cleared as it is sent, whatever the answer.
    const overridePriceBand = s.ticket.overridePriceBand && usesPrice(s.ticket.type);
    if (s.ticket.overridePriceBand) s.editTicket({ overridePriceBand: false });
    try {
      const order = await client.invoke('orders.place', {
        ...check.params,
        clientOrderId: newClientOrderId(),
        ...(overridePriceBand ? { overridePriceBand: true } : {}),
      });
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
      setError(denialText(err));
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
  const priceUsed = usesPrice(draft.type);
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
      {halted && (
        <div className="ticket-halted" id="ticket-halted-note">
          Trading is halted{risk.reason ? `: ${risk.reason}` : ''}. Re-arm to trade.
        </div>
      )}
      {risk?.state === 'REDUCING' && (
        <div className="ticket-reducing">
          Reduce only{risk.reason ? ` (${risk.reason})` : ''}: orders that would increase exposure are refused.
        </div>
      )}
      <form className="ticket-form" onSubmit={onSubmit} onKeyDown={onKeyDown} noValidate>
        <fieldset className="ticket-fieldset" disabled={halted} aria-describedby={halted ? 'ticket-halted-note' : undefined}>
          <div className="field-row">
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
            <div className="field field-narrow">
              <label htmlFor="ticket-leverage">Leverage</label>
              <select id="ticket-leverage" value={leverage} onChange={(e) => void changeLeverage(Number(e.target.value))}>
                {leverageChoices(inst, leverage).map((l) => (
                  <option key={l} value={l}>
                    {l}×
                  </option>
                ))}
              </select>
            </div>
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

          <label
            className={`check-override ${draft.overridePriceBand && priceUsed ? 'on' : ''} ${priceUsed ? '' : 'disabled'}`}
            title="Send this one order even if its price is outside the price band; cleared once sent"
          >
            <input
              type="checkbox"
              checked={draft.overridePriceBand && priceUsed}
              disabled={!priceUsed}
              onChange={(e) => editTicket({ overridePriceBand: e.target.checked })}
            />
            Override price band
          </label>

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

          <button type="submit" className={`place place-${side}`} aria-label="Place order" disabled={busy || halted}>
            {halted ? 'Trading halted' : busy ? 'Sending…' : `Place ${side} order`}
          </button>
        </fieldset>
      </form>
    </section>
  );
}
