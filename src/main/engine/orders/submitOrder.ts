/**
 * Placing an order, in two steps around the risk stage:
 *
 * - `prepare` reads what the risk stage needs to judge an order (instrument,
 *   quote, position, open orders) and refuses what cannot even be judged.
 * - `submit` records an order the risk stage let through and sends it. A
 *   client order id is chosen before sending; it is the idempotency key. The
 *   order is journaled (pending_new) before it reaches the venue, so a crash
 *   after that finds it and asks the venue about it instead of sending it
 *   again; a send that fails is resolved the same way.
 *
 * Submits still on their way are tracked, so the emergency stop can wait for
 * them to land and the stale-order sweep leaves them alone.
 */
import { Dec } from '../../../shared/decimal';
import type { AttachedOrder, Instrument, Order } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import type { PlaceOrderParams } from '../../../shared/contract';
import type { Clock } from '../ports/clock';
import type { IdGenerator } from '../ports/ids';
import type { EngineJournal } from '../ports/journal';
import type { AttachedSubmit, SubmitOrder } from '../ports/venue';
import type { Portfolio } from '../portfolio/portfolio';
import type { Denial } from '../risk/riskStage';
import type { VenueRegistry } from '../venueRegistry';
import type { ExecutionReports } from './executionReports';
import type { OrderCache } from './orderCache';
import type { OrderHistory } from './orderHistory';
import type { OrderIntake, OrderLinks, OrderSource } from './orderIntake';
import { attachedType, checkOrderKind } from './orderKinds';
import { pendingReduceOf, remainingBySide, type OpenRemaining } from './openRemaining';
import { referencePriceOf } from './preTrade';
import { callVenue, errorText, type ResolveUnknown } from './venueCalls';

/** Submits on their way to a venue, by order id. */
export class InFlightSubmits {
  private readonly sending = new Map<string, Promise<void>>();

  add(orderId: string, sending: Promise<void>): void {
    this.sending.set(orderId, sending);
  }

  delete(orderId: string): void {
    this.sending.delete(orderId);
  }

  has(orderId: string): boolean {
    return this.sending.has(orderId);
  }

  /** Waits until every submit already on its way has landed or failed. */
  async settle(): Promise<void> {
    while (this.sending.size > 0) await Promise.allSettled([...this.sending.values()]);
  }
}

export interface SubmitPipelineDeps {
  clock: Clock;
  journal: EngineJournal;
  portfolio: Portfolio;
  venues: VenueRegistry;
  ids: IdGenerator;
  /** The latest quote the engine has for an instrument (pre-trade checks price market orders at it). */
  quote: (venue: string, symbol: string) => { bid: string; ask: string; last: string };
  /** Counts an order that was sent, for the rate limits. */
  recordSent: (venue: string) => void;
  cache: OrderCache;
  history: OrderHistory;
  reports: ExecutionReports;
  resolveUnknown: ResolveUnknown;
  inFlight: InFlightSubmits;
}

export class SubmitPipeline {
  constructor(private readonly deps: SubmitPipelineDeps) {}

  /**
   * Reads what the risk stage needs to judge an order. What cannot even be
   * judged (a venue not ready, an unknown instrument, a reused client order
   * id) is refused here, the same way as any other refusal.
   */
  prepare(params: PlaceOrderParams, source: OrderSource, links?: OrderLinks): { intake: OrderIntake } | { denial: Denial } {
    const { venues, portfolio, journal, ids, cache } = this.deps;
    const refuse = (check: string, error: unknown) => {
      if (!(error instanceof KeelError)) throw error;
      return { denial: { check, code: error.code, limit: null, message: error.message, data: error.data } };
    };
    try {
      const closingWhileBlocked = source.reconciling === true && params.reduceOnly === true && venues.status(params.venue).state === 'blocked';
      if (!closingWhileBlocked) venues.requireReady(params.venue);
    } catch (error) {
      return refuse('venue', error);
    }
    let instrument: Instrument;
    try {
      instrument = venues.requireInstrument(params.venue, params.symbol);
    } catch (error) {
      return refuse('instrument', error);
    }
    const clientOrderId = params.clientOrderId ?? ids.clientOrderId();
    if (cache.hasClientOrderId(clientOrderId) || journal.clientOrderIdExists(clientOrderId)) {
      return refuse(
        'client-order-id',
        new KeelError('DUPLICATE_CLIENT_ORDER_ID', `Client order id ${clientOrderId} was already used; each order needs a new one.`, { clientOrderId }),
      );
    }
    const quantity = Dec.parse(params.quantity);
    const price = params.price === undefined ? null : Dec.parse(params.price);
    const stopPrice = params.stopPrice === undefined ? null : Dec.parse(params.stopPrice);
    const reduceOnly = params.reduceOnly ?? false;
    const ticker = this.deps.quote(params.venue, params.symbol);
    const bid = Dec.parse(ticker.bid);
    const ask = Dec.parse(ticker.ask);
    const ledger = portfolio.ledger(params.venue);
    const position = ledger.netQuantity(params.symbol);
    const open = this.openRemaining(params.venue, params.symbol);
    const intent = { side: params.side, type: params.type, quantity, price, stopPrice, reduceOnly, triggerNow: params.triggerNow ?? false };
    try {
      checkOrderKind(params, instrument, venues.port(params.venue).orderFeatures, referencePriceOf(intent, bid, ask));
    } catch (error) {
      return refuse('order-kind', error);
    }
    return {
      intake: {
        params,
        ...(links ? { links } : {}),
        source,
        instrument,
        clientOrderId,
        intent,
        market: {
          bid,
          ask,
          last: Dec.parse(ticker.last),
          mark: portfolio.mark(params.venue, params.symbol),
          referencePrice: referencePriceOf(intent, bid, ask),
        },
        book: {
          position,
          pendingReduce: pendingReduceOf(position, open),
          pendingSameSide: open[params.side],
          openOrders: cache.openOrderCount(params.venue),
          leverage: ledger.leverage(params.symbol),
          available: () => portfolio.available(params.venue, cache.openOrders(params.venue)),
        },
      },
    };
  }

  /**
   * Records an order the risk stage let through and sends it: journal first,
   * then the venue, then the venue's reports. Answers the order as the venue
   * left it (rejected included; the execution reports keep the code).
   *
   * A bracket's take-profit and stop-loss, and an OCO pair's second leg
   * (`second`, judged by the risk stage with it), go with it. On a venue that
   * holds them itself they are journaled with the order and sent with it in
   * one request. Otherwise Keel manages them: the children are planned on the
   * entry (`attached`, their client order ids chosen now) and placed as it
   * fills (see `ManagedGroups`); an OCO pair's legs are journaled together
   * and sent one after the other, the second only if the first was accepted.
   */
  async submit(intake: OrderIntake, second?: OrderIntake): Promise<Order> {
    const { venues, ids, cache, history, journal } = this.deps;
    const { params } = intake;
    const port = venues.port(params.venue);
    const features = port.orderFeatures;
    const order = this.newOrder(intake, ids.orderId());
    const together: Order[] = [];
    let attached: AttachedSubmit[] | undefined;
    // A bracket's entry names its group, also when it replaces another entry (an amend by cancel-replace).
    if (order.role === 'entry') order.groupId = order.id;
    if (params.takeProfit || params.stopLoss) {
      const plan = this.bracketPlan(params);
      order.role = 'entry';
      order.groupId = order.id;
      if (features?.brackets) {
        const children = plan.map((leg) => this.childOrder(order, leg, ids.orderId()));
        order.attached = plan.map((leg, i) => ({ ...leg, orderId: children[i]!.id }));
        together.push(...children);
        attached = plan.map((leg) => ({ clientOrderId: leg.clientOrderId, role: leg.role, type: leg.type, price: leg.price, stopPrice: leg.stopPrice, trailing: leg.trailing }));
      } else {
        order.attached = plan;
      }
    }
    if (second) {
      const leg = this.newOrder(second, ids.orderId());
      for (const o of [order, leg]) Object.assign(o, { role: 'oco', groupId: order.id, groupQuantity: order.quantity });
      leg.parentId = order.id;
      together.push(leg);
    }
    const all = together.length === 0 ? [order] : [order, ...together];
    // Journal first, for every venue: if the process dies after this line, recovery finds the orders and
    // asks the venue about them instead of sending them again.
    journal.transaction(() => {
      for (const o of all) history.begin(o, 'OrderSubmitted', o === order ? {} : { linkedOrderId: order.id });
    });
    for (const o of all) cache.add(o);
    const oneRequest = together.length === 0 || attached !== undefined || (second !== undefined && features?.oco === true);
    if (oneRequest) {
      // A plain order (most of them) is sent as its own command, with nothing spread into a copy.
      const command: SubmitOrder = commandOf(order);
      if (attached) command.attached = attached;
      if (second && features?.oco) command.oco = commandOf(together[0]!);
      await this.send(all, () => port.submit(command));
    } else {
      // A managed OCO pair: the second leg goes only once the first is working.
      await this.send([order], () => port.submit(commandOf(order)));
      const first = cache.get(order.id)!;
      const leg = together[0]!;
      if (first.status === 'rejected' || first.status === 'canceled' || first.status === 'expired') {
        history.apply(leg.id, { type: 'OrderRejected' }, { rejectReason: `not sent: its OCO leg ${order.id} was ${first.status}` }, { reason: `not sent: its OCO leg ${order.id} was ${first.status}` });
      } else {
        await this.send([leg], () => port.submit(commandOf(leg)));
      }
    }
    return cache.get(order.id)!;
  }

  /** Sends one request for `orders` (already journaled), then applies the venue's reports; a failed send is resolved by asking the venue about each. */
  private async send(orders: readonly Order[], request: () => Promise<void>): Promise<void> {
    const { reports, inFlight } = this.deps;
    for (const o of orders) this.deps.recordSent(o.venue);
    const sending = callVenue(request);
    for (const o of orders) inFlight.add(o.id, sending);
    try {
      await sending;
      reports.applyReceived();
    } catch (error) {
      reports.applyReceived();
      for (const o of orders) await this.deps.resolveUnknown(o.id, `submit failed: ${errorText(error)}`);
    } finally {
      for (const o of orders) inFlight.delete(o.id);
    }
  }

  /** An order as the intake describes it, about to be journaled. */
  private newOrder(intake: OrderIntake, id: string): Order {
    const { params, source, clientOrderId } = intake;
    const { quantity, price, stopPrice, reduceOnly } = intake.intent;
    const now = this.deps.clock.now();
    return {
      id,
      clientOrderId,
      venueOrderId: null,
      venue: params.venue,
      symbol: params.symbol,
      side: params.side,
      type: params.type,
      quantity: quantity.toString(),
      price: price?.toString() ?? null,
      stopPrice: stopPrice?.toString() ?? null,
      timeInForce: params.timeInForce ?? 'GTC',
      postOnly: params.postOnly ?? false,
      reduceOnly,
      status: 'pending_new',
      filledQuantity: '0',
      averagePrice: null,
      triggered: false,
      source: source.kind,
      sourceId: source.id ?? null,
      createdAt: now,
      updatedAt: now,
      rejectReason: null,
      ...(params.trailing ? { trailing: params.trailing } : {}),
      ...(intake.links ? linksOf(intake.links) : {}),
    };
  }

  /** A bracket's take-profit and stop-loss as planned on its entry, each with the client order id it will be placed under. */
  private bracketPlan(params: PlaceOrderParams): AttachedOrder[] {
    const plan: AttachedOrder[] = [];
    const tp = params.takeProfit;
    if (tp) {
      plan.push({ role: 'tp', clientOrderId: this.deps.ids.clientOrderId(), type: attachedType('tp', tp), price: tp.price ?? null, stopPrice: tp.triggerPrice, trailing: null, orderId: null, refused: null });
    }
    const sl = params.stopLoss;
    if (sl) {
      const trailing = 'trailing' in sl ? sl.trailing : null;
      plan.push({
        role: 'sl',
        clientOrderId: this.deps.ids.clientOrderId(),
        type: attachedType('sl', sl),
        price: 'price' in sl ? (sl.price ?? null) : null,
        stopPrice: 'triggerPrice' in sl ? sl.triggerPrice : null,
        trailing,
        orderId: null,
        refused: null,
      });
    }
    return plan;
  }

  /** A take-profit or stop-loss journaled with its entry, for a venue that holds it until the entry fills. */
  private childOrder(entry: Order, leg: AttachedOrder, id: string): Order {
    return {
      ...entry,
      id,
      clientOrderId: leg.clientOrderId,
      side: entry.side === 'buy' ? 'sell' : 'buy',
      type: leg.type,
      price: leg.price,
      stopPrice: leg.stopPrice,
      timeInForce: 'GTC',
      postOnly: false,
      reduceOnly: true,
      role: leg.role,
      parentId: entry.id,
      groupId: entry.id,
      attached: undefined,
      ...(leg.trailing ? { trailing: leg.trailing } : { trailing: undefined }),
    };
  }

  /** Remaining quantity of the open orders in one instrument, by side (`except`: an order being amended). */
  openRemaining(venue: string, symbol: string, except?: string): OpenRemaining {
    return remainingBySide(this.deps.cache.openOrders(venue), (order) => order.symbol === symbol && order.id !== except);
  }
}

/** The links an intake carries, as order fields (none for a plain order). */
function linksOf(links: OrderLinks): Partial<Order> {
  const fields: Partial<Order> = {};
  if (links.role) fields.role = links.role;
  if (links.parentId) fields.parentId = links.parentId;
  if (links.groupId) fields.groupId = links.groupId;
  if (links.replacesId) fields.replacesId = links.replacesId;
  if (links.attached && links.attached.length > 0) fields.attached = links.attached;
  if (links.groupQuantity) fields.groupQuantity = links.groupQuantity;
  return fields;
}

/** What the venue is sent for an order. */
export function commandOf(order: Order): SubmitOrder {
  return {
    clientOrderId: order.clientOrderId,
    symbol: order.symbol,
    side: order.side,
    type: order.type,
    quantity: order.quantity,
    price: order.price,
    stopPrice: order.stopPrice,
    timeInForce: order.timeInForce,
    postOnly: order.postOnly,
    reduceOnly: order.reduceOnly,
    ...(order.trailing ? { trailing: order.trailing } : {}),
  };
}
