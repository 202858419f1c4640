/**
 * What the Parity section shows of a report, in words and figures: each
 * reason's label, a row's live and replay fills, its slippage, and the
 * summary's lines. Pure, so the wording is tested without a DOM.
 */
import type { ParityOrder, ParityReason, ParityReport, ParityRow } from '../../../shared/contract/parity';
import type { StrategyInstance } from '../../../shared/contract/strategies';
import { fmtDateTime, fmtMoney, fmtNumber, fmtTime } from '../../lib/format';

export const PARITY_REASON_LABEL: Record<ParityReason, string> = {
  same: 'Same',
  price: 'Price',
  fillModel: 'Fill model',
  latency: 'Latency',
  missedBar: 'Missed bar',
  missing: 'Missing decision',
  extra: 'Extra decision',
};

/** The instances of a type a report can be asked for, newest first (one never started answers that there is nothing to compare). */
export function parityCandidates(strategies: readonly StrategyInstance[], type: string): StrategyInstance[] {
  return strategies.filter((s) => s.type === type).sort((a, b) => b.createdAt - a.createdAt);
}

/** "0.001 @ 83,250.3 (filled)", "0.5 limit 99 (open)"; an em dash for no order. */
export function fmtParityOrder(order: ParityOrder | null): string {
  if (!order) return '—';
  const filled = order.averagePrice !== null && Number(order.filledQuantity) > 0;
  const at = filled ? ` @ ${fmtNumber(order.averagePrice, decimalsOf(order.averagePrice!))}` : order.price !== null ? ` limit ${order.price}` : '';
  return `${order.side} ${order.quantity}${at} (${order.status.replace('_', ' ')})`;
}

/** "+1.25 bps", "−0.06 bps" (negative: live did better); an em dash when not both filled. */
export function fmtSlippage(row: ParityRow): string {
  return row.slippage ? `${fmtNumber(row.slippage.bps, 2, { signed: true })} bps` : '—';
}

export function fmtLag(row: ParityRow): string {
  if (row.lagMs === null) return '—';
  return row.lagMs >= 10_000 ? `${Math.round(row.lagMs / 1000)} s` : `${(row.lagMs / 1000).toFixed(1)} s`;
}

/** The bar a row is about: its open time, and the length of a stretch of missed bars. */
export function fmtRowBar(row: ParityRow): string {
  return row.bars > 1 ? `${fmtTime(row.barTime)} (+${row.bars - 1} bars)` : fmtTime(row.barTime);
}

export interface SummaryLine {
  label: string;
  value: string;
  title?: string;
}

export function summaryLines(report: ParityReport): SummaryLine[] {
  const s = report.summary;
  return [
    { label: 'Period', value: `${fmtDateTime(s.from)} → ${fmtDateTime(s.to)}`, title: `${s.bars} bars, after ${s.warmupBars} of warm-up` },
    { label: 'Orders live / replay', value: `${s.liveOrders} / ${s.replayOrders}` },
    { label: 'Matched (same)', value: `${s.matched} (${s.same})` },
    { label: 'Missing / extra / missed bars', value: `${s.missing} / ${s.extra} / ${s.missedBars}` },
    { label: 'Trades live / replay', value: `${s.liveTrades} / ${s.replayTrades}`, title: 'Closed round trips in the period' },
    { label: 'PnL live / replay', value: `${fmtMoney(s.livePnl, { signed: true })} / ${fmtMoney(s.replayPnl, { signed: true })}`, title: 'Net of fees, closed round trips' },
    { label: 'Mean slippage', value: s.meanSlippageBps === null ? '—' : `${fmtNumber(s.meanSlippageBps, 2, { signed: true })} bps`, title: 'Positive: live filled worse' },
    {
      label: 'Tracking error',
      value: s.trackingErrorBps === null ? 'not enough trades' : `${fmtNumber(s.trackingErrorBps, 2)} bps`,
      title: 'Root mean square of the per-trade return difference, live against replay',
    },
  ];
}

function decimalsOf(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : Math.min(8, text.length - dot - 1);
}
