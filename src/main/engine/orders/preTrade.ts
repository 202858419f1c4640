/**
 * Pre-trade validation: the checks a venue would make, made before anything
 * is sent, with messages a trader understands. Pure: everything it needs is
 * passed in, so it is tested without an engine.
 */
import { Dec } from '../../../shared/decimal';
import { triggerDirection, type Instrument, type OrderSide, type OrderType } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import { bracketLimitProblem, bracketLimitText, cachedPerpetualTerms } from '../../core/perpetualMargin';

export interface OrderIntent {
  side: OrderSide;
  type: OrderType;
  quantity: Dec;
  price: Dec | null;
  stopPrice: Dec | null;
  reduceOnly: boolean;
  /** The trader confirmed that a stop whose trigger is already crossed should trigger at once. */
  triggerNow?: boolean;
}

export interface PreTradeContext {
  instrument: Instrument;
  /** Best prices now; a market order is priced at the side it takes. */
  bid: Dec;
  ask: Dec;
  /** Last trade price: what stops trigger on. Zero when there has been no trade yet. */
  last: Dec;
  /** Signed open position in this instrument (positive long). */
  position: Dec;
  /** Remaining quantity of open orders already on the side that reduces the position. */
  pendingReduce?: Dec;
  leverage: number;
  /** Margin left for new exposure: equity − position margin − resting order margin. */
  available: Dec;
}

export interface PreTradeResult {
  /** Price used to value the order: limit price, stop price, or the touch for market orders. */
  referencePrice: Dec;
  notional: Dec;
  /** Initial margin the order needs for the part that adds exposure. */
  requiredMargin: Dec;
  /** Worst-case fee (taker rate). */
  estimatedFee: Dec;
}

/** An instrument's steps and limits as decimals, parsed once per instrument object. */
interface InstrumentSpec {
  tick: Dec;
  lot: Dec;
  minQuantity: Dec;
  minNotional: Dec;
  takerFee: Dec;
}

const specs = new WeakMap<Instrument, InstrumentSpec>();

function specOf(instrument: Instrument): InstrumentSpec {
  let spec = specs.get(instrument);
  if (!spec) {
    spec = {
      tick: Dec.parse(instrument.tickSize),
      lot: Dec.parse(instrument.lotSize),
      minQuantity: Dec.parse(instrument.minQuantity),
      minNotional: Dec.parse(instrument.minNotional),
      takerFee: Dec.parse(instrument.takerFee),
    };
    specs.set(instrument, spec);
  }
  return spec;
}

function fmt(value: Dec): string {
  return value.toString();
}

export function referencePriceOf(intent: OrderIntent, bid: Dec, ask: Dec): Dec {
  if (intent.price) return intent.price;
  if (intent.stopPrice) return intent.stopPrice;
  return intent.side === 'buy' ? ask : bid;
}

/**
 * Quantity of the order that adds to exposure rather than reducing the
 * position, after other open orders on the reducing side (`pendingReduce`)
 * have claimed their share of it.
 */
export function increasingQuantity(side: OrderSide, quantity: Dec, position: Dec, pendingReduce: Dec = Dec.ZERO): Dec {
  const reducesLong = side === 'sell' && position.isPositive();
  const reducesShort = side === 'buy' && position.isNegative();
  if (!reducesLong && !reducesShort) return quantity;
  const left = Dec.max(position.abs().sub(pendingReduce), Dec.ZERO);
  const excess = quantity.sub(left);
  return excess.isPositive() ? excess : Dec.ZERO;
}

/**
 * A stop is a bet that the price will *reach* its trigger. One whose trigger
 * is already crossed — a buy stop at or below the last price, a sell stop at
 * or above it (a take-profit the other way round) — would fire at once as a
 * market order, which is nearly always a typo in direction. It is refused
 * unless the trader confirmed it.
 */
export function checkStopNotCrossed(intent: OrderIntent, last: Dec, instrument: Instrument): void {
  if (intent.stopPrice === null || intent.triggerNow || !last.isPositive()) return;
  const rises = triggerDirection(intent.type, intent.side) === 'rise';
  const crossed = rises ? intent.stopPrice.lte(last) : intent.stopPrice.gte(last);
  if (!crossed) return;
  const where = rises ? 'at or below' : 'at or above';
  const should = rises ? 'above' : 'below';
  const what = intent.type === 'take_profit' || intent.type === 'take_profit_limit' ? 'take-profit' : 'stop';
  throw new KeelError(
    'WOULD_TRIGGER_IMMEDIATELY',
    `This ${intent.side} ${what} would trigger immediately: its stop price ${fmt(intent.stopPrice)} is ${where} the last price ${fmt(last)} of ${instrument.symbol}. A ${intent.side} ${what} belongs ${should} the last price; tick "Trigger now" to send it anyway.`,
    { field: 'stopPrice', stopPrice: fmt(intent.stopPrice), last: fmt(last) },
  );
}

export function validateOrder(intent: OrderIntent, ctx: PreTradeContext): PreTradeResult {
  const { instrument } = ctx;
  const { tick, lot, minQuantity, minNotional } = specOf(instrument);
  const base = instrument.base;

  if (!intent.quantity.isMultipleOf(lot)) {
    throw new KeelError(
      'INVALID_PRECISION',
      `Quantity ${fmt(intent.quantity)} ${base} is not a multiple of the lot size ${instrument.lotSize} for ${instrument.symbol}.`,
      { field: 'quantity', lotSize: instrument.lotSize },
    );
  }
  if (intent.quantity.lt(minQuantity)) {
    throw new KeelError(
      'INVALID_PRECISION',
      `Quantity ${fmt(intent.quantity)} ${base} is below the minimum ${instrument.minQuantity} ${base} for ${instrument.symbol}.`,
      { field: 'quantity', minQuantity: instrument.minQuantity },
    );
  }
  for (const [field, value] of [
    ['price', intent.price],
    ['stopPrice', intent.stopPrice],
  ] as const) {
    if (value && !value.isMultipleOf(tick)) {
      const label = field === 'price' ? 'Limit price' : 'Stop price';
      throw new KeelError(
        'INVALID_PRECISION',
        `${label} ${fmt(value)} is not a multiple of the tick size ${instrument.tickSize} for ${instrument.symbol}.`,
        { field, tickSize: instrument.tickSize },
      );
    }
  }

  checkStopNotCrossed(intent, ctx.last, instrument);

  const referencePrice = referencePriceOf(intent, ctx.bid, ctx.ask);
  if (!referencePrice.isPositive()) {
    throw new KeelError('NO_LIQUIDITY', `There is no price for ${instrument.symbol} yet; try again in a moment.`);
  }
  const notional = intent.quantity.mul(referencePrice);
  // Reduce-only orders are exempt (as at the venue): a small remainder must always be closable.
  if (notional.lt(minNotional) && !intent.reduceOnly) {
    throw new KeelError(
      'MIN_NOTIONAL',
      `Order value ${notional.toFixed(2)} ${instrument.quote} is below the minimum ${instrument.minNotional} ${instrument.quote} for ${instrument.symbol}.`,
      { notional: notional.toString(), minNotional: instrument.minNotional },
    );
  }

  if (intent.reduceOnly) {
    const reduces =
      (intent.side === 'sell' && ctx.position.isPositive()) || (intent.side === 'buy' && ctx.position.isNegative());
    if (!reduces) {
      const why = ctx.position.isZero()
        ? `there is no position in ${instrument.symbol} for it to reduce`
        : `it would add to the ${ctx.position.isPositive() ? 'long' : 'short'} position in ${instrument.symbol}`;
      throw new KeelError(
        'REDUCE_ONLY_REJECTED',
        `A reduce-only ${intent.side} is refused: ${why}.`,
        { position: ctx.position.toString() },
      );
    }
    if (intent.quantity.gt(ctx.position.abs())) {
      throw new KeelError(
        'REDUCE_ONLY_REJECTED',
        `Reduce-only ${intent.side} of ${fmt(intent.quantity)} ${base} is larger than the position of ${fmt(ctx.position.abs())} ${base} in ${instrument.symbol}.`,
        { position: ctx.position.toString() },
      );
    }
  }

  checkBracketLimit(intent, referencePrice, ctx);
  const { requiredMargin, estimatedFee } = checkMargin(intent, referencePrice, ctx);
  return { referencePrice, notional, requiredMargin, estimatedFee };
}

/**
 * The initial margin (and worst-case fee) the order needs for the part that
 * adds exposure, refused when more than is available. An order that adds
 * nothing needs no margin: it must pass even when losses have pushed
 * "available" below zero.
 */
export function checkMargin(
  intent: OrderIntent,
  referencePrice: Dec,
  ctx: Pick<PreTradeContext, 'instrument' | 'position' | 'pendingReduce' | 'leverage' | 'available'>,
): { requiredMargin: Dec; estimatedFee: Dec } {
  const { instrument } = ctx;
  const estimatedFee = intent.quantity.mul(referencePrice).mul(specOf(instrument).takerFee);
  const adding = intent.reduceOnly ? Dec.ZERO : increasingQuantity(intent.side, intent.quantity, ctx.position, ctx.pendingReduce);
  const requiredMargin = adding.isZero()
    ? Dec.ZERO
    : adding.mul(referencePrice).div(Dec.fromBigInt(BigInt(ctx.leverage))).add(estimatedFee);
  if (requiredMargin.isPositive() && requiredMargin.gt(ctx.available)) {
    throw new KeelError(
      'INSUFFICIENT_MARGIN',
      `Not enough margin: this order needs ${requiredMargin.toFixed(2)} ${instrument.quote} at ${ctx.leverage}x but only ${Dec.max(ctx.available, Dec.ZERO).toFixed(2)} ${instrument.quote} is available.`,
      { required: requiredMargin.toString(), available: ctx.available.toString() },
    );
  }
  return { requiredMargin, estimatedFee };
}

/**
 * The position limit of a perpetual's margin brackets: an order that grows
 * the position may not take it past the largest notional the symbol's
 * leverage allows (the cap of the last bracket that allows that leverage),
 * valued at the order's reference price. Orders that only reduce the
 * position always pass, as at the exchanges. Instruments that declare no
 * brackets (spot, venues that do not publish them) are not limited here.
 */
export function checkBracketLimit(
  intent: OrderIntent,
  referencePrice: Dec,
  ctx: Pick<PreTradeContext, 'instrument' | 'position' | 'leverage'>,
): void {
  const terms = cachedPerpetualTerms(ctx.instrument);
  if (!terms || intent.reduceOnly) return;
  const resulting = ctx.position.add(intent.side === 'buy' ? intent.quantity : intent.quantity.neg());
  if (resulting.abs().lte(ctx.position.abs())) return;
  const problem = bracketLimitProblem(terms.tiers, ctx.leverage, resulting.abs().mul(referencePrice));
  if (!problem) return;
  const quote = ctx.instrument.quote;
  throw new KeelError('LEVERAGE_BRACKET_EXCEEDED', bracketLimitText(ctx.instrument.symbol, problem, quote), {
    leverage: problem.leverage,
    notional: problem.notional.toString(),
    maxNotional: problem.maxNotional.toString(),
    bracketFloor: problem.bracket.floor.toString(),
    bracketCap: problem.bracket.cap.toString(),
    bracketMaxLeverage: problem.bracket.maxLeverage,
  });
}
