/**
 * Start-up and crash recovery, one path: with the journal loaded, bring every
 * order whose outcome is unknown in line with the venue's report, then
 * compare positions. Only a venue that reconciles is opened for trading; one
 * that cannot be reconciled stays blocked with the reason (fail closed). A
 * missing position report is never taken to mean flat.
 */
import { Dec } from '../../shared/decimal';
import type { ActivityLog } from './activity';
import type { EngineJournal } from './ports/journal';
import type { OrderManager } from './orders/orderManager';
import type { Portfolio } from './portfolio/portfolio';
import type { VenuePort } from './ports/venue';

/** Fills are fetched from a little before the newest one Keel has, in case clocks or ordering differ. */
const FILL_OVERLAP_MS = 60_000;
/** With no fill history, look back this far for fills of orders still open. */
const FIRST_LOOKBACK_MS = 7 * 24 * 3_600_000;

export interface ReconciliationResult {
  ok: boolean;
  /** Why the venue stays blocked, when not ok. */
  reason: string | null;
  resolvedOrders: number;
  externalOrders: string[];
}

export async function reconcileVenue(
  port: VenuePort,
  orders: OrderManager,
  portfolio: Portfolio,
  activity: ActivityLog,
  journal: EngineJournal,
  now: number,
): Promise<ReconciliationResult> {
  const venue = port.id;
  let resolvedOrders = 0;
  try {
    // Fills first: what happened while Keel was away (or lost in a crash) moves positions and orders.
    const open = orders.openOrders(venue);
    const lastFill = journal.lastFillTimestamp(venue);
    const oldestOpen = Math.min(now, ...open.map((o) => o.createdAt));
    const since = Math.min(lastFill === undefined ? now - FIRST_LOOKBACK_MS : lastFill - FILL_OVERLAP_MS, oldestOpen);
    let recovered = 0;
    const fills = (await port.fillReports(since)).sort((a, b) => a.timestamp - b.timestamp || a.tradeId.localeCompare(b.tradeId));
    for (const fill of fills) {
      if (journal.hasFill(venue, fill.tradeId)) continue;
      orders.onExecution(venue, { type: 'OrderFilled', ...fill });
      if (journal.hasFill(venue, fill.tradeId)) recovered += 1;
    }
    if (recovered > 0) activity.record('warning', 'system', `${venue}: recovered ${recovered} fill(s) Keel had not recorded.`);

    const venueOpen = new Map((await port.openOrderReports()).map((r) => [r.clientOrderId, r]));
    for (const order of orders.openOrders(venue)) {
      const report = venueOpen.get(order.clientOrderId) ?? (await port.orderReport(order.clientOrderId, order.symbol));
      const before = order.status;
      orders.applyReport(order.id, report, 'start-up reconciliation');
      if (orders.get(order.id)?.status !== before) resolvedOrders += 1;
      venueOpen.delete(order.clientOrderId);
    }
    const externalOrders = [...venueOpen.keys()].filter((cid) => !orders.getByClientId(cid));
    if (externalOrders.length > 0) {
      activity.record('warning', 'system', `${venue} has ${externalOrders.length} open order(s) Keel did not place.`, {
        clientOrderIds: externalOrders,
      });
    }

    const reports = await port.positionReports();
    const ledger = portfolio.ledger(venue);
    const symbols = new Set([...reports.map((r) => r.symbol), ...ledger.positions().map((p) => p.symbol)]);
    const mismatches: string[] = [];
    for (const symbol of symbols) {
      const theirs = Dec.parse(reports.find((r) => r.symbol === symbol)?.quantity ?? '0');
      const ours = ledger.netQuantity(symbol);
      if (!theirs.eq(ours)) mismatches.push(`${symbol}: Keel ${ours}, ${venue} ${theirs}`);
    }
    if (mismatches.length > 0) {
      const reason = `positions differ from the venue (${mismatches.join('; ')})`;
      activity.record('error', 'system', `${venue} blocked: ${reason}.`, { mismatches });
      return { ok: false, reason, resolvedOrders, externalOrders };
    }
    activity.record('info', 'system', `${venue} reconciled: ${resolvedOrders} order(s) resolved, positions match.`);
    return { ok: true, reason: null, resolvedOrders, externalOrders };
  } catch (error) {
    const reason = `could not reconcile: ${error instanceof Error ? error.message : String(error)}`;
    activity.record('error', 'system', `${venue} blocked: ${reason}.`);
    return { ok: false, reason, resolvedOrders, externalOrders: [] };
  }
}
