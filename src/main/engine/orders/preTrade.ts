/**
 * Pre-trade validation: the checks a venue would make, made before anything
 * is sent, with messages a trader understands. Pure: everything it needs is
 * passed in, so it is tested without an engine.
 */
import { Dec } from '../../../shared/decimal';
import type { Instrument, OrderSide, OrderType } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';

export interface OrderIntent {
  side: OrderSide;
  type: OrderType;
  quantity: Dec;
  price: Dec | null;
  stopPrice: Dec | null;
  reduceOnly: boolean;
}

export interface PreTradeContext {
  instrument: Instrument;
  /** Best prices now; a market order is priced at the side it takes. */
  bid: Dec;
  ask: Dec;
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

export function validateOrder(intent: OrderIntent, ctx: PreTradeContext): PreTradeResult {
  const { instrument } = ctx;
  const { tick, lot, minQuantity, minNotional, takerFee } = specOf(instrument);
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
      const held = ctx.position.isZero() ? 'no position' : `a ${ctx.position.isPositive() ? 'long' : 'short'} position`;
      throw new KeelError(
        'REDUCE_ONLY_REJECTED',
        `A reduce-only ${intent.side} cannot reduce ${held} in ${instrument.symbol}.`,
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

  const estimatedFee = notional.mul(takerFee);
  const adding = intent.reduceOnly ? Dec.ZERO : increasingQuantity(intent.side, intent.quantity, ctx.position, ctx.pendingReduce);
  const requiredMargin = adding.isZero()
    ? Dec.ZERO
    : adding.mul(referencePrice).div(Dec.fromBigInt(BigInt(ctx.leverage))).add(estimatedFee);
  if (requiredMargin.gt(ctx.available)) {
    throw new KeelError(
      'INSUFFICIENT_MARGIN',
      `Not enough margin: this order needs ${requiredMargin.toFixed(2)} ${instrument.quote} at ${ctx.leverage}x but only ${Dec.max(ctx.available, Dec.ZERO).toFixed(2)} ${instrument.quote} is available.`,
      { required: requiredMargin.toString(), available: ctx.available.toString() },
    );
  }

  return { referencePrice, notional, requiredMargin, estimatedFee };
}
