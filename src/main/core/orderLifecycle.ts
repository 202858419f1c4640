/**
 * An order's life as one table keyed by (status, event): given the status an
 * order has and something that happened to it, what its status becomes. It
 * answers one of three things:
 *
 * - `apply`: the event takes effect and the order's status becomes `status`
 *   (which may be the one it had, e.g. a second partial fill or a trigger).
 *   `edge` names the real-world race the event came through, if any, so the
 *   caller can say what happened in words.
 * - `ignore`: a harmless duplicate or late event; the status stays. Data an
 *   ignored event still carries (a venue order id on a late acknowledgement)
 *   may be recorded all the same.
 * - `anomaly`: the event contradicts what Keel knows; nothing changes and a
 *   person has to look. `reason` says why in words.
 *
 * Fills are money: every trade the venue reports (new by trade id) is booked
 * whatever the status does. This table only decides the status.
 *
 * The principles behind the edges, each of which real venues produce:
 * - A trade is the strongest evidence there is. A fill that races a cancel
 *   request counts, and one that arrives after `canceled` or `expired` counts
 *   too. If it completes the order the order is `filled` (nothing is left to
 *   have been canceled; nautilus_trader maps (Canceled, Filled) -> Filled for
 *   the same reason). If it does not, the status stays as the venue said: the
 *   venue confirmed that the rest left the book, so reopening the order would
 *   show a working order the venue does not have.
 * - `rejected` is the one end Keel may infer itself (a venue with no record of
 *   an order Keel never heard back about). So an acknowledgement, a fill or a
 *   report of a working order after `rejected` reopens it: an order wrongly
 *   shown as working costs a refused cancel, an order wrongly shown as dead
 *   keeps trading unseen.
 * - `filled` wins over any other end: a cancel or expiry of the empty
 *   remainder changes nothing.
 * - A venue can reject an order it had acknowledged (a stop refused when it
 *   triggers), but never one that has traded.
 * - An amend changes terms, not the status: it is asked of a working order
 *   only, and an amend that lands after the order ended changes nothing. A
 *   quantity cut to what has filled (the venue sizing a take-profit to its
 *   entry's fills) completes the order, as a completing fill does.
 */
import type { OrderStatus } from '../../shared/domain';

/**
 * What can happen to an order. The names follow the venue port's execution
 * events; `OrderCancelRequested` is Keel's own request to cancel. Orders are
 * born `pending_new`, so submitting is not an event here.
 */
export type OrderLifecycleEvent =
  | { type: 'OrderCancelRequested' }
  | { type: 'OrderAccepted' }
  | { type: 'OrderRejected' }
  /** A stop's trigger fired; the status does not change. */
  | { type: 'OrderTriggered' }
  /** `complete`: with this fill the filled quantity reaches the order's quantity. */
  | { type: 'OrderFilled'; complete: boolean }
  | { type: 'OrderCanceled' }
  | { type: 'OrderExpired' }
  /** The venue refused a cancel. `anyFilled`: the order has traded some of its quantity. */
  | { type: 'OrderCancelRejected'; anyFilled: boolean }
  /** Keel asks the venue to change the order's terms. */
  | { type: 'OrderAmendRequested' }
  /** The order's terms changed. `complete`: its (new) quantity is all filled. */
  | { type: 'OrderAmended'; complete: boolean }
  /** An amend did not take: the order stays as it was. */
  | { type: 'OrderAmendRejected' };

export type OrderLifecycleEventType = OrderLifecycleEvent['type'];

export const ORDER_LIFECYCLE_EVENT_TYPES = [
  'OrderCancelRequested',
  'OrderAccepted',
  'OrderRejected',
  'OrderTriggered',
  'OrderFilled',
  'OrderCanceled',
  'OrderExpired',
  'OrderCancelRejected',
  'OrderAmendRequested',
  'OrderAmended',
  'OrderAmendRejected',
] as const satisfies readonly OrderLifecycleEventType[];

/** The real-world races an `apply` came through. */
export type OrderLifecycleEdge =
  /** A fill arrived while a cancel request was waiting: the cancel lost the race, in part or whole. */
  | 'fill_during_cancel'
  /** A fill arrived after the venue said the order had ended. */
  | 'late_fill'
  /** An order Keel had as rejected is working after all. */
  | 'reopened'
  /** The venue refused a cancel; the order works on. */
  | 'cancel_refused'
  /** The venue reports an order Keel asked to cancel as still working: the request did not take. */
  | 'cancel_lost'
  /** The venue canceled an order nobody in Keel asked it to (reduce-only cleanup, self-trade prevention, cancel-all on the venue's side, or an IOC remainder). */
  | 'canceled_unrequested'
  /** The venue rejected an order it had acknowledged (a stop refused when it triggers). */
  | 'rejected_after_accept'
  /** The venue has no record of an order it never acknowledged: it never arrived. */
  | 'never_received';

export type OrderLifecycleOutcome =
  | { kind: 'apply'; status: OrderStatus; edge: OrderLifecycleEdge | null }
  | { kind: 'ignore'; reason: string }
  | { kind: 'anomaly'; reason: string };

type Cell<E> = (event: E) => OrderLifecycleOutcome;
type Row = { [T in OrderLifecycleEventType]: Cell<Extract<OrderLifecycleEvent, { type: T }>> };

function to(status: OrderStatus, edge: OrderLifecycleEdge | null = null): () => OrderLifecycleOutcome {
  return () => ({ kind: 'apply', status, edge });
}

function ignore(reason: string): () => OrderLifecycleOutcome {
  return () => ({ kind: 'ignore', reason });
}

function anomaly(reason: string): () => OrderLifecycleOutcome {
  return () => ({ kind: 'anomaly', reason });
}

/** A fill makes the order `filled` when it completes it, `otherwise` when it does not. */
function fill(otherwise: OrderStatus, edge: OrderLifecycleEdge | null = null): Cell<{ complete: boolean }> {
  return (event) => ({ kind: 'apply', status: event.complete ? 'filled' : otherwise, edge });
}

const NOTHING_TO_CANCEL = 'there is nothing left to cancel';
const NOTHING_TO_AMEND = 'the order has ended; there is nothing left to amend';
const AMEND_OF_ENDED = 'the order has already ended; changing its terms changes nothing';
const REFUSED_CANCEL_NOT_WAITED_FOR = 'no cancel request is waiting, so a refused one changes nothing';
const ENDED = 'the order has already ended; this changes nothing';

const TABLE: Record<OrderStatus, Row> = {
  pending_new: {
    OrderCancelRequested: anomaly('the venue has not acknowledged the order yet; it can be canceled once it is open'),
    OrderAccepted: to('open'),
    OrderRejected: to('rejected'),
    OrderTriggered: to('pending_new'),
    // Venues routinely report a fill before the acknowledgement.
    OrderFilled: fill('partially_filled'),
    // IOC and FOK orders that found nothing to trade, or a cancel-all on the venue.
    OrderCanceled: to('canceled'),
    OrderExpired: to('expired'),
    OrderCancelRejected: ignore(REFUSED_CANCEL_NOT_WAITED_FOR),
    OrderAmendRequested: anomaly('the venue has not acknowledged the order yet; it can be amended once it is open'),
    // A venue may resize an order it holds before its acknowledgement reaches Keel.
    OrderAmended: (event) => ({ kind: 'apply', status: event.complete ? 'filled' : 'pending_new', edge: null }),
    OrderAmendRejected: to('pending_new'),
  },
  open: {
    OrderCancelRequested: to('pending_cancel'),
    OrderAccepted: ignore('a repeated acknowledgement'),
    OrderRejected: to('rejected', 'rejected_after_accept'),
    OrderTriggered: to('open'),
    OrderFilled: fill('partially_filled'),
    OrderCanceled: to('canceled', 'canceled_unrequested'),
    OrderExpired: to('expired'),
    OrderCancelRejected: ignore(REFUSED_CANCEL_NOT_WAITED_FOR),
    OrderAmendRequested: to('open'),
    OrderAmended: fill('open'),
    OrderAmendRejected: to('open'),
  },
  partially_filled: {
    OrderCancelRequested: to('pending_cancel'),
    OrderAccepted: ignore('a late acknowledgement: the venue reported a fill first'),
    OrderRejected: anomaly('a venue cannot reject an order that has already traded; ask the venue for its status'),
    OrderTriggered: to('partially_filled'),
    OrderFilled: fill('partially_filled'),
    OrderCanceled: to('canceled', 'canceled_unrequested'),
    OrderExpired: to('expired'),
    OrderCancelRejected: ignore(REFUSED_CANCEL_NOT_WAITED_FOR),
    OrderAmendRequested: to('partially_filled'),
    // A quantity cut to what has filled completes the order.
    OrderAmended: fill('partially_filled'),
    OrderAmendRejected: to('partially_filled'),
  },
  pending_cancel: {
    OrderCancelRequested: ignore('a cancel request is already waiting for the venue'),
    OrderAccepted: ignore('a late acknowledgement: the cancel request is still waiting for the venue'),
    OrderRejected: to('rejected', 'rejected_after_accept'),
    OrderTriggered: to('pending_cancel'),
    OrderFilled: fill('partially_filled', 'fill_during_cancel'),
    OrderCanceled: to('canceled'),
    OrderExpired: to('expired'),
    OrderCancelRejected: (event) => ({
      kind: 'apply',
      status: event.anyFilled ? 'partially_filled' : 'open',
      edge: 'cancel_refused',
    }),
    OrderAmendRequested: anomaly('a cancel request is waiting for the venue; amend the order once it is answered'),
    // The amend landed before the cancel: the cancel is still waiting.
    OrderAmended: fill('pending_cancel'),
    OrderAmendRejected: to('pending_cancel'),
  },
  filled: {
    OrderCancelRequested: anomaly(NOTHING_TO_CANCEL),
    OrderAccepted: ignore('a late acknowledgement: the venue reported the fills first'),
    OrderRejected: anomaly('a venue cannot reject an order that has filled; ask the venue for its status'),
    OrderTriggered: to('filled'),
    // Fills after `filled` are those a venue's report announced before they arrived; an overfill shows in the quantities.
    OrderFilled: to('filled'),
    OrderCanceled: ignore('the whole quantity traded; canceling the empty remainder changes nothing'),
    OrderExpired: ignore('the whole quantity traded; expiring the empty remainder changes nothing'),
    OrderCancelRejected: ignore(REFUSED_CANCEL_NOT_WAITED_FOR),
    OrderAmendRequested: anomaly(NOTHING_TO_AMEND),
    OrderAmended: ignore(AMEND_OF_ENDED),
    OrderAmendRejected: ignore(AMEND_OF_ENDED),
  },
  canceled: {
    OrderCancelRequested: anomaly(NOTHING_TO_CANCEL),
    OrderAccepted: ignore('a late acknowledgement of an order that has already ended'),
    OrderRejected: ignore(ENDED),
    OrderTriggered: to('canceled'),
    OrderFilled: fill('canceled', 'late_fill'),
    OrderCanceled: ignore('a repeated cancel confirmation'),
    OrderExpired: ignore(ENDED),
    OrderCancelRejected: ignore(REFUSED_CANCEL_NOT_WAITED_FOR),
    OrderAmendRequested: anomaly(NOTHING_TO_AMEND),
    OrderAmended: ignore(AMEND_OF_ENDED),
    OrderAmendRejected: ignore(AMEND_OF_ENDED),
  },
  expired: {
    OrderCancelRequested: anomaly(NOTHING_TO_CANCEL),
    OrderAccepted: ignore('a late acknowledgement of an order that has already ended'),
    OrderRejected: ignore(ENDED),
    OrderTriggered: to('expired'),
    OrderFilled: fill('expired', 'late_fill'),
    OrderCanceled: ignore(ENDED),
    OrderExpired: ignore('a repeated expiry'),
    OrderCancelRejected: ignore(REFUSED_CANCEL_NOT_WAITED_FOR),
    OrderAmendRequested: anomaly(NOTHING_TO_AMEND),
    OrderAmended: ignore(AMEND_OF_ENDED),
    OrderAmendRejected: ignore(AMEND_OF_ENDED),
  },
  rejected: {
    OrderCancelRequested: anomaly(NOTHING_TO_CANCEL),
    OrderAccepted: to('open', 'reopened'),
    OrderRejected: ignore('a repeated rejection'),
    OrderTriggered: to('rejected'),
    OrderFilled: (event) =>
      event.complete ? { kind: 'apply', status: 'filled', edge: 'late_fill' } : { kind: 'apply', status: 'partially_filled', edge: 'reopened' },
    // The venue's own word on how the order ended replaces a rejection Keel may have inferred.
    OrderCanceled: to('canceled'),
    OrderExpired: to('expired'),
    OrderCancelRejected: ignore(REFUSED_CANCEL_NOT_WAITED_FOR),
    OrderAmendRequested: anomaly(NOTHING_TO_AMEND),
    OrderAmended: ignore(AMEND_OF_ENDED),
    OrderAmendRejected: ignore(AMEND_OF_ENDED),
  },
};

function words(status: OrderStatus): string {
  return status.replaceAll('_', ' ');
}

function aOrAn(text: string): string {
  return /^[aeiou]/.test(text) ? `an ${text}` : `a ${text}`;
}

function explained(outcome: OrderLifecycleOutcome, what: string, status: OrderStatus): OrderLifecycleOutcome {
  return outcome.kind === 'apply' ? outcome : { kind: outcome.kind, reason: `${what} for ${aOrAn(words(status))} order: ${outcome.reason}` };
}

/** What `event` does to an order that is `status`. */
export function applyOrderEvent(status: OrderStatus, event: OrderLifecycleEvent): OrderLifecycleOutcome {
  const cell = TABLE[status][event.type] as Cell<OrderLifecycleEvent>;
  return explained(cell(event), event.type, status);
}

/** The statuses a venue reports for an order it knows. */
export type ReportedOrderStatus = Exclude<OrderStatus, 'pending_new' | 'pending_cancel'>;

/**
 * A venue's report of one order, as reconciliation sees it. `anyFilled`: the
 * order has traded, by Keel's count or the venue's (venues that say "open"
 * for a partly filled order are read as `partially_filled`).
 */
export interface OrderStatusReport {
  status: ReportedOrderStatus;
  anyFilled: boolean;
}

type ReportRow = Record<ReportedOrderStatus | 'not_found', () => OrderLifecycleOutcome>;

const NO_RECORD = 'the venue has no record of an order it acknowledged; ask again, then look on the venue';
const FORGOTTEN = 'venues forget orders that have ended';
const SAME = 'the venue agrees';

/**
 * The same rules for a venue's report, where a report states where the order
 * is now rather than what happened to it. The venue is the authority, except
 * where Keel knows more: the fills it has counted, and an end the venue itself
 * confirmed (a report contradicting that is an anomaly, not a reason to
 * reopen).
 */
const REPORT_TABLE: Record<OrderStatus, ReportRow> = {
  pending_new: {
    open: to('open'),
    partially_filled: to('partially_filled'),
    filled: to('filled'),
    canceled: to('canceled'),
    rejected: to('rejected'),
    expired: to('expired'),
    not_found: to('rejected', 'never_received'),
  },
  open: {
    open: ignore(SAME),
    // Fills Keel has not seen yet arrive as fills; the status follows the venue now.
    partially_filled: to('partially_filled'),
    filled: to('filled'),
    canceled: to('canceled', 'canceled_unrequested'),
    rejected: to('rejected', 'rejected_after_accept'),
    expired: to('expired'),
    not_found: anomaly(NO_RECORD),
  },
  partially_filled: {
    open: ignore('Keel has counted fills; the venue calls the working order open'),
    partially_filled: ignore(SAME),
    filled: to('filled'),
    canceled: to('canceled', 'canceled_unrequested'),
    rejected: anomaly('a venue cannot reject an order that has already traded; look on the venue'),
    expired: to('expired'),
    not_found: anomaly(NO_RECORD),
  },
  pending_cancel: {
    // The request was lost or refused; a cancel still on its way is accepted from open when it lands.
    open: to('open', 'cancel_lost'),
    partially_filled: to('partially_filled', 'cancel_lost'),
    filled: to('filled', 'fill_during_cancel'),
    canceled: to('canceled'),
    rejected: to('rejected', 'rejected_after_accept'),
    expired: to('expired'),
    not_found: anomaly(NO_RECORD),
  },
  filled: {
    open: anomaly('Keel has the order filled, the venue reports it still working; look on the venue'),
    partially_filled: anomaly('Keel has the order filled, the venue reports it still working; look on the venue'),
    filled: ignore(SAME),
    canceled: ignore('the whole quantity traded; the venue calls the empty remainder canceled'),
    rejected: anomaly('a venue cannot reject an order that has filled; look on the venue'),
    expired: ignore('the whole quantity traded; the venue calls the empty remainder expired'),
    not_found: ignore(FORGOTTEN),
  },
  canceled: {
    open: anomaly('the venue confirmed the cancel and now reports the order working; look on the venue'),
    partially_filled: anomaly('the venue confirmed the cancel and now reports the order working; look on the venue'),
    filled: to('filled', 'late_fill'),
    canceled: ignore(SAME),
    rejected: ignore(ENDED),
    expired: ignore(ENDED),
    not_found: ignore(FORGOTTEN),
  },
  expired: {
    open: anomaly('the venue confirmed the expiry and now reports the order working; look on the venue'),
    partially_filled: anomaly('the venue confirmed the expiry and now reports the order working; look on the venue'),
    filled: to('filled', 'late_fill'),
    canceled: ignore(ENDED),
    rejected: ignore(ENDED),
    expired: ignore(SAME),
    not_found: ignore(FORGOTTEN),
  },
  rejected: {
    open: to('open', 'reopened'),
    partially_filled: to('partially_filled', 'reopened'),
    filled: to('filled', 'late_fill'),
    canceled: to('canceled'),
    rejected: ignore(SAME),
    expired: to('expired'),
    not_found: ignore('the venue never had the order, as its rejection says'),
  },
};

/**
 * The status an order should take from a venue's report of it; `undefined`
 * means the venue has no record of the order.
 */
export function statusFromReport(current: OrderStatus, report: OrderStatusReport | undefined): OrderLifecycleOutcome {
  const reported = report === undefined ? 'not_found' : report.status === 'open' && report.anyFilled ? 'partially_filled' : report.status;
  const what = report === undefined ? 'no record at the venue' : `a report of ${words(report.status)}`;
  return explained(REPORT_TABLE[current][reported](), what, current);
}
