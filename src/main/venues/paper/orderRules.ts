/**
 * The exchange rules a new order must pass before the paper venue accepts
 * it, checked in the order a real exchange applies them: shape, lot and
 * tick precision, price band, reduce-only, liquidity, minimum notional,
 * post-only, the position limit of the leverage's margin bracket, funds
 * (initial margin, or cash and holdings). Pure: it reads
 * the market and the account and answers either the order in integer ticks
 * and lots, or a rejection code with a reason a trader can read.
 */
import { hasLimitPrice, hasStopPrice, type Instrument, type OrderSide } from '../../../shared/domain';
import { Dec } from '../../../shared/decimal';
import { bracketLimitProblem, bracketLimitText, cachedPerpetualTerms } from '../../core/perpetualMargin';
import type { SubmitOrder, VenueRejectCode } from '../../engine/ports/venue';
import type { ExchangeAccount } from './exchangeAccount';
import { MALFORMED, OFF_STEP, formatSteps, toSteps, type Step } from './fixedPoint';
import type { InstrumentMath } from './instruments';
import type { Liquidity } from './marketSource';

/** Limit and stop prices must be within this multiple of the mark (an exchange's price band; keeps ticks × lots exact). */
export const PRICE_BAND = 10;

export interface AcceptedOrder {
  lots: number;
  priceTicks: number;
  stopTicks: number;
}

export interface OrderRejection {
  code: VenueRejectCode;
  reason: string;
}

export interface OrderRulesContext {
  instrument: Instrument;
  math: InstrumentMath;
  market: Liquidity;
  markTicks: number;
  account: ExchangeAccount;
}

export function rejection(code: VenueRejectCode, reason: string): OrderRejection {
  return { code, reason };
}

export function isRejection(result: AcceptedOrder | OrderRejection): result is OrderRejection {
  return (result as OrderRejection).code !== undefined;
}

/** Ticks of a price field, or why it is not acceptable. */
export function priceTicksOf(text: string, what: string, tick: Step, markTicks: number): number | OrderRejection {
  const ticks = toSteps(text, tick);
  if (ticks === OFF_STEP) return rejection('INVALID_PRECISION', `${what} ${text} is not a multiple of the tick size ${tick.text}`);
  if (ticks <= 0) return rejection('VENUE_REJECTED', `${what} "${text}" must be a positive decimal`);
  if (ticks > markTicks * PRICE_BAND) return rejection('VENUE_REJECTED', `${what} ${text} is more than ${PRICE_BAND}× the mark price`);
  return ticks;
}

export function checkOrder(cmd: SubmitOrder, ctx: OrderRulesContext): AcceptedOrder | OrderRejection {
  const { math, account } = ctx;

  const needsPrice = hasLimitPrice(cmd.type);
  const needsStop = hasStopPrice(cmd.type);
  if (needsPrice !== (cmd.price !== null)) {
    return rejection('VENUE_REJECTED', needsPrice ? `a ${cmd.type} order needs a limit price` : `a ${cmd.type} order takes no limit price`);
  }
  if (needsStop !== (cmd.stopPrice !== null)) {
    return rejection('VENUE_REJECTED', needsStop ? `a ${cmd.type} order needs a stop price` : `a ${cmd.type} order takes no stop price`);
  }
  if ((cmd.type === 'trailing_stop') !== (cmd.trailing !== undefined && cmd.trailing !== null)) {
    return rejection('VENUE_REJECTED', cmd.type === 'trailing_stop' ? 'a trailing stop needs its trail' : `a ${cmd.type} order takes no trail`);
  }
  if (cmd.trailing && 'distance' in cmd.trailing && toSteps(cmd.trailing.distance, math.tick) === OFF_STEP) {
    return rejection('INVALID_PRECISION', `trail distance ${cmd.trailing.distance} is not a multiple of the tick size ${math.tick.text}`);
  }
  if (cmd.postOnly && (cmd.type !== 'limit' || cmd.timeInForce !== 'GTC')) {
    return rejection('VENUE_REJECTED', 'post-only applies to GTC limit orders only');
  }

  const lots = toSteps(cmd.quantity, math.lot);
  if (lots === OFF_STEP) return rejection('INVALID_PRECISION', `quantity ${cmd.quantity} is not a multiple of the lot size ${math.lot.text}`);
  if (lots === MALFORMED || lots === 0) return rejection('VENUE_REJECTED', `quantity "${cmd.quantity}" must be a positive decimal`);
  if (lots < 0 || lots > math.maxLots) return rejection('VENUE_REJECTED', `quantity ${cmd.quantity} is above the maximum ${formatSteps(math.maxLots, math.lot)}`);
  if (lots < math.minLots) return rejection('INVALID_PRECISION', `quantity ${cmd.quantity} is below the minimum ${formatSteps(math.minLots, math.lot)}`);

  let priceTicks = 0;
  if (cmd.price !== null) {
    const ticks = priceTicksOf(cmd.price, 'price', math.tick, ctx.markTicks);
    if (typeof ticks !== 'number') return ticks;
    priceTicks = ticks;
  }
  let stopTicks = 0;
  if (cmd.stopPrice !== null) {
    const ticks = priceTicksOf(cmd.stopPrice, 'stop price', math.tick, ctx.markTicks);
    if (typeof ticks !== 'number') return ticks;
    stopTicks = ticks;
  }

  if (cmd.reduceOnly && account.reducibleLots(cmd.symbol, cmd.side) === 0) {
    const position = account.positionLots(cmd.symbol);
    return rejection(
      'REDUCE_ONLY_REJECTED',
      position === 0
        ? `reduce-only: no ${cmd.symbol} position to reduce`
        : `reduce-only: a ${cmd.side} would increase the ${position > 0 ? 'long' : 'short'} position`,
    );
  }

  // The price the order's value and margin are judged at: the touch it would take for a market order.
  let referenceTicks: number;
  if (cmd.type === 'market' || cmd.type === 'trailing_stop') {
    referenceTicks = cmd.side === 'buy' ? ctx.market.bestAsk() : ctx.market.bestBid();
    if (Number.isNaN(referenceTicks)) return rejection('NO_LIQUIDITY', `no ${cmd.side === 'buy' ? 'asks' : 'bids'} in the ${cmd.symbol} book`);
  } else {
    referenceTicks = hasLimitPrice(cmd.type) ? priceTicks : stopTicks;
  }
  // Reduce-only orders are exempt, so a position smaller than the minimum can always be closed.
  if (!cmd.reduceOnly && referenceTicks * lots < math.minTickLots) {
    return rejection('MIN_NOTIONAL', `order value is below the minimum notional ${ctx.instrument.minNotional} ${math.currency}`);
  }
  if (cmd.postOnly && ctx.market.wouldTake(cmd.side, priceTicks)) {
    return rejection('POST_ONLY_REJECTED', `post-only ${cmd.side} at ${cmd.price} would take liquidity`);
  }
  if (!cmd.reduceOnly) {
    const limit = bracketLimitRejection(cmd.symbol, cmd.side, lots, referenceTicks, ctx);
    if (limit) return limit;
    const funds = account.checkFunds(cmd.symbol, cmd.side, lots, referenceTicks);
    if (!funds.ok) return rejection('INSUFFICIENT_MARGIN', funds.reason);
  }
  return { lots, priceTicks, stopTicks };
}

/**
 * A perpetual's position may grow at its leverage only up to the cap of the
 * last margin bracket allowing that leverage: the notional of the position
 * the order would leave, at the order's reference price, is checked against
 * it. An order that does not grow the position passes.
 */
export function bracketLimitRejection(
  symbol: string,
  side: OrderSide,
  lots: number,
  referenceTicks: number,
  ctx: Pick<OrderRulesContext, 'instrument' | 'math' | 'account'>,
): OrderRejection | null {
  const terms = cachedPerpetualTerms(ctx.instrument);
  if (!terms) return null;
  const position = ctx.account.positionLots(symbol);
  const resulting = Math.abs(position + (side === 'buy' ? lots : -lots));
  if (resulting <= Math.abs(position)) return null;
  const notional = Dec.fromUnits(BigInt(resulting) * BigInt(referenceTicks) * ctx.math.notionalK);
  const problem = bracketLimitProblem(terms.tiers, ctx.account.leverage(symbol), notional);
  return problem ? rejection('LEVERAGE_BRACKET_EXCEEDED', bracketLimitText(symbol, problem, ctx.math.currency)) : null;
}
