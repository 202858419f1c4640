/**
 * An order as the risk stage judges it: the request, who sent it, its
 * instrument, the decimals parsed once, and the market and book it meets.
 * Built by the order manager, which knows the book; judged by the risk
 * stage; then submitted as it is.
 */
import type { Dec } from '../../../shared/decimal';
import type { AttachedOrder, Instrument, Order, OrderRole, OrderSourceKind } from '../../../shared/domain';
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

/**
 * How an order hangs together with others: its place in a bracket or OCO
 * pair, the order it replaces (an amend by cancel-replace), and an entry's
 * take-profit and stop-loss. Set by Keel, never by the caller's params.
 */
export interface OrderLinks {
  role?: OrderRole | null;
  parentId?: string | null;
  groupId?: string | null;
  replacesId?: string | null;
  attached?: AttachedOrder[];
  groupQuantity?: string;
}

export interface OrderIntake {
  params: PlaceOrderParams;
  /** What Keel links the order to (absent: a plain order). */
  links?: OrderLinks;
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
    /** Open orders on the order's own side (all of them, reduce-only too): the position limit counts them as filled. */
    pendingSameSide: Dec;
    openOrders: number;
    leverage: number;
    /** Margin left for new exposure; computed only if the cheaper checks pass. */
    available: () => Dec;
  };
}

/**
 * An amend as the risk stage judges it: the order, who asks, and its new
 * terms as if it were placed now (`intent.quantity` is what would be left to
 * fill), with the book around it without the order itself.
 */
export interface AmendIntake {
  order: Order;
  source: OrderSource;
  instrument: Instrument;
  intent: OrderIntent;
  /** The new whole quantity, filled part included. */
  quantity: Dec;
  /** Grows what is left to fill: margin and order limits are judged. */
  increases: boolean;
  /** Only shrinks the quantity: a partial cancel. */
  onlyDecreases: boolean;
  market: OrderIntake['market'];
  book: OrderIntake['book'];
}
