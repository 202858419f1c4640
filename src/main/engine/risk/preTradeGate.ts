/**
 * The one pre-trade gate every order passes — manual, strategy or emergency.
 * Pure: the governor hands it the trading state, the effective limits for the
 * instrument (parsed once) and the counts it needs. A refusal names the limit
 * and the numbers, in a sentence a trader reads.
 *
 * Orders that only reduce exposure are what an exit is made of, so they are
 * never blocked by size, position or open-order limits, and the emergency
 * stop's own orders are never rate-limited: limits must not trap a trader in
 * a position.
 */
import { Dec } from '../../../shared/decimal';
import type { OrderSourceKind } from '../../../shared/domain';
import type { OrderIntent } from '../orders/preTrade';
import type { TradingState } from '../../../shared/risk';
import { groupThousands as g } from '../../../shared/numberText';

/** What the gate sees of an order: the pre-trade intent plus who sent it and whether the price band was overridden. */
export interface GateOrder extends OrderIntent {
  symbol: string;
  source: OrderSourceKind;
  overridePriceBand: boolean;
}

/** Limits in force for one instrument: the tighter of account and instrument settings. Null is off. */
export interface EffectiveLimits {
  maxOrderQuantity: Dec | null;
  maxOrderNotional: Dec | null;
  maxPositionNotional: Dec | null;
  maxOpenOrders: number | null;
  maxOrdersPerSecond: number | null;
  maxOrdersPerMinute: number | null;
  priceBandPercent: Dec | null;
}

export interface GateContext {
  state: TradingState;
  /** Signed position in the instrument. */
  position: Dec;
  /** Remaining quantity of open orders already on the reducing side: they claim part of the position first. */
  pendingReduce: Dec;
  /** Remaining quantity of open orders on this order's own side: if they fill too, the position grows by them as well. */
  pendingSameSide: Dec;
  mark: Dec;
  /** Price the order is valued at (limit, stop, or touch for market orders). */
  referencePrice: Dec;
  openOrders: number;
  ordersLastSecond: number;
  ordersLastMinute: number;
  quote: string;
  base: string;
}

/** A refusal by one of the governor's named checks: trading-state, order-rate, price-band, order-limits. */
export type GateDenial = { check: string; code: 'HALTED' | 'REDUCING_ONLY' | 'RISK_REJECTED'; limit: string | null; message: string };

const HUNDRED = Dec.parse('100');

/**
 * True when the order can only shrink the position: reduce-only (the venue
 * clips it), or opposite to the position and no larger than what other open
 * orders on that side leave of it — fifty 1-lot sells against a 1-lot long
 * are not fifty reductions.
 */
export function reducesExposure(order: Pick<GateOrder, 'side' | 'quantity' | 'reduceOnly'>, position: Dec, pendingReduce: Dec = Dec.ZERO): boolean {
  const opposite = (order.side === 'sell' && position.isPositive()) || (order.side === 'buy' && position.isNegative());
  if (!opposite) return false;
  return order.reduceOnly || order.quantity.add(pendingReduce).lte(position.abs());
}

export function checkOrder(order: GateOrder, ctx: GateContext, limits: EffectiveLimits): GateDenial | null {
  const reducing = reducesExposure(order, ctx.position, ctx.pendingReduce);

  if (ctx.state === 'HALTED') {
    if (order.source === 'emergency' && order.reduceOnly && reducing) return null;
    // The kill switch must never trap a person in risk: their reduce-only exits and protective stops still pass
    // (and still meet the checks below); strategies and the automation API stay stopped.
    if (!(order.source === 'manual' && order.reduceOnly && reducing)) {
      const who = order.source === 'manual' ? '' : ` Orders from ${order.source === 'api' ? 'the automation API' : `a ${order.source}`} are refused;`;
      return {
        check: 'trading-state',
        code: 'HALTED',
        limit: null,
        message: `Trading is halted:${who} only cancels and reduce-only exits placed by you (Close, Flatten all, protective stops) are accepted until trading is re-armed.`,
      };
    }
  }
  if (ctx.state === 'REDUCING' && !reducing) {
    const held = ctx.position.isZero()
      ? `there is no position in ${order.symbol}`
      : `the ${ctx.position.isPositive() ? 'long' : 'short'} position is ${ctx.position.abs()} ${ctx.base}`;
    return {
      check: 'trading-state',
      code: 'REDUCING_ONLY',
      limit: null,
      message: `Only orders that reduce exposure are accepted now; this ${order.side} of ${order.quantity} ${ctx.base} would not (${held}).`,
    };
  }

  if (order.source !== 'emergency') {
    if (limits.maxOrdersPerSecond !== null && ctx.ordersLastSecond >= limits.maxOrdersPerSecond) {
      return rate('maxOrdersPerSecond', `${ctx.ordersLastSecond} orders in the last second; the limit is ${limits.maxOrdersPerSecond} per second.`);
    }
    if (limits.maxOrdersPerMinute !== null && ctx.ordersLastMinute >= limits.maxOrdersPerMinute) {
      return rate('maxOrdersPerMinute', `${ctx.ordersLastMinute} orders in the last minute; the limit is ${limits.maxOrdersPerMinute} per minute.`);
    }
  }

  if (limits.priceBandPercent !== null && !order.overridePriceBand && ctx.mark.isPositive()) {
    for (const [label, price] of [
      ['Limit price', order.price],
      ['Stop price', order.stopPrice],
    ] as const) {
      if (price === null) continue;
      const distance = price.sub(ctx.mark).abs().mul(HUNDRED).div(ctx.mark);
      if (distance.gt(limits.priceBandPercent)) {
        return {
          check: 'price-band',
          code: 'RISK_REJECTED',
          limit: 'priceBandPercent',
          message: `${label} ${g(price.toString())} is ${distance.toFixed(2)}% from the mark ${g(ctx.mark.toString())}; the price band is ${limits.priceBandPercent}%. Tick "Override price band" if you mean it.`,
        };
      }
    }
  }

  if (reducing) return null;

  if (limits.maxOrderQuantity !== null && order.quantity.gt(limits.maxOrderQuantity)) {
    return deny('maxOrderQuantity', `Order size ${g(order.quantity.toString())} ${ctx.base} is above the maximum of ${g(limits.maxOrderQuantity.toString())} ${ctx.base} for ${order.symbol}.`);
  }
  const notional = order.quantity.mul(ctx.referencePrice);
  if (limits.maxOrderNotional !== null && notional.gt(limits.maxOrderNotional)) {
    return deny('maxOrderNotional', `Order value ${g(notional.toFixed(2))} ${ctx.quote} is above the maximum of ${g(limits.maxOrderNotional.toString())} ${ctx.quote}.`);
  }
  if (limits.maxPositionNotional !== null) {
    // The worst case: every open order on this side fills as well as this one. Ten resting buys that each
    // keep under the limit must not together take the position past it.
    const adding = order.quantity.add(ctx.pendingSameSide);
    const after = ctx.position.add(order.side === 'buy' ? adding : adding.neg()).abs();
    const positionNotional = after.mul(ctx.referencePrice);
    if (positionNotional.gt(limits.maxPositionNotional)) {
      const others = ctx.pendingSameSide.isPositive() ? ` if it and the open ${order.side} orders of ${g(ctx.pendingSameSide.toString())} ${ctx.base} filled` : '';
      return deny(
        'maxPositionNotional',
        `The position in ${order.symbol} would be worth ${g(positionNotional.toFixed(2))} ${ctx.quote}${others}, above the maximum of ${g(limits.maxPositionNotional.toString())} ${ctx.quote}.`,
      );
    }
  }
  if (limits.maxOpenOrders !== null && ctx.openOrders >= limits.maxOpenOrders) {
    return deny('maxOpenOrders', `${ctx.openOrders} orders are already open; the maximum is ${limits.maxOpenOrders}.`);
  }
  return null;
}

function deny(limit: string, message: string): GateDenial {
  return { check: 'order-limits', code: 'RISK_REJECTED', limit, message };
}

function rate(limit: string, message: string): GateDenial {
  return { check: 'order-rate', code: 'RISK_REJECTED', limit, message: `Order rate limit: ${message}` };
}
