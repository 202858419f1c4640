/**
 * An order's history in a trader's words: each journaled event becomes a
 * sentence ("Filled 0.004 @ 59,000.0 (maker, fee 0.0472)"), what Keel made of
 * it (applied, ignored with its reason, or refused as an anomaly) and, when it
 * came through a real-world race, that race explained. Pure, so every
 * sentence is unit tested.
 */
import { Dec } from '../../../shared/decimal';
import type { Fill, Instrument, OrderEvent, OrderEventType, OrderStatus } from '../../../shared/domain';
import { fmtMoney, fmtPrice, fmtQty, fmtStatus, group } from '../../lib/format';

export interface EventContext {
  /** The order's venue, named in sentences ("Accepted by paper"). */
  venue: string;
  /** Precision for prices and quantities; raw values when unknown. */
  instrument?: Instrument;
}

export interface EdgeText {
  /** A few words for the marker ("Late fill"). */
  label: string;
  /** What happened in the world, in a sentence. */
  explanation: string;
}

export interface EventText {
  /** What happened, as one sentence. */
  headline: string;
  /** Facts that identify it: the venue's order id, the trade id. */
  facts: string[];
  /** The venue's reason for an applied event, or why Keel ignored or refused it. */
  reason: string | null;
  edge: EdgeText | null;
}

const EDGES: Record<string, EdgeText> = {
  fill_during_cancel: {
    label: 'Fill during cancel',
    explanation: 'The venue traded this quantity while the cancel request was on its way: the cancel came too late for it.',
  },
  late_fill: {
    label: 'Late fill',
    explanation: 'The fill arrived after the venue had said the order ended. A trade is the strongest evidence there is, so it is booked.',
  },
  reopened: {
    label: 'Reopened',
    explanation: 'Keel had this order as rejected, but the venue shows it working after all: it counts as working again.',
  },
  cancel_refused: {
    label: 'Cancel refused',
    explanation: 'The venue refused the cancel request; the order keeps working.',
  },
  cancel_lost: {
    label: 'Cancel lost',
    explanation: 'After the cancel request the venue still reports the order working: the request did not take effect.',
  },
  canceled_unrequested: {
    label: 'Canceled by the venue',
    explanation:
      'The venue canceled the order without a request from Keel (reduce-only clean-up, self-trade prevention, a cancel-all on the venue or an IOC remainder).',
  },
  rejected_after_accept: {
    label: 'Rejected after acceptance',
    explanation: 'The venue rejected an order it had already accepted, as happens to a stop refused when it triggers.',
  },
  never_received: {
    label: 'Never received',
    explanation: 'The venue never acknowledged the order and has no record of it: it never arrived, so it counts as rejected.',
  },
};

/** The race an event came through, in words; an edge this build does not know is shown by its name. */
export function describeEdge(edge: string | undefined): EdgeText | null {
  if (!edge) return null;
  return EDGES[edge] ?? { label: edge.replace(/_/g, ' '), explanation: `The venue and Keel raced (${edge.replace(/_/g, ' ')}).` };
}

function price(value: string, inst: Instrument | undefined): string {
  return group(inst ? fmtPrice(value, inst) : value);
}

function quantity(value: string, inst: Instrument | undefined): string {
  return inst ? fmtQty(value, inst) : value;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Keel's reasons for an ignored or refused event start by restating the
 * event and status ("OrderCanceled for a filled order: ..."), which the
 * timeline already shows; keep only the explanation.
 */
export function plainReason(reason: string): string {
  const m = /^.+? for an? [a-z ]+ order: (.+)$/s.exec(reason);
  return m?.[1] ?? reason;
}

/** A venue's cancel reason that only says "canceled" adds nothing to "Canceled by paper". */
function isTrivialCancelReason(reason: string): boolean {
  return /^cancel+ed( by request)?$/i.test(reason.trim());
}

function reportedWords(reported: string | undefined): string {
  return reported ? fmtStatus(reported) : 'unknown';
}

/** What an event is called when it is not applied ("a late cancel confirmation"). */
function noun(type: OrderEventType, e: OrderEvent): string {
  switch (type) {
    case 'OrderSubmitted':
      return 'submission';
    case 'OrderAccepted':
      return 'acknowledgement';
    case 'OrderRejected':
      return 'rejection';
    case 'OrderTriggered':
      return 'trigger';
    case 'OrderFilled':
      return 'fill';
    case 'OrderCancelRequested':
      return 'cancel request';
    case 'OrderCanceled':
      return 'cancel confirmation';
    case 'OrderExpired':
      return 'expiry';
    case 'OrderCancelRejected':
      return 'cancel refusal';
    case 'OrderStatusReported':
      return e.detail.reported === 'no record' ? 'report of no record' : `report of ${reportedWords(e.detail.reported)}`;
    case 'OrderAmendRequested':
      return 'amend request';
    case 'OrderAmended':
      return 'amend';
    case 'OrderAmendRejected':
      return 'amend refusal';
  }
}

/** The event restates the status the order already has: a duplicate. */
function isRepeat(e: OrderEvent): boolean {
  switch (e.type) {
    case 'OrderAccepted':
      return e.status === 'open';
    case 'OrderRejected':
      return e.status === 'rejected';
    case 'OrderCanceled':
      return e.status === 'canceled';
    case 'OrderExpired':
      return e.status === 'expired';
    case 'OrderCancelRequested':
      return e.status === 'pending_cancel';
    case 'OrderStatusReported':
      return e.detail.reported === e.status;
    default:
      return false;
  }
}

const HAD_ENDED: Partial<Record<OrderStatus, string>> = {
  filled: 'the order had already filled',
  canceled: 'the order had already been canceled',
  expired: 'the order had already expired',
  rejected: 'the order had already been rejected',
};

function appliedHeadline(e: OrderEvent, ctx: EventContext): string {
  const d = e.detail;
  const inst = ctx.instrument;
  switch (e.type) {
    case 'OrderSubmitted':
      return `Submitted to ${ctx.venue}`;
    case 'OrderAccepted':
      return `Accepted by ${ctx.venue}`;
    case 'OrderRejected':
      return d.reason ? `Rejected by ${ctx.venue}: ${d.reason}` : `Rejected by ${ctx.venue}`;
    case 'OrderTriggered':
      return 'Stop triggered';
    case 'OrderFilled': {
      const what = d.quantity && d.price ? `Filled ${quantity(d.quantity, inst)} @ ${price(d.price, inst)}` : 'Filled';
      const how = [d.liquidity, d.fee !== undefined ? `fee ${fmtMoney(d.fee, { digits: 4 })}` : null].filter(Boolean).join(', ');
      return how ? `${what} (${how})` : what;
    }
    case 'OrderCancelRequested':
      return 'Cancel requested';
    case 'OrderCanceled':
      return d.reason && !isTrivialCancelReason(d.reason) ? `Canceled by ${ctx.venue}: ${d.reason}` : `Canceled by ${ctx.venue}`;
    case 'OrderExpired':
      return d.reason ? `Expired: ${d.reason}` : 'Expired';
    case 'OrderCancelRejected':
      return d.reason ? `Cancel refused by ${ctx.venue}: ${d.reason}` : `Cancel refused by ${ctx.venue}`;
    case 'OrderStatusReported':
      return d.reported === 'no record' || d.reported === undefined
        ? `${ctx.venue} has no record of the order`
        : `${ctx.venue} reports the order ${reportedWords(d.reported)}`;
    case 'OrderAmendRequested':
      return `Amend requested: ${terms(d, inst)}${d.mode === 'cancel_replace' ? ' (cancel and replace)' : ''}`;
    case 'OrderAmended':
      if (d.linkedOrderId !== undefined && d.mode === 'cancel_replace') return `Replaced by ${d.linkedOrderId}: ${terms(d, inst)}`;
      return d.reason ? `Amended by ${ctx.venue} (${d.reason}): ${terms(d, inst)}` : `Amended: ${terms(d, inst)}`;
    case 'OrderAmendRejected':
      return d.reason ? `Amend refused: ${d.reason}` : 'Amend refused';
  }
}

/** An amend's terms in words: "price 101.5, quantity 0.2". */
function terms(d: OrderEvent['detail'], inst: Instrument | undefined): string {
  const parts = [
    d.price !== undefined ? `price ${price(d.price, inst)}` : null,
    d.stopPrice !== undefined ? `stop ${price(d.stopPrice, inst)}` : null,
    d.quantity !== undefined ? `quantity ${quantity(d.quantity, inst)}` : null,
  ].filter((p): p is string => p !== null);
  return parts.length > 0 ? parts.join(', ') : 'no change';
}

function ignoredHeadline(e: OrderEvent): string {
  const what = noun(e.type, e);
  if (e.type === 'OrderCancelRejected') return 'Cancel refusal ignored: no cancel request was waiting';
  if (e.type === 'OrderStatusReported' && e.detail.reported === e.status) return `Report of ${reportedWords(e.detail.reported)} ignored: Keel agrees`;
  if (isRepeat(e)) return `Repeated ${what} ignored`;
  const ended = HAD_ENDED[e.status];
  if (ended) return `Late ${what} ignored: ${ended}`;
  return `${capitalize(what)} ignored`;
}

/** One history entry as a trader reads it. */
export function describeOrderEvent(e: OrderEvent, ctx: EventContext): EventText {
  const d = e.detail;
  const facts: string[] = [];
  if (d.venueOrderId) facts.push(`venue order id ${d.venueOrderId}`);
  if (d.tradeId) facts.push(`trade ${d.tradeId}`);

  if (e.outcome === 'ignored') {
    return { headline: ignoredHeadline(e), facts, reason: d.reason ? plainReason(d.reason) : null, edge: describeEdge(d.edge) };
  }
  if (e.outcome === 'anomaly') {
    const what = e.type === 'OrderStatusReported' ? `${noun(e.type, e)} from ${ctx.venue}` : noun(e.type, e);
    return {
      headline: `${capitalize(what)} not applied: it contradicts what Keel knows`,
      facts,
      reason: d.reason ? plainReason(d.reason) : null,
      edge: describeEdge(d.edge),
    };
  }

  let reason: string | null = null;
  // The reason is already in these sentences; for a venue report it says why Keel asked.
  if (e.type === 'OrderStatusReported' && d.reason) reason = `Asked because: ${d.reason}`;
  return { headline: appliedHeadline(e, ctx), facts, reason, edge: describeEdge(d.edge) };
}

/** "+0 ms", "+12 ms", "+1.250 s", "+2 min 05 s", "+3 h 04 min": time since the first event. */
export function fmtElapsed(ms: number): string {
  const t = Math.max(0, Math.round(ms));
  if (t < 1_000) return `+${t} ms`;
  if (t < 60_000) return `+${(t / 1_000).toFixed(3)} s`;
  const s = Math.floor(t / 1_000);
  if (s < 3_600) return `+${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  const m = Math.floor(s / 60);
  if (m < 1_440) return `+${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
  return `+${Math.floor(m / 1_440)} d ${Math.floor((m % 1_440) / 60)} h`;
}

export interface TimelineEntry {
  event: OrderEvent;
  text: EventText;
  /** Since the first event of the history. */
  elapsedMs: number;
  /** The event changed the order's status (the first always does). */
  statusChanged: boolean;
}

/** The history, oldest first, ready to render. */
export function buildTimeline(events: readonly OrderEvent[], ctx: EventContext): TimelineEntry[] {
  const start = events[0]?.timestamp ?? 0;
  return events.map((event, i) => ({
    event,
    text: describeOrderEvent(event, ctx),
    elapsedMs: event.timestamp - start,
    statusChanged: i === 0 || events[i - 1]!.status !== event.status,
  }));
}

/** One fill of the order: from its history, with what the fills list adds (fee currency, realized PnL) when known. */
export interface OrderFillRow {
  tradeId: string;
  timestamp: number;
  quantity: string;
  price: string;
  fee: string | null;
  feeCurrency: string | null;
  liquidity: 'maker' | 'taker' | null;
  realizedPnl: string | null;
}

/**
 * The order's fills, oldest first. The history is complete for the order;
 * the fills list the workstation holds is only the newest page, so it
 * enriches rows rather than defining them.
 */
export function orderFills(orderId: string, events: readonly OrderEvent[], known: readonly Fill[]): OrderFillRow[] {
  const rows = new Map<string, OrderFillRow>();
  for (const e of events) {
    const d = e.detail;
    if (e.type !== 'OrderFilled' || !d.tradeId || rows.has(d.tradeId)) continue;
    rows.set(d.tradeId, {
      tradeId: d.tradeId,
      timestamp: e.timestamp,
      quantity: d.quantity ?? '0',
      price: d.price ?? '0',
      fee: d.fee ?? null,
      feeCurrency: null,
      liquidity: d.liquidity ?? null,
      realizedPnl: null,
    });
  }
  for (const f of known) {
    if (f.orderId !== orderId) continue;
    rows.set(f.tradeId, {
      tradeId: f.tradeId,
      timestamp: f.timestamp,
      quantity: f.quantity,
      price: f.price,
      fee: f.fee,
      feeCurrency: f.feeCurrency,
      liquidity: f.liquidity,
      realizedPnl: f.realizedPnl,
    });
  }
  return [...rows.values()].sort((a, b) => a.timestamp - b.timestamp || (a.tradeId < b.tradeId ? -1 : 1));
}

/** Sum of the fills' quantities. */
export function totalQuantity(rows: readonly OrderFillRow[]): string {
  return Dec.sum(rows.flatMap((r) => (Dec.isValid(r.quantity) ? [Dec.parse(r.quantity)] : []))).toString();
}

/** Sum of the fills' fees; null when none is known. */
export function totalFees(rows: readonly OrderFillRow[]): string | null {
  const fees = rows.flatMap((r) => (r.fee !== null && Dec.isValid(r.fee) ? [Dec.parse(r.fee)] : []));
  return fees.length === 0 ? null : Dec.sum(fees).toString();
}

