/**
 * Open positions, re-marked live from the ticker between the engine's
 * position events. One row component per position, so a tick re-renders
 * only the row whose instrument moved.
 */
import { useState } from 'react';
import type { Position } from '../../../shared/domain';
import { errorMessage } from '../../api/client';
import { fmtMoney, fmtPrice, fmtQty, pnlClass } from '../../lib/format';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { marketKey } from '../../stores/market';
import { markPosition } from '../../stores/positions';
import { instrumentFor } from '../../stores/selectors';

function PositionRow({ position }: { position: Position }) {
  const { client, store } = useServices();
  const ticker = useKeel((s) => s.tickers[marketKey(position.venue, position.symbol)]);
  const inst = useKeel((s) => instrumentFor(s, position.venue, position.symbol));
  const selectMarket = useKeel((s) => s.selectMarket);
  const [closing, setClosing] = useState(false);
  const p = markPosition(position, ticker);

  async function close(): Promise<void> {
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
      <td>
        <button type="button" className="link sym" onClick={() => selectMarket(p.venue, p.symbol)}>
          {p.symbol}
        </button>
      </td>
      <td className={p.side === 'long' ? 'pos' : 'neg'}>{p.side === 'long' ? 'Long' : 'Short'}</td>
      <td className="num">{fmtQty(p.quantity, inst)}</td>
      <td className="num">{fmtPrice(p.entryPrice, inst)}</td>
      <td className="num">{fmtPrice(p.markPrice, inst)}</td>
      <td className={`num ${pnlClass(p.unrealizedPnl)}`}>{fmtMoney(p.unrealizedPnl, { signed: true })}</td>
      <td className={`num ${pnlClass(p.realizedPnl)}`}>{fmtMoney(p.realizedPnl, { signed: true })}</td>
      <td className="num">{p.leverage}×</td>
      <td className="num">{fmtMoney(p.margin)}</td>
      <td className="actions">
        <button type="button" className="btn btn-xs" onClick={() => void close()} disabled={closing}>
          Close
        </button>
      </td>
    </tr>
  );
}

export function PositionsTable() {
  const positions = useKeel((s) => s.positions);
  return (
    <div className="table-scroll">
      <table className="grid" aria-label="Positions">
        <thead>
          <tr>
            <th scope="col">Symbol</th>
            <th scope="col">Side</th>
            <th scope="col" className="num">Size</th>
            <th scope="col" className="num">Entry</th>
            <th scope="col" className="num">Mark</th>
            <th scope="col" className="num">Unrealized PnL</th>
            <th scope="col" className="num">Realized PnL</th>
            <th scope="col" className="num">Leverage</th>
            <th scope="col" className="num">Margin</th>
            <th scope="col" className="actions">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {positions.map((p) => (
            <PositionRow key={`${p.venue}|${p.symbol}`} position={p} />
          ))}
        </tbody>
      </table>
      {positions.length === 0 && <div className="table-empty">No open positions</div>}
    </div>
  );
}
