/**
 * The order manager: the one face the engine, the emergency stop and
 * reconciliation use for orders. It builds the order modules around one
 * cache and one history and delegates to them:
 *
 * - `orderCache`: orders in memory, the only writer of their state;
 * - `orderHistory`: every status change through the transition table, with
 *   its entry in the order's history;
 * - `submitOrder`: intake for the risk stage, then journal first and send;
 * - `executionReports`: the venue's reports, fills included;
 * - `cancelOrders`: single, filtered and venue-wide cancels;
 * - `reconciliation/unknownOutcomes` and `reconciliation/externalOrders`:
 *   orders brought in line with what the venue reports.
 */
import { isTerminalStatus, type AmendInFlight, type Fill, type Order } from '../../../shared/domain';
import type { ErrorCode } from '../../../shared/errors';
import type { AmendOrderParams, PlaceOrderParams } from '../../../shared/contract';
import type { ActivityLog } from '../activity';
import type { EventBus } from '../bus';
import type { Clock } from '../ports/clock';
import type { IdGenerator } from '../ports/ids';
import type { EngineJournal } from '../ports/journal';
import type { Logger } from '../ports/logger';
import type { ExecutionEvent, VenueOrderReport } from '../ports/venue';
import type { Portfolio } from '../portfolio/portfolio';
import { ExternalOrders } from '../reconciliation/externalOrders';
import { UnknownOutcomes } from '../reconciliation/unknownOutcomes';
import type { Denial } from '../risk/riskStage';
import type { VenueRegistry } from '../venueRegistry';
import { AmendPipeline, type PlaceReplacement } from './amendOrder';
import { BulkCancelCount } from './bulkCancelCount';
import { CancelPipeline, type CancelAllResult, type CancelFilter } from './cancelOrders';
import { ExecutionReports } from './executionReports';
import { OrderCache } from './orderCache';
import { OrderHistory } from './orderHistory';
import type { AmendIntake, OrderIntake, OrderLinks, OrderSource } from './orderIntake';
import { InFlightSubmits, SubmitPipeline } from './submitOrder';

export type { CancelAllResult, CancelFilter } from './cancelOrders';
export type { OrderLinks, OrderSource } from './orderIntake';
export type { PlaceReplacement } from './amendOrder';

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
  /** Told once a venue's liquidation of a position is recorded. */
  onLiquidated?: (order: Order, fill: Fill) => void;
  log: Logger;
}

export class OrderManager {
  private readonly cache: OrderCache;
  private readonly reports: ExecutionReports;
  private readonly unknown: UnknownOutcomes;
  private readonly external: ExternalOrders;
  private readonly inFlight = new InFlightSubmits();
  private readonly submits: SubmitPipeline;
  private readonly cancels: CancelPipeline;
  private readonly amends: AmendPipeline;

  constructor(private readonly deps: OrderManagerDeps) {
    const { clock, journal, bus, activity, portfolio, venues, ids, log } = deps;
    const cache = new OrderCache({ clock, journal, bus });
    const history = new OrderHistory({ clock, journal, activity, cache, bus });
    const bulkCancels = new BulkCancelCount();
    const inFlight = this.inFlight;
    this.cache = cache;
    const external = new ExternalOrders({ clock, ids, cache, history });
    this.external = external;
    this.reports = new ExecutionReports({
      journal,
      portfolio,
      bus,
      activity,
      log,
      cache,
      history,
      bulkCancels,
      blockVenue: deps.blockVenue,
      onBooksChanged: deps.onBooksChanged,
      adoptLiquidation: (venue, fill) => external.adoptLiquidation(venue, fill),
      ...(deps.onLiquidated ? { onLiquidated: deps.onLiquidated } : {}),
    });
    const unknown = new UnknownOutcomes({
      cache,
      history,
      venues,
      activity,
      isSending: (orderId) => inFlight.has(orderId),
      now: () => clock.now(),
      settleAmend: (orderId, report, why) => this.amends.settleFromReport(orderId, report, why),
    });
    this.unknown = unknown;
    const resolveUnknown = (orderId: string, why: string) => unknown.resolveUnknown(orderId, why);
    this.submits = new SubmitPipeline({
      clock,
      journal,
      portfolio,
      venues,
      ids,
      quote: deps.quote,
      recordSent: deps.recordSent,
      cache,
      history,
      reports: this.reports,
      resolveUnknown,
      inFlight,
    });
    this.cancels = new CancelPipeline({ journal, venues, activity, cache, history, reports: this.reports, resolveUnknown, bulkCancels });
    const submits = this.submits;
    this.amends = new AmendPipeline({
      clock,
      journal,
      portfolio,
      venues,
      ids,
      activity,
      quote: deps.quote,
      recordSent: deps.recordSent,
      cache,
      history,
      reports: this.reports,
      cancels: this.cancels,
      resolveUnknown,
      openRemaining: (venue, symbol, except) => submits.openRemaining(venue, symbol, except),
    });
  }

  /** Loads open and recent orders from the journal (start-up and crash recovery). */
  load(): void {
    this.cache.load();
  }

  get(orderId: string): Order | undefined {
    return this.cache.get(orderId);
  }

  /** True while the order's submit is still on its way to the venue (its fate is not known yet). */
  isSending(orderId: string): boolean {
    return this.inFlight.has(orderId);
  }

  /** An order by client order id from memory, or from the journal (then kept in memory), however old. */
  recall(clientOrderId: string): Order | undefined {
    return this.cache.getByClientId(clientOrderId) ?? this.cache.recall(clientOrderId);
  }

  getByClientId(clientOrderId: string): Order | undefined {
    return this.cache.getByClientId(clientOrderId);
  }

  openOrders(venue?: string): Order[] {
    return this.cache.openOrders(venue);
  }

  openOrderCount(venue?: string): number {
    return this.cache.openOrderCount(venue);
  }

  /** Reads what the risk stage needs to judge an order, or refuses what cannot even be judged. */
  prepare(params: PlaceOrderParams, source: OrderSource, links?: OrderLinks): { intake: OrderIntake } | { denial: Denial } {
    return this.submits.prepare(params, source, links);
  }

  /** Checks an amend and reads what the risk stage needs to judge its new terms; throws a typed error for what cannot be amended. */
  prepareAmend(params: AmendOrderParams, source: OrderSource, sizing = false): AmendIntake {
    return this.amends.prepare(params, source, sizing);
  }

  /** A bracket's or OCO pair's orders: its first order (recalled from the journal if need be) and every order linked to it. */
  groupOrders(groupId: string): Order[] {
    const root = this.cache.get(groupId) ?? this.recallById(groupId);
    if (!root) return [];
    return [root, ...this.cache.known().filter((o) => o.groupId === groupId && o.id !== groupId)];
  }

  /** Orders on a venue that belong to a group with work possibly left: an open member, or an entry whose take-profit or stop-loss is still to place. */
  groupsToLookAt(venue: string): string[] {
    const ids = new Set<string>();
    for (const o of this.cache.known()) {
      if (o.venue !== venue || !o.groupId) continue;
      if (!isTerminalStatus(o.status) || (o.attached ?? []).some((a) => a.orderId === null && a.refused === null)) ids.add(o.groupId);
    }
    return [...ids];
  }

  private recallById(orderId: string): Order | undefined {
    const stored = this.deps.journal.getOrder(orderId);
    return stored ? this.cache.recall(stored.clientOrderId) : undefined;
  }

  /** Records what became of an entry's planned take-profit or stop-loss (its order, or why it could not be placed). */
  notePlanned(entryId: string, clientOrderId: string, outcome: { orderId: string } | { refused: string }): void {
    const entry = this.cache.get(entryId);
    if (!entry?.attached) return;
    const attached = entry.attached.map((a) => (a.clientOrderId === clientOrderId ? { ...a, ...('orderId' in outcome ? { orderId: outcome.orderId } : { refused: outcome.refused }) } : a));
    this.cache.update(entryId, { attached });
  }

  /** Carries out an amend the risk stage let through: in place where the venue can, cancel-replace otherwise. */
  amend(intake: AmendIntake, placeReplacement: PlaceReplacement): Promise<Order> {
    return this.amends.amend(intake, placeReplacement);
  }

  /** True while the order's amend is being carried out by its own call. */
  isAmending(orderId: string): boolean {
    return this.amends.isAmending(orderId);
  }

  /** Completes a cancel-replace whose order has ended (its replacement was not placed yet: a restart, a late cancel confirmation). */
  completeReplacement(orderId: string, placeReplacement: PlaceReplacement): Promise<Order> {
    return this.amends.completeReplacement(orderId, placeReplacement);
  }

  /**
   * Orders in memory that ended while an amend of theirs waited: a
   * cancel-replace for its replacement (`completeReplacement`), an in-place
   * amend for its answer (`settleEndedAmend`).
   */
  endedWithAmend(venue: string, mode: AmendInFlight['mode']): Order[] {
    return this.cache.known().filter((o) => o.venue === venue && o.amending?.mode === mode && isTerminalStatus(o.status));
  }

  /** Settles the in-place amend of an order that ended before its answer came, from the venue's report of the order. */
  settleEndedAmend(orderId: string): Promise<void> {
    return this.amends.settleEnded(orderId);
  }

  /**
   * Records an order the risk stage let through and sends it: journal first,
   * then the venue, then the venue's reports. Answers the order as the venue
   * left it (rejected included; `takeRejectionCode` says with which code).
   * `second`: an OCO pair's other leg, judged with it.
   */
  submit(intake: OrderIntake, second?: OrderIntake): Promise<Order> {
    return this.submits.submit(intake, second);
  }

  /** The venue's stable code for an order it rejected, asked once after `submit`. */
  takeRejectionCode(orderId: string): ErrorCode | undefined {
    return this.reports.takeRejectionCode(orderId);
  }

  /** Waits until every submit already on its way has landed or failed. */
  settleInFlight(): Promise<void> {
    return this.inFlight.settle();
  }

  /** Takes into the books, with source `external`, an open order found on the venue that Keel did not place. */
  adoptExternal(venue: string, report: VenueOrderReport): Order {
    return this.external.adopt(venue, report);
  }

  /** A venue's execution report: queued, and applied once the call that produced it has returned. */
  receive(venue: string, event: ExecutionEvent): void {
    this.reports.receive(venue, event);
  }

  /** Applies the reports received so far (a command calls this right after its venue call returns). */
  applyReceived(): void {
    this.reports.applyReceived();
  }

  /** Applies one execution report from a venue at once (reconciliation replays missed fills through it). */
  onExecution(venue: string, event: ExecutionEvent): void {
    this.reports.onExecution(venue, event);
  }

  cancel(orderId: string): Promise<Order> {
    return this.cancels.cancel(orderId);
  }

  /** Cancels open orders one by one; the filter narrows them by venue, symbol and who sent them. */
  cancelAll(filter: CancelFilter): Promise<CancelAllResult> {
    return this.cancels.cancelAll(filter);
  }

  /** Asks a venue to cancel everything open there in one request (the emergency path). */
  requestCancelAll(venue: string): Promise<void> {
    return this.cancels.requestCancelAll(venue);
  }

  /** Brings an order whose fate is unknown in line with the venue's own report of it. */
  resolveUnknown(orderId: string, why: string): Promise<void> {
    return this.unknown.resolveUnknown(orderId, why);
  }

  /** Sets an order's state from the venue's report of it (absent: the venue has no record of it). */
  applyReport(orderId: string, report: VenueOrderReport | undefined, why: string): void {
    this.unknown.applyReport(orderId, report, why);
  }

  /** Asks the venue about orders that have waited since before `olderThan` for an answer. */
  resolveStale(olderThan: number): Promise<void> {
    return this.unknown.resolveStale(olderThan);
  }

  hasStale(olderThan: number): boolean {
    return this.unknown.hasStale(olderThan);
  }
}
