/** A run's closed trades, oldest first: side, size, entry and exit (time and price), PnL net of commissions, return, time held. */
import { useMemo } from 'react';
import type { BacktestTrade } from '../../../shared/contract';
import { VirtualTable, type Column } from '../../components/VirtualTable';
import { fmtBacktestPrice, fmtBarTime, fmtDuration, fmtNumber, fmtPct, fmtSize, hasTimeOfDay } from './statsFormat';

interface Row extends BacktestTrade {
  n: number;
}

const tone = (v: number) => (v > 0 ? 'pos' : v < 0 ? 'neg' : '');

const columns = (withTime: boolean): Column<Row>[] => [
  { key: 'n', header: '#', className: 'num', width: 34, render: (t) => t.n },
  {
    key: 'side',
    header: 'Side',
    width: 52,
    render: (t) => <span className={t.size >= 0 ? 'pos' : 'neg'}>{t.size >= 0 ? 'Long' : 'Short'}</span>,
  },
  { key: 'size', header: 'Size', className: 'num', render: (t) => fmtSize(Math.abs(t.size)) },
  { key: 'entryTime', header: 'Entry time', className: 'num', render: (t) => fmtBarTime(t.entryTime, withTime) },
  { key: 'entryPrice', header: 'Entry', className: 'num', render: (t) => fmtBacktestPrice(t.entryPrice) },
  { key: 'exitTime', header: 'Exit time', className: 'num', render: (t) => fmtBarTime(t.exitTime, withTime) },
  { key: 'exitPrice', header: 'Exit', className: 'num', render: (t) => fmtBacktestPrice(t.exitPrice) },
  {
    key: 'pnl',
    header: 'PnL',
    className: 'num',
    render: (t) => (
      <span className={tone(t.pnl)} title={`Commission ${fmtNumber(t.commission, 2)}`}>
        {t.pnl > 0 ? '+' : ''}
        {fmtNumber(t.pnl, 2)}
      </span>
    ),
  },
  { key: 'returnPct', header: 'Return', className: 'num', render: (t) => <span className={tone(t.returnPct)}>{fmtPct(t.returnPct)}</span> },
  { key: 'held', header: 'Held', className: 'num', render: (t) => fmtDuration(t.exitTime - t.entryTime) },
];

export function TradesTable({ trades }: { trades: readonly BacktestTrade[] }) {
  const rows: Row[] = useMemo(() => trades.map((t, i) => ({ ...t, n: i + 1 })), [trades]);
  const cols = useMemo(() => columns(hasTimeOfDay(trades.flatMap((t) => [t.entryTime, t.exitTime]))), [trades]);
  return (
    <div className="bt-trades" data-testid="backtest-trades">
      <VirtualTable label="Trades" rows={rows} columns={cols} rowKey={(t) => t.n} rowHeight={21} empty="No closed trades" />
    </div>
  );
}
