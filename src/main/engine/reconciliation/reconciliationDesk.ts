/**
 * The trader's decisions on reconciliation differences. Each blocking item of
 * a venue's latest report waits here for one of the actions it offers:
 *
 * - adopt: keep an external order or an unknown position in Keel's books
 *   (they were taken in when found; this is the trader saying "mine now");
 * - cancel: cancel an external order on the venue;
 * - flatten: close a position at the venue with a reduce-only market order
 *   (allowed while the venue is blocked, since it only reduces);
 * - accept: take the venue's figure (a position, a balance) into Keel's books.
 *
 * Every decision is journaled in the audit trail with its note and outcome;
 * the item is marked resolved in the report, and once no blocking item is
 * left the venue is opened for trading again.
 */
import { Dec } from '../../../shared/decimal';
import type { Order } from '../../../shared/domain';
import { KeelError, errorText } from '../../../shared/errors';
import type { PlaceOrderParams, ReconciliationAction, ReconciliationAuditEntry, ReconciliationItem, ReconciliationReport } from '../../../shared/contract';
import type { ActivityLog } from '../activity';
import type { OrderSource } from '../orders/orderIntake';
import type { EngineJournal } from '../ports/journal';
import type { Portfolio } from '../portfolio/portfolio';
import type { VenueRegistry } from '../venueRegistry';
import { blockingReason } from './reconcileVenue';

export interface ReconciliationDeskDeps {
  journal: EngineJournal;
  portfolio: Portfolio;
  venues: VenueRegistry;
  activity: ActivityLog;
  now: () => number;
  cancelOrder: (orderId: string) => Promise<Order>;
  placeOrder: (params: PlaceOrderParams, source: OrderSource) => Promise<Order>;
  /** The report changed: journal it (done here), publish it, and reopen the venue when nothing blocks it any more. */
  onResolved: (report: ReconciliationReport) => void;
}

export class ReconciliationDesk {
  constructor(private readonly deps: ReconciliationDeskDeps) {}

  async resolve(venue: string, itemId: string, action: ReconciliationAction, note: string | null): Promise<ReconciliationReport> {
    this.deps.venues.port(venue); // an unknown venue is NOT_FOUND
    const report = this.deps.journal.latestReconciliationReport(venue);
    const item = report?.items.find((i) => i.id === itemId);
    if (!report || !item) throw new KeelError('NOT_FOUND', `The latest reconciliation of ${venue} has no item ${itemId}.`, { venue, itemId });
    if (item.resolution !== null) throw new KeelError('INVALID_STATE', `Item ${itemId} was already resolved (${item.resolution.action}).`, { venue, itemId });
    if (!item.actions.includes(action)) {
      throw new KeelError('VALIDATION_FAILED', `"${action}" does not apply to this difference; choose one of: ${item.actions.join(', ') || 'none (it needs no decision)'}.`, { venue, itemId, actions: item.actions });
    }
    const outcome = await this.carryOut(venue, item, action);
    const at = this.deps.now();
    const resolved: ReconciliationReport = {
      ...report,
      items: report.items.map((i) => (i.id === itemId ? { ...i, blocking: false, resolution: { action, note, at } } : i)),
    };
    const left = resolved.items.filter((i) => i.blocking && i.resolution === null);
    const updated: ReconciliationReport = left.length === 0 ? { ...resolved, ok: true, reason: null } : { ...resolved, ok: false, reason: blockingReason(left) };
    const entry: Omit<ReconciliationAuditEntry, 'id'> = { venue, at, reportId: report.id, itemId, kind: item.kind, symbol: item.symbol, action, note, outcome };
    this.deps.journal.transaction(() => {
      this.deps.journal.updateReconciliationReport(updated);
      this.deps.journal.appendReconciliationAudit(entry);
    });
    this.deps.activity.record('info', 'system', `${venue} reconciliation: ${action} on ${describe(item)}: ${outcome}${note ? ` (note: ${note})` : ''}.`, { itemId });
    this.deps.onResolved(updated);
    return updated;
  }

  audit(venue: string, limit: number): ReconciliationAuditEntry[] {
    this.deps.venues.port(venue);
    return this.deps.journal.listReconciliationAudit(venue, limit);
  }

  private async carryOut(venue: string, item: ReconciliationItem, action: ReconciliationAction): Promise<string> {
    const { portfolio } = this.deps;
    switch (action) {
      case 'adopt':
        return item.subject === 'order' ? `order ${item.orderId} kept in Keel's books as external` : `position of ${item.venue} ${item.symbol} kept in Keel's books as the venue reports it`;
      case 'cancel': {
        const order = await this.deps.cancelOrder(requireText(item.orderId, 'order'));
        if (order.status !== 'canceled') throw new KeelError('VENUE_REJECTED', `${venue} did not cancel ${order.id}: it is ${order.status}. Nothing was resolved; try again or adopt it.`, { orderId: order.id });
        return `order ${order.id} cancelled on ${venue}`;
      }
      case 'accept': {
        if (item.subject === 'balance') {
          portfolio.setBalance(venue, Dec.parse(requireText(item.venue, 'balance')));
          return `balance set to ${item.venue} as ${venue} reports`;
        }
        const symbol = requireText(item.symbol, 'symbol');
        const quantity = Dec.parse(requireText(item.venue, 'quantity'));
        const entry = quantity.isZero() ? Dec.ZERO : this.entryPriceOf(venue, symbol);
        portfolio.setPosition(venue, symbol, quantity, entry, this.deps.now());
        return `position set to ${quantity.toString()} ${symbol} as ${venue} reports`;
      }
      case 'flatten': {
        const symbol = requireText(item.symbol, 'symbol');
        const quantity = Dec.parse(requireText(item.venue, 'quantity'));
        if (quantity.isZero()) return 'nothing to close';
        // Keel's books hold the venue's figure first, so the close order's fill lands on the position it closes.
        portfolio.setPosition(venue, symbol, quantity, this.entryPriceOf(venue, symbol), this.deps.now());
        let order: Order;
        try {
          order = await this.deps.placeOrder(
            { venue, symbol, side: quantity.isPositive() ? 'sell' : 'buy', type: 'market', quantity: quantity.abs().toString(), reduceOnly: true },
            { kind: 'manual', reconciling: true },
          );
        } catch (error) {
          throw new KeelError('VENUE_REJECTED', `Closing ${symbol} on ${venue} failed: ${errorText(error)}. Nothing was resolved.`, { symbol });
        }
        return `close order ${order.id} (${order.side} ${order.quantity} ${symbol}, reduce-only market) sent; it is ${order.status}`;
      }
    }
  }

  /** The entry price Keel books for a position set to the venue's figure: the ledger's when it has one, else the mark. */
  private entryPriceOf(venue: string, symbol: string): Dec {
    const ledger = this.deps.portfolio.ledger(venue);
    const entry = ledger.entryPrice(symbol);
    return entry.isPositive() ? entry : this.deps.portfolio.mark(venue, symbol);
  }
}

function describe(item: ReconciliationItem): string {
  return item.subject === 'order' ? `external order ${item.clientOrderId ?? item.orderId}` : item.subject === 'balance' ? 'the balance' : `${item.symbol} position`;
}

function requireText(value: string | null, what: string): string {
  if (value === null) throw new KeelError('INVALID_STATE', `This difference has no ${what} to act on.`);
  return value;
}
