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
import type { Instrument, Order } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import type { PlaceOrderParams } from '../../../shared/contract';
import type { Clock } from '../ports/clock';
import type { IdGenerator } from '../ports/ids';
import type { EngineJournal } from '../ports/journal';
import type { Portfolio } from '../portfolio/portfolio';
import type { Denial } from '../risk/riskStage';
import type { VenueRegistry } from '../venueRegistry';
import type { ExecutionReports } from './executionReports';
import type { OrderCache } from './orderCache';
import type { OrderHistory } from './orderHistory';
import type { OrderIntake, OrderLinks, OrderSource } from './orderIntake';
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
    const intent = { side: params.side, type: params.type, quantity, price, stopPrice, reduceOnly, triggerNow: params.triggerNow ?? false };
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
          pendingReduce: this.pendingReduce(params.venue, params.symbol, position),
          openOrders: cache.openOrders(params.venue).length,
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
   */
  async submit(intake: OrderIntake): Promise<Order> {
    const { venues, clock, ids, cache, history, reports, inFlight } = this.deps;
    const { params, source, clientOrderId } = intake;
    const { quantity, price, stopPrice, reduceOnly } = intake.intent;
    const port = venues.port(params.venue);

    const now = clock.now();
    const order: Order = {
      id: ids.orderId(),
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
      ...linksOf(intake),
    };
    const submit = () =>
      port.submit({
        clientOrderId,
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
      });
    // Journal first, for every venue: if the process dies after this line, recovery finds the order and
    // asks the venue about it instead of sending it again.
    history.begin(order, 'OrderSubmitted', {});
    this.deps.recordSent(order.venue);
    cache.add(order);
    const sending = callVenue(submit);
    inFlight.add(order.id, sending);
    try {
      await sending;
      reports.applyReceived();
    } catch (error) {
      reports.applyReceived();
      await this.deps.resolveUnknown(order.id, `submit failed: ${errorText(error)}`);
    } finally {
      inFlight.delete(order.id);
    }

    return cache.get(order.id)!;
  }

  /** Remaining quantity of open orders on the side that would reduce `position` in this instrument (`except`: an order being amended). */
  pendingReduce(venue: string, symbol: string, position: Dec, except?: string): Dec {
    if (position.isZero()) return Dec.ZERO;
    const reducingSide = position.isPositive() ? 'sell' : 'buy';
    let total = Dec.ZERO;
    for (const order of this.deps.cache.openOrders(venue)) {
      if (order.symbol !== symbol || order.side !== reducingSide || order.id === except) continue;
      total = total.add(Dec.parse(order.quantity).sub(Dec.parse(order.filledQuantity)));
    }
    return total;
  }
}

/** The links an intake carries, as order fields (none for a plain order). */
function linksOf(intake: OrderIntake): Partial<Order> {
  const links: OrderLinks = intake.links ?? {};
  const fields: Partial<Order> = {};
  if (links.role) fields.role = links.role;
  if (links.parentId) fields.parentId = links.parentId;
  if (links.groupId) fields.groupId = links.groupId;
  if (links.replacesId) fields.replacesId = links.replacesId;
  if (links.attached && links.attached.length > 0) fields.attached = links.attached;
  return fields;
}
