/**
 * Trailing stops at the paper venue. A trailing stop is a stop-market whose
 * stop price the venue sets: from the moment it starts trailing (accepted,
 * or, as a bracket's stop-loss, activated by its entry's first fill) it
 * remembers the best last-trade price seen (the highest for a sell, which
 * protects a long; the lowest for a buy) and keeps its stop a fixed
 * distance, or a percentage, behind it. It only ever moves towards the
 * price; a retrace to the stop triggers it like any stop.
 *
 * The stop is kept in whole ticks, rounded away from the price (a percentage
 * trail is never tighter than asked). Each move is reported as
 * `OrderTrailed` with the new stop price.
 *
 * Prices move first, then stops trigger: a trade first raises the best price
 * (a new high cannot reach a sell trailing stop behind it), then the fill
 * model checks triggers at that price. A bar (backtests) is the other way
 * round: the bar's range is checked against the stop as it stood, and only
 * then does its extreme move the stop, since within a bar the order of its
 * high and low is unknown.
 */
import { Dec } from '../../../shared/decimal';
import type { ExecutionEvent } from '../../engine/ports/venue';
import { formatSteps, toSteps } from './fixedPoint';
import type { TradedInstrument } from './fillModel';
import type { PaperOrder } from './paperOrder';

const HUNDRED = Dec.parse('100');

export interface PaperTrailingHost {
  emit(event: ExecutionEvent): void;
  changed(order: PaperOrder): void;
  /** Moves an armed stop to its (new) stop ticks: off its ladder and on again, its funds held at the new price. */
  rearm(traded: TradedInstrument, order: PaperOrder): void;
}

/** The stop, in ticks, `order`'s trail puts behind `bestTicks`. */
export function trailStop(order: PaperOrder, bestTicks: number, traded: TradedInstrument): number {
  const trailing = order.trailing!;
  const sell = order.side === 'sell';
  if ('distance' in trailing) {
    const distance = toSteps(trailing.distance, traded.math.tick);
    return sell ? bestTicks - distance : bestTicks + distance;
  }
  const factor = sell ? HUNDRED.sub(Dec.parse(trailing.percent)) : HUNDRED.add(Dec.parse(trailing.percent));
  const exact = Dec.fromBigInt(BigInt(bestTicks)).mul(factor).div(HUNDRED);
  return (sell ? exact.floorTo(Dec.ONE) : exact.ceilTo(Dec.ONE)).toNumber();
}

export class PaperTrailing {
  constructor(private readonly host: PaperTrailingHost) {}

  /** Starts trailing from the last price (the mark before any trade): sets the first stop, before the order is armed. */
  start(order: PaperOrder, traded: TradedInstrument, now: number): void {
    const last = traded.market.lastTicks();
    const best = Number.isNaN(last) ? Math.round(traded.market.markTicks()) : last;
    order.trailBestTicks = best;
    this.setStop(order, trailStop(order, best, traded), traded, now);
    traded.trailing.add(order);
  }

  /** The price moved to `priceTicks`: every trailing stop on the instrument that it betters follows it. */
  follow(traded: TradedInstrument, priceTicks: number, now: number): void {
    if (traded.trailing.size === 0 || Number.isNaN(priceTicks)) return;
    for (const order of traded.trailing) {
      if (!order.isOpen || order.triggered || order.trailBestTicks === null) {
        traded.trailing.delete(order);
        continue;
      }
      const better = order.side === 'sell' ? priceTicks > order.trailBestTicks : priceTicks < order.trailBestTicks;
      if (!better) continue;
      order.trailBestTicks = priceTicks;
      const stop = trailStop(order, priceTicks, traded);
      if (order.side === 'sell' ? stop <= order.stopTicks : stop >= order.stopTicks) {
        // The best price moved less than a tick's worth of stop: remembered, the stop stays.
        this.host.changed(order);
        continue;
      }
      this.setStop(order, stop, traded, now);
      if (order.level !== null) this.host.rearm(traded, order);
    }
  }

  /** Restored trailing stops trail on from the best price they had seen. */
  restore(order: PaperOrder, traded: TradedInstrument): void {
    if (order.trailing !== null && order.trailBestTicks !== null && !order.triggered) traded.trailing.add(order);
  }

  private setStop(order: PaperOrder, stopTicks: number, traded: TradedInstrument, now: number): void {
    order.stopTicks = Math.max(1, stopTicks);
    order.stopPrice = formatSteps(order.stopTicks, traded.math.tick);
    order.updatedAt = now;
    this.host.changed(order);
    this.host.emit({ type: 'OrderTrailed', clientOrderId: order.clientOrderId, stopPrice: order.stopPrice, timestamp: now });
  }
}
