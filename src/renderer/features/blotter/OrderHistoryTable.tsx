/** Every order of the session and before, of every venue or one, newest first; virtualized because it only grows. A row opens the order's detail. */
import type { Order } from '../../../shared/domain';
import { VirtualTable, type Column } from '../../components/VirtualTable';
import { ORDER_TYPE_LABEL, fmtDateTime, fmtTime, fmtPrice, fmtQty, fmtSource, fmtStatus } from '../../lib/format';
import { useKeel } from '../../stores/KeelProvider';
import { findInstrument } from '../../stores/selectors';
import { useShowsVenues, useVenueRows } from './useVenueFilter';

export function OrderHistoryTable() {
  const orders = useVenueRows('history', useKeel((s) => s.orders));
  const openOrderDetail = useKeel((s) => s.openOrderDetail);
  // Instrument precision per row; the list itself changes rarely.
  const instruments = useKeel((s) => s.instruments);
  const inst = (o: Order) => findInstrument(instruments, o.venue, o.symbol);
  const showsVenues = useShowsVenues();
  const columns: Column<Order>[] = [
    { key: 'time', header: 'Time', className: 'num muted opt-narrow', width: 64, render: (o) => <span title={fmtDateTime(o.createdAt)}>{fmtTime(o.createdAt)}</span> },
    { key: 'symbol', header: 'Symbol', width: 110, render: (o) => o.symbol },
    {
      key: 'side',
      header: 'Side',
      width: 44,
      render: (o) => <span className={o.side === 'buy' ? 'pos' : 'neg'}>{o.side === 'buy' ? 'Buy' : 'Sell'}</span>,
    },
    { key: 'type', header: 'Type', width: 72, render: (o) => ORDER_TYPE_LABEL[o.type] },
    {
      key: 'status',
      header: 'Status',
      width: 96,
      render: (o) => <span className={`status status-${o.status}`}>{fmtStatus(o.status)}</span>,
    },
    {
      key: 'price',
      header: 'Price',
      className: 'num',
      render: (o) => (o.price ? fmtPrice(o.price, inst(o)) : o.stopPrice ? `stop ${fmtPrice(o.stopPrice, inst(o))}` : 'market'),
    },
    { key: 'qty', header: 'Qty', className: 'num', render: (o) => fmtQty(o.quantity, inst(o)) },
    { key: 'filled', header: 'Filled', className: 'num', render: (o) => fmtQty(o.filledQuantity, inst(o)) },
    { key: 'avg', header: 'Avg fill', className: 'num', render: (o) => (o.averagePrice ? fmtPrice(o.averagePrice, inst(o)) : '') },
    {
      key: 'reason',
      header: 'Reason',
      className: 'reason',
      render: (o) => (o.rejectReason ? <span title={o.rejectReason}>{o.rejectReason}</span> : ''),
    },
    {
      key: 'source',
      header: 'Source',
      width: 96,
      className: 'muted source opt',
      render: (o) => <span title={fmtSource(o)}>{fmtSource(o)}</span>,
    },
  ];
  if (showsVenues) columns.splice(1, 0, { key: 'venue', header: 'Venue', width: 104, className: 'venue-cell', render: (o) => <span title={o.venue}>{o.venue}</span> });
  return (
    <VirtualTable
      label="Order history"
      rows={orders}
      columns={columns}
      rowKey={(o) => o.id}
      empty="No orders yet"
      onRowActivate={(o) => openOrderDetail(o.id)}
      activateHint="Press Enter for the order's details and history"
    />
  );
}
