/**
 * One order in full, opened from any blotter row: its fields, the model
 * signal that caused it (for an order a model-driven strategy placed), its
 * history as a timeline in a trader's words (what happened, what Keel made
 * of it, the status after, any real-world race explained) and its fills. It
 * stays live: the history is loaded again whenever the engine reports the
 * order changed, and the signal follows `signals.updated`.
 */
import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import { Dec } from '../../../shared/decimal';
import type { Instrument, Order } from '../../../shared/domain';
import { CopyButton } from '../../components/CopyButton';
import { Modal } from '../../components/Modal';
import {
  ORDER_TYPE_LABEL,
  fmtDateTimeMs,
  fmtMoney,
  fmtPrice,
  fmtQty,
  fmtSource,
  fmtStatus,
  fmtTimeMs,
  group,
  pnlClass,
} from '../../lib/format';
import { useKeel } from '../../stores/KeelProvider';
import { findInstrument } from '../../stores/selectors';
import type { OrderDetailTarget } from '../../stores/ui';
import { buildTimeline, fmtElapsed, orderFills, totalFees, totalQuantity, type OrderFillRow, type TimelineEntry } from './orderEventText';
import type { OrderHistoryView } from './orderHistoryFeed';
import { orderSignalFacts } from './orderSignalText';
import { useOrderHistory } from './useOrderHistory';
import { useOrderSignals } from './useOrderSignals';
import '../signals/signals.css';

/** The fresher of the store's copy (kept by events) and the one just loaded. */
function fresher(a: Order | undefined, b: Order | null): Order | null {
  if (!a) return b;
  if (!b) return a;
  return a.updatedAt > b.updatedAt ? a : b;
}

function price(value: string | null, inst: Instrument | undefined): string {
  if (value === null) return '—';
  return group(inst ? fmtPrice(value, inst) : value);
}

function qty(value: string, inst: Instrument | undefined): string {
  return inst ? fmtQty(value, inst) : value;
}

function filledShare(o: Order): string {
  try {
    const q = Dec.parse(o.quantity);
    return q.isPositive() ? `${Math.round(Dec.parse(o.filledQuantity).div(q).toNumber() * 100)}%` : '';
  } catch {
    return '';
  }
}

function Field({ label, children, wide, className }: { label: string; children: ReactNode; wide?: boolean; className?: string }) {
  return (
    <div className={`od-field ${wide ? 'od-wide' : ''}`}>
      <dt>{label}</dt>
      <dd className={className}>{children}</dd>
    </div>
  );
}

function Id({ value, label }: { value: string | null; label: string }) {
  if (value === null) return <span className="muted">not known yet</span>;
  return (
    <span className="od-id">
      <span className="mono-id" title={value}>
        {value}
      </span>
      <CopyButton value={value} label={label} />
    </span>
  );
}

function OrderFields({ order: o, inst }: { order: Order; inst: Instrument | undefined }) {
  const stop = o.type === 'stop' || o.type === 'stop_limit';
  const flags = [o.postOnly && 'Post-only', o.reduceOnly && 'Reduce-only', stop && (o.triggered ? 'Triggered' : 'Not triggered')].filter(
    (f): f is string => typeof f === 'string',
  );
  return (
    <dl className="od-fields" aria-label="Order fields">
      <Field label="Side" className={o.side === 'buy' ? 'pos' : 'neg'}>
        {o.side === 'buy' ? 'Buy' : 'Sell'}
      </Field>
      <Field label="Type">{ORDER_TYPE_LABEL[o.type]}</Field>
      <Field label="Symbol">{o.symbol}</Field>
      <Field label="Venue">{o.venue}</Field>
      <Field label="Time in force">{o.timeInForce}</Field>
      <Field label="Flags">{flags.length > 0 ? flags.join(' · ') : <span className="muted">none</span>}</Field>

      <Field label="Quantity" className="num-left">
        {qty(o.quantity, inst)}
      </Field>
      <Field label="Limit price" className="num-left">
        {o.price === null ? <span className="muted">{o.type === 'market' || o.type === 'stop' ? 'market' : '—'}</span> : price(o.price, inst)}
      </Field>
      <Field label="Stop price" className="num-left">
        {o.stopPrice === null ? <span className="muted">—</span> : price(o.stopPrice, inst)}
      </Field>
      <Field label="Status" className={`status status-${o.status}`}>
        {fmtStatus(o.status)}
      </Field>
      <Field label="Filled" className="num-left">
        {qty(o.filledQuantity, inst)} {filledShare(o) && <span className="muted">({filledShare(o)})</span>}
      </Field>
      <Field label="Average price" className="num-left">
        {o.averagePrice === null ? <span className="muted">—</span> : price(o.averagePrice, inst)}
      </Field>

      <Field label="Created" wide className="num-left">
        {fmtDateTimeMs(o.createdAt)}
      </Field>
      <Field label="Updated" wide className="num-left">
        {fmtDateTimeMs(o.updatedAt)}
      </Field>
      {/* fmtSource names the strategy or API client (sourceId) after the kind. */}
      <Field label="Source" wide>
        <span title={fmtSource(o)}>{fmtSource(o)}</span>
      </Field>

      <Field label="Order id" wide>
        <Id value={o.id} label="order id" />
      </Field>

      <Field label="Client order id" wide>
        <Id value={o.clientOrderId} label="client order id" />
      </Field>
      <Field label="Venue order id" wide>
        <Id value={o.venueOrderId} label="venue order id" />
      </Field>
      {o.rejectReason !== null && (
        <Field label="Reject reason" wide className="od-reject">
          {o.rejectReason}
        </Field>
      )}
    </dl>
  );
}

/** The model signal(s) behind an order; nothing for an order no signal caused. */
function SignalSection({ orderId, fromStrategy }: { orderId: string; fromStrategy: boolean }) {
  const view = useOrderSignals(orderId);
  const strategies = useKeel((s) => s.strategies);
  if (view.signals.length === 0) {
    // Only a strategy's order can have a signal: a failed look-up is worth saying there alone.
    if (!fromStrategy || view.error === null) return null;
    return (
      <p className="dialog-error od-load-error" role="alert">
        Could not load the signal behind this order: {view.error}
      </p>
    );
  }
  return (
    <section className="od-section" aria-label="Signal">
      <h3>
        Signal {view.signals.length > 1 && <span className="count">{view.signals.length}</span>}
        <span className="od-note">what the model said about the bar that led to this order</span>
      </h3>
      {view.signals.map((signal) => (
        <dl key={signal.id} className="od-fields od-signal" aria-label={`Signal ${signal.id}`}>
          {orderSignalFacts(signal, strategies).map((f) => (
            <Field key={f.label} label={f.label} wide={f.wide}>
              {/* On the text itself: the field's own colour would override a class on the cell. */}
              <span className={f.className} title={f.title}>
                {f.text}
              </span>
            </Field>
          ))}
        </dl>
      ))}
    </section>
  );
}

const OUTCOME_LABEL = { applied: null, ignored: 'Ignored', anomaly: 'Anomaly' } as const;

function TimelineRow({ entry }: { entry: TimelineEntry }) {
  const { event: e, text } = entry;
  const outcome = OUTCOME_LABEL[e.outcome];
  return (
    <tr className={`od-event od-${e.outcome}`} data-event-type={e.type}>
      <td className="num-left od-time" title={fmtDateTimeMs(e.timestamp)}>
        {fmtTimeMs(e.timestamp)}
      </td>
      <td className="num od-elapsed muted">{fmtElapsed(entry.elapsedMs)}</td>
      <td className="od-what">
        <div className="od-headline">
          {outcome && <span className={`od-tag od-tag-${e.outcome}`}>{outcome}</span>}
          {text.edge && <span className="od-tag od-tag-edge">{text.edge.label}</span>}
          <span>{text.headline}</span>
        </div>
        {text.facts.length > 0 && <div className="od-facts mono-id">{text.facts.join(' · ')}</div>}
        {text.reason && (
          <div className="od-reason">
            {e.outcome === 'applied' ? '' : e.outcome === 'ignored' ? 'Why ignored: ' : 'Why refused: '}
            {text.reason}
          </div>
        )}
        {text.edge && <div className="od-edge">{text.edge.explanation}</div>}
      </td>
      <td className={`od-after status status-${e.status} ${entry.statusChanged ? '' : 'od-unchanged'}`} title={entry.statusChanged ? undefined : 'Unchanged'}>
        {fmtStatus(e.status)}
      </td>
    </tr>
  );
}

function FillsList({
  rows,
  inst,
  target,
}: {
  rows: OrderFillRow[];
  inst: Instrument | undefined;
  target: string | null;
}) {
  const targetRef = useRef<HTMLTableRowElement>(null);
  useEffect(() => {
    targetRef.current?.scrollIntoView({ block: 'nearest' });
  }, [target, rows.length]);
  const fees = totalFees(rows);
  const currency = rows.find((r) => r.feeCurrency !== null)?.feeCurrency ?? '';
  return (
    <table className="grid od-fills" aria-label="Fills of this order">
      <thead>
        <tr>
          <th scope="col" title="When the venue says the trade happened">
            Trade time
          </th>
          <th scope="col">Trade id</th>
          <th scope="col" className="num">
            Qty
          </th>
          <th scope="col" className="num">
            Price
          </th>
          <th scope="col" className="num">
            Fee
          </th>
          <th scope="col">Liquidity</th>
          <th scope="col" className="num">
            Realized PnL
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((f) => (
          <tr key={f.tradeId} ref={f.tradeId === target ? targetRef : undefined} className={f.tradeId === target ? 'od-target' : undefined}>
            <td className="num-left muted">{fmtTimeMs(f.timestamp)}</td>
            <td>
              <Id value={f.tradeId} label={`trade id ${f.tradeId}`} />
            </td>
            <td className="num">{qty(f.quantity, inst)}</td>
            <td className="num">{price(f.price, inst)}</td>
            <td className="num">
              {f.fee === null ? '—' : fmtMoney(f.fee, { digits: 4 })} {f.feeCurrency ?? ''}
            </td>
            <td className="muted">{f.liquidity ?? '—'}</td>
            <td className={`num ${pnlClass(f.realizedPnl)}`}>{f.realizedPnl === null ? '—' : fmtMoney(f.realizedPnl, { signed: true })}</td>
          </tr>
        ))}
      </tbody>
      {rows.length > 1 && fees !== null && (
        <tfoot>
          <tr>
            <td colSpan={2} className="muted">
              {rows.length} fills
            </td>
            <td className="num">{qty(totalQuantity(rows), inst)}</td>
            <td />
            <td className="num">
              {fmtMoney(fees, { digits: 4 })} {currency}
            </td>
            <td colSpan={2} />
          </tr>
        </tfoot>
      )}
    </table>
  );
}

function OrderDetailBody({ target, order, history }: { target: OrderDetailTarget; order: Order | null; history: OrderHistoryView }) {
  const known = useKeel((s) => s.fills);
  const instruments = useKeel((s) => s.instruments);
  const inst = order ? findInstrument(instruments, order.venue, order.symbol) : undefined;
  const venue = order?.venue ?? '';
  const timeline = useMemo(() => buildTimeline(history.events, { venue, instrument: inst }), [history.events, venue, inst]);
  const fills = useMemo(() => orderFills(target.orderId, history.events, known), [target.orderId, history.events, known]);

  if (!order) {
    return (
      <div className="dialog-body od-body">
        {history.error ? (
          <p className="dialog-error" role="alert">
            Could not load order {target.orderId}: {history.error}
          </p>
        ) : (
          <p className="muted">Loading order {target.orderId}…</p>
        )}
      </div>
    );
  }

  return (
    <div className="dialog-body od-body">
      <OrderFields order={order} inst={inst} />
      <SignalSection orderId={order.id} fromStrategy={order.source === 'strategy'} />
      {history.error && (
        <p className="dialog-error od-load-error" role="alert">
          Could not refresh the history: {history.error}
        </p>
      )}
      <section className="od-section" aria-label="Timeline">
        <h3>
          Timeline <span className="count">{timeline.length}</span>
          <span className="od-note">oldest first · local time to the millisecond · status after each event</span>
        </h3>
        {timeline.length > 0 ? (
          <table className="grid od-timeline" aria-label="Order timeline">
            <colgroup>
              <col style={{ width: 96 }} />
              <col style={{ width: 92 }} />
              <col />
              <col style={{ width: 118 }} />
            </colgroup>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col" className="num">
                  Since submit
                </th>
                <th scope="col">Event</th>
                <th scope="col">Status after</th>
              </tr>
            </thead>
            <tbody>
              {timeline.map((entry) => (
                <TimelineRow key={entry.event.id} entry={entry} />
              ))}
            </tbody>
          </table>
        ) : (
          <p className="od-empty">{history.loading ? 'Loading the history…' : 'No history recorded for this order'}</p>
        )}
      </section>
      <section className="od-section" aria-label="Fills">
        <h3>
          Fills <span className="count">{fills.length}</span>
        </h3>
        {fills.length > 0 ? (
          <FillsList rows={fills} inst={inst} target={target.tradeId} />
        ) : (
          <p className="od-empty">No fills</p>
        )}
      </section>
    </div>
  );
}

function Title({ order }: { order: Order | null }) {
  if (!order) return <>Order</>;
  return (
    <>
      Order <span className={order.side === 'buy' ? 'pos' : 'neg'}>{order.side === 'buy' ? 'Buy' : 'Sell'}</span> {ORDER_TYPE_LABEL[order.type]}{' '}
      {order.symbol}
    </>
  );
}

export function OrderDetailDialog() {
  const target = useKeel((s) => s.orderDetail);
  const close = useKeel((s) => s.closeOrderDetail);
  // Nothing to follow while closed: no re-render for every order update then.
  const orders = useKeel((s) => (s.orderDetail ? s.orders : null));
  const orderId = target?.orderId ?? null;
  const history = useOrderHistory(orderId);
  const live = useMemo(() => (orderId === null ? undefined : orders?.find((o) => o.id === orderId)), [orders, orderId]);
  const order = orderId === null ? null : fresher(live, history.order);
  const closeRef = useRef<HTMLButtonElement>(null);
  return (
    <Modal
      open={target !== null}
      title={<Title order={order} />}
      onClose={close}
      initialFocus={closeRef}
      className="dialog-order"
      titleAside={order && <span className={`pill pill-status status-${order.status}`}>{fmtStatus(order.status)}</span>}
    >
      {target && <OrderDetailBody key={target.orderId} target={target} order={order} history={history} />}
      <div className="dialog-actions">
        <button ref={closeRef} type="button" className="btn" onClick={close}>
          Close
        </button>
      </div>
    </Modal>
  );
}
