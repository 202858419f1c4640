/**
 * What open orders have left to fill, by side: the risk checks count it as
 * if it filled (the position limit, on the order's own side) or as already
 * claiming the position (orders on the side that reduces it).
 */
import { Dec } from '../../../shared/decimal';
import type { Order } from '../../../shared/domain';

/** Remaining quantity of some open orders on each side. */
export interface OpenRemaining {
  buy: Dec;
  sell: Dec;
}

/** The remaining quantity of the orders `include` keeps, summed by side. */
export function remainingBySide(orders: Iterable<Order>, include: (order: Order) => boolean = () => true): OpenRemaining {
  let buy = Dec.ZERO;
  let sell = Dec.ZERO;
  for (const order of orders) {
    if (!include(order)) continue;
    const remaining = Dec.parse(order.quantity).sub(Dec.parse(order.filledQuantity));
    if (order.side === 'buy') buy = buy.add(remaining);
    else sell = sell.add(remaining);
  }
  return { buy, sell };
}

/** What open orders already claim of a position: those on the side that reduces it (none when flat). */
export function pendingReduceOf(position: Dec, open: OpenRemaining): Dec {
  if (position.isZero()) return Dec.ZERO;
  return position.isPositive() ? open.sell : open.buy;
}
