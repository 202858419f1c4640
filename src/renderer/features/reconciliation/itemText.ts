/**
 * How a reconciliation item reads on screen: its kind in plain words, its
 * severity (which colours the row), what each action is called and what it
 * will do, and the item's name for buttons read by assistive technology
 * ("Flatten BTC/USDT:USDT position on paper").
 */
import type { ReconciliationAction, ReconciliationItem } from '../../../shared/contract';

export type ItemKind = ReconciliationItem['kind'];

export const KIND_LABEL: Record<ItemKind, string> = {
  matched: 'Matched',
  missing_at_venue: 'Missing at venue',
  missing_in_keel: 'Missing in Keel',
  quantity_mismatch: 'Quantity differs',
  unknown_outcome: 'Outcome unknown',
  external_order: 'External order',
  balance_drift: 'Balance drift',
};

export const KIND_HINT: Record<ItemKind, string> = {
  matched: 'Keel and the venue agree.',
  missing_at_venue: 'Keel holds it; the venue reports nothing. Keel never takes a missing report to mean flat.',
  missing_in_keel: 'The venue holds it and Keel did not know; it is in the books as the venue reports it until you decide.',
  quantity_mismatch: 'Both hold it, in different quantities.',
  unknown_outcome: 'An order was sent and not answered; Keel asks the venue until its deadline and never sends it again.',
  external_order: 'An open order on the venue that Keel did not place; it is in the books as external until you decide.',
  balance_drift: 'The balances differ (funding, fees or transfers are not fills).',
};

/**
 * - block: keeps the venue from trading until the trader decides;
 * - warn: a difference to look at that does not block (a balance drift);
 * - pending: Keel is still finding out (an unknown outcome);
 * - ok: matched; resolved: decided.
 */
export type Severity = 'block' | 'warn' | 'pending' | 'ok' | 'resolved';

export function severityOf(item: Pick<ReconciliationItem, 'kind' | 'blocking' | 'resolution'>): Severity {
  if (item.resolution !== null) return 'resolved';
  if (item.kind === 'matched') return 'ok';
  if (item.blocking) return 'block';
  return item.kind === 'unknown_outcome' ? 'pending' : 'warn';
}

/** Unresolved blocking first, then the other differences, then what was decided, then what matched. */
const SEVERITY_ORDER: Record<Severity, number> = { block: 0, warn: 1, pending: 2, resolved: 3, ok: 4 };

export function byUrgency(a: ReconciliationItem, b: ReconciliationItem): number {
  return SEVERITY_ORDER[severityOf(a)] - SEVERITY_ORDER[severityOf(b)];
}

export const ACTION_LABEL: Record<ReconciliationAction, string> = {
  adopt: 'Adopt',
  cancel: 'Cancel on venue',
  flatten: 'Flatten',
  accept: 'Accept venue figure',
};

const DONE_LABEL: Record<ReconciliationAction | 'automatic', string> = {
  adopt: 'Adopted',
  cancel: 'Cancelled on venue',
  flatten: 'Flattened',
  accept: 'Accepted venue figure',
  automatic: 'Resolved by a later reconciliation',
};

/** What the audit trail and a resolved row say was done ("automatic": a later reconciliation found it gone). */
export function resolutionLabel(action: ReconciliationAction | 'automatic'): string {
  return DONE_LABEL[action];
}

/** Actions that send something to the venue are the dangerous ones. */
export function isDangerous(action: ReconciliationAction): boolean {
  return action === 'cancel' || action === 'flatten';
}

/** The order an item is about, by the id the trader can find on the exchange. */
function orderRef(item: Pick<ReconciliationItem, 'orderId' | 'clientOrderId'>): string {
  return item.clientOrderId ?? item.orderId ?? 'unknown id';
}

/** The item's name in a sentence or on a button: "order x-17 on BTC/USDT:USDT", "BTC/USDT:USDT position", "USDT balance". */
export function itemName(item: Pick<ReconciliationItem, 'subject' | 'symbol' | 'orderId' | 'clientOrderId'>, currency: string | null = null): string {
  switch (item.subject) {
    case 'order':
      return `order ${orderRef(item)}${item.symbol ? ` on ${item.symbol}` : ''}`;
    case 'position':
      return `${item.symbol ?? 'unknown symbol'} position`;
    case 'balance':
      return currency ? `${currency} balance` : 'balance';
  }
}

/** A row button's accessible name: the action, the item and the venue, so each of a table's buttons is told apart. */
export function actionAriaLabel(action: ReconciliationAction, item: ReconciliationItem, venue: string, currency: string | null = null): string {
  return `${ACTION_LABEL[action]}: ${itemName(item, currency)} on ${venue}`;
}

/** What confirming an action will do, in the words the dialog shows. */
export function actionConsequence(action: ReconciliationAction, item: ReconciliationItem, venue: string, currency: string | null = null): string {
  const name = itemName(item, currency);
  switch (action) {
    case 'adopt':
      return item.subject === 'order'
        ? `Keeps ${name} in Keel's books as an external order. Stopping a strategy never cancels it; the emergency stop does.`
        : `Keeps the ${name} of ${item.venue ?? '?'} in Keel's books as ${venue} reports it, tagged external.`;
    case 'cancel':
      return `Sends a cancel for ${name} to ${venue}. The difference is resolved only once ${venue} confirms the cancel.`;
    case 'flatten':
      return `Closes the ${name} of ${item.venue ?? '?'} on ${venue} with a reduce-only market order. Keel's books take ${venue}'s figure first, so the fill lands on the position it closes.`;
    case 'accept':
      return `Sets Keel's ${name} from ${item.keel ?? 'nothing'} to ${venue}'s figure, ${item.venue ?? 'nothing'}. Nothing is sent to ${venue}.`;
  }
}
