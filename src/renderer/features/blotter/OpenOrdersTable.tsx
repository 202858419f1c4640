/**
 * Working orders, of every venue or one, with a Cancel per row and a Cancel
 * all that cancels what the table shows (one venue when it is filtered);
 * small enough to render every row. A row opens the order's detail.
 */
import { useState } from 'react';
import { Dec } from '../../../shared/decimal';
import type { Order } from '../../../shared/domain';
import { errorMessage } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { rowActivation } from '../../components/rowActivation';
import { ORDER_TYPE_LABEL, fmtOrderSummary, fmtPrice, fmtQty, fmtSource, fmtStatus, fmtTime } from '../../lib/format';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { instrumentFor, selectOpenOrders } from '../../stores/selectors';
import { cancelAllTarget } from './cancelAllScope';
import { useShowsVenues, useVenueFilter, useVenueRows } from './useVenueFilter';

function OrderRow({ order: o, showsVenue }: { order: Order; showsVenue: boolean }) {
  const { client, store } = useServices();
  const inst = useKeel((s) => instrumentFor(s, o.venue, o.symbol));
  const selectMarket = useKeel((s) => s.selectMarket);
  const openOrderDetail = useKeel((s) => s.openOrderDetail);
  const [canceling, setCanceling] = useState(false);

  async function cancel(): Promise<void> {
    setCanceling(true);
    try {
      const updated = await client.invoke('orders.cancel', { orderId: o.id });
      store.getState().upsertOrders([updated]);
    } catch (err) {
      store.getState().notify('error', `Cancel failed: ${errorMessage(err)}`);
    } finally {
      setCanceling(false);
    }
  }

  let filledPct = '';
  try {
    const q = Dec.parse(o.quantity);
    if (q.isPositive()) filledPct = `${Math.round(Dec.parse(o.filledQuantity).div(q).toNumber() * 100)}%`;
  } catch {
    filledPct = '';
  }

  return (
    <tr
      data-order-id={o.id}
      className="row-activatable"
      {...rowActivation(() => openOrderDetail(o.id), "Press Enter for the order's details and history")}
    >
      <td className="num muted opt">{fmtTime(o.createdAt)}</td>
      {showsVenue && (
        <td className="venue-cell" title={o.venue}>
          {o.venue}
        </td>
      )}
      <td>
        <button type="button" className="link sym" onClick={() => selectMarket(o.venue, o.symbol)}>
          {o.symbol}
        </button>
      </td>
      <td className={o.side === 'buy' ? 'pos' : 'neg'}>{o.side === 'buy' ? 'Buy' : 'Sell'}</td>
      <td>{ORDER_TYPE_LABEL[o.type]}</td>
      <td className="num">{o.price ? fmtPrice(o.price, inst) : ''}</td>
      <td className="num">{o.stopPrice ? fmtPrice(o.stopPrice, inst) : ''}</td>
      <td className="num">{fmtQty(o.quantity, inst)}</td>
      <td className="num">
        {fmtQty(o.filledQuantity, inst)} <span className="muted">{filledPct}</span>
      </td>
      <td className="opt">{o.timeInForce}</td>
      <td className="flags">
        {o.postOnly && <abbr title="Post-only">PO</abbr>}
        {o.reduceOnly && <abbr title="Reduce-only">RO</abbr>}
        {o.type === 'stop_limit' && o.triggered && <abbr title="Stop triggered">TRG</abbr>}
      </td>
      <td className={`status status-${o.status} opt`}>{fmtStatus(o.status)}</td>
      <td className="muted source" title={fmtSource(o)}>
        {fmtSource(o)}
      </td>
      <td className="actions">
        <button
          type="button"
          className="btn btn-xs"
          aria-label={`Cancel ${fmtOrderSummary(o, inst, { venue: showsVenue })}`}
          onClick={() => void cancel()}
          disabled={canceling || o.status === 'pending_cancel'}
        >
          Cancel
        </button>
      </td>
    </tr>
  );
}

/**
 * Cancel all: what the blotter shows, or the instrument on screen (Settings
 * → Trading), after a confirmation that says how many orders and how many
 * of them are reduce-only (protective stops and take-profits go too) unless
 * the trader turned it off.
 */
export function CancelAllButton() {
  const { client, store } = useServices();
  const venue = useVenueFilter('open');
  const open = useVenueRows('open', useKeel(selectOpenOrders));
  const scope = useKeel((s) => s.deskPrefs.cancelAllScope);
  const confirm = useKeel((s) => s.deskPrefs.confirmCancelAll);
  const selectedVenue = useKeel((s) => s.venue);
  const selectedSymbol = useKeel((s) => s.symbol);
  const target = cancelAllTarget(scope, venue, { venue: selectedVenue, symbol: selectedSymbol }, open);
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const count = target.orders.length;
  const reduceOnly = target.orders.filter((o) => o.reduceOnly).length;

  async function cancelAll(): Promise<void> {
    setBusy(true);
    try {
      const r = await client.invoke('orders.cancelAll', target.params);
      store.getState().upsertOrders(r.canceled);
      if (r.failed.length > 0) {
        store
          .getState()
          .notify('error', `Canceled ${r.canceled.length}; ${r.failed.length} failed: ${r.failed.map((f) => f.reason).join('; ')}`);
      } else {
        store.getState().notify('info', `Canceled ${r.canceled.length} order${r.canceled.length === 1 ? '' : 's'} (${target.scope})`);
      }
    } catch (err) {
      store.getState().notify('error', `Cancel all failed: ${errorMessage(err)}`);
    } finally {
      setBusy(false);
      setAsking(false);
    }
  }

  return (
    <>
      <button
        type="button"
        className="btn btn-xs btn-danger-outline"
        title={`Cancel every open order: ${target.scope}`}
        onClick={() => (confirm ? setAsking(true) : void cancelAll())}
        disabled={busy || count === 0}
      >
        {target.label}
      </button>
      <ConfirmDialog
        open={asking}
        title={`Cancel ${count} open order${count === 1 ? '' : 's'}?`}
        confirmLabel={`Cancel ${count === 1 ? 'it' : `all ${count}`}`}
        cancelLabel="Keep them"
        danger
        busy={busy}
        onCancel={() => setAsking(false)}
        onConfirm={() => void cancelAll()}
      >
        <p>
          Cancels every open order: <b>{target.scope}</b>.
        </p>
        {reduceOnly > 0 && (
          <p className="dialog-warn">
            {reduceOnly} of them {reduceOnly === 1 ? 'is' : 'are'} reduce-only (protective stops or take-profits): the positions they protect stay
            open without them.
          </p>
        )}
      </ConfirmDialog>
    </>
  );
}

export function OpenOrdersTable() {
  const orders = useVenueRows('open', useKeel(selectOpenOrders));
  const showsVenues = useShowsVenues();
  return (
    <div className="table-scroll">
      <table className="grid" aria-label="Open orders">
        <thead>
          <tr>
            <th scope="col" className="num opt">Time</th>
            {showsVenues && <th scope="col">Venue</th>}
            <th scope="col">Symbol</th>
            <th scope="col">Side</th>
            <th scope="col">Type</th>
            <th scope="col" className="num">Price</th>
            <th scope="col" className="num">Stop</th>
            <th scope="col" className="num">Qty</th>
            <th scope="col" className="num">Filled</th>
            <th scope="col" className="opt">TIF</th>
            <th scope="col">Flags</th>
            <th scope="col" className="opt">Status</th>
            <th scope="col">Source</th>
            <th scope="col" className="actions">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {orders.map((o) => (
            <OrderRow key={o.id} order={o} showsVenue={showsVenues} />
          ))}
        </tbody>
      </table>
      {orders.length === 0 && <div className="table-empty">No open orders</div>}
    </div>
  );
}
