/**
 * Figures of the instances table that are worked out rather than read: the
 * totals row (exact decimal sums, as the ledger would add them) and the
 * counts in the panel title.
 */
import type { StrategyInstance } from '../../../shared/contract';
import { Dec } from '../../../shared/decimal';

export interface InstanceTotals {
  realizedPnl: string;
  unrealizedPnl: string;
  fees: string;
  trades: number;
  wins: number;
  openOrders: number;
  /** Wins over closed trades across every instance, in percent; null with no closed trade. */
  winRatePct: number | null;
}

function sum(values: readonly string[]): string {
  let total = Dec.ZERO;
  for (const v of values) {
    if (Dec.isValid(v)) total = total.add(Dec.parse(v));
  }
  return total.toString();
}

export function instanceTotals(list: readonly StrategyInstance[]): InstanceTotals {
  const trades = list.reduce((n, s) => n + s.accounting.trades, 0);
  const wins = list.reduce((n, s) => n + s.accounting.wins, 0);
  return {
    realizedPnl: sum(list.map((s) => s.accounting.realizedPnl)),
    unrealizedPnl: sum(list.map((s) => s.accounting.unrealizedPnl)),
    fees: sum(list.map((s) => s.accounting.fees)),
    trades,
    wins,
    openOrders: list.reduce((n, s) => n + s.accounting.openOrders, 0),
    winRatePct: trades > 0 ? (wins / trades) * 100 : null,
  };
}

/** How many instances are working (running, starting or paused with orders possibly resting) and how many failed. */
export function instanceCounts(list: readonly StrategyInstance[]): { running: number; paused: number; error: number } {
  let running = 0;
  let paused = 0;
  let error = 0;
  for (const s of list) {
    if (s.status === 'running' || s.status === 'starting') running++;
    else if (s.status === 'paused') paused++;
    else if (s.status === 'error') error++;
  }
  return { running, paused, error };
}

export function fmtWinRate(pct: number | null): string {
  return pct === null || !Number.isFinite(pct) ? '—' : `${pct.toFixed(1)}%`;
}
