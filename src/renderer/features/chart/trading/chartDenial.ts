/**
 * The engine's refusal of an order or amend sent from the chart, in the
 * chart's words. The engine's text is written for the ticket: a stop whose
 * trigger the market has already crossed is refused with "tick Trigger now",
 * a box the chart does not have. From the chart the trader moves the stop
 * instead, so that refusal says which side of the last price it belongs on;
 * its error code stays at the end, as every refusal's does. Every other
 * refusal reads as the ticket's (typedDenialText).
 */
import { triggerDirection, type OrderSide, type OrderType } from '../../../../shared/domain';
import { KeelError } from '../../../../shared/errors';
import { typedDenialText } from '../../order-ticket/orderMessages';

/** How the trader put the order where it is: dragged a line or a handle, or chose it in the right-click menu. */
export type ChartGesture = 'drag' | 'menu';

interface TriggerData {
  stopPrice?: unknown;
  last?: unknown;
}

/**
 * The refusal as the chart shows it; `order` is the order refused (its side
 * and type say which way its trigger lies), `price` formats the engine's
 * prices as the chart shows them.
 */
export function chartDenialText(
  err: unknown,
  order: { side: OrderSide; type: OrderType },
  gesture: ChartGesture,
  price: (text: string) => string,
): string {
  if (!(err instanceof KeelError) || err.code !== 'WOULD_TRIGGER_IMMEDIATELY') return typedDenialText(err);
  const data = (typeof err.data === 'object' && err.data !== null ? err.data : {}) as TriggerData;
  const rises = triggerDirection(order.type, order.side) === 'rise';
  const what = order.type === 'take_profit' || order.type === 'take_profit_limit' ? 'take-profit' : 'stop';
  const side = rises ? 'above' : 'below';
  const crossed = rises ? 'at or below' : 'at or above';
  const stop = typeof data.stopPrice === 'string' ? ` ${price(data.stopPrice)}` : '';
  const last = typeof data.last === 'string' ? ` (${price(data.last)})` : '';
  const move = gesture === 'drag' ? `Drag the ${what} ${side} the last price.` : `Choose a price ${side} the last price.`;
  return `This ${order.side} ${what} would trigger at once: its stop price${stop} is ${crossed} the last price${last}. ${move} (${err.code})`;
}
