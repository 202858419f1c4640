/**
 * Amending a working order: a new limit price, stop price or quantity.
 *
 * - `prepare` checks the change (see `amendRules`) and reads what the risk
 *   stage needs to judge the new terms.
 * - `amend` carries it out, one of two ways, journaled either way:
 *   - in place, where the venue can change the order (it keeps its id and
 *     its history): `OrderAmendRequested`, then the venue's `OrderAmended`
 *     or `OrderAmendRejected`;
 *   - cancel-replace otherwise: the order is cancelled, and once the venue
 *     confirms, a replacement for what is left (the new quantity less what
 *     filled meanwhile) is placed under a client order id chosen before
 *     anything was sent, linked both ways (`replacesId`, `replacedById`).
 *
 * The amend asked for is kept on the order (`amending`) until the venue's
 * answer is known, so that a lost answer and a restart are settled the same
 * way: from the venue's own report of the order (`settleFromReport`), never
 * by sending the amend again. A cancel-replace whose cancel was confirmed
 * but whose replacement was never sent (Keel stopped in between) is
 * completed once the venue is trading again (`completeReplacement`).
 *
 * A fill racing an amend is the venue's to order: a quantity at or below
 * what has filled is refused before sending; a fill that lands first is
 * counted and the amend applies to the rest; an order that fills completely
 * before its cancel-replace ends the amend.
 */
import { Dec } from '../../../shared/decimal';
import { isTerminalStatus, type AmendInFlight, type Order, type OrderEventDetail } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import type { AmendOrderParams, PlaceOrderParams } from '../../../shared/contract';
import type { ActivityLog } from '../activity';
import type { Clock } from '../ports/clock';
import type { IdGenerator } from '../ports/ids';
import type { EngineJournal } from '../ports/journal';
import type { VenueOrderReport } from '../ports/venue';
import type { Portfolio } from '../portfolio/portfolio';
import type { VenueRegistry } from '../venueRegistry';
import { applyOrderEvent } from '../../core/orderLifecycle';
import { checkAmend } from './amendRules';
import type { CancelPipeline } from './cancelOrders';
import type { ExecutionReports } from './executionReports';
import type { OrderCache } from './orderCache';
import type { OrderHistory } from './orderHistory';
import type { AmendIntake, OrderLinks, OrderSource } from './orderIntake';
import { referencePriceOf, type OrderIntent } from './preTrade';
import { pendingReduceOf, type OpenRemaining } from './openRemaining';
import { callVenue, errorText, type ResolveUnknown } from './venueCalls';

/** Places a cancel-replace's replacement through the risk stage: the order, or why it was refused. */
export type PlaceReplacement = (params: PlaceOrderParams, source: OrderSource, links: OrderLinks) => Promise<{ order: Order } | { refused: string }>;

export interface AmendPipelineDeps {
  clock: Clock;
  journal: EngineJournal;
  portfolio: Portfolio;
  venues: VenueRegistry;
  ids: IdGenerator;
  activity: ActivityLog;
  quote: (venue: string, symbol: string) => { bid: string; ask: string; last: string };
  recordSent: (venue: string) => void;
  cache: OrderCache;
  history: OrderHistory;
  reports: ExecutionReports;
  cancels: CancelPipeline;
  resolveUnknown: ResolveUnknown;
  /** Remaining quantity of the open orders in an instrument by side, without the order being amended. */
  openRemaining: (venue: string, symbol: string, except: string) => OpenRemaining;
}

/** The source an order's own follow-ups are sent with: whoever placed it. */
export function sourceOfOrder(order: Order): OrderSource {
  return { kind: order.source, ...(order.sourceId ? { id: order.sourceId } : {}) };
}

function text(value: Dec | null): string | null {
  return value === null ? null : value.toString();
}

/** The amend's terms as history detail (only those it changes). */
function amendDetail(pending: Pick<AmendInFlight, 'quantity' | 'price' | 'stopPrice'>): OrderEventDetail {
  return {
    ...(pending.quantity !== null ? { quantity: pending.quantity } : {}),
    ...(pending.price !== null ? { price: pending.price } : {}),
    ...(pending.stopPrice !== null ? { stopPrice: pending.stopPrice } : {}),
  };
}

export class AmendPipeline {
  /** Orders whose amend is being carried out right now (its own flow finishes it; nothing else should). */
  private readonly inProgress = new Set<string>();

  constructor(private readonly deps: AmendPipelineDeps) {}

  /** True while the order's amend is being carried out by its own call. */
  isAmending(orderId: string): boolean {
    return this.inProgress.has(orderId);
  }

  /** Checks the change and reads what the risk stage needs; throws a typed error for what cannot be amended. */
  prepare(params: AmendOrderParams, source: OrderSource, sizing = false): AmendIntake {
    const { cache, journal, venues, portfolio } = this.deps;
    const order = cache.get(params.orderId) ?? journal.getOrder(params.orderId);
    if (!order) throw new KeelError('NOT_FOUND', `Order ${params.orderId} was not found.`, { orderId: params.orderId });
    venues.requireReady(order.venue);
    const instrument = venues.requireInstrument(order.venue, order.symbol);
    const ticker = this.deps.quote(order.venue, order.symbol);
    const [bid, ask, last] = [Dec.parse(ticker.bid), Dec.parse(ticker.ask), Dec.parse(ticker.last)];
    const change = {
      quantity: params.quantity === undefined ? null : Dec.parse(params.quantity),
      price: params.price === undefined ? null : Dec.parse(params.price),
      stopPrice: params.stopPrice === undefined ? null : Dec.parse(params.stopPrice),
    };
    const terms = checkAmend(order, change, instrument, last, sizing);
    const remaining = terms.quantity.sub(Dec.parse(order.filledQuantity));
    const intent: OrderIntent = { side: order.side, type: order.type, quantity: remaining, price: terms.price, stopPrice: terms.stopPrice, reduceOnly: order.reduceOnly };
    const ledger = portfolio.ledger(order.venue);
    const position = ledger.netQuantity(order.symbol);
    const open = this.deps.openRemaining(order.venue, order.symbol, order.id);
    const others = () => cache.openOrders(order.venue).filter((o) => o.id !== order.id);
    return {
      order,
      source,
      instrument,
      intent,
      quantity: terms.quantity,
      increases: terms.increases,
      onlyDecreases: terms.onlyDecreases,
      market: { bid, ask, last, mark: portfolio.mark(order.venue, order.symbol), referencePrice: referencePriceOf(intent, bid, ask) },
      book: {
        position,
        pendingReduce: pendingReduceOf(position, open),
        pendingSameSide: open[order.side],
        openOrders: others().length,
        leverage: ledger.leverage(order.symbol),
        available: () => portfolio.available(order.venue, others()),
      },
    };
  }

  /** Carries out an amend the risk stage let through; answers the order that now carries the new terms. */
  async amend(intake: AmendIntake, placeReplacement: PlaceReplacement): Promise<Order> {
    const { order } = intake;
    const port = this.deps.venues.port(order.venue);
    const change = { quantity: !intake.quantity.eq(Dec.parse(order.quantity)), price: intake.intent.price !== null && order.price !== intake.intent.price.toString(), stopPrice: intake.intent.stopPrice !== null && order.stopPrice !== intake.intent.stopPrice.toString() };
    const inPlace = port.amend !== undefined && (port.orderFeatures?.amendsInPlace(order, change) ?? false);
    if (!inPlace && order.role === 'entry' && Dec.parse(order.filledQuantity).isPositive()) {
      // Its take-profit and stop-loss are sized by its fills: a replacement would start a bracket of its own.
      throw new KeelError('INVALID_STATE', `Order ${order.id} is a bracket's entry that has begun to fill, and ${order.venue} cannot amend it in place; cancel what is left of it instead.`, { orderId: order.id });
    }
    const pending: AmendInFlight = {
      mode: inPlace ? 'in_place' : 'cancel_replace',
      quantity: change.quantity ? intake.quantity.toString() : null,
      price: change.price ? text(intake.intent.price) : null,
      stopPrice: change.stopPrice ? text(intake.intent.stopPrice) : null,
      replacementClientOrderId: inPlace ? null : this.deps.ids.clientOrderId(),
      requestedAt: this.deps.clock.now(),
    };
    // Journal first: a restart finds the amend and settles it from the venue's report.
    this.deps.history.apply(order.id, { type: 'OrderAmendRequested' }, { amending: pending }, { ...amendDetail(pending), mode: pending.mode });
    this.inProgress.add(order.id);
    try {
      return await (inPlace ? this.amendInPlace(order.id, pending) : this.cancelReplace(order.id, placeReplacement));
    } finally {
      this.inProgress.delete(order.id);
    }
  }

  private async amendInPlace(orderId: string, pending: AmendInFlight): Promise<Order> {
    const { cache, reports, venues } = this.deps;
    const order = cache.get(orderId)!;
    const port = venues.port(order.venue);
    this.deps.recordSent(order.venue);
    try {
      await callVenue(() =>
        port.amend!({
          clientOrderId: order.clientOrderId,
          symbol: order.symbol,
          side: order.side,
          type: order.type,
          quantity: pending.quantity,
          price: pending.price,
          stopPrice: pending.stopPrice,
          current: { quantity: order.quantity, price: order.price, stopPrice: order.stopPrice },
        }),
      );
      reports.applyReceived();
    } catch (error) {
      reports.applyReceived();
      await this.deps.resolveUnknown(orderId, `amend failed: ${errorText(error)}`);
    }
    const after = cache.get(orderId)!;
    if (after.amending) {
      throw new KeelError('VENUE_UNAVAILABLE', `${order.venue} did not confirm the amend of ${orderId}; Keel keeps asking and will not send it again.`, { order: after });
    }
    const refused = reports.takeAmendRejection(orderId);
    if (refused !== undefined) throw new KeelError('VENUE_REJECTED', `Amend of ${orderId} refused by ${order.venue}: ${refused}`, { order: after });
    return after;
  }

  private async cancelReplace(orderId: string, placeReplacement: PlaceReplacement): Promise<Order> {
    const { cache } = this.deps;
    const order = cache.get(orderId)!;
    try {
      await this.deps.cancels.cancel(orderId);
    } catch (error) {
      const after = cache.get(orderId)!;
      if (after.amending && !isTerminalStatus(after.status) && after.status !== 'pending_cancel') {
        this.reject(after, `the cancel for the replacement failed: ${errorText(error)}`);
      }
      if (error instanceof KeelError && error.code === 'VENUE_UNAVAILABLE') {
        throw new KeelError('VENUE_UNAVAILABLE', `${order.venue} did not confirm the cancel of ${orderId}; the amend finishes once it does.`, { order: cache.get(orderId) });
      }
      throw error;
    }
    const after = cache.get(orderId)!;
    if (after.status === 'pending_cancel') {
      // No answer to the cancel yet: the replacement is placed once the venue confirms it (see OrderFollowUps).
      throw new KeelError('VENUE_UNAVAILABLE', `${order.venue} has not confirmed the cancel of ${orderId} yet; the amend finishes once it does.`, { order: after });
    }
    if (!isTerminalStatus(after.status)) {
      // The venue refused the cancel (the order works on as it was).
      this.reject(after, `${order.venue} refused to cancel it for the replacement`);
      throw new KeelError('VENUE_REJECTED', `Amend of ${orderId} refused: ${order.venue} would not cancel it to replace it.`, { order: cache.get(orderId) });
    }
    return this.completeReplacement(orderId, placeReplacement);
  }

  /**
   * The second half of a cancel-replace, once its order has ended: places
   * the replacement (or links the one already journaled), or records why the
   * amend could not complete. Idempotent; answers the order carrying the
   * amended terms, or the order as it is when the amend did not complete.
   */
  async completeReplacement(orderId: string, placeReplacement: PlaceReplacement): Promise<Order> {
    const { cache, activity } = this.deps;
    const order = this.known(orderId);
    const pending = order?.amending;
    if (!order || !pending || pending.mode !== 'cancel_replace' || !isTerminalStatus(order.status)) return order!;
    if (order.status === 'filled' || order.status === 'rejected') {
      this.reject(order, order.status === 'filled' ? 'the order filled before it could be replaced' : 'the venue rejected the order before it could be replaced');
      return cache.get(orderId)!;
    }
    const replacementId = pending.replacementClientOrderId!;
    const existing = cache.getByClientId(replacementId) ?? cache.recall(replacementId);
    if (existing) {
      this.linkReplacement(order, existing, pending);
      return existing;
    }
    const quantity = Dec.parse(pending.quantity ?? order.quantity).sub(Dec.parse(order.filledQuantity));
    if (!quantity.isPositive()) {
      this.reject(order, `it filled ${order.filledQuantity} meanwhile; nothing is left to replace`);
      return cache.get(orderId)!;
    }
    const params: PlaceOrderParams = {
      venue: order.venue,
      symbol: order.symbol,
      side: order.side,
      type: order.type,
      quantity: quantity.toString(),
      ...((pending.price ?? order.price) !== null ? { price: (pending.price ?? order.price)! } : {}),
      ...((pending.stopPrice ?? order.stopPrice) !== null && order.type !== 'trailing_stop' ? { stopPrice: (pending.stopPrice ?? order.stopPrice)! } : {}),
      timeInForce: order.timeInForce,
      ...(order.postOnly ? { postOnly: true } : {}),
      ...(order.reduceOnly ? { reduceOnly: true } : {}),
      ...(order.trailing ? { trailing: order.trailing } : {}),
      clientOrderId: replacementId,
    };
    const links: OrderLinks = {
      role: order.role ?? null,
      parentId: order.parentId ?? null,
      groupId: order.groupId ?? null,
      replacesId: order.id,
      ...(order.attached ? { attached: order.attached } : {}),
    };
    const placed = await placeReplacement(params, sourceOfOrder(order), links);
    const now = cache.get(orderId) ?? order;
    if ('refused' in placed) {
      this.reject(now, `it was cancelled for the amend, but the replacement was refused: ${placed.refused}`);
      activity.record('error', 'order', `Amend of ${order.id}: the order was cancelled, but its replacement was refused (${placed.refused}); place it again if you still want it.`, {
        orderId: order.id,
      });
      throw new KeelError('RISK_REJECTED', `Order ${order.id} was cancelled for the amend, but the replacement was refused: ${placed.refused}`, { order: cache.get(orderId) });
    }
    this.linkReplacement(now, placed.order, pending);
    return placed.order;
  }

  /**
   * Settles an in-place amend whose answer was lost, from the venue's report
   * of the order: the new terms there mean it took; the old ones (once the
   * venue's deadline for acting on a request has passed) or an order that
   * ended mean it did not. A cancel-replace settles when its order ends.
   */
  settleFromReport(orderId: string, report: VenueOrderReport | undefined, why: string): void {
    const { cache, venues, clock } = this.deps;
    const order = cache.get(orderId);
    const pending = order?.amending;
    if (!order || !pending || pending.mode !== 'in_place') return;
    const matches =
      report !== undefined &&
      (pending.quantity === null || Dec.parse(report.quantity).eq(Dec.parse(pending.quantity))) &&
      (pending.price === null || (report.price !== null && Dec.parse(report.price).eq(Dec.parse(pending.price)))) &&
      (pending.stopPrice === null || (report.stopPrice !== null && Dec.parse(report.stopPrice).eq(Dec.parse(pending.stopPrice))));
    if (matches) {
      const changes = { quantity: report.quantity, price: report.price, stopPrice: report.stopPrice, amending: null };
      const complete = Dec.parse(order.filledQuantity).gte(Dec.parse(report.quantity));
      this.deps.history.apply(orderId, { type: 'OrderAmended', complete }, changes, { ...amendDetail(pending), mode: 'in_place', reason: `found on ${order.venue} (${why})` }, { amending: null });
      return;
    }
    const deadline = venues.port(order.venue).unknownOutcomeDeadlineMs ?? 0;
    const inDoubt = deadline > 0 && clock.now() - pending.requestedAt < deadline;
    if (!isTerminalStatus(order.status) && report !== undefined && inDoubt) return; // the venue may still carry it out: asked again later
    this.reject(order, report === undefined ? `${order.venue} has no record of the order (${why})` : `${order.venue} has the order as it was (${why})`);
  }

  /**
   * Settles an in-place amend whose order ended before the answer came (it
   * filled or was cancelled meanwhile, or the restart found it ended): the
   * stale sweep asks only about working orders, so the ended order's own
   * report settles it here, as it would have there. A venue that cannot be
   * asked leaves it waiting, to be asked again when the venue is next ready.
   */
  async settleEnded(orderId: string): Promise<void> {
    const order = this.deps.cache.get(orderId);
    if (!order || order.amending?.mode !== 'in_place' || !isTerminalStatus(order.status) || this.isAmending(orderId)) return;
    let report: VenueOrderReport | undefined;
    try {
      report = await this.deps.venues.port(order.venue).orderReport(order.clientOrderId, order.symbol);
    } catch (error) {
      this.deps.activity.record('warning', 'order', `The amend of ${order.id} waits for an answer, and ${order.venue} could not be asked (${errorText(error)}); asked again when it is next ready.`, {
        orderId,
      });
      return;
    }
    this.settleFromReport(orderId, report, `the order ${order.status}`);
  }

  /** True when the order's amend waits for an answer since before `olderThan` (the stale sweep asks about it). */
  static isStale(order: Order, olderThan: number): boolean {
    return order.amending?.mode === 'in_place' && order.amending.requestedAt < olderThan;
  }

  private linkReplacement(order: Order, replacement: Order, pending: AmendInFlight): void {
    this.deps.history.record(
      order,
      'OrderAmended',
      { kind: 'apply', status: order.status, edge: null },
      { replacedById: replacement.id, amending: null },
      { ...amendDetail(pending), mode: 'cancel_replace', linkedOrderId: replacement.id },
    );
    this.deps.activity.record('info', 'order', `Order ${order.id} amended: replaced by ${replacement.id}.`, { orderId: order.id, replacementId: replacement.id });
  }

  /** An order in memory, recalled from the journal when it is no longer kept there. */
  private known(orderId: string): Order | undefined {
    const { cache, journal } = this.deps;
    const cached = cache.get(orderId);
    if (cached) return cached;
    const stored = journal.getOrder(orderId);
    return stored ? cache.recall(stored.clientOrderId) : undefined;
  }

  /**
   * Records that the amend did not take and clears it. Keel's own settlement
   * of the amend it asked for, so it is recorded even for an order that has
   * ended (the table ignores a venue's late refusal there), keeping its status.
   */
  private reject(order: Order, reason: string): void {
    const current = this.deps.cache.get(order.id) ?? order;
    if (!current.amending) return;
    const outcome = applyOrderEvent(current.status, { type: 'OrderAmendRejected' });
    const decided = outcome.kind === 'apply' ? outcome : { kind: 'apply' as const, status: current.status, edge: null };
    this.deps.history.record(current, 'OrderAmendRejected', decided, { amending: null }, { reason });
    this.deps.activity.record('warning', 'order', `Amend of ${order.id} did not take: ${reason}.`, { orderId: order.id });
  }
}
