/**
 * The order ticket's arithmetic and pre-flight checks, kept pure so they are
 * unit tested. The checks catch typing mistakes before anything is sent; the
 * engine re-checks everything (the renderer is untrusted), so these are a
 * convenience, not a control.
 */
import type { PlaceOrderParams } from '../../../shared/contract';
import { Dec } from '../../../shared/decimal';
import { hasLimitPrice, hasStopPrice, triggerDirection, type Instrument, type Order, type OrderSide, type OrderType, type Ticker } from '../../../shared/domain';
import { fmtMoney, group } from '../../lib/format';
import { parseUserDecimal, readUserDecimal } from '../../lib/numberInput';
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

export type TicketField = 'quantity' | 'price' | 'stopPrice';

export type TicketCheck =
  | { ok: true; params: Omit<PlaceOrderParams, 'clientOrderId'>; preview: TicketPreview }
  | { ok: false; error: string; field: TicketField | 'symbol'; preview: TicketPreview };

export function usesLimitPrice(type: OrderType): boolean {
  return hasLimitPrice(type);
}

/** Stops and take-profits are placed with a stop price; a trailing stop's is set by the venue as it trails. */
export function usesStopPrice(type: OrderType): boolean {
  return hasStopPrice(type);
}

/** Post-only only makes sense for a resting limit order. */
export function allowsPostOnly(type: OrderType): boolean {
  return type === 'limit';
}

export { parseUserDecimal };

function tryParse(text: string): Dec | null {
  return parseUserDecimal(text);
}

/** A book price as the ticker carries it; null when that side of the book is empty. */
function touchPrice(text: string | undefined): Dec | null {
  if (text === undefined || !Dec.isValid(text)) return null;
  const d = Dec.parse(text);
  return d.isPositive() ? d : null;
}

/** The price an order is valued at: its limit, its stop for a stop-market, or the touch it would take for a market order. */
export function referencePrice(draft: TicketDraft, ticker: Ticker | undefined): Dec | null {
  if (usesLimitPrice(draft.type)) return tryParse(draft.price);
  if (usesStopPrice(draft.type)) return tryParse(draft.stopPrice);
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

/**
 * Whether the order would pay the maker or the taker fee: a limit order that
 * would rest (a buy below the ask, a sell above the bid, or post-only) adds
 * liquidity; market orders, stops (they trigger into market orders) and
 * marketable limits take it. Without a live book a limit counts as taker,
 * the dearer case.
 */
export function feeKindFor(draft: TicketDraft, ticker: Ticker | undefined): 'maker' | 'taker' {
  if (draft.type !== 'limit') return 'taker';
  if (draft.postOnly) return 'maker';
  const price = tryParse(draft.price);
  if (!price) return 'taker';
  if (draft.side === 'buy') {
    const ask = touchPrice(ticker?.ask);
    return ask && price.lt(ask) ? 'maker' : 'taker';
  }
  const bid = touchPrice(ticker?.bid);
  return bid && price.gt(bid) ? 'maker' : 'taker';
}

/** A stop whose trigger the last price has already crossed, which the engine refuses unless "Trigger now" is ticked. */
export interface CrossedStop {
  side: OrderSide;
  stopPrice: Dec;
  last: Dec;
  /** A buy stop or sell take-profit triggers as the price rises to it. */
  rises: boolean;
}

/**
 * The engine's rule, checked while typing so the trader is warned before
 * sending: a buy stop at or below the last price, or a sell stop at or
 * above it, would trigger at once.
 */
export function crossedStop(draft: TicketDraft, ticker: Ticker | undefined): CrossedStop | null {
  if (!usesStopPrice(draft.type)) return null;
  const stopPrice = tryParse(draft.stopPrice);
  const last = touchPrice(ticker?.last);
  if (!stopPrice || !stopPrice.isPositive() || !last) return null;
  const rises = triggerDirection(draft.type, draft.side) === 'rise';
  const crossed = rises ? stopPrice.lte(last) : stopPrice.gte(last);
  return crossed ? { side: draft.side, stopPrice, last, rises } : null;
}

/** `leverage` is what the account has in force for the instrument; the instrument's default until the trader sets one. */
export function previewTicket(
  draft: TicketDraft,
  inst: Instrument | undefined,
  ticker: Ticker | undefined,
  leverageInForce?: number,
): TicketPreview {
  const feeKind = feeKindFor(draft, ticker);
  const leverage = leverageInForce ?? inst?.defaultLeverage ?? 1;
  const ref = referencePrice(draft, ticker);
  const qty = tryParse(draft.quantity);
  const notional = ref && qty ? ref.mul(qty) : null;
  const feeRate = inst ? Dec.parse(feeKind === 'maker' ? inst.makerFee : inst.takerFee) : null;
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

/** One number field read as typed: the value, or the sentence that says what is wrong with it. */
function readField(text: string, label: string, example: string): string | Dec {
  if (text.trim() === '') return `Enter a ${label.toLowerCase()}.`;
  const r = readUserDecimal(text);
  if (!r.ok) return r.problem ? `${label} ${r.problem}.` : `${label} must be a number such as ${example}.`;
  if (!r.value.isPositive()) return `${label} must be greater than zero.`;
  return r.value;
}

export function checkQuantity(text: string, inst: Instrument): string | Dec {
  const qty = readField(text, 'Quantity', inst.lotSize);
  if (typeof qty === 'string') return qty;
  const lot = Dec.parse(inst.lotSize);
  if (lot.isPositive() && !qty.isMultipleOf(lot)) return `Quantity must be a multiple of the lot size ${inst.lotSize}.`;
  if (qty.lt(Dec.parse(inst.minQuantity))) return `Quantity is below the minimum of ${inst.minQuantity}.`;
  return qty;
}

function checkPrice(text: string, label: string, inst: Instrument): string | Dec {
  const value = readField(text, label, inst.tickSize);
  if (typeof value === 'string') return value;
  if (!value.isMultipleOf(Dec.parse(inst.tickSize))) return `${label} must be a multiple of the tick size ${inst.tickSize}.`;
  return value;
}

/**
 * What is wrong with each field the order type uses, for fields that hold
 * text: shown under the field as it is typed. An empty field is not an
 * error until the order is sent.
 */
export function fieldErrors(draft: TicketDraft, inst: Instrument | undefined): Partial<Record<TicketField, string>> {
  if (!inst) return {};
  const out: Partial<Record<TicketField, string>> = {};
  const typed = (text: string) => text.trim() !== '';
  if (typed(draft.quantity)) {
    const r = checkQuantity(draft.quantity, inst);
    if (typeof r === 'string') out.quantity = r;
  }
  if (usesLimitPrice(draft.type) && typed(draft.price)) {
    const r = checkPrice(draft.price, 'Limit price', inst);
    if (typeof r === 'string') out.price = r;
  }
  if (usesStopPrice(draft.type) && typed(draft.stopPrice)) {
    const r = checkPrice(draft.stopPrice, 'Stop price', inst);
    if (typeof r === 'string') out.stopPrice = r;
  }
  return out;
}

export function checkTicket(
  draft: TicketDraft,
  inst: Instrument | undefined,
  ticker: Ticker | undefined,
): TicketCheck {
  const preview = previewTicket(draft, inst, ticker);
  if (!inst) return { ok: false, error: 'Choose a symbol.', field: 'symbol', preview };

  const qty = checkQuantity(draft.quantity, inst);
  if (typeof qty === 'string') return { ok: false, error: qty, field: 'quantity', preview };

  let price: Dec | undefined;
  let stopPrice: Dec | undefined;
  if (usesLimitPrice(draft.type)) {
    const r = checkPrice(draft.price, 'Limit price', inst);
    if (typeof r === 'string') return { ok: false, error: r, field: 'price', preview };
    price = r;
  }
  if (usesStopPrice(draft.type)) {
    const r = checkPrice(draft.stopPrice, 'Stop price', inst);
    if (typeof r === 'string') return { ok: false, error: r, field: 'stopPrice', preview };
    stopPrice = r;
  }

  const minNotional = Dec.parse(inst.minNotional);
  if (preview.notional && minNotional.isPositive() && preview.notional.lt(minNotional)) {
    return {
      ok: false,
      error: `Notional ${fmtMoney(preview.notional)} ${inst.quote} is below the minimum notional of ${group(inst.minNotional)} ${inst.quote}.`,
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
    // Only on the trader's explicit tick, and only where it means something.
    ...(draft.triggerNow && usesStopPrice(draft.type) ? { triggerNow: true } : {}),
  };
  return { ok: true, params, preview };
}

/**
 * How much larger than the last order in the same instrument an order may be
 * before the ticket asks "are you sure?". 5× catches a slipped digit or a
 * quantity meant for another instrument (1 ETH typed as 1 BTC is about 25×)
 * while leaving ordinary scaling in and out (2-3×) unasked.
 */
export const LARGE_ORDER_FACTOR = 5;

/** The trader's last order in an instrument and what it was worth. */
export interface PreviousOrder {
  order: Order;
  value: Dec;
}

/**
 * The newest order the trader placed by hand in the instrument that the
 * venue took (rejected ones were mistakes, not habits), with its value:
 * quantity × its limit price, else its average fill, else its stop. Orders
 * come newest first, as the store keeps them.
 */
export function previousOrder(orders: readonly Order[], venue: string, symbol: string): PreviousOrder | null {
  for (const o of orders) {
    if (o.venue !== venue || o.symbol !== symbol || o.source !== 'manual' || o.status === 'rejected') continue;
    const priceText = o.price ?? o.averagePrice ?? o.stopPrice;
    if (!priceText || !Dec.isValid(priceText) || !Dec.isValid(o.quantity)) continue;
    const value = Dec.parse(o.quantity).mul(Dec.parse(priceText));
    if (value.isPositive()) return { order: o, value };
  }
  return null;
}

/** The factor by which the order's value exceeds the previous order's, when it exceeds `LARGE_ORDER_FACTOR`; null otherwise. */
export function largeOrderFactor(value: Dec | null, previous: PreviousOrder | null): Dec | null {
  if (!value || !previous) return null;
  const factor = value.div(previous.value);
  return factor.gt(Dec.fromBigInt(BigInt(LARGE_ORDER_FACTOR))) ? factor : null;
}

/**
 * The value the trader asked to confirm orders above (Settings → Trading),
 * when this order's value exceeds it; null when the check is off, the value
 * unknown, or the order below it.
 */
export function valueAboveThreshold(value: Dec | null, prefs: { confirmAbove: boolean; confirmAboveValue: string }): Dec | null {
  if (!value || !prefs.confirmAbove || !Dec.isValid(prefs.confirmAboveValue)) return null;
  const threshold = Dec.parse(prefs.confirmAboveValue);
  return threshold.isPositive() && value.gt(threshold) ? threshold : null;
}

/** A client order id chosen before sending: the engine's idempotency key (UUIDs fit its 36-character limit). */
export function newClientOrderId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
