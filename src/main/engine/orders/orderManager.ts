/**
 * The order manager: the only place orders are created and change state.
 *
 * - A client order id is chosen before sending; it is the idempotency key.
 * - The order is journaled (pending_new) before it reaches the venue, and
 *   every change after that is journaled too.
 * - Every status change goes through the transition table; an impossible one
 *   is recorded as an anomaly and not applied.
 * - Fills are applied once, keyed by the venue's trade id, whatever order
 *   the venue's events arrive in.
 * - When a request's fate is unknown (the venue did not answer), the order
 *   is resolved by asking the venue about it, never by sending it again.
 */
import { Dec } from '../../../shared/decimal';
import type { Fill, Instrument, Order, OrderEventDetail, OrderEventType, OrderSourceKind } from '../../../shared/domain';
import { isTerminalStatus } from '../../../shared/domain';
import { KeelError, type ErrorCode } from '../../../shared/errors';
import type { PlaceOrderParams } from '../../../shared/contract';
import type { ActivityLog } from '../activity';
import type { EventBus } from '../bus';
import type { Clock } from '../ports/clock';
import type { IdGenerator } from '../ports/ids';
import type { EngineJournal } from '../ports/journal';
import type { Portfolio } from '../portfolio/portfolio';
import type { ExecutionEvent, VenueOrderReport } from '../ports/venue';
import type { Logger } from '../ports/logger';
import { ExecutionInbox } from './executionInbox';
import type { VenueRegistry } from '../venueRegistry';
import type { Denial } from '../risk/riskStage';
import type { OrderIntake } from './orderIntake';
import { applyOrderEvent, statusFromReport, type OrderLifecycleEvent, type OrderLifecycleOutcome } from '../../core/orderLifecycle';
import { referencePriceOf } from './preTrade';

export interface OrderSource {
  kind: OrderSourceKind;
  id?: string;
}

/** How many finished orders to keep in memory beside the open ones. */
const RECENT_ORDERS_KEPT = 2_000;

export interface OrderManagerDeps {
  clock: Clock;
  journal: EngineJournal;
  bus: EventBus;
  activity: ActivityLog;
  portfolio: Portfolio;
  venues: VenueRegistry;
  ids: IdGenerator;
  /** The latest quote the engine has for an instrument (pre-trade checks price market orders at it). */
  quote: (venue: string, symbol: string) => { bid: string; ask: string; last: string };
  /** Counts an order that was sent, for the rate limits. */
  recordSent: (venue: string) => void;
  /** Takes a venue out of trading with a reason the trader sees (fail closed). */
  blockVenue: (venue: string, reason: string) => void;
  /** Told after anything that changes positions or balances, so summaries can be republished. */
  onBooksChanged: (venue: string) => void;
  log: Logger;
}

export interface CancelFilter {
  venue?: string;
  symbol?: string;
  source?: OrderSourceKind;
  sourceId?: string;
}

export interface CancelAllResult {
  canceled: Order[];
  failed: Array<{ orderId: string; reason: string }>;
}

export class OrderManager {
  private readonly byId = new Map<string, Order>();
  private readonly idByClientId = new Map<string, string>();
  /** Orders not yet in a terminal state, so the hot path never scans history. */
  private readonly open = new Map<string, Order>();
  /** While a cancel-all is answered, cancels are counted into one activity line instead of one each. */
  private inBulkCancel = false;
  private bulkCancels = 0;
  /** Submits on their way to a venue, so the emergency stop can wait for them to land before cancelling. */
  private readonly inFlight = new Map<string, Promise<void>>();
  /** The venue's stable reject code, kept until place() answers with it. */
  private readonly rejectCodes = new Map<string, ErrorCode>();

  /** Venue reports wait here until the venue call that produced them has returned. */
  private readonly inbox: ExecutionInbox;

  constructor(private readonly deps: OrderManagerDeps) {
    this.inbox = new ExecutionInbox(deps.journal, (venue, event) => this.onExecution(venue, event), deps.log);
  }

  /** A venue's execution report: queued, and applied once the call that produced it has returned. */
  receive(venue: string, event: ExecutionEvent): void {
    this.inbox.receive(venue, event);
  }

  /** Applies the reports received so far (a command calls this right after its venue call returns). */
  applyReceived(): void {
    this.inbox.drain();
  }

  /** Loads open and recent orders from the journal (start-up and crash recovery). */
  load(): void {
    for (const order of this.deps.journal.loadOrders(RECENT_ORDERS_KEPT)) {
      this.remember(order);
      if (isTerminalStatus(order.status)) this.forgetOldTerminal(order.id);
    }
  }

  get(orderId: string): Order | undefined {
    return this.byId.get(orderId);
  }

  getByClientId(clientOrderId: string): Order | undefined {
    const id = this.idByClientId.get(clientOrderId);
    return id === undefined ? undefined : this.byId.get(id);
  }

  openOrders(venue?: string): Order[] {
    const open: Order[] = [];
    for (const order of this.open.values()) {
      if (venue === undefined || order.venue === venue) open.push(order);
    }
    return open;
  }

  /**
   * Asks the venue about orders that have waited too long for an answer
   * (sent or being cancelled, nothing heard since `olderThan`) — during the
   * session, not only at the next start-up.
   */
  async resolveStale(olderThan: number): Promise<void> {
    for (const order of this.staleOrders(olderThan)) await this.resolveUnknown(order.id, 'no answer from the venue');
  }

  hasStale(olderThan: number): boolean {
    return this.staleOrders(olderThan).length > 0;
  }

  private staleOrders(olderThan: number): Order[] {
    return [...this.open.values()].filter(
      (o) => (o.status === 'pending_new' || o.status === 'pending_cancel') && o.updatedAt < olderThan && !this.inFlight.has(o.id),
    );
  }

  /**
   * Reads what the risk stage needs to judge an order. What cannot even be
   * judged (a venue not ready, an unknown instrument, a reused client order
   * id) is refused here, the same way as any other refusal.
   */
  prepare(params: PlaceOrderParams, source: OrderSource): { intake: OrderIntake } | { denial: Denial } {
    const { venues, portfolio, journal, ids } = this.deps;
    const refuse = (check: string, error: unknown) => {
      if (!(error instanceof KeelError)) throw error;
      return { denial: { check, code: error.code, limit: null, message: error.message, data: error.data } };
    };
    try {
      venues.requireReady(params.venue);
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
    if (this.idByClientId.has(clientOrderId) || journal.clientOrderIdExists(clientOrderId)) {
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
          openOrders: this.openCount(params.venue),
          leverage: ledger.leverage(params.symbol),
          available: () => portfolio.available(params.venue, this.openOrders(params.venue)),
        },
      },
    };
  }

  /**
   * Records an order the risk stage let through and sends it: journal first,
   * then the venue, then the venue's reports. Answers the order as the venue
   * left it (rejected included; `rejectionCode` says with which code).
   */
  async submit(intake: OrderIntake): Promise<Order> {
    const { venues, journal, clock, ids } = this.deps;
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
    };
    const record = () => {
      journal.transaction(() => {
        journal.insertOrder(order);
        journal.appendOrderEvent({ orderId: order.id, timestamp: now, type: 'OrderSubmitted', outcome: 'applied', status: 'pending_new', detail: {} });
      });
      this.deps.recordSent(order.venue);
      this.remember(order);
      this.deps.bus.publish('orders.updated', order);
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
      });
    // Journal first, for every venue: if the process dies after this line, recovery finds the order and
    // asks the venue about it instead of sending it again.
    record();
    const sending = callVenue(submit);
    this.inFlight.set(order.id, sending);
    try {
      await sending;
      this.inbox.drain();
    } catch (error) {
      this.inbox.drain();
      await this.resolveUnknown(order.id, `submit failed: ${errorText(error)}`);
    } finally {
      this.inFlight.delete(order.id);
    }

    return this.byId.get(order.id)!;
  }

  /** The venue's stable code for an order it rejected, asked once after `submit`. */
  takeRejectionCode(orderId: string): ErrorCode | undefined {
    const code = this.rejectCodes.get(orderId);
    this.rejectCodes.delete(orderId);
    return code;
  }

  /**
   * Takes into the books an open order found on the venue that Keel did not
   * place (placed on the exchange's own site, or by another program), with
   * source `external`: from then on it is watched, shown and cancelled like
   * any other. Its earlier fills are the venue's history, not Keel's: the
   * order starts from the venue's filled quantity without re-booking them.
   */
  adoptExternal(venue: string, report: VenueOrderReport): Order {
    const now = this.deps.clock.now();
    const order: Order = {
      id: this.deps.ids.orderId(),
      clientOrderId: report.clientOrderId,
      venueOrderId: report.venueOrderId,
      venue,
      symbol: report.symbol,
      side: report.side,
      type: report.type,
      quantity: report.quantity,
      price: report.price,
      stopPrice: report.stopPrice,
      timeInForce: 'GTC',
      postOnly: false,
      reduceOnly: false,
      status: report.status,
      filledQuantity: report.filledQuantity,
      averagePrice: null,
      triggered: report.triggered,
      source: 'external',
      sourceId: null,
      createdAt: report.updatedAt || now,
      updatedAt: now,
      rejectReason: null,
    };
    this.deps.journal.transaction(() => {
      this.deps.journal.insertOrder(order);
      this.deps.journal.appendOrderEvent({
        orderId: order.id,
        timestamp: now,
        type: 'OrderStatusReported',
        outcome: 'applied',
        status: order.status,
        detail: { reported: report.status, venueOrderId: report.venueOrderId, reason: 'found on the venue; not placed by Keel' },
      });
    });
    this.remember(order);
    this.deps.bus.publish('orders.updated', order);
    return order;
  }

  /** Waits until every submit already on its way has landed or failed. */
  async settleInFlight(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.values()]);
  }

  /**
   * Asks a venue to cancel everything open there in one request (the
   * emergency path): every cancellable order is marked pending_cancel and the
   * venue's cancel-all sent, all in one commit. Outcomes arrive as events.
   */
  async requestCancelAll(venue: string): Promise<void> {
    const port = this.deps.venues.port(venue);
    const before = this.openOrders(venue).length;
    this.bulkCancels = 0;
    this.inBulkCancel = true;
    try {
      this.deps.journal.transaction(() => {
        for (const order of this.openOrders(venue)) {
          if (order.status === 'open' || order.status === 'partially_filled') this.apply(order.id, { type: 'OrderCancelRequested' }, {}, {});
        }
      });
      try {
        await callVenue(() => port.cancelAll());
      } finally {
        this.inbox.drain();
      }
    } finally {
      this.inBulkCancel = false;
      if (this.bulkCancels > 0) {
        this.deps.activity.record('info', 'order', `Canceled ${this.bulkCancels} of ${before} open order(s) on ${venue} at once.`, { venue });
      }
    }
  }

  async cancel(orderId: string): Promise<Order> {
    const order = this.byId.get(orderId) ?? this.deps.journal.getOrder(orderId);
    if (!order) throw new KeelError('NOT_FOUND', `Order ${orderId} was not found.`, { orderId });
    if (isTerminalStatus(order.status)) {
      throw new KeelError('INVALID_STATE', `Order ${orderId} is already ${order.status}; there is nothing to cancel.`, {
        orderId,
        status: order.status,
      });
    }
    if (order.status === 'pending_new') {
      throw new KeelError('INVALID_STATE', `Order ${orderId} has not been acknowledged by ${order.venue} yet; try again in a moment.`);
    }
    const port = this.deps.venues.port(order.venue);
    if (order.status !== 'pending_cancel') this.apply(order.id, { type: 'OrderCancelRequested' }, {}, {});
    try {
      await callVenue(() => port.cancel({ clientOrderId: order.clientOrderId, symbol: order.symbol }));
      this.inbox.drain();
    } catch (error) {
      this.inbox.drain();
      await this.resolveUnknown(order.id, `cancel failed: ${errorText(error)}`);
      const after = this.byId.get(order.id)!;
      if (after.status === 'pending_cancel') {
        throw new KeelError('VENUE_UNAVAILABLE', `${order.venue} did not confirm the cancel of ${orderId}: ${errorText(error)}`, {
          order: after,
        });
      }
    }
    return this.byId.get(order.id)!;
  }

  /** Cancels open orders one by one; the filter narrows them by venue, symbol and who sent them (a strategy's own orders). */
  async cancelAll(filter: CancelFilter): Promise<CancelAllResult> {
    const targets = this.openOrders(filter.venue).filter(
      (o) =>
        (filter.symbol === undefined || o.symbol === filter.symbol) &&
        (filter.source === undefined || o.source === filter.source) &&
        (filter.sourceId === undefined || o.sourceId === filter.sourceId) &&
        o.status !== 'pending_new',
    );
    const result: CancelAllResult = { canceled: [], failed: [] };
    for (const order of targets) {
      try {
        const after = await this.cancel(order.id);
        if (after.status === 'canceled') result.canceled.push(after);
        else if (!isTerminalStatus(after.status)) result.failed.push({ orderId: order.id, reason: `still ${after.status}` });
      } catch (error) {
        result.failed.push({ orderId: order.id, reason: errorText(error) });
      }
    }
    return result;
  }

  /** Applies one execution report from a venue. */
  onExecution(venue: string, event: ExecutionEvent): void {
    // A late event for an order no longer kept in memory is looked up in the journal, never dropped.
    const order = this.getByClientId(event.clientOrderId) ?? this.recall(event.clientOrderId);
    if (!order || order.venue !== venue) {
      this.onUnknownOrderEvent(venue, event);
      return;
    }
    switch (event.type) {
      case 'OrderAccepted': {
        // A late or repeated acknowledgement changes nothing but may still tell us the venue's id.
        const outcome = this.apply(order.id, { type: 'OrderAccepted' }, {}, { venueOrderId: event.venueOrderId }, { venueOrderId: order.venueOrderId ?? event.venueOrderId });
        if (outcome.kind === 'apply') this.deps.activity.record('info', 'order', describeOrder(order, 'accepted'), { orderId: order.id });
        return;
      }
      case 'OrderRejected':
        this.rejectCodes.set(order.id, event.code);
        this.apply(order.id, { type: 'OrderRejected' }, { rejectReason: event.reason }, { reason: event.reason });
        this.deps.activity.record('warning', 'order', describeOrder({ ...order, rejectReason: event.reason }, 'rejected'), {
          orderId: order.id,
          code: event.code,
        });
        return;
      case 'OrderTriggered':
        this.apply(order.id, { type: 'OrderTriggered' }, { triggered: true }, {});
        this.deps.activity.record('info', 'order', describeOrder(order, 'triggered'), { orderId: order.id });
        return;
      case 'OrderFilled':
        this.applyFill(order, event);
        return;
      case 'OrderCanceled': {
        const outcome = this.apply(order.id, { type: 'OrderCanceled' }, {}, { reason: event.reason });
        if (outcome.kind !== 'apply') return;
        if (this.inBulkCancel) this.bulkCancels += 1;
        else this.deps.activity.record('info', 'order', describeOrder(order, `canceled (${event.reason})`), { orderId: order.id });
        return;
      }
      case 'OrderExpired': {
        const outcome = this.apply(order.id, { type: 'OrderExpired' }, {}, { reason: event.reason });
        if (outcome.kind === 'apply') this.deps.activity.record('info', 'order', describeOrder(order, `expired (${event.reason})`), { orderId: order.id });
        return;
      }
      case 'OrderCancelRejected':
        this.apply(order.id, { type: 'OrderCancelRejected', anyFilled: !Dec.parse(order.filledQuantity).isZero() }, {}, { reason: event.reason });
        this.deps.activity.record('warning', 'order', `Cancel refused for ${order.id}: ${event.reason}`, { orderId: order.id });
        return;
    }
  }

  /**
   * Brings an order whose fate is unknown in line with the venue's own
   * report. Used after a failed request and during start-up reconciliation.
   */
  async resolveUnknown(orderId: string, why: string): Promise<void> {
    const order = this.byId.get(orderId);
    if (!order) return;
    const port = this.deps.venues.port(order.venue);
    let report: VenueOrderReport | undefined;
    try {
      report = await port.orderReport(order.clientOrderId, order.symbol);
    } catch (error) {
      this.deps.activity.record(
        'error',
        'order',
        `Outcome of ${order.id} is unknown (${why}) and ${order.venue} could not be asked (${errorText(error)}); it stays ${order.status} until reconciled.`,
        { orderId },
      );
      return;
    }
    this.applyReport(order.id, report, why);
  }

  /** Sets an order's state from the venue's report of it (absent: the venue has no record of it). */
  applyReport(orderId: string, report: VenueOrderReport | undefined, why: string): void {
    const order = this.byId.get(orderId)!;
    if (report) {
      const filled = Dec.parse(report.filledQuantity);
      if (filled.gt(Dec.parse(order.filledQuantity))) {
        // Fills we have not seen arrive through fill reports during reconciliation; here we only note it.
        this.deps.activity.record(
          'warning',
          'order',
          `${order.venue} reports ${report.filledQuantity} filled on ${order.id}, Keel has ${order.filledQuantity}; waiting for the fills.`,
          { orderId },
        );
      }
    }
    const anyFilled = report !== undefined && (!Dec.parse(report.filledQuantity).isZero() || !Dec.parse(order.filledQuantity).isZero());
    const outcome = statusFromReport(order.status, report ? { status: report.status, anyFilled } : undefined);
    if (outcome.kind === 'ignore' && report?.status === order.status) return; // the venue agrees: nothing to record
    const changes: Partial<Order> = report
      ? { venueOrderId: report.venueOrderId, triggered: report.triggered }
      : { rejectReason: `${order.venue} never received the order (${why})` };
    this.record(order, 'OrderStatusReported', outcome, changes, { reported: report?.status ?? 'no record', reason: why });
  }

  private applyFill(order: Order, fill: Extract<ExecutionEvent, { type: 'OrderFilled' }>): void {
    const { journal, portfolio, bus } = this.deps;
    if (journal.hasFill(order.venue, fill.tradeId)) return; // applied once, whatever order events arrive in
    const quantity = Dec.parse(fill.quantity);
    const price = Dec.parse(fill.price);
    const fee = Dec.parse(fill.fee);
    const previousFilled = Dec.parse(order.filledQuantity);
    const filled = previousFilled.add(quantity);
    const orderQuantity = Dec.parse(order.quantity);
    const previousAverage = order.averagePrice ? Dec.parse(order.averagePrice) : Dec.ZERO;
    const average = previousAverage.mul(previousFilled).add(price.mul(quantity)).div(filled);
    if (filled.gt(orderQuantity)) {
      this.deps.activity.record('error', 'anomaly', `Fill ${fill.tradeId} overfills ${order.id} (${filled} > ${order.quantity}).`, {
        orderId: order.id,
      });
    }

    let record: Fill | undefined;
    // The ledger changes in memory inside the transaction; if the transaction fails, put it back as it was,
    // so memory never holds a position the journal does not.
    const ledgerBefore = portfolio.ledger(order.venue).snapshot();
    try {
      journal.transaction(() => {
        const realized = portfolio.applyFill(
          order.venue,
          { symbol: order.symbol, side: order.side, quantity, price, fee },
          fill.timestamp,
        );
        record = {
          tradeId: fill.tradeId,
          orderId: order.id,
          clientOrderId: order.clientOrderId,
          venue: order.venue,
          symbol: order.symbol,
          side: order.side,
          quantity: quantity.toString(),
          price: price.toString(),
          fee: fee.toString(),
          feeCurrency: fill.feeCurrency,
          liquidity: fill.liquidity,
          realizedPnl: realized.toString(),
          timestamp: fill.timestamp,
        };
        if (!journal.insertFill(record)) throw new Error(`fill ${fill.tradeId} is already journaled`);
        const changes: Partial<Order> = {
          filledQuantity: filled.toString(),
          averagePrice: average.toString(),
          venueOrderId: order.venueOrderId ?? fill.venueOrderId,
        };
        // The money moved, so a fill always counts; the lifecycle table says what it does to the status.
        const outcome = this.apply(order.id, { type: 'OrderFilled', complete: filled.gte(orderQuantity) }, changes, {
          tradeId: fill.tradeId,
          quantity: quantity.toString(),
          price: price.toString(),
          fee: fee.toString(),
          liquidity: fill.liquidity,
        }, changes);
        if (outcome.kind === 'apply' && outcome.edge === 'late_fill') {
          this.deps.activity.record('warning', 'anomaly', `Fill ${fill.tradeId} arrived after ${order.id} was ${order.status}.`, {
            orderId: order.id,
          });
        }
      });
    } catch (error) {
      // The journal rolled back and the outbox dropped what was published inside: put memory back too.
      portfolio.ledger(order.venue).restore(ledgerBefore);
      this.byId.set(order.id, order);
      this.trackOpen(order);
      // The venue holds a fill Keel could not record: stop trading there until a restart reconciles it.
      this.deps.blockVenue(order.venue, `fill ${fill.tradeId} on ${order.id} could not be recorded (${errorText(error)}); restart Keel to reconcile`);
      throw error;
    }
    bus.publish('fills.new', record!);
    this.deps.activity.record(
      'info',
      'fill',
      `Filled ${order.side} ${fill.quantity} ${order.symbol} @ ${fill.price} (${fill.liquidity}, fee ${fee.toFixed(4)} ${fill.feeCurrency})`,
      { orderId: order.id, tradeId: fill.tradeId },
    );
    this.deps.onBooksChanged(order.venue);
  }

  /** Remaining quantity of open orders on the side that would reduce `position` in this instrument. */
  private pendingReduce(venue: string, symbol: string, position: Dec): Dec {
    if (position.isZero()) return Dec.ZERO;
    const reducingSide = position.isPositive() ? 'sell' : 'buy';
    let total = Dec.ZERO;
    for (const order of this.open.values()) {
      if (order.venue !== venue || order.symbol !== symbol || order.side !== reducingSide) continue;
      total = total.add(Dec.parse(order.quantity).sub(Dec.parse(order.filledQuantity)));
    }
    return total;
  }

  private openCount(venue: string): number {
    let n = 0;
    for (const order of this.open.values()) if (order.venue === venue) n += 1;
    return n;
  }

  private onUnknownOrderEvent(venue: string, event: ExecutionEvent): void {
    this.deps.activity.record(
      'warning',
      'anomaly',
      `${venue} reported ${event.type} for order ${event.clientOrderId}, which Keel did not place.`,
      { event },
    );
  }

  /**
   * Applies one lifecycle event through the (status, event) table and
   * appends it to the order's history, in one transaction. `changes` go in
   * with an applied event; `keep` (a venue order id learned late) goes in
   * whatever the table says, short of an impossible event, which changes
   * nothing and is flagged as an anomaly.
   */
  private apply(
    orderId: string,
    event: OrderLifecycleEvent,
    changes: Partial<Order>,
    detail: OrderEventDetail,
    keep: Partial<Order> = {},
  ): OrderLifecycleOutcome {
    const order = this.byId.get(orderId)!;
    const outcome = applyOrderEvent(order.status, event);
    this.record(order, event.type, outcome, changes, detail, keep);
    return outcome;
  }

  private record(
    order: Order,
    type: OrderEventType,
    outcome: OrderLifecycleOutcome,
    changes: Partial<Order>,
    detail: OrderEventDetail,
    keep: Partial<Order> = {},
  ): void {
    this.deps.journal.transaction(() => {
      let next = order;
      if (outcome.kind === 'apply') {
        next = this.update(order.id, { ...keep, ...changes, status: outcome.status });
      } else if (outcome.kind === 'ignore' && Object.entries(keep).some(([k, v]) => order[k as keyof Order] !== v)) {
        next = this.update(order.id, keep);
      }
      const why = outcome.kind === 'apply' ? (outcome.edge === null ? {} : { edge: outcome.edge }) : { reason: outcome.reason };
      this.deps.journal.appendOrderEvent({
        orderId: order.id,
        timestamp: this.deps.clock.now(),
        type,
        outcome: outcome.kind === 'apply' ? 'applied' : outcome.kind === 'ignore' ? 'ignored' : 'anomaly',
        status: next.status,
        detail: { ...detail, ...why },
      });
      if (outcome.kind === 'anomaly') {
        this.deps.activity.record('error', 'anomaly', `Order ${order.id}: ${outcome.reason}; not applied.`, { orderId: order.id, status: order.status, event: type });
      }
    });
  }

  private update(orderId: string, changes: Partial<Order>): Order {
    const order = this.byId.get(orderId)!;
    const next: Order = { ...order, ...changes, updatedAt: this.deps.clock.now() };
    this.deps.journal.updateOrder(next);
    this.byId.set(orderId, next);
    this.trackOpen(next);
    this.deps.bus.publish('orders.updated', next);
    if (isTerminalStatus(next.status) && !isTerminalStatus(order.status)) this.forgetOldTerminal(orderId);
    return next;
  }

  private recall(clientOrderId: string): Order | undefined {
    const order = this.deps.journal.getOrderByClientId(clientOrderId);
    if (order) this.remember(order);
    return order;
  }

  private remember(order: Order): void {
    this.byId.set(order.id, order);
    this.idByClientId.set(order.clientOrderId, order.id);
    this.trackOpen(order);
  }

  private trackOpen(order: Order): void {
    if (isTerminalStatus(order.status)) this.open.delete(order.id);
    else this.open.set(order.id, order);
  }

  /** Finished orders in the order they finished, oldest first, so forgetting is O(1) with no sort. */
  private readonly finished: string[] = [];
  private finishedHead = 0;

  /** Keeps memory bounded: finished orders beyond the recent window live only in the journal. */
  private forgetOldTerminal(orderId: string): void {
    this.finished.push(orderId);
    while (this.finished.length - this.finishedHead > RECENT_ORDERS_KEPT) {
      const id = this.finished[this.finishedHead]!;
      this.finishedHead += 1;
      const order = this.byId.get(id);
      if (order && isTerminalStatus(order.status)) {
        this.byId.delete(id);
        // The client id stays known to the journal; duplicates are still refused there, and late events recall it.
        this.idByClientId.delete(order.clientOrderId);
      }
    }
    if (this.finishedHead > 4096 && this.finishedHead * 2 > this.finished.length) {
      this.finished.splice(0, this.finishedHead);
      this.finishedHead = 0;
    }
  }

}

function describeOrder(order: Order, what: string): string {
  const price = order.price ? ` @ ${order.price}` : '';
  const stop = order.stopPrice ? ` stop ${order.stopPrice}` : '';
  const reason = what === 'rejected' && order.rejectReason ? `: ${order.rejectReason}` : '';
  return `${order.side.toUpperCase()} ${order.type.replace('_', '-')} ${order.quantity} ${order.symbol}${price}${stop} ${what}${reason}`;
}

/** Calls a venue; a venue that throws instead of rejecting is treated the same way. */
function callVenue(request: () => Promise<void>): Promise<void> {
  try {
    return request();
  } catch (error) {
    return Promise.reject(error);
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
