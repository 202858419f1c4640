/**
 * Time and sales: the instrument's latest trades, newest on top, each with
 * its time, price (green when the buyer took the offer, red when the seller
 * hit the bid) and size. Polled from `market.trades`; a venue that sends no
 * trade stream says so instead of showing an empty tape.
 */
import { fmtPrice, fmtQty, fmtTime } from '../../lib/format';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { selectActiveInstrument } from '../../stores/selectors';
import { usePoll } from './usePoll';

const POLL_MS = 500;
const ROWS = 60;

export function TimeAndSales() {
  const { client } = useServices();
  const venue = useKeel((s) => s.venue);
  const symbol = useKeel((s) => s.symbol);
  const inst = useKeel(selectActiveInstrument);
  const key = venue && symbol ? `${venue}|${symbol}` : null;
  const { value, error } = usePoll(key, venue && symbol ? () => client.invoke('market.trades', { venue, symbol, limit: ROWS }) : null, POLL_MS);

  return (
    <div className="tape" aria-label="Time and sales">
      <div className="tape-head" aria-hidden="true">
        <span>Time</span>
        <span>Price</span>
        <span>Size</span>
      </div>
      {value && !value.streamed && <div className="tape-note">{venue} sends Keel no trade stream yet, so its trades cannot be listed here.</div>}
      <ol className="tape-rows" aria-label="Recent trades, newest first">
        {value?.trades.map((t) => (
          <li key={t.seq} className={`tape-row ${t.side === 'buy' ? 'tape-buy' : 'tape-sell'}`} aria-label={`${t.side === 'buy' ? 'Buy' : 'Sell'} ${t.quantity} at ${t.price}`}>
            <span className="num muted">{fmtTime(t.timestamp)}</span>
            <span className="num tape-price">{fmtPrice(t.price, inst)}</span>
            <span className="num">{fmtQty(t.quantity, inst)}</span>
          </li>
        ))}
      </ol>
      {value?.streamed && value.trades.length === 0 && <div className="tape-note">No trades yet.</div>}
      {error && <div className="book-error">{error}</div>}
    </div>
  );
}
