/**
 * The headline figures as cards: a label, the value as the trader reads it
 * (money to two decimals with thousands separators, ratios to two, a
 * duration in its largest sensible unit), a tone for colour and what the
 * figure means.
 */
import type { AnalyticsFigures } from '../../../shared/contract';
import { fmtMoney, fmtNumber, signOf } from '../../lib/format';

export interface FigureCard {
  key: string;
  label: string;
  value: string;
  tone: 'pos' | 'neg' | '';
  help: string;
}

// Two decimals through the shared formatter: a figure that rounds to zero reads "0.00", never "-0.00".
const ratio = (v: number | null) => fmtNumber(v, 2, { grouped: false });
const pct = (v: number | null) => (v === null ? '—' : `${fmtNumber(v, 2, { grouped: false })}%`);
/** The colour of what is shown (to two decimals): a figure that reads as zero is neither up nor down. */
const toneOf = (v: number | string | null): FigureCard['tone'] => {
  const s = signOf(v);
  return s > 0 ? 'pos' : s < 0 ? 'neg' : '';
};

export function fmtDuration(ms: number | null): string {
  if (ms === null) return '—';
  const minutes = ms / 60_000;
  if (minutes < 1) return `${Math.round(ms / 1000)}s`;
  if (minutes < 60) return `${Math.round(minutes)}m`;
  const hours = minutes / 60;
  if (hours < 48) return `${hours.toFixed(1)}h`;
  return `${(hours / 24).toFixed(1)}d`;
}

export function figureCards(f: AnalyticsFigures, currency: string): FigureCard[] {
  const money = (v: string | null, signed = false) => (v === null ? '—' : `${fmtMoney(v, { grouped: true, signed })}`);
  return [
    { key: 'netPnl', label: 'Net PnL', value: `${money(f.netPnl, true)} ${currency}`, tone: toneOf(f.netPnl), help: 'Net PnL of the round trips closed in the range, after fees and funding' },
    { key: 'returnPct', label: 'Return', value: pct(f.returnPct), tone: toneOf(f.returnPct), help: 'Change of equity (marked to market) over the range, against the equity at its start' },
    { key: 'trades', label: 'Round trips', value: `${f.trades}${f.openTrades > 0 ? ` + ${f.openTrades} open` : ''}`, tone: '', help: 'Closed in the range, and still open at its end' },
    { key: 'winRatePct', label: 'Win rate', value: pct(f.winRatePct), tone: '', help: `${f.wins} won, ${f.losses} lost` },
    { key: 'profitFactor', label: 'Profit factor', value: ratio(f.profitFactor), tone: '', help: 'Money won over money lost' },
    { key: 'expectancy', label: 'Expectancy', value: money(f.expectancy, true), tone: toneOf(f.expectancy), help: `Net PnL per round trip; mean return ${pct(f.expectancyPct)}` },
    { key: 'expectancyR', label: 'Expectancy R', value: ratio(f.expectancyR), tone: toneOf(f.expectancyR), help: `Mean R multiple of the ${f.rTrades} round trips whose risk a stop defined` },
    { key: 'payoffRatio', label: 'Payoff', value: ratio(f.payoffRatio), tone: '', help: `Average win ${money(f.averageWin)} over average loss ${money(f.averageLoss)}` },
    { key: 'sharpeRatio', label: 'Sharpe', value: ratio(f.sharpeRatio), tone: '', help: 'Annualised from daily returns (365 days)' },
    { key: 'sortinoRatio', label: 'Sortino', value: ratio(f.sortinoRatio), tone: '', help: 'Annualised from daily returns, over the downside deviation' },
    { key: 'maxDrawdown', label: 'Max drawdown', value: `${money(f.maxDrawdown)} · ${pct(f.maxDrawdownPct)}`, tone: signOf(f.maxDrawdown) > 0 ? 'neg' : '', help: `Deepest fall below a high; longest ${fmtDuration(f.maxDrawdownDurationMs)}` },
    { key: 'exposurePct', label: 'Exposure', value: pct(f.exposurePct), tone: '', help: 'Share of the range with a position open' },
    { key: 'feesPaid', label: 'Fees · funding', value: `${money(f.feesPaid)} · ${money(f.fundingPaid)}`, tone: '', help: 'Fees paid, and funding paid (negative: received)' },
    { key: 'unrealizedPnl', label: 'Unrealized', value: money(f.unrealizedPnl, true), tone: toneOf(f.unrealizedPnl), help: 'Open round trips at their marks' },
  ];
}
