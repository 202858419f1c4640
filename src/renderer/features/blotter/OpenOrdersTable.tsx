/**
 * Working orders, of every venue or one, with an Edit (amend) and a Cancel
 * per row and a Cancel all that cancels what the table shows (one venue when
 * it is filtered); small enough to render every row. A bracket's take-profit
 * and stop-loss and an OCO pair's second leg sit under the order they hang
 * from (see orderGroups). A row opens the order's detail.
 */
import { useState } from 'react';
import { Dec } from '../../../shared/decimal';
import type { AttachedOrder, Order } from '../../../shared/domain';
import { errorMessage } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { rowActivation } from '../../components/rowActivation';
import { ORDER_TYPE_LABEL, fmtOrderSummary, fmtPrice, fmtQty, fmtSource, fmtStatus, fmtTime } from '../../lib/format';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { instrumentFor, selectOpenOrders } from '../../stores/selectors';
import { cancelAllTarget } from './cancelAllScope';
import { AmendDialog } from './AmendDialog';
import './advancedOrders.css';
import { groupRows, roleLabel } from './orderGroups';
import { useShowsVenues, useVenueFilter, useVenueRows } from './useVenueFilter';

function OrderRow({ order: o, showsVenue, child, onEdit }: { order: Order; showsVenue: boolean; child: boolean; onEdit(order: Order): void }) {
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
      data-role={o.role ?? undefined}
      className={`row-activatable ${child ? 'row-child' : ''}`}
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
      <td>
        {roleLabel(o) && <span className={`role-badge role-${o.role}`}>{roleLabel(o)}</span>} {ORDER_TYPE_LABEL[o.type]}
        {o.trailing && <span className="muted"> {'percent' in o.trailing ? `${o.trailing.percent}%` : fmtPrice(o.trailing.distance, inst)}</span>}
      </td>
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
        {o.triggered && <abbr title="Stop triggered">TRG</abbr>}
      </td>
      <td className={`status status-${o.status} opt`}>{fmtStatus(o.status)}</td>
      <td className="muted source" title={fmtSource(o)}>
        {fmtSource(o)}
      </td>
      <td className="actions">
        <button
          type="button"
          className="btn btn-xs"
          aria-label={`Edit ${fmtOrderSummary(o, inst, { venue: showsVenue })}`}
          onClick={() => onEdit(o)}
          disabled={o.status !== 'open' && o.status !== 'partially_filled'}
        >
          Edit
        </button>
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

/** A take-profit or stop-loss Keel will place when the entry fills, or could not place (with why). */
function PlannedRow({ entry, plan, showsVenue }: { entry: Order; plan: AttachedOrder; showsVenue: boolean }) {
  const inst = useKeel((s) => instrumentFor(s, entry.venue, entry.symbol));
  const at = plan.stopPrice ? fmtPrice(plan.stopPrice, inst) : plan.trailing ? ('percent' in plan.trailing ? `trails ${plan.trailing.percent}%` : `trails ${fmtPrice(plan.trailing.distance, inst)}`) : '';
  return (
    <tr className={`row-child row-planned ${plan.refused ? 'row-refused' : ''}`} data-role={plan.role}>
      <td />
      {showsVenue && <td />}
      <td colSpan={2} className="muted">
        {entry.symbol}
      </td>
      <td>
        <span className={`role-badge role-${plan.role}`}>{plan.role === 'tp' ? 'TP' : 'SL'}</span> {ORDER_TYPE_LABEL[plan.type]}
      </td>
      <td className="num">{plan.price ? fmtPrice(plan.price, inst) : ''}</td>
      <td className="num">{at}</td>
      <td colSpan={7} className={plan.refused ? 'neg' : 'muted'}>
        {plan.refused ? `Not placed: ${plan.refused}` : 'Placed (reduce-only, sized to the fills) when the entry fills'}
      </td>
    </tr>
  );
}

export function OpenOrdersTable() {
  const orders = useVenueRows('open', useKeel(selectOpenOrders));
  const showsVenues = useShowsVenues();
  const [editing, setEditing] = useState<Order | null>(null);
  const rows = groupRows(orders);
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
          {rows.map((row) =>
            row.kind === 'order' ? (
              <OrderRow key={row.order.id} order={row.order} showsVenue={showsVenues} child={row.child} onEdit={setEditing} />
            ) : (
              <PlannedRow key={`${row.entry.id}-${row.plan.role}`} entry={row.entry} plan={row.plan} showsVenue={showsVenues} />
            ),
          )}
        </tbody>
      </table>
      {orders.length === 0 && <div className="table-empty">No open orders</div>}
      <AmendDialog order={editing} onClose={() => setEditing(null)} />
    </div>
  );
}
