/**
 * Start-up and crash recovery, one path, and the same path after a
 * reconnect or when the trader asks: with the journal loaded, apply the
 * fills the venue made and the funding it settled that Keel has not
 * recorded (in the order they happened), bring every order whose
 * outcome is unknown in line with the venue's report, adopt open orders
 * Keel did not place (source `external`), then compare positions and
 * balances.
 *
 * Every difference becomes an item of the report, classified (matched,
 * missing at the venue, missing in Keel, quantity mismatch, unknown outcome,
 * external order, balance drift). The blocking ones keep the venue from
 * trading until the trader has resolved each (`ReconciliationDesk`): an
 * external order or a position Keel did not know is taken into the books at
 * once (watched, never ignored) and waits for the trader to keep it, cancel
 * it or flatten it; a position Keel has that the venue does not report is
 * never taken to be flat. One that cannot be reconciled at all stays blocked
 * with the reason (fail closed).
 *
 * The answer is a report of everything found, which the engine journals and
 * publishes.
 */
import { Dec } from '../../../shared/decimal';
import type { ReconciliationItem, ReconciliationReport } from '../../../shared/contract';
import type { ActivityLog } from '../activity';
import type { EngineJournal } from '../ports/journal';
import type { OrderManager } from '../orders/orderManager';
import type { Portfolio } from '../portfolio/portfolio';
import type { ExecutionEvent, VenuePort } from '../ports/venue';
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
    items: [],
  };
  let itemCount = 0;
  const item = (fields: Omit<ReconciliationItem, 'id' | 'resolution' | 'orderId' | 'clientOrderId'> & Partial<Pick<ReconciliationItem, 'orderId' | 'clientOrderId'>>): void => {
    itemCount += 1;
    report.items.push({ id: `${inputs.id}-${itemCount}`, orderId: null, clientOrderId: null, resolution: null, ...fields });
  };
  const finish = (ok: boolean, reason: string | null): ReconciliationReport => ({ ...report, ok, reason, finishedAt: now() });
  try {
    // Fills first: what happened while Keel was away (or lost in a crash) moves positions and orders.
    const open = orders.openOrders(venue);
    const lastFill = journal.lastFillTimestamp(venue);
    const oldestOpen = Math.min(now(), ...open.map((o) => o.createdAt));
    const since = Math.min(lastFill === undefined ? now() - FIRST_LOOKBACK_MS : lastFill - FILL_OVERLAP_MS, oldestOpen);
    const fills = (await port.fillReports(since)).sort((a, b) => a.timestamp - b.timestamp || a.tradeId.localeCompare(b.tradeId));
    const lastFunding = journal.lastLedgerEntryTimestamp(venue);
    // A real exchange's books start from the balance it reported, which holds every payment before: funding is
    // booked from the first reconciliation on. The paper venue's account is Keel's own from its start.
    const fundingSince = lastFunding !== undefined ? lastFunding - FILL_OVERLAP_MS : port.paper ? now() - FIRST_LOOKBACK_MS : now();
    const funding = port.fundingReports ? await port.fundingReports(fundingSince) : [];
    // Replayed in the order they happened, so a payment lands on the position it was charged on; at the same
    // moment funding comes first, as a venue settles it before its market moves.
    const rank = (e: { type: string }): number => (e.type === 'FundingSettled' ? 0 : 1);
    const missed: Array<Extract<ExecutionEvent, { type: 'OrderFilled' | 'FundingSettled' }>> = [
      ...fills.map((fill) => ({ type: 'OrderFilled' as const, ...fill })),
      ...funding.filter((f) => !journal.hasLedgerEntry(venue, f.fundingId)).map((f) => ({ type: 'FundingSettled' as const, ...f })),
    ].sort((a, b) => a.timestamp - b.timestamp || rank(a) - rank(b));
    let fundingRecovered = 0;
    for (const event of missed) {
      if (event.type === 'FundingSettled') {
        orders.onExecution(venue, event);
        if (journal.hasLedgerEntry(venue, event.fundingId)) fundingRecovered += 1;
        continue;
      }
      if (journal.hasFill(venue, event.tradeId)) continue;
      // An order adopted from the venue came with its earlier fills already counted: they are its past, not news.
      const owner = orders.recall(event.clientOrderId);
      if (owner?.source === 'external' && event.timestamp < owner.createdAt) continue;
      orders.onExecution(venue, event);
      if (journal.hasFill(venue, event.tradeId)) report.fillsRecovered += 1;
    }
    if (report.fillsRecovered > 0) activity.record('warning', 'system', `${venue}: recovered ${report.fillsRecovered} fill(s) Keel had not recorded.`);
    if (fundingRecovered > 0) activity.record('warning', 'system', `${venue}: recovered ${fundingRecovered} funding payment(s) Keel had not recorded.`);

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
      const price = adopted.price ?? adopted.stopPrice;
      item({
        kind: 'external_order',
        subject: 'order',
        symbol: adopted.symbol,
        orderId: adopted.id,
        clientOrderId: adopted.clientOrderId,
        keel: null,
        venue: `${adopted.side} ${adopted.quantity} ${adopted.type}${price ? ` @ ${price}` : ''}, ${adopted.status}`,
        detail: `${venue} holds an open order Keel did not place (client id ${adopted.clientOrderId}); it is in the books as external until you keep or cancel it.`,
        blocking: true,
        actions: ['adopt', 'cancel'],
      });
    }
    for (const order of orders.openOrders(venue)) {
      if (order.status !== 'pending_new' || orders.isSending(order.id)) continue;
      item({
        kind: 'unknown_outcome',
        subject: 'order',
        symbol: order.symbol,
        orderId: order.id,
        clientOrderId: order.clientOrderId,
        keel: 'sent, no answer',
        venue: 'no record yet',
        detail: `${venue} has no record of ${order.id} yet; Keel keeps asking until the venue's deadline and never sends it again.`,
        blocking: false,
        actions: [],
      });
    }
    if (report.externalOrders.length > 0) {
      activity.record('warning', 'system', `${venue} has ${report.externalOrders.length} open order(s) Keel did not place; they are now in the books as external.`, {
        clientOrderIds: report.externalOrders.map((o) => o.clientOrderId),
      });
    }

    // Differences the trader has not decided on yet outlive the report that found them: a later reconciliation
    // that sees the books agree (because the position or order was taken in) does not decide for the trader.
    const carried = (journal.latestReconciliationReport(venue)?.items ?? []).filter((i) => i.blocking && i.resolution === null);
    for (const previous of carried.filter((i) => i.kind === 'external_order')) {
      const order = previous.orderId === null ? undefined : orders.get(previous.orderId);
      if (!order || order.source !== 'external' || !['open', 'partially_filled', 'pending_cancel'].includes(order.status)) continue;
      item({ ...withoutIdentity(previous), detail: `Still to decide: ${previous.detail}` });
    }

    const reported = await port.positionReports();
    const ledger = portfolio.ledger(venue);
    const symbols = [...new Set([...reported.map((r) => r.symbol), ...ledger.positions().map((p) => p.symbol)])].sort();
    for (const symbol of symbols) {
      const theirs = reported.find((r) => r.symbol === symbol);
      const venueQuantity = Dec.parse(theirs?.quantity ?? '0');
      const ours = ledger.netQuantity(symbol);
      report.positions.push({ symbol, keel: ours.toString(), venue: venueQuantity.toString(), match: venueQuantity.eq(ours) });
      const evidence = { symbol, subject: 'position' as const, keel: ours.toString(), venue: venueQuantity.toString() };
      const undecided = carried.find((i) => i.kind === 'missing_in_keel' && i.symbol === symbol);
      if (venueQuantity.eq(ours) && undecided && !ours.isZero()) {
        item({ ...withoutIdentity(undecided), keel: ours.toString(), venue: venueQuantity.toString(), detail: `Still to decide: ${undecided.detail}` });
      } else if (venueQuantity.eq(ours)) {
        if (!ours.isZero()) item({ ...evidence, kind: 'matched', detail: `Both hold ${ours.toString()} ${symbol}.`, blocking: false, actions: [] });
      } else if (ours.isZero() && theirs && inputs.trigger === 'periodic') {
        // A background check only flags it: a fill still on its way could explain it. Reconciling on demand takes it in.
        item({
          ...evidence,
          kind: 'missing_in_keel',
          detail: `${venue} reports a position of ${venueQuantity.toString()} ${symbol} at ${theirs.entryPrice} that Keel does not hold. Reconcile now to take it into the books, then keep it or flatten it.`,
          blocking: true,
          actions: ['flatten'],
        });
      } else if (ours.isZero() && theirs) {
        // Never ignored: taken into the books at the venue's entry price, and flagged until the trader keeps or closes it.
        portfolio.setPosition(venue, symbol, venueQuantity, Dec.parse(theirs.entryPrice), now());
        item({
          ...evidence,
          kind: 'missing_in_keel',
          detail: `${venue} reports a position of ${venueQuantity.toString()} ${symbol} at ${theirs.entryPrice} that Keel did not know; it is now in the books as the venue reports it. Keep it or flatten it.`,
          blocking: true,
          actions: ['adopt', 'flatten'],
        });
      } else if (venueQuantity.isZero()) {
        item({
          ...evidence,
          kind: 'missing_at_venue',
          detail: `Keel holds ${ours.toString()} ${symbol}; ${venue} reports none. Keel does not take that to be flat: check the exchange, then accept the venue's figure.`,
          blocking: true,
          actions: ['accept'],
        });
      } else {
        item({
          ...evidence,
          kind: 'quantity_mismatch',
          detail: `Keel holds ${ours.toString()} ${symbol}; ${venue} reports ${venueQuantity.toString()}. Accept the venue's figure, or flatten the position at the venue.`,
          blocking: true,
          actions: ['accept', 'flatten'],
        });
      }
    }
    for (const balance of await port.balanceReports()) {
      if (balance.currency !== ledger.currency) continue;
      const theirs = Dec.parse(balance.total);
      const match = theirs.eq(ledger.balance);
      report.balances.push({ currency: balance.currency, keel: ledger.balance.toString(), venue: theirs.toString(), match });
      const evidence = { subject: 'balance' as const, symbol: null, keel: ledger.balance.toString(), venue: theirs.toString() };
      if (match) item({ ...evidence, kind: 'matched', detail: `Both hold ${theirs.toString()} ${balance.currency}.`, blocking: false, actions: [] });
      else {
        // Funding, fee rebates and transfers move a real account's balance without a fill: a drift is shown, not blocking.
        item({
          ...evidence,
          kind: 'balance_drift',
          detail: `Keel's ${balance.currency} balance is ${ledger.balance.toString()}; ${venue} reports ${theirs.toString()} (a difference of ${theirs.sub(ledger.balance).toString()}). Funding and transfers are not fills; accept the venue's figure when you have checked it.`,
          blocking: false,
          actions: ['accept'],
        });
      }
    }
    const toResolve = report.items.filter((i) => i.blocking);
    if (toResolve.length > 0) {
      const reason = blockingReason(toResolve);
      activity.record('error', 'system', `${venue} blocked: ${reason}.`, { items: toResolve.map((i) => i.id) });
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

/** Why a venue waits for the trader, in one line: how many differences, and the first words of each. */
export function blockingReason(items: readonly ReconciliationItem[]): string {
  return `${items.length} reconciliation difference(s) to resolve: ${items.map((i) => i.detail.split('. ')[0]!.replace(/\.$/, '')).join('; ')}`;
}

function withoutIdentity(item: ReconciliationItem): Omit<ReconciliationItem, 'id' | 'resolution'> {
  const { id: _id, resolution: _resolution, ...rest } = item;
  return rest;
}

