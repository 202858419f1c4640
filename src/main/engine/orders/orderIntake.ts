/**
 * An order as the risk stage judges it: the request, who sent it, its
 * instrument, the decimals parsed once, and the market and book it meets.
 * Built by the order manager, which knows the book; judged by the risk
 * stage; then submitted as it is.
 */
import type { Dec } from '../../../shared/decimal';
import type { Instrument, OrderSourceKind } from '../../../shared/domain';
import type { PlaceOrderParams } from '../../../shared/contract';
import type { OrderIntent } from './preTrade';

/** Who sent an order (the trader, the API, a strategy by its id, the emergency stop, or someone outside Keel). */
export interface OrderSource {
  kind: OrderSourceKind;
  id?: string;
  /**
   * A reduce-only close the trader chose while resolving a reconciliation
   * difference: allowed on a venue that is blocked for that difference, since
   * it can only reduce what is there.
   */
  reconciling?: boolean;
}

export interface OrderIntake {
  params: PlaceOrderParams;
  source: OrderSource;
  instrument: Instrument;
  clientOrderId: string;
  intent: OrderIntent;
  market: {
    bid: Dec;
    ask: Dec;
    last: Dec;
    mark: Dec;
    /** What the order is valued at: its limit or stop price, or the touch it would take. */
    referencePrice: Dec;
  };
  book: {
    /** Signed position in the instrument. */
    position: Dec;
    /** Open orders already on the side that reduces it. */
    pendingReduce: Dec;
    openOrders: number;
    leverage: number;
    /** Margin left for new exposure; computed only if the cheaper checks pass. */
    available: () => Dec;
  };
}
