/**
 * The ticket's size: a quantity in the base currency, a value in the quote
 * currency, or a share of the available margin with a slider, picked from
 * the unit beside the number. Value and margin are turned into a quantity
 * at the order's price, and the resulting quantity is shown under the field
 * as it will be sent; what is wrong with the number is said under it as it
 * is typed. Switching the unit keeps the same order, expressed the new way.
 */
import type { RefObject } from 'react';
import { Dec } from '../../../shared/decimal';
import { fmtMoney, fmtQty } from '../../lib/format';
import { readUserDecimal } from '../../lib/numberInput';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { selectActiveInstrument, selectActiveTicker } from '../../stores/selectors';
import type { SizeMode, TicketDraft } from '../../stores/ui';
import { AMOUNT_LABEL, convertAmount, sizedDraft, sizingContext, type AccountFigures } from './sizing';
import { fieldErrors } from './ticketModel';

const FIELD_LABEL: Record<SizeMode, string> = { base: 'Quantity', quote: AMOUNT_LABEL.quote, margin: AMOUNT_LABEL.margin };

interface Props {
  inputRef: RefObject<HTMLInputElement | null>;
  figures: AccountFigures;
  /** Shown as typed is read ("007" becomes "7") when the field is left. */
  onNormalize(): void;
}

export function SizeField({ inputRef, figures, onNormalize }: Props) {
  const { store } = useServices();
  const draft = useKeel((s) => s.ticket);
  const inst = useKeel(selectActiveInstrument);
  const editTicket = useKeel((s) => s.editTicket);
  // Value and margin follow the price (a market order's touch); a quantity does not, and need not re-render per tick.
  const ticker = useKeel((s) => (s.ticket.sizeMode === 'base' ? undefined : selectActiveTicker(s)));
  const mode = draft.sizeMode;
  const sized = sizedDraft(draft, inst, ticker, figures);
  const error = mode === 'base' ? fieldErrors(draft, inst).quantity : (sized.sizeError ?? undefined);
  const text = mode === 'base' ? draft.quantity : draft.sizeAmount;
  const describedBy = [error ? 'ticket-quantity-error' : '', mode !== 'base' ? 'ticket-size-result' : ''].filter(Boolean).join(' ') || undefined;

  const setText = (value: string) => editTicket(mode === 'base' ? { quantity: value } : { sizeAmount: value });

  function switchMode(next: SizeMode): void {
    if (next === mode) return;
    if (!inst) {
      editTicket({ sizeMode: next });
      return;
    }
    // The order as it stands, expressed in the new unit (at the live price for a market order).
    const live = selectActiveTicker(store.getState());
    const current = sizedDraft(draft, inst, live, figures).quantity;
    const converted = convertAmount(current, next, sizingContext(draft, inst, live, figures));
    editTicket(next === 'base' ? { sizeMode: next, quantity: converted } : { sizeMode: next, sizeAmount: converted });
  }

  const percent = mode === 'margin' ? sliderValue(draft) : 0;

  return (
    <div className="field size-field">
      <label htmlFor="ticket-qty">{FIELD_LABEL[mode]}</label>
      <div className="input-affix">
        <input
          id="ticket-qty"
          ref={inputRef}
          type="text"
          inputMode="decimal"
          autoComplete="off"
          spellCheck={false}
          placeholder={!inst ? '' : mode === 'base' ? `min ${inst.minQuantity}` : mode === 'quote' ? 'e.g. 500' : '1 – 100'}
          value={text}
          aria-invalid={error !== undefined}
          aria-describedby={describedBy}
          onChange={(e) => setText(e.target.value)}
          onBlur={onNormalize}
        />
        <select
          className="affix affix-select"
          aria-label="Size in"
          title="Size the order by quantity, by value, or by a share of the available margin"
          value={mode}
          onChange={(e) => switchMode(e.target.value as SizeMode)}
        >
          <option value="base">{inst?.base ?? 'Qty'}</option>
          <option value="quote">{inst?.quote ?? 'Value'}</option>
          <option value="margin">% margin</option>
        </select>
      </div>
      {mode === 'margin' && (
        <input
          type="range"
          className="size-slider"
          min={0}
          max={100}
          step={1}
          value={percent}
          aria-label="Share of available margin"
          aria-valuetext={`${percent}% of the available margin`}
          onChange={(e) => editTicket({ sizeAmount: e.target.value === '0' ? '' : e.target.value })}
        />
      )}
      {mode !== 'base' && (
        <p id="ticket-size-result" className="size-result">
          {sized.quantity ? (
            <>
              = <b className="num">{fmtQty(sized.quantity, inst)}</b> {inst?.base ?? ''}
            </>
          ) : (
            '= — '
          )}
          {mode === 'margin' && figures.available !== null && (
            <span className="muted"> of {fmtMoney(figures.available)} {inst?.quote ?? ''} available</span>
          )}
        </p>
      )}
      {error && (
        <p id="ticket-quantity-error" className="field-error" aria-live="polite">
          {error}
        </p>
      )}
    </div>
  );
}

/** The slider's position for the typed share: whole percentages within 0–100, 0 while nothing readable is typed. */
function sliderValue(draft: TicketDraft): number {
  const r = readUserDecimal(draft.sizeAmount.replace(/%\s*$/, ''));
  if (!r.ok) return 0;
  const n = r.value.roundTo(0);
  return Math.max(0, Math.min(100, n.gt(Dec.fromBigInt(100n)) ? 100 : n.toNumber()));
}
