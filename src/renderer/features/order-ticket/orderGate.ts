/**
 * The one gate every hand-placed order passes before it is sent, wherever
 * it was placed from (the ticket, a right-click on the chart, a drag of the
 * position's take-profit or stop-loss): the size resolved, the ticket's
 * checks, the attachments', and whether the trader must confirm it (far
 * larger than the last order in the instrument, or worth more than the value
 * set in Settings → Trading). Amends, from the blotter's Edit or a drag on
 * the chart, pass their own gate (gateAmend): the blotter's amend checks and
 * the same value confirmation. Pure, so every path is tested once.
 */
import type { AmendOrderParams, PlaceOrderParams } from '../../../shared/contract';
import { Dec } from '../../../shared/decimal';
import type { Instrument, Order, OrderSide, OrderType, Ticker } from '../../../shared/domain';
import type { DeskPrefs } from '../../stores/deskPrefs';
import type { TicketDraft } from '../../stores/ui';
import type { AmendCheck } from '../blotter/amendModel';
import { attachmentParams, type AttachmentField } from './attachmentsModel';
import { placeBlock, sizedDraft, type AccountFigures } from './sizing';
import {
  checkTicket,
  largeOrderFactor,
  previousOrder,
  usesLimitPrice,
  usesStopPrice,
  valueAboveThreshold,
  type PreviousOrder,
  type TicketField,
} from './ticketModel';

/** What the confirmation says the order is. */
export interface OrderSummary {
  venue: string;
  side: OrderSide;
  type: OrderType;
  quantity: string;
  symbol: string;
}

/**
 * An order held back for the trader's confirmation: far larger than the last
 * one in the instrument (`factor`, `previous`), or worth more than the value
 * the trader asked to confirm (`threshold`), or both.
 */
export interface LargeOrder {
  order: OrderSummary;
  value: Dec;
  factor: Dec | null;
  previous: PreviousOrder | null;
  threshold: Dec | null;
}

export interface GateContext {
  inst: Instrument | undefined;
  ticker: Ticker | undefined;
  figures: AccountFigures;
  /** While HALTED only reduce-only orders can pass, so the order is sent reduce-only. */
  halted: boolean;
  /** The store's orders, newest first: the last one in the instrument is what "much larger" is measured against. */
  orders: readonly Order[];
  prefs: Pick<DeskPrefs, 'confirmAbove' | 'confirmAboveValue'>;
}

export type GateResult =
  | { ok: true; params: Omit<PlaceOrderParams, 'clientOrderId'>; confirm: LargeOrder | null }
  | {
      ok: false;
      /** Which part refused it: the size typed, the ticket's fields, or its attachments. */
      stage: 'size' | 'ticket' | 'attachments';
      field: TicketField | 'symbol' | AttachmentField;
      error: string;
    };

/** The draft as it will be sent: while HALTED only reduce-only orders can pass, so the box is forced on. */
export function effectiveDraft(draft: TicketDraft, halted: boolean): TicketDraft {
  return halted && !draft.reduceOnly ? { ...draft, reduceOnly: true } : draft;
}

/** Limit and stop prices are what the price band checks; a market order has none. */
export function usesPrice(type: OrderType): boolean {
  return usesLimitPrice(type) || usesStopPrice(type);
}

export function gateOrder(draftAsTyped: TicketDraft, ctx: GateContext): GateResult {
  const { inst, ticker } = ctx;
  const sized = sizedDraft(effectiveDraft(draftAsTyped, ctx.halted), inst, ticker, ctx.figures);
  const draft = sized.draft;
  if (inst && draft.sizeMode !== 'base' && !sized.quantity) {
    return { ok: false, stage: 'size', field: 'quantity', error: placeBlock(sized, inst, ticker) ?? 'Enter a size.' };
  }
  const check = checkTicket(draft, inst, ticker);
  if (!check.ok) return { ok: false, stage: 'ticket', field: check.field, error: check.error };
  const attached = inst ? attachmentParams(draft.attach, draft, check.preview.referencePrice, inst) : null;
  if (attached && !attached.ok) return { ok: false, stage: 'attachments', field: attached.field, error: attached.error };
  const overridePriceBand = draft.overridePriceBand && usesPrice(draft.type);
  const params = { ...check.params, ...(attached?.ok ? attached.params : {}), ...(overridePriceBand ? { overridePriceBand: true } : {}) };
  const value = check.preview.notional;
  // A reduce-only order cannot add exposure, so its size against the last order needs no second look;
  // a value the trader asked to confirm is asked for whatever the order.
  const previous = inst && !draft.reduceOnly ? previousOrder(ctx.orders, inst.venue, inst.symbol) : null;
  const factor = previous ? largeOrderFactor(value, previous) : null;
  const threshold = valueAboveThreshold(value, ctx.prefs);
  const confirm =
    value && ((factor && previous) || threshold)
      ? { order: { venue: params.venue, side: params.side, type: params.type, quantity: params.quantity, symbol: params.symbol }, value, factor, previous, threshold }
      : null;
  return { ok: true, params, confirm };
}

/**
 * The value confirmation for an amend: what the order is worth on its new
 * terms (quantity × its new limit price, else its new stop price), held back
 * when that is above the value set in Settings → Trading. Its size against
 * the last order is not asked again: an amend of price keeps the order it was.
 */
export function amendConfirmation(order: Order, params: AmendOrderParams, prefs: GateContext['prefs']): LargeOrder | null {
  const priceText = params.price ?? order.price ?? params.stopPrice ?? order.stopPrice;
  const quantity = params.quantity ?? order.quantity;
  if (!priceText || !Dec.isValid(priceText) || !Dec.isValid(quantity)) return null;
  const value = Dec.parse(priceText).mul(Dec.parse(quantity));
  const threshold = valueAboveThreshold(value, prefs);
  return threshold ? { order: { venue: order.venue, side: order.side, type: order.type, quantity, symbol: order.symbol }, value, factor: null, previous: null, threshold } : null;
}

/** An amend through its gate: refused as the amend check said, or its params with the confirmation it needs, if any. */
export type AmendGateResult = { ok: true; params: AmendOrderParams; confirm: LargeOrder | null } | Extract<AmendCheck, { ok: false }>;

/**
 * The one gate every amend by hand passes, from the blotter's Edit dialog or
 * a drag on the chart: the amend as checked by the blotter's rules
 * (amendModel's checkAmendDraft, which a drag's check also comes from), then
 * held for the trader's confirmation when it is worth more than the value set
 * in Settings → Trading.
 */
export function gateAmend(order: Order, check: AmendCheck, prefs: GateContext['prefs']): AmendGateResult {
  if (!check.ok) return check;
  return { ok: true, params: check.params, confirm: amendConfirmation(order, check.params, prefs) };
}
