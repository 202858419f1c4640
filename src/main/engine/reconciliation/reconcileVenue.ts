/**
 * Start-up and crash recovery, one path, and the same path after a
 * reconnect or when the trader asks: with the journal loaded, apply the
 * fills the venue made that Keel has not recorded, bring every order whose
 * outcome is unknown in line with the venue's report, adopt open orders
 * Keel did not place (source `external`), then compare positions and
 * balances. Only a venue whose positions agree is opened for trading; one
 * that cannot be reconciled stays blocked with the reason (fail closed). A
 * missing position report is never taken to mean flat.
 *
 * The answer is a report of everything found, which the engine journals and
 * publishes.
 */
import { Dec } from '../../../shared/decimal';
import type { ReconciliationReport } from '../../../shared/contract';
import type { ActivityLog } from '../activity';
import type { EngineJournal } from '../ports/journal';
import type { OrderManager } from '../orders/orderManager';
import type { Portfolio } from '../portfolio/portfolio';
import type { VenuePort } from '../ports/venue';
import { errorText } from '../../../shared/errors';

/** Fills are fetched from a little before the newest one Keel has, in case clocks or ordering differ. */
const FILL_OVERLAP_MS = 60_000;
/** With no fill history, look back this far for fills of orders still open. */
const FIRST_LOOKBACK_MS = 7 * 24 * 3_600_000;

export interface ReconcileInputs {
  port: VenuePort;
  orders: OrderManager;
  portfolio: Portfolio;
  activity: ActivityLog;
  journal: EngineJournal;
  now: () => number;
  id: string;
  trigger: ReconciliationReport['trigger'];
}

export async function reconcileVenue(inputs: ReconcileInputs): Promise<ReconciliationReport> {
  const { port, orders, portfolio, activity, journal, now } = inputs;
  const venue = port.id;
  const report: ReconciliationReport = {
    id: inputs.id,
    venue,
    trigger: inputs.trigger,
    startedAt: now(),
    finishedAt: 0,
    ok: false,
    reason: null,
    fillsRecovered: 0,
    ordersResolved: [],
    externalOrders: [],
    positions: [],
    balances: [],
  };
  const finish = (ok: boolean, reason: string | null): ReconciliationReport => ({ ...report, ok, reason, finishedAt: now() });
  try {
    // Fills first: what happened while Keel was away (or lost in a crash) moves positions and orders.
    const open = orders.openOrders(venue);
    const lastFill = journal.lastFillTimestamp(venue);
    const oldestOpen = Math.min(now(), ...open.map((o) => o.createdAt));
    const since = Math.min(lastFill === undefined ? now() - FIRST_LOOKBACK_MS : lastFill - FILL_OVERLAP_MS, oldestOpen);
    const fills = (await port.fillReports(since)).sort((a, b) => a.timestamp - b.timestamp || a.tradeId.localeCompare(b.tradeId));
    for (const fill of fills) {
      if (journal.hasFill(venue, fill.tradeId)) continue;
      // An order adopted from the venue came with its earlier fills already counted: they are its past, not news.
      const owner = orders.recall(fill.clientOrderId);
      if (owner?.source === 'external' && fill.timestamp < owner.createdAt) continue;
      orders.onExecution(venue, { type: 'OrderFilled', ...fill });
      if (journal.hasFill(venue, fill.tradeId)) report.fillsRecovered += 1;
    }
    if (report.fillsRecovered > 0) activity.record('warning', 'system', `${venue}: recovered ${report.fillsRecovered} fill(s) Keel had not recorded.`);

    const venueOpen = new Map((await port.openOrderReports()).map((r) => [r.clientOrderId, r]));
    for (const order of orders.openOrders(venue)) {
      // A submit still on its way has no fate yet: "the venue has no record" would wrongly reject it.
      if (orders.isSending(order.id)) {
        venueOpen.delete(order.clientOrderId);
        continue;
      }
      const theirs = venueOpen.get(order.clientOrderId) ?? (await port.orderReport(order.clientOrderId, order.symbol));
      orders.applyReport(order.id, theirs, `${inputs.trigger} reconciliation`);
      const after = orders.get(order.id)!;
      if (after.status !== order.status) {
        report.ordersResolved.push({ orderId: order.id, clientOrderId: order.clientOrderId, symbol: order.symbol, from: order.status, to: after.status });
      }
      venueOpen.delete(order.clientOrderId);
    }
    for (const foreign of venueOpen.values()) {
      const known = orders.recall(foreign.clientOrderId);
      if (known) {
        // Keel has it as finished, the venue as working: the venue's report decides (a "rejected" order reopens;
        // a canceled or filled one is an anomaly, kept as it is and flagged).
        if (known.venue === venue && !orders.isSending(known.id)) {
          orders.applyReport(known.id, foreign, `${inputs.trigger} reconciliation`);
          const after = orders.get(known.id)!;
          if (after.status !== known.status) {
            report.ordersResolved.push({ orderId: known.id, clientOrderId: known.clientOrderId, symbol: known.symbol, from: known.status, to: after.status });
          }
        }
        continue;
      }
      const adopted = orders.adoptExternal(venue, foreign);
      report.externalOrders.push({
        orderId: adopted.id,
        clientOrderId: adopted.clientOrderId,
        symbol: adopted.symbol,
        side: adopted.side,
        quantity: adopted.quantity,
        status: adopted.status,
      });
    }
    if (report.externalOrders.length > 0) {
      activity.record('warning', 'system', `${venue} has ${report.externalOrders.length} open order(s) Keel did not place; they are now in the books as external.`, {
        clientOrderIds: report.externalOrders.map((o) => o.clientOrderId),
      });
    }

    const reported = await port.positionReports();
    const ledger = portfolio.ledger(venue);
    const symbols = [...new Set([...reported.map((r) => r.symbol), ...ledger.positions().map((p) => p.symbol)])].sort();
    for (const symbol of symbols) {
      const theirs = Dec.parse(reported.find((r) => r.symbol === symbol)?.quantity ?? '0');
      const ours = ledger.netQuantity(symbol);
      report.positions.push({ symbol, keel: ours.toString(), venue: theirs.toString(), match: theirs.eq(ours) });
    }
    for (const balance of await port.balanceReports()) {
      if (balance.currency !== ledger.currency) continue;
      const theirs = Dec.parse(balance.total);
      report.balances.push({ currency: balance.currency, keel: ledger.balance.toString(), venue: theirs.toString(), match: theirs.eq(ledger.balance) });
    }
    const mismatches = report.positions.filter((p) => !p.match).map((p) => `${p.symbol}: Keel ${p.keel}, ${venue} ${p.venue}`);
    if (mismatches.length > 0) {
      const reason = `positions differ from the venue (${mismatches.join('; ')})`;
      activity.record('error', 'system', `${venue} blocked: ${reason}.`, { mismatches });
      return finish(false, reason);
    }
    const balanceNote = report.balances.some((b) => !b.match) ? '; the balance differs (see the reconciliation report)' : '';
    activity.record('info', 'system', `${venue} reconciled: ${report.ordersResolved.length} order(s) resolved, positions match${balanceNote}.`);
    return finish(true, null);
  } catch (error) {
    const reason = `could not reconcile: ${errorText(error)}`;
    activity.record('error', 'system', `${venue} blocked: ${reason}.`);
    return finish(false, reason);
  }
}
