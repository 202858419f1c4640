/**
 * Open positions of every venue or one, re-marked live from the ticker
 * between the engine's position events. One row component per position, so a tick re-renders
 * only the row whose instrument moved. Close (one) and Flatten all work in
 * every trading state, HALTED included: they are reduce-only exits; Flatten
 * all closes what the table shows (one venue when it is filtered). Each asks
 * first when Settings → Trading says so (Flatten all by default, Close not),
 * and Close names the position it closes for screen readers.
 * Realized PnL is net of fees and funding; the cell's tooltip shows gross,
 * fees and funding. A perpetual shows its ROE beside the unrealized PnL,
 * its liquidation price, its margin ratio (red from the warning level) and
 * the funding it paid or received.
 */
import { useState } from 'react';
import type { Position } from '../../../shared/domain';
import { errorMessage } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { fmtMoney, fmtPositionSummary, fmtPrice, fmtQty, fmtRealizedBreakdown, pnlClass } from '../../lib/format';
import { fmtMarginRatio, fmtRoe, marginModeLabel, marginRatioClass } from '../perpetuals/perpetualFormat';
import '../perpetuals/perpetuals.css';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { marketKey } from '../../stores/market';
import { markPosition } from '../../stores/positions';
import { instrumentFor } from '../../stores/selectors';
import { useShowsVenues, useVenueFilter, useVenueRows } from './useVenueFilter';

function PositionRow({ position, showsVenue }: { position: Position; showsVenue: boolean }) {
  const { client, store } = useServices();
  const ticker = useKeel((s) => s.tickers[marketKey(position.venue, position.symbol)]);
  const inst = useKeel((s) => instrumentFor(s, position.venue, position.symbol));
  const selectMarket = useKeel((s) => s.selectMarket);
  const warningPercent = useKeel((s) => s.settings?.marginWarningPercent ?? 80);
  const [closing, setClosing] = useState(false);
  const [asking, setAsking] = useState(false);
  const confirmClose = useKeel((s) => s.deskPrefs.confirmClose);
  const p = markPosition(position, ticker);
  const summary = fmtPositionSummary(p, inst, { venue: showsVenue });

  async function close(): Promise<void> {
    setAsking(false);
    setClosing(true);
    try {
      const order = await client.invoke('positions.close', { venue: p.venue, symbol: p.symbol });
      store.getState().upsertOrders([order]);
      if (order.status === 'rejected') {
        store.getState().notify('error', `Close ${p.symbol} rejected: ${order.rejectReason ?? 'no reason given'}`);
      } else {
        store.getState().notify('success', `Closing ${p.symbol}: ${order.side} ${fmtQty(order.quantity, inst)} at market`);
      }
    } catch (err) {
      store.getState().notify('error', `Close ${p.symbol} failed: ${errorMessage(err)}`);
    } finally {
      setClosing(false);
    }
  }

  return (
    <tr>
      {showsVenue && (
        <td className="venue-cell" title={p.venue}>
          {p.venue}
        </td>
      )}
      <td>
        <button type="button" className="link sym" onClick={() => selectMarket(p.venue, p.symbol)}>
          {p.symbol}
        </button>
      </td>
      <td className={p.side === 'long' ? 'pos' : 'neg'}>{p.side === 'long' ? 'Long' : 'Short'}</td>
      <td className="num">{fmtQty(p.quantity, inst)}</td>
      <td className="num">{fmtPrice(p.entryPrice, inst)}</td>
      <td className="num opt">{fmtPrice(p.markPrice, inst)}</td>
      <td className={`num ${pnlClass(p.unrealizedPnl)}`}>
        {fmtMoney(p.unrealizedPnl, { signed: true })}
        <span className="roe" title="Return on the margin the position was opened with">
          ({fmtRoe(p.roePercent)})
        </span>
      </td>
      <td className="num" data-testid="liquidation-price">
        {fmtPrice(p.liquidationPrice, inst)}
      </td>
      <td className={`num ${marginRatioClass(p.marginRatio, warningPercent)}`} title={`Liquidated at 100 %; warned at ${warningPercent} %`}>
        {fmtMarginRatio(p.marginRatio)}
      </td>
      <td className={`num opt ${pnlClass(p.realizedPnl)}`} title={fmtRealizedBreakdown(p)}>
        {fmtMoney(p.realizedPnl, { signed: true })}
      </td>
      <td className={`num opt ${pnlClass(p.funding)}`}>{fmtMoney(p.funding, { signed: true, digits: 4 })}</td>
      <td className="num opt" title={`${marginModeLabel(p.marginMode)} margin`}>
        {p.leverage}×<span className="margin-mode-tag">{p.marginMode === 'isolated' ? 'iso' : 'cross'}</span>
      </td>
      <td className="num opt">{fmtMoney(p.margin)}</td>
      <td className="actions">
        <button
          type="button"
          className="btn btn-xs"
          aria-label={`Close ${summary}`}
          onClick={() => (confirmClose ? setAsking(true) : void close())}
          disabled={closing}
        >
          Close
        </button>
        <ConfirmDialog
          open={asking}
          title="Close this position?"
          confirmLabel="Close at market"
          cancelLabel="Keep it"
          onCancel={() => setAsking(false)}
          onConfirm={() => void close()}
        >
          <p>
            Sends a reduce-only market order to close the whole position: <b>{summary}</b>.
          </p>
        </ConfirmDialog>
      </td>
    </tr>
  );
}

export function PositionsTable() {
  const positions = useVenueRows('positions', useKeel((s) => s.positions));
  const showsVenues = useShowsVenues();
  return (
    <div className="table-scroll">
      <table className="grid" aria-label="Positions">
        <thead>
          <tr>
            {showsVenues && <th scope="col">Venue</th>}
            <th scope="col">Symbol</th>
            <th scope="col">Side</th>
            <th scope="col" className="num">Size</th>
            <th scope="col" className="num">Entry</th>
            <th scope="col" className="num opt">Mark</th>
            <th scope="col" className="num" title="Unrealized PnL and, in brackets, the return on the position's margin (ROE)">
              Unrealized (ROE)
            </th>
            <th scope="col" className="num">Liq. price</th>
            <th scope="col" className="num" title="Maintenance margin / margin balance: the venue liquidates at 100 %">
              Margin ratio
            </th>
            <th scope="col" className="num opt" title="Net of fees and funding; hover a value for gross, fees and funding">
              Realized PnL
            </th>
            <th scope="col" className="num opt" title="Funding received (+) or paid (−) since the position opened">
              Funding
            </th>
            <th scope="col" className="num opt">Leverage</th>
            <th scope="col" className="num opt">Margin</th>
            <th scope="col" className="actions">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {positions.map((p) => (
            <PositionRow key={`${p.venue}|${p.symbol}`} position={p} showsVenue={showsVenues} />
          ))}
        </tbody>
      </table>
      {positions.length === 0 && <div className="table-empty">No open positions</div>}
    </div>
  );
}

/** "Flatten all": a reduce-only market order for every open position, after a confirmation that lists them. */
export function FlattenAllButton() {
  const { client, store } = useServices();
  const venue = useVenueFilter('positions');
  const positions = useVenueRows('positions', useKeel((s) => s.positions));
  const instruments = useKeel((s) => s.instruments);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirmFlatten = useKeel((s) => s.deskPrefs.confirmFlatten);

  async function flatten(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      const r = await client.invoke('positions.closeAll', venue ? { venue } : {});
      store.getState().upsertOrders(r.orders);
      setOpen(false);
      const sent = `${r.orders.length} closing order${r.orders.length === 1 ? '' : 's'} sent`;
      if (r.failed.length > 0) {
        store.getState().notify('error', `Flatten all: ${sent}; ${r.failed.length} failed: ${r.failed.map((f) => `${f.symbol}: ${f.reason}`).join('; ')}`);
      } else {
        store.getState().notify('success', `Flatten all: ${sent} at market`);
      }
    } catch (err) {
      // Asked first, the dialog shows the refusal; sent at once, a notice does.
      if (confirmFlatten) setError(errorMessage(err));
      else store.getState().notify('error', `Flatten all failed: ${errorMessage(err)}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <button
        type="button"
        className="btn btn-xs btn-danger-outline"
        disabled={positions.length === 0}
        title={`Close every open position${venue ? ` on ${venue}` : ''} with reduce-only market orders (allowed while HALTED)`}
        onClick={() => {
          setError(null);
          if (confirmFlatten) setOpen(true);
          else void flatten();
        }}
      >
        Flatten all
      </button>
      <ConfirmDialog
        open={open}
        title={venue ? `Flatten all positions on ${venue}?` : 'Flatten all positions?'}
        confirmLabel="Flatten all"
        danger
        busy={busy}
        onCancel={() => setOpen(false)}
        onConfirm={() => void flatten()}
      >
        <p>Sends a reduce-only market order to close each open position:</p>
        <ul className="dialog-list">
          {positions.map((p) => {
            const inst = instruments.find((i) => i.venue === p.venue && i.symbol === p.symbol);
            return (
              <li key={`${p.venue}|${p.symbol}`}>
                {p.venue}: {p.symbol} {p.side} {fmtQty(p.quantity, inst)}
              </li>
            );
          })}
        </ul>
        <p className="muted">Open orders are left working; cancel them separately if they should go too.</p>
        {error && (
          <p className="dialog-error" role="alert">
            {error}
          </p>
        )}
      </ConfirmDialog>
    </>
  );
}
