/**
 * Sizing an order three ways: a quantity in the base currency, a value in
 * the quote currency (500 USDT of BTC), or a share of the margin available
 * (25% of what is free). The last two are turned into a base quantity at the
 * order's reference price (its limit or stop, or the touch for a market
 * order), floored to the lot size so the order never comes out larger than
 * asked, and checked against the instrument's minimum. A share of margin
 * pays the initial margin and the fee out of that share, so 100% is an
 * order the account can carry.
 */
import { Dec } from '../../../shared/decimal';
import type { Instrument, Ticker } from '../../../shared/domain';
import { fmtMoney, group, inputQty } from '../../lib/format';
import { readUserDecimal } from '../../lib/numberInput';
import type { SizeMode, TicketDraft } from '../../stores/ui';
import { checkTicket, feeKindFor, referencePrice } from './ticketModel';

export { SIZE_MODES, type SizeMode } from '../../stores/ui';

/** What the sizing needs besides the typed amount. */
export interface SizingContext {
  inst: Instrument;
  /** The price the order is valued at; null while there is none (no limit price typed, no book). */
  price: Dec | null;
  leverage: number;
  /** Margin available on the account; null while unknown. */
  available: Dec | null;
  /** The fee rate the order would pay (maker or taker). */
  feeRate: Dec;
}

export type SizeResolution =
  | { ok: true; quantity: Dec; /** The quantity as the ticket sends it ("0.012"). */ text: string }
  /** `error` is null when nothing has been typed yet: not wrong, only not ready. */
  | { ok: false; error: string | null };

const HUNDRED = Dec.fromBigInt(100n);

/** The amount field's name in messages, by mode. */
export const AMOUNT_LABEL: Record<Exclude<SizeMode, 'base'>, string> = {
  quote: 'Order value',
  margin: 'Share of margin',
};

/** The typed amount, or why it cannot be read. */
function readAmount(text: string, mode: Exclude<SizeMode, 'base'>): Dec | string | null {
  if (text.trim() === '') return null;
  const label = AMOUNT_LABEL[mode];
  const r = readUserDecimal(text.replace(/%\s*$/, ''));
  if (!r.ok) return r.problem ? `${label} ${r.problem}.` : `${label} must be a number such as ${mode === 'quote' ? '500' : '25'}.`;
  if (!r.value.isPositive()) return `${label} must be greater than zero.`;
  if (mode === 'margin' && r.value.gt(HUNDRED)) return `${label} cannot be more than 100%.`;
  return r.value;
}

/** The base quantity an amount in the quote currency buys at `price`, floored to the lot. */
export function quantityForValue(value: Dec, price: Dec, lot: Dec): Dec {
  return value.div(price).floorTo(lot);
}

/**
 * The base quantity whose initial margin and fee together use `percent` of
 * the available margin: qty × price × (1 / leverage + fee rate) = available × percent / 100.
 */
export function quantityForMarginShare(percent: Dec, available: Dec, price: Dec, leverage: number, feeRate: Dec, lot: Dec): Dec {
  const budget = available.mul(percent).div(HUNDRED);
  const perUnit = price.mul(Dec.ONE.div(Dec.fromBigInt(BigInt(leverage))).add(feeRate));
  return budget.div(perUnit).floorTo(lot);
}

/** Turns a value or a share of margin into the base quantity the ticket sends. */
export function resolveSize(mode: Exclude<SizeMode, 'base'>, amountText: string, ctx: SizingContext): SizeResolution {
  const amount = readAmount(amountText, mode);
  if (amount === null) return { ok: false, error: null };
  if (typeof amount === 'string') return { ok: false, error: amount };
  const { inst, price } = ctx;
  if (!price || !price.isPositive()) {
    return { ok: false, error: `Enter a price first: the ${mode === 'quote' ? 'value' : 'share of margin'} is turned into ${inst.base} at it.` };
  }
  const lot = Dec.parse(inst.lotSize);
  let quantity: Dec;
  if (mode === 'quote') {
    quantity = quantityForValue(amount, price, lot);
  } else {
    if (!ctx.available || !ctx.available.isPositive()) return { ok: false, error: 'No margin is available to size from.' };
    if (ctx.leverage <= 0) return { ok: false, error: 'The leverage in force is unknown.' };
    quantity = quantityForMarginShare(amount, ctx.available, price, ctx.leverage, ctx.feeRate, lot);
  }
  const min = Dec.parse(inst.minQuantity);
  if (!quantity.isPositive() || quantity.lt(min)) {
    const what = mode === 'quote' ? `${fmtMoney(amount)} ${inst.quote}` : `${group(amount.toString())}% of the available margin`;
    return { ok: false, error: `${what} buys less than the minimum of ${inst.minQuantity} ${inst.base} at this price.` };
  }
  return { ok: true, quantity, text: inputQty(quantity, inst) };
}

/**
 * The amount in another mode that stands for the same base quantity, so
 * switching the mode keeps the order the trader had typed; empty when it
 * cannot be worked out (no price, no margin figure).
 */
export function convertAmount(quantity: Dec | null, to: SizeMode, ctx: SizingContext): string {
  if (!quantity || !quantity.isPositive()) return '';
  if (to === 'base') return inputQty(quantity, ctx.inst);
  if (!ctx.price || !ctx.price.isPositive()) return '';
  const value = quantity.mul(ctx.price);
  if (to === 'quote') return value.toFixed(2);
  if (!ctx.available || !ctx.available.isPositive() || ctx.leverage <= 0) return '';
  const cost = value.mul(Dec.ONE.div(Dec.fromBigInt(BigInt(ctx.leverage))).add(ctx.feeRate));
  const percent = cost.mul(HUNDRED).div(ctx.available);
  // Whole percentages, as the slider moves; capped at what can be carried.
  const whole = Dec.min(HUNDRED, percent.roundTo(0));
  return whole.isPositive() ? whole.toString() : '';
}

/** The draft as it will be checked and sent: in value or margin mode its quantity is the one the amount resolves to. */
export interface SizedDraft {
  draft: TicketDraft;
  /** What is wrong with the amount typed (value or margin mode); null when nothing is, or nothing is typed yet. */
  sizeError: string | null;
  /** The base quantity the ticket would send; null while there is none. */
  quantity: Dec | null;
}

/** What the account offers the sizing: the leverage in force on the instrument and the margin available. */
export interface AccountFigures {
  leverage: number;
  available: string | null;
}

export function sizingContext(draft: TicketDraft, inst: Instrument, ticker: Ticker | undefined, account: AccountFigures): SizingContext {
  const kind = feeKindFor(draft, ticker);
  return {
    inst,
    price: referencePrice(draft, ticker),
    leverage: account.leverage,
    available: account.available !== null && Dec.isValid(account.available) ? Dec.parse(account.available) : null,
    feeRate: Dec.parse(kind === 'maker' ? inst.makerFee : inst.takerFee),
  };
}

export function sizedDraft(draft: TicketDraft, inst: Instrument | undefined, ticker: Ticker | undefined, account: AccountFigures): SizedDraft {
  if (draft.sizeMode === 'base' || !inst) {
    const r = readUserDecimal(draft.quantity);
    return { draft, sizeError: null, quantity: r.ok && r.value.isPositive() ? r.value : null };
  }
  const r = resolveSize(draft.sizeMode, draft.sizeAmount, sizingContext(draft, inst, ticker, account));
  return r.ok
    ? { draft: { ...draft, quantity: r.text }, sizeError: null, quantity: r.quantity }
    : { draft: { ...draft, quantity: '' }, sizeError: r.error, quantity: null };
}

const ENTER_AMOUNT: Record<Exclude<SizeMode, 'base'>, string> = {
  quote: 'Enter an order value.',
  margin: 'Enter a share of the available margin.',
};

/**
 * Why the ticket cannot be sent as it stands, in the words shown under the
 * disabled Place button; null when it can. The same checks as sending, so
 * the button never promises what the ticket would then refuse.
 */
export function placeBlock(sized: SizedDraft, inst: Instrument | undefined, ticker: Ticker | undefined): string | null {
  if (!inst) return 'Choose a symbol.';
  const mode = sized.draft.sizeMode;
  if (mode !== 'base') {
    if (sized.sizeError) return sized.sizeError;
    if (!sized.quantity) return ENTER_AMOUNT[mode];
  }
  const check = checkTicket(sized.draft, inst, ticker);
  return check.ok ? null : check.error;
}
