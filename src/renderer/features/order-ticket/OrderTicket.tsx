/**
 * The order ticket. The venue select in its title says where the order goes
 * (with the venue's PAPER / DEMO / LIVE badge). Client-side checks stop obvious typing mistakes before
 * anything is sent (and send nothing); the engine's own verdict, thrown as a
 * KeelError or returned as a rejected order, lands in the same alert.
 * Number fields say what is wrong with them as they are typed; a stop whose
 * trigger is already crossed is flagged before it is sent, and an order far
 * larger than the last one in the same instrument asks for a confirmation
 * (the checks and the confirmation are the gate every hand-placed order
 * passes, orderGate; the chart's orders pass the same).
 * The size is a quantity, a value or a share of margin (SizeField); Place
 * is disabled with the reason under it while the ticket cannot be sent as it
 * stands. An error from the engine is about the ticket as it was sent: it
 * goes as soon as anything in the ticket changes (symbol, side, a field).
 * Keys: B / S pick the side (outside text fields), Enter submits from any
 * field, Tab moves through the fields in reading order, Escape in the ticket
 * clears it (typed values, one-order choices and the message; side, type and
 * time in force stay), Escape elsewhere clears the message. While trading is HALTED the ticket sends
 * reduce-only orders only (exits and protective stops, which the engine
 * still accepts from a person) and says why; while REDUCING it says what the
 * engine will accept.
 */
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { PlaceOrderParams } from '../../../shared/contract';
import { ORDER_TYPES, TIME_IN_FORCE, type OrderSide, type OrderType, type TimeInForce } from '../../../shared/domain';
import { errorMessage } from '../../api/client';
import { CollapseButton } from '../layout/PaneToggle';
import { readUserDecimal } from '../../lib/numberInput';
import { ORDER_TYPE_LABEL, fmtPrice, inputPrice } from '../../lib/format';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { selectAccount, selectActiveInstrument, selectActiveTicker, selectVenueInstruments, selectVenueScheme } from '../../stores/selectors';
import type { TicketDraft } from '../../stores/ui';
import { PlaceButton } from './PlaceButton';
import { SizeField } from './SizeField';
import { activeGateContext } from './gateContext';
import { LargeOrderConfirm } from './LargeOrderConfirm';
import { effectiveDraft, gateOrder, usesPrice, type LargeOrder } from './orderGate';
import { denialText, placedText } from './orderMessages';
import { TicketAttachments } from './TicketAttachments';
import { TicketSummary } from './TicketSummary';
import './ticket.css';
import { TicketVenue } from './TicketVenue';
import {
  allowsPostOnly,
  crossedStop,
  fieldErrors,
  leverageChoices,
  newClientOrderId,
  usesLimitPrice,
  usesStopPrice,
  type TicketField,
} from './ticketModel';
import { MarginModeToggle } from '../perpetuals/MarginModeToggle';

const CONFIRMATION_MS = 4_000;

/** A message with the ticket it was about: it is not shown once the ticket has changed in any way (another symbol, side, field). */
interface TicketMessage {
  draft: TicketDraft;
  text: string;
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
  const scheme = useKeel(selectVenueScheme);
  const account = useKeel(selectAccount);
  const leverage = (symbol ? account?.leverage?.[symbol] : undefined) ?? inst?.defaultLeverage ?? 1;
  const halted = risk?.state === 'HALTED';
  const figures = { leverage, available: account?.available ?? null };

  const [message, setMessage] = useState<TicketMessage | null>(null);
  const [large, setLarge] = useState<{ params: Omit<PlaceOrderParams, 'clientOrderId'>; confirm: LargeOrder } | null>(null);
  // A refusal is about the ticket as it was sent; once the trader changes anything in it, it no longer applies.
  const error = message && message.draft === draft ? message.text : null;
  const setError = (text: string | null) => setMessage(text === null ? null : { draft: store.getState().ticket, text });

  /** Leverage is per instrument; with a position open the engine takes a raise within its bracket and a cut the margin allows, and says why otherwise. */
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
  const sectionRef = useRef<HTMLElement>(null);

  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key === 'Escape') {
        // Inside the ticket, Escape clears the whole ticket (onTicketKeyDown); elsewhere only its message.
        if (!document.querySelector('dialog[open]') && !sectionRef.current?.contains(e.target as Node)) setMessage(null);
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
    if (busy || large) return;
    const s = store.getState();
    setConfirmation(null);
    const gate = gateOrder(s.ticket, activeGateContext(s));
    if (!gate.ok) {
      // What stops the ticket's fields is already written under Place (and at its field): the field gets the focus, not a second copy.
      if (gate.stage === 'attachments') {
        setError(gate.error);
        return;
      }
      const focusTarget = { quantity: quantityRef, price: priceRef, stopPrice: stopRef }[gate.field as TicketField];
      focusTarget?.current?.focus();
      return;
    }
    if (gate.confirm) {
      setLarge({ params: gate.params, confirm: gate.confirm });
      return;
    }
    await send(gate.params);
  }

  async function send(params: Omit<PlaceOrderParams, 'clientOrderId'>): Promise<void> {
    setBusy(true);
    // The overrides are for this one order: cleared as it is sent, whatever the answer.
    const t = store.getState().ticket;
    if (t.overridePriceBand || t.triggerNow) store.getState().editTicket({ overridePriceBand: false, triggerNow: false });
    try {
      const order = await client.invoke('orders.place', { ...params, clientOrderId: newClientOrderId() });
      store.getState().upsertOrders([order]);
      if (order.status === 'rejected') {
        setError(order.rejectReason ?? 'The order was rejected.');
        return;
      }
      setMessage(null);
      setConfirmation(placedText(order, selectActiveInstrument(store.getState())));
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
  const invalid = fieldErrors(draft, inst);
  const setType = (type: OrderType) =>
    editTicket({ type, postOnly: allowsPostOnly(type) ? draft.postOnly : false });
  const fillLast = (field: 'price' | 'stopPrice') => {
    const t = selectActiveTicker(store.getState());
    if (t) editTicket({ [field]: inputPrice(t.last, inst) });
  };
  /** On leaving a field, what was typed is shown as it will be read ("007" becomes "7", " 1,000 " becomes "1000"). */
  const normalize = (field: TicketField | 'sizeAmount') => {
    const text = store.getState().ticket[field];
    const r = readUserDecimal(text);
    if (r.ok && r.text !== text) editTicket({ [field]: r.text });
  };
  /** Escape inside the ticket (not in a dialog it opened) clears it: typed values, one-order choices and the message. */
  const onTicketKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (e.key !== 'Escape' || !e.currentTarget.contains(e.target as Node)) return;
    store.getState().clearTicket();
    setMessage(null);
    setConfirmation(null);
  };
  const describedBy = (field: TicketField, ...more: string[]) =>
    [invalid[field] ? `ticket-${field}-error` : '', ...more].filter(Boolean).join(' ') || undefined;

  return (
    <section
      ref={sectionRef}
      className={`panel ticket side-${side} ${scheme === 'live' ? 'ticket-live' : ''}`}
      aria-label="Order ticket"
      onKeyDown={onTicketKeyDown}
    >
      <div className="panel-title" title="Keys: B / S pick the side, Enter sends, Esc clears the ticket">
        <span>Order ticket</span>
        <span className="pane-actions">
          <TicketVenue />
          <CollapseButton pane="ticket" />
        </span>
      </div>
      {halted && (
        <div className="ticket-halted" id="ticket-halted-note">
          <b>Halted:</b> only reduce-only orders (exits and protective stops) are accepted, so Reduce-only is locked on.
          Re-arm to trade normally.
        </div>
      )}
      {risk?.state === 'REDUCING' && (
        <div className="ticket-reducing">
          Reduce only{risk.reason ? ` (${risk.reason})` : ''}: orders that would increase exposure are refused.
        </div>
      )}
      <form className="ticket-form" onSubmit={onSubmit} onKeyDown={onKeyDown} noValidate>
        <fieldset className="ticket-fieldset" aria-describedby={halted ? 'ticket-halted-note' : undefined}>
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
          <MarginModeToggle inst={inst} onError={(text) => setError(text)} />

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

          <SizeField
            inputRef={quantityRef}
            figures={figures}
            onNormalize={() => normalize(draft.sizeMode === 'base' ? 'quantity' : 'sizeAmount')}
          />

          <div className="field-row">
            <div className={`field ${limitUsed ? '' : 'unused'}`}>
              <div className="label-row">
                <label htmlFor="ticket-price">Limit price</label>
                {/* Out of the Tab order: Tab goes from field to field; the mouse reaches it. */}
                <button type="button" className="link" tabIndex={-1} disabled={!limitUsed} onClick={() => fillLast('price')}>
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
                  aria-invalid={limitUsed && invalid.price !== undefined}
                  aria-describedby={limitUsed ? describedBy('price') : undefined}
                  onChange={(e) => editTicket({ price: e.target.value })}
                  onBlur={() => normalize('price')}
                />
                <span className="affix">{inst?.quote ?? ''}</span>
              </div>
            </div>

            <div className={`field ${stopUsed ? '' : 'unused'}`}>
              <div className="label-row">
                <label htmlFor="ticket-stop">Stop price</label>
                <button type="button" className="link" tabIndex={-1} disabled={!stopUsed} onClick={() => fillLast('stopPrice')}>
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
                  aria-invalid={stopUsed && invalid.stopPrice !== undefined}
                  aria-describedby={stopUsed ? describedBy('stopPrice', 'ticket-stop-warning') : undefined}
                  onChange={(e) => editTicket({ stopPrice: e.target.value })}
                  onBlur={() => normalize('stopPrice')}
                />
                <span className="affix">{inst?.quote ?? ''}</span>
              </div>
            </div>
          </div>
          {limitUsed && <FieldError field="price" text={invalid.price} />}
          {stopUsed && <FieldError field="stopPrice" text={invalid.stopPrice} />}
          {stopUsed && <CrossedStopWarning />}

          <TicketAttachments />

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
            <label
              className={halted ? 'locked' : ''}
              title={halted ? 'Locked on while trading is halted: only reduce-only orders are accepted' : undefined}
            >
              <input
                type="checkbox"
                checked={draft.reduceOnly || halted}
                disabled={halted}
                aria-describedby={halted ? 'ticket-halted-note' : undefined}
                onChange={(e) => editTicket({ reduceOnly: e.target.checked })}
              />
              Reduce-only{halted ? ' (locked)' : ''}
            </label>
          </div>

          <div className="checks checks-once">
            <OneOrderCheck
              label="Override price band"
              title="Send this one order even if its price is outside the price band; cleared once sent"
              applies={priceUsed}
              checked={draft.overridePriceBand}
              onChange={(checked) => editTicket({ overridePriceBand: checked })}
            />
            <OneOrderCheck
              label="Trigger now"
              title="Send this one stop even if the last price has already crossed its trigger: it triggers at once and fills at market. Cleared once sent"
              applies={stopUsed}
              checked={draft.triggerNow}
              onChange={(checked) => editTicket({ triggerNow: checked })}
            />
          </div>

          <TicketSummary />

          {/* Pinned to the bottom of the ticket: a long message scrolls inside itself and never pushes Place out of view. */}
          <div className="ticket-footer">
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

            <PlaceButton draft={effectiveDraft(draft, halted)} figures={figures} busy={busy} halted={halted} side={side} />
          </div>
        </fieldset>
      </form>
      <LargeOrderConfirm
        large={large?.confirm ?? null}
        quote={inst?.quote ?? ''}
        cancelLabel="Back to ticket"
        onCancel={() => {
          setLarge(null);
          quantityRef.current?.focus();
        }}
        onConfirm={() => {
          const held = large;
          setLarge(null);
          if (held) void send(held.params);
        }}
      />
    </section>
  );
}

function FieldError({ field, text }: { field: TicketField; text: string | undefined }) {
  if (!text) return null;
  return (
    <p id={`ticket-${field}-error`} className="field-error" aria-live="polite">
      {text}
    </p>
  );
}

/**
 * Warns, before anything is sent, that the stop typed would trigger at once.
 * Its own component: it follows the last price, and the rest of the ticket
 * should not re-render with every tick.
 */
function CrossedStopWarning() {
  const draft = useKeel((s) => s.ticket);
  const inst = useKeel(selectActiveInstrument);
  const ticker = useKeel(selectActiveTicker);
  const crossed = crossedStop(draft, ticker);
  if (!crossed) return <span id="ticket-stop-warning" hidden />;
  const stop = fmtPrice(crossed.stopPrice.toString(), inst);
  const last = fmtPrice(crossed.last.toString(), inst);
  const relation = crossed.rises ? 'at or below' : 'at or above';
  return (
    <p id="ticket-stop-warning" className={`ticket-warn ${draft.triggerNow ? 'on' : ''}`} aria-live="polite">
      {draft.triggerNow ? (
        <>
          Trigger now: this {crossed.side} stop at {stop} triggers as soon as it is placed and fills at market (last {last}).
        </>
      ) : (
        <>
          Would trigger immediately: this {crossed.side} stop at {stop} is {relation} the last price {last}; it goes{' '}
          {crossed.rises ? 'above' : 'below'} it. Tick “Trigger now” to send it anyway.
        </>
      )}
    </p>
  );
}

/** A confirmation that applies to the next order only (the ticket clears it once sent); greyed out where it does not apply. */
function OneOrderCheck(props: { label: string; title: string; applies: boolean; checked: boolean; onChange: (checked: boolean) => void }) {
  const on = props.checked && props.applies;
  return (
    <label className={`check-override ${on ? 'on' : ''} ${props.applies ? '' : 'disabled'}`} title={props.title}>
      <input type="checkbox" checked={on} disabled={!props.applies} onChange={(e) => props.onChange(e.target.checked)} />
      {props.label}
    </label>
  );
}
