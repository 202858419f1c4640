/**
 * What a venue reports about Keel's orders, applied: acknowledgements,
 * rejections, triggers, fills, cancels and expiries. Reports wait in the
 * execution inbox until the venue call that produced them has returned.
 *
 * - Fills are applied once, keyed by the venue's trade id, whatever order
 *   the venue's events arrive in. A fill moves the ledger and the order in
 *   one journal transaction; if that fails, memory is put back and the
 *   venue is blocked until a restart reconciles it (fail closed).
 * - A report for an order Keel did not place is an anomaly, never dropped
 *   silently; one for an order no longer in memory is recalled from the
 *   journal. The exception is a liquidation fill: the venue's own order
 *   behind it is taken into the books (source `liquidation`) and filled.
 * - Funding payments are ledger entries of their own, applied once, keyed
 *   by the venue's funding id, in the same journal transaction as the
 *   ledger change they make.
 */
import { Dec } from '../../../shared/decimal';
import { isTerminalStatus, type Fill, type FundingEntry, type Order, type OrderEventDetail } from '../../../shared/domain';
import type { ErrorCode } from '../../../shared/errors';
import type { ActivityLog } from '../activity';
import type { EventBus } from '../bus';
import type { EngineJournal } from '../ports/journal';
import type { Logger } from '../ports/logger';
import type { ExecutionEvent } from '../ports/venue';
import type { Portfolio } from '../portfolio/portfolio';
import type { BulkCancelCount } from './bulkCancelCount';
import { ExecutionInbox } from './executionInbox';
import type { OrderCache } from './orderCache';
import type { OrderHistory } from './orderHistory';
import { errorText } from './venueCalls';

export interface ExecutionReportsDeps {
  journal: EngineJournal;
  portfolio: Portfolio;
  bus: EventBus;
  activity: ActivityLog;
  log: Logger;
  cache: OrderCache;
  history: OrderHistory;
  /** Confirmed cancels count into it while a cancel-all is being answered. */
  bulkCancels: BulkCancelCount;
  /** Takes a venue out of trading with a reason the trader sees (fail closed). */
  blockVenue: (venue: string, reason: string) => void;
  /** Told after anything that changes positions or balances, so summaries can be republished. */
  onBooksChanged: (venue: string) => void;
  /** Takes in the venue's own order behind a liquidation fill (see ExternalOrders). */
  adoptLiquidation: (venue: string, fill: Extract<ExecutionEvent, { type: 'OrderFilled' }>) => Order;
  /** Told once a liquidation fill is recorded. */
  onLiquidated?: (order: Order, fill: Fill) => void;
}

export class ExecutionReports {
  /** Venue reports wait here until the venue call that produced them has returned. */
  private readonly inbox: ExecutionInbox;
  /** The venue's stable reject code, kept until the submit that caused it asks for it. */
  private readonly rejectCodes = new Map<string, ErrorCode>();
  /** The venue's reason for refusing an amend, kept until the amend that caused it asks for it. */
  private readonly amendRejections = new Map<string, string>();

  constructor(private readonly deps: ExecutionReportsDeps) {
    this.inbox = new ExecutionInbox(deps.journal, (venue, event) => this.onExecution(venue, event), deps.log, (venue, why) =>
      deps.blockVenue(venue, `${why}; reconcile the venue (or restart Keel) before trading there again`),
    );
  }

  /** A venue's execution report: queued, and applied once the call that produced it has returned. */
  receive(venue: string, event: ExecutionEvent): void {
    this.inbox.receive(venue, event);
  }

  /** Applies the reports received so far (a command calls this right after its venue call returns). */
  applyReceived(): void {
    this.inbox.drain();
  }

  /** The venue's stable code for an order it rejected, asked once after the submit. */
  takeRejectionCode(orderId: string): ErrorCode | undefined {
    const code = this.rejectCodes.get(orderId);
    this.rejectCodes.delete(orderId);
    return code;
  }

  /** The venue's reason for refusing an order's latest amend, asked once after the amend. */
  takeAmendRejection(orderId: string): string | undefined {
    const reason = this.amendRejections.get(orderId);
    this.amendRejections.delete(orderId);
    return reason;
  }

  /** Applies one execution report from a venue. */
  onExecution(venue: string, event: ExecutionEvent): void {
    const { cache, history, activity } = this.deps;
    if (event.type === 'FundingSettled') {
      this.applyFunding(venue, event);
      return;
    }
    // A late event for an order no longer kept in memory is looked up in the journal, never dropped.
    const known = cache.getByClientId(event.clientOrderId) ?? cache.recall(event.clientOrderId);
    const order = known ?? (event.type === 'OrderFilled' && event.liquidation && !this.deps.journal.hasFill(venue, event.tradeId) ? this.deps.adoptLiquidation(venue, event) : undefined);
    if (!order || order.venue !== venue) {
      this.onUnknownOrderEvent(venue, event);
      return;
    }
    switch (event.type) {
      case 'OrderAccepted': {
        // A late or repeated acknowledgement changes nothing but may still tell us the venue's id.
        const outcome = history.apply(order.id, { type: 'OrderAccepted' }, {}, { venueOrderId: event.venueOrderId }, { venueOrderId: order.venueOrderId ?? event.venueOrderId });
        if (outcome.kind === 'apply') activity.record('info', 'order', describeOrder(order, 'accepted'), { orderId: order.id });
        return;
      }
      case 'OrderRejected':
        this.rejectCodes.set(order.id, event.code);
        history.apply(order.id, { type: 'OrderRejected' }, { rejectReason: event.reason }, { reason: event.reason });
        activity.record('warning', 'order', describeOrder({ ...order, rejectReason: event.reason }, 'rejected'), {
          orderId: order.id,
          code: event.code,
        });
        return;
      case 'OrderTriggered':
        history.apply(order.id, { type: 'OrderTriggered' }, { triggered: true }, {});
        activity.record('info', 'order', describeOrder(order, 'triggered'), { orderId: order.id });
        return;
      case 'OrderFilled':
        this.applyFill(order, event);
        return;
      case 'OrderCanceled': {
        const outcome = history.apply(order.id, { type: 'OrderCanceled' }, {}, { reason: event.reason });
        if (outcome.kind !== 'apply') return;
        if (!this.deps.bulkCancels.add(order.venue)) activity.record('info', 'order', describeOrder(order, `canceled (${event.reason})`), { orderId: order.id });
        return;
      }
      case 'OrderExpired': {
        const outcome = history.apply(order.id, { type: 'OrderExpired' }, {}, { reason: event.reason });
        if (outcome.kind === 'apply') activity.record('info', 'order', describeOrder(order, `expired (${event.reason})`), { orderId: order.id });
        return;
      }
      case 'OrderCancelRejected':
        history.apply(order.id, { type: 'OrderCancelRejected', anyFilled: !Dec.parse(order.filledQuantity).isZero() }, {}, { reason: event.reason });
        activity.record('warning', 'order', `Cancel refused for ${order.id}: ${event.reason}`, { orderId: order.id });
        return;
      case 'OrderAmended':
        this.applyAmended(order, event);
        return;
      case 'OrderAmendRejected': {
        if (!order.amending) {
          history.apply(order.id, { type: 'OrderAmendRejected' }, {}, { reason: event.reason });
          return;
        }
        this.amendRejections.set(order.id, event.reason);
        history.apply(order.id, { type: 'OrderAmendRejected' }, { amending: null }, { reason: event.reason }, { amending: null });
        activity.record('warning', 'order', `Amend of ${order.id} refused by ${order.venue}: ${event.reason}`, { orderId: order.id });
        return;
      }
      case 'OrderTrailed':
        // The trigger follows the market: the order's row and subscribers follow it, its history does not (it would be every tick).
        if (!isTerminalStatus(order.status) && order.stopPrice !== event.stopPrice) cache.update(order.id, { stopPrice: event.stopPrice });
        return;
    }
  }

  /**
   * The order's terms changed at the venue: the answer to Keel's amend
   * (`requested`), or the venue's own resizing (a take-profit following its
   * entry's fills, an OCO leg reduced by the other's). A quantity cut to what
   * has filled completes the order.
   */
  private applyAmended(order: Order, event: Extract<ExecutionEvent, { type: 'OrderAmended' }>): void {
    const { history, activity } = this.deps;
    const complete = Dec.parse(order.filledQuantity).gte(Dec.parse(event.quantity));
    const changes: Partial<Order> = { quantity: event.quantity, price: event.price, stopPrice: event.stopPrice };
    const keep: Partial<Order> = event.requested ? { amending: null } : {};
    const detail: OrderEventDetail = {
      quantity: event.quantity,
      ...(event.price !== null ? { price: event.price } : {}),
      ...(event.stopPrice !== null ? { stopPrice: event.stopPrice } : {}),
      ...(event.requested ? { mode: 'in_place' as const } : {}),
      ...(event.reason !== null ? { reason: event.reason } : {}),
    };
    const outcome = history.apply(order.id, { type: 'OrderAmended', complete }, { ...changes, ...keep }, detail, keep);
    if (outcome.kind !== 'apply') return;
    const terms = [event.price !== null ? `price ${event.price}` : null, event.stopPrice !== null ? `stop ${event.stopPrice}` : null, `quantity ${event.quantity}`].filter(Boolean).join(', ');
    activity.record('info', 'order', `${describeOrder(order, 'amended')}${event.reason ? ` (${event.reason})` : ''}: ${terms}`, { orderId: order.id });
  }

  private applyFill(order: Order, fill: Extract<ExecutionEvent, { type: 'OrderFilled' }>): void {
    const { journal, portfolio, bus, cache, history, activity } = this.deps;
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
      activity.record('error', 'anomaly', `Fill ${fill.tradeId} overfills ${order.id} (${filled} > ${order.quantity}).`, {
        orderId: order.id,
      });
    }

    let record: Fill | undefined;
    // The ledger changes in memory inside the transaction; if the transaction fails, put it back as it was,
    // so memory never holds a position the journal does not.
    const ledgerBefore = portfolio.ledger(order.venue).checkpoint();
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
          ...(fill.liquidation ? { liquidation: true } : {}),
        };
        if (!journal.insertFill(record)) throw new Error(`fill ${fill.tradeId} is already journaled`);
        const changes: Partial<Order> = {
          filledQuantity: filled.toString(),
          averagePrice: average.toString(),
          venueOrderId: order.venueOrderId ?? fill.venueOrderId,
        };
        // The money moved, so a fill always counts; the lifecycle table says what it does to the status.
        const outcome = history.apply(order.id, { type: 'OrderFilled', complete: filled.gte(orderQuantity) }, changes, {
          tradeId: fill.tradeId,
          quantity: quantity.toString(),
          price: price.toString(),
          fee: fee.toString(),
          liquidity: fill.liquidity,
        }, changes);
        if (outcome.kind === 'apply' && outcome.edge === 'late_fill') {
          activity.record('warning', 'anomaly', `Fill ${fill.tradeId} arrived after ${order.id} was ${order.status}.`, {
            orderId: order.id,
          });
        }
      });
    } catch (error) {
      // The journal rolled back and the outbox dropped what was published inside: put memory back too.
      portfolio.ledger(order.venue).rewind(ledgerBefore);
      cache.restore(order);
      // The venue holds a fill Keel could not record: stop trading there until a restart reconciles it.
      this.deps.blockVenue(order.venue, `fill ${fill.tradeId} on ${order.id} could not be recorded (${errorText(error)}); restart Keel to reconcile`);
      throw error;
    }
    bus.publish('fills.new', record!);
    activity.record(
      'info',
      'fill',
      `Filled ${order.side} ${fill.quantity} ${order.symbol} @ ${fill.price} (${fill.liquidity}, fee ${fee.toFixed(4)} ${fill.feeCurrency})`,
      { orderId: order.id, tradeId: fill.tradeId },
    );
    if (order.source === 'liquidation') this.deps.onLiquidated?.(this.deps.cache.get(order.id) ?? order, record!);
    this.deps.onBooksChanged(order.venue);
  }

  /** Books one funding payment the venue settled, once, as its own ledger entry. */
  private applyFunding(venue: string, event: Extract<ExecutionEvent, { type: 'FundingSettled' }>): void {
    const { journal, portfolio, activity } = this.deps;
    if (journal.hasLedgerEntry(venue, event.fundingId)) return;
    const entry: FundingEntry = {
      kind: 'funding',
      id: event.fundingId,
      venue,
      symbol: event.symbol,
      rate: event.rate,
      markPrice: event.markPrice,
      quantity: event.quantity,
      amount: event.amount,
      currency: event.currency,
      fundingTime: event.fundingTime,
      timestamp: event.timestamp,
    };
    const amount = Dec.parse(event.amount);
    const ledgerBefore = portfolio.ledger(venue).snapshot();
    try {
      journal.transaction(() => {
        portfolio.applyFunding(venue, event.symbol, amount, event.timestamp);
        if (!journal.insertLedgerEntry(entry)) throw new Error(`funding ${event.fundingId} is already journaled`);
      });
    } catch (error) {
      portfolio.ledger(venue).restore(ledgerBefore);
      this.deps.blockVenue(venue, `funding ${event.fundingId} on ${event.symbol} could not be recorded (${errorText(error)}); restart Keel to reconcile`);
      throw error;
    }
    // Real exchanges' funding histories state the amount, not always the rate, position and mark it came from.
    const terms = [
      event.rate === null ? null : `rate ${Dec.parse(event.rate).mul(Dec.parse('100')).toFixed(4)} %`,
      event.quantity === null ? null : `on ${event.quantity}`,
      event.markPrice === null ? null : `at mark ${event.markPrice}`,
    ].filter((t) => t !== null);
    activity.record(
      'info',
      'account',
      `Funding on ${event.symbol}: ${amount.isNegative() ? 'paid' : 'received'} ${amount.abs().toFixed(4)} ${event.currency}${terms.length > 0 ? ` (${terms.join(' ')})` : ''}.`,
      { fundingId: event.fundingId, venue },
    );
    this.deps.onBooksChanged(venue);
  }

  private onUnknownOrderEvent(venue: string, event: ExecutionEvent): void {
    this.deps.activity.record(
      'warning',
      'anomaly',
      `${venue} reported ${event.type} for order ${event.clientOrderId}, which Keel did not place.`,
      { event },
    );
  }
}

function describeOrder(order: Order, what: string): string {
  const price = order.price ? ` @ ${order.price}` : '';
  const stop = order.stopPrice ? ` stop ${order.stopPrice}` : '';
  const reason = what === 'rejected' && order.rejectReason ? `: ${order.rejectReason}` : '';
  return `${order.side.toUpperCase()} ${order.type.replace('_', '-')} ${order.quantity} ${order.symbol}${price}${stop} ${what}${reason}`;
}
