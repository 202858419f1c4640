/**
 * The order ticket's arithmetic and pre-flight checks, kept pure so they are
 * unit tested. The checks catch typing mistakes before anything is sent; the
 * engine re-checks everything (the renderer is untrusted), so these are a
 * convenience, not a control.
 */
import type { PlaceOrderParams } from '../../../shared/contract';
import { Dec } from '../../../shared/decimal';
import type { Instrument, OrderType, Ticker } from '../../../shared/domain';
import { parseUserDecimal } from '../../lib/numberInput';
import type { TicketDraft } from '../../stores/ui';

export interface TicketPreview {
  /** The price the estimate is based on (limit, stop, or the touch for a market order). */
  referencePrice: Dec | null;
  notional: Dec | null;
  fee: Dec | null;
  feeRate: Dec | null;
  feeKind: 'maker' | 'taker';
  margin: Dec | null;
  leverage: number;
}

export type TicketCheck =
  | { ok: true; params: Omit<PlaceOrderParams, 'clientOrderId'>; preview: TicketPreview }
  | { ok: false; error: string; field: 'quantity' | 'price' | 'stopPrice' | 'symbol'; preview: TicketPreview };

export function usesLimitPrice(type: OrderType): boolean {
  return type === 'limit' || type === 'stop_limit';
}

export function usesStopPrice(type: OrderType): boolean {
  return type === 'stop' || type === 'stop_limit';
}

/** Post-only only makes sense for a resting limit order. */
export function allowsPostOnly(type: OrderType): boolean {
  return type === 'limit';
}

export { parseUserDecimal };

function tryParse(text: string): Dec | null {
  try {
    return parseUserDecimal(text);
  } catch {
    return null;
  }
}

function referencePrice(draft: TicketDraft, ticker: Ticker | undefined): Dec | null {
  if (usesLimitPrice(draft.type)) return tryParse(draft.price);
  if (draft.type === 'stop') return tryParse(draft.stopPrice);
  if (!ticker) return null;
  // A market buy lifts the ask, a sell hits the bid; fall back to last if the book side is empty.
  const touch = draft.side === 'buy' ? ticker.ask : ticker.bid;
  const candidate = tryParse(touch) ?? tryParse(ticker.last);
  return candidate && candidate.isPositive() ? candidate : tryParse(ticker.last);
}

/** Leverage choices offered for an instrument: common steps up to its maximum, plus the one in force. */
export function leverageChoices(inst: Instrument | undefined, current: number): number[] {
  const steps = [1, 2, 3, 5, 10, 20, 25, 50, 75, 100, 125].filter((l) => l <= (inst?.maxLeverage ?? 1));
  return [...new Set([...steps, current])].sort((a, b) => a - b);
}

/** `leverage` is what the account has in force for the instrument; the instrument's default until the trader sets one. */
export function previewTicket(
  draft: TicketDraft,
  inst: Instrument | undefined,
  ticker: Ticker | undefined,
  leverageInForce?: number,
): TicketPreview {
  const postOnly = draft.postOnly && allowsPostOnly(draft.type);
  const feeKind: 'maker' | 'taker' = postOnly ? 'maker' : 'taker';
  const leverage = leverageInForce ?? inst?.defaultLeverage ?? 1;
  const ref = referencePrice(draft, ticker);
  const qty = tryParse(draft.quantity);
  const notional = ref && qty ? ref.mul(qty) : null;
  const feeRate = inst ? Dec.parse(postOnly ? inst.makerFee : inst.takerFee) : null;
  return {
    referencePrice: ref,
    notional,
    fee: notional && feeRate ? notional.mul(feeRate) : null,
    feeRate,
    feeKind,
    margin: notional && leverage > 0 ? notional.div(Dec.fromBigInt(BigInt(leverage))) : null,
    leverage,
  };
}

function checkPrice(text: string, label: string, tick: Dec, tickText: string): string | Dec {
  if (text.trim() === '') return `Enter a ${label.toLowerCase()}.`;
  const value = tryParse(text);
  if (!value) return `${label} must be a number such as ${tickText}.`;
  if (!value.isPositive()) return `${label} must be greater than zero.`;
  if (!value.isMultipleOf(tick)) return `${label} must be a multiple of the tick size ${tickText}.`;
  return value;
}

export function checkTicket(
  draft: TicketDraft,
  inst: Instrument | undefined,
  ticker: Ticker | undefined,
): TicketCheck {
  const preview = previewTicket(draft, inst, ticker);
  if (!inst) return { ok: false, error: 'Choose a symbol.', field: 'symbol', preview };

  const lot = Dec.parse(inst.lotSize);
  const tick = Dec.parse(inst.tickSize);

  if (draft.quantity.trim() === '') return { ok: false, error: 'Enter a quantity.', field: 'quantity', preview };
  const qty = tryParse(draft.quantity);
  if (!qty) {
    return { ok: false, error: `Quantity must be a number such as ${inst.lotSize}.`, field: 'quantity', preview };
  }
  if (!qty.isPositive()) return { ok: false, error: 'Quantity must be greater than zero.', field: 'quantity', preview };
  if (lot.isPositive() && !qty.isMultipleOf(lot)) {
    return { ok: false, error: `Quantity must be a multiple of the lot size ${inst.lotSize}.`, field: 'quantity', preview };
  }
  const minQty = Dec.parse(inst.minQuantity);
  if (qty.lt(minQty)) {
    return { ok: false, error: `Quantity is below the minimum of ${inst.minQuantity}.`, field: 'quantity', preview };
  }

  let price: Dec | undefined;
  let stopPrice: Dec | undefined;
  if (usesLimitPrice(draft.type)) {
    const r = checkPrice(draft.price, 'Limit price', tick, inst.tickSize);
    if (typeof r === 'string') return { ok: false, error: r, field: 'price', preview };
    price = r;
  }
  if (usesStopPrice(draft.type)) {
    const r = checkPrice(draft.stopPrice, 'Stop price', tick, inst.tickSize);
    if (typeof r === 'string') return { ok: false, error: r, field: 'stopPrice', preview };
    stopPrice = r;
  }

  const minNotional = Dec.parse(inst.minNotional);
  if (preview.notional && minNotional.isPositive() && preview.notional.lt(minNotional)) {
    return {
      ok: false,
      error: `Notional ${preview.notional.toFixed(2)} ${inst.quote} is below the minimum notional of ${inst.minNotional} ${inst.quote}.`,
      field: 'quantity',
      preview,
    };
  }

  const postOnly = draft.postOnly && allowsPostOnly(draft.type);
  const params: Omit<PlaceOrderParams, 'clientOrderId'> = {
    venue: inst.venue,
    symbol: inst.symbol,
    side: draft.side,
    type: draft.type,
    quantity: qty.toString(),
    // Post-only orders must rest until canceled; anything else would contradict the flag.
    timeInForce: postOnly ? 'GTC' : draft.timeInForce,
    ...(price ? { price: price.toString() } : {}),
    ...(stopPrice ? { stopPrice: stopPrice.toString() } : {}),
    ...(postOnly ? { postOnly: true } : {}),
    ...(draft.reduceOnly ? { reduceOnly: true } : {}),
  };
  return { ok: true, params, preview };
}

/** A client order id chosen before sending: the engine's idempotency key (UUIDs fit its 36-character limit). */
export function newClientOrderId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
