/**
 * A venue's latest reconciliation report summed up for its header: what
 * started it, whether the venue is clean, waits for the trader (and on how
 * many differences) or could not be reconciled at all (and why), and which
 * of its items are differences and which matched.
 */
import type { ReconciliationItem, ReconciliationReport } from '../../../shared/contract';
import { isUnresolvedBlocking } from '../../stores/reconciliation';
import { byUrgency } from './itemText';

/** Keyed by text rather than the contract's enum, so a trigger added to the engine reads as itself until it has words here. */
const TRIGGER_LABEL: Readonly<Record<string, string>> = {
  startup: 'Start-up',
  added: 'Venue added',
  reconnect: 'Reconnect',
  manual: 'On demand',
  periodic: 'Periodic check',
};

export function triggerLabel(trigger: ReconciliationReport['trigger']): string {
  return TRIGGER_LABEL[trigger] ?? trigger;
}

export type ReportTone = 'clean' | 'review' | 'blocked' | 'failed' | 'none';

export interface ReportStatus {
  tone: ReportTone;
  /** One line: "Clean", "2 differences to resolve", "Could not reconcile". */
  headline: string;
  /** More words where there are any: the failure's reason, what is left to look at. */
  detail: string | null;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The engine prefixes a failure's reason with these words; the headline already says them. */
const FAILURE_PREFIX = /^could not reconcile:\s*/i;

export function reportStatus(report: ReconciliationReport | null | undefined): ReportStatus {
  if (!report) return { tone: 'none', headline: 'Not reconciled yet', detail: null };
  const blocking = report.items.filter(isUnresolvedBlocking).length;
  if (blocking > 0) {
    return { tone: 'blocked', headline: `${plural(blocking, 'difference', 'differences')} to resolve`, detail: 'Trading on this venue waits until each is resolved.' };
  }
  if (!report.ok) {
    return { tone: 'failed', headline: 'Could not reconcile', detail: (report.reason ?? 'no reason given').replace(FAILURE_PREFIX, '') };
  }
  const open = report.items.filter((i) => i.kind !== 'matched' && i.resolution === null).length;
  if (open > 0) return { tone: 'review', headline: `Open for trading · ${plural(open, 'difference', 'differences')} to review`, detail: null };
  return { tone: 'clean', headline: 'Clean', detail: null };
}

/** The report's items split for the table: differences (most urgent first) and what matched. */
export function partitionItems(items: readonly ReconciliationItem[]): { differences: ReconciliationItem[]; matched: ReconciliationItem[] } {
  const differences = items.filter((i) => i.kind !== 'matched').sort(byUrgency);
  const matched = items.filter((i) => i.kind === 'matched');
  return { differences, matched };
}

/** The currency of the venue's compared balance, to name a balance item ("USDT balance"); null when none was compared. */
export function balanceCurrency(report: Pick<ReconciliationReport, 'balances'>): string | null {
  return report.balances.length === 1 ? report.balances[0]!.currency : null;
}
