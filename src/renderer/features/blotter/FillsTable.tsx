/** Every fill, newest first, of every venue or one; virtualized. A row opens the detail of the order it filled. */
import type { Fill } from '../../../shared/domain';
import { VirtualTable, type Column } from '../../components/VirtualTable';
import { fmtDateTime, fmtTime, fmtMoney, fmtPrice, fmtQty, pnlClass } from '../../lib/format';
import { useKeel } from '../../stores/KeelProvider';
import { findInstrument } from '../../stores/selectors';
import { useShowsVenues, useVenueRows } from './useVenueFilter';

export function FillsTable() {
  const fills = useVenueRows('fills', useKeel((s) => s.fills));
  const openOrderDetail = useKeel((s) => s.openOrderDetail);
  const instruments = useKeel((s) => s.instruments);
  const inst = (f: Fill) => findInstrument(instruments, f.venue, f.symbol);
  const showsVenues = useShowsVenues();
  const columns: Column<Fill>[] = [
    { key: 'time', header: 'Time', className: 'num muted', width: 64, render: (f) => <span title={fmtDateTime(f.timestamp)}>{fmtTime(f.timestamp)}</span> },
    { key: 'symbol', header: 'Symbol', width: 110, render: (f) => f.symbol },
    {
      key: 'side',
      header: 'Side',
      width: 44,
      render: (f) => <span className={f.side === 'buy' ? 'pos' : 'neg'}>{f.side === 'buy' ? 'Buy' : 'Sell'}</span>,
    },
    { key: 'price', header: 'Price', className: 'num', render: (f) => fmtPrice(f.price, inst(f)) },
    { key: 'qty', header: 'Qty', className: 'num', render: (f) => fmtQty(f.quantity, inst(f)) },
    {
      key: 'fee',
      header: 'Fee',
      className: 'num',
      render: (f) => `${fmtMoney(f.fee, { digits: 4 })} ${f.feeCurrency}`,
    },
    { key: 'liq', header: 'Liquidity', width: 70, className: 'muted opt-narrow', render: (f) => f.liquidity },
    {
      key: 'pnl',
      header: 'Realized PnL',
      className: 'num',
      render: (f) => <span className={pnlClass(f.realizedPnl)}>{fmtMoney(f.realizedPnl, { signed: true })}</span>,
    },
    { key: 'trade', header: 'Trade id', className: 'muted mono-id opt', render: (f) => f.tradeId },
  ];
  if (showsVenues) columns.splice(1, 0, { key: 'venue', header: 'Venue', width: 104, className: 'venue-cell', render: (f) => <span title={f.venue}>{f.venue}</span> });
  return (
    <VirtualTable
      label="Fills"
      rows={fills}
      columns={columns}
      rowKey={(f) => f.tradeId}
      empty="No fills yet"
      onRowActivate={(f) => openOrderDetail(f.orderId, f.tradeId)}
      activateHint="Press Enter for the details and history of the order this fill belongs to"
    />
  );
}
