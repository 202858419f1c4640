/**
 * A small depth ladder for the selected instrument, polled every ~500 ms
 * (the contract has no book stream). Click a level to use its price in the
 * ticket. The next poll is scheduled only after the previous answer, so a
 * slow host is never flooded. `OrderBookLadder` is the ladder alone, for a
 * panel that brings its own title (the market data tabs).
 */
import { useEffect, useState } from 'react';
import { Dec } from '../../../shared/decimal';
import type { OrderBook as Book } from '../../../shared/domain';
import { errorMessage } from '../../api/client';
import { fmtNumber, fmtPrice, fmtQty, inputPrice, qtyDigits } from '../../lib/format';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { selectActiveInstrument, selectActiveTicker } from '../../stores/selectors';

const POLL_MS = 500;
const DEPTH = 20;

interface Level {
  price: string;
  size: string;
  total: number;
}

function levels(side: readonly (readonly [string, string])[]): Level[] {
  let total = 0;
  return side.slice(0, DEPTH).map(([price, size]) => {
    total += Number(size);
    return { price, size, total };
  });
}

export function OrderBook() {
  const symbol = useKeel((s) => s.symbol);
  return (
    <section className="panel book" aria-label="Order book">
      <div className="panel-title">
        <span>Order book</span>
        <span className="muted">{symbol ?? ''}</span>
      </div>
      <OrderBookLadder />
    </section>
  );
}

export function OrderBookLadder() {
  const { client, store } = useServices();
  const venue = useKeel((s) => s.venue);
  const symbol = useKeel((s) => s.symbol);
  const connected = useKeel((s) => s.connection.state === 'open');
  const inst = useKeel(selectActiveInstrument);
  const last = useKeel((s) => selectActiveTicker(s)?.last);
  const dir = useKeel((s) => (s.venue && s.symbol ? (s.tickDirection[`${s.venue}|${s.symbol}`] ?? 0) : 0));
  const [book, setBook] = useState<Book | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    if (!venue || !symbol || !connected) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const poll = async () => {
      try {
        const b = await client.invoke('market.orderBook', { venue, symbol, depth: DEPTH });
        if (stopped) return;
        setBook(b);
        setFailure(null);
      } catch (err) {
        if (!stopped) setFailure(errorMessage(err));
      }
      if (!stopped) timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [client, venue, symbol, connected]);

  const current = book && book.venue === venue && book.symbol === symbol ? book : null;
  const asks = current ? levels(current.asks) : [];
  const bids = current ? levels(current.bids) : [];
  const maxTotal = Math.max(asks[asks.length - 1]?.total ?? 0, bids[bids.length - 1]?.total ?? 0, 1e-12);
  const totalDigits = Math.min(qtyDigits(inst), 4);
  let spread = '—';
  try {
    const a = current?.asks[0]?.[0];
    const b = current?.bids[0]?.[0];
    if (a && b) spread = fmtPrice(Dec.parse(a).sub(Dec.parse(b)).toString(), inst);
  } catch {
    spread = '—';
  }

  // Clicking a level is a limit intent at that price; a market ticket becomes a limit one.
  const pick = (price: string) => {
    const s = store.getState();
    s.editTicket({ price: inputPrice(price, inst), ...(s.ticket.type === 'market' ? { type: 'limit' as const } : {}) });
  };

  // Keyed by depth position: a ladder's rows are slots, and a malformed book with a repeated price must not confuse React.
  const row = (l: Level, side: 'bid' | 'ask', slot: number) => (
    <div
      key={`${side}${slot}`}
      className={`book-row book-${side}`}
      onClick={() => pick(l.price)}
      title="Use this price in the ticket"
    >
      <span
        className="depth"
        style={{ width: `${Math.min(100, (l.total / maxTotal) * 100).toFixed(1)}%` }}
        aria-hidden="true"
      />
      <span className="num price">{fmtPrice(l.price, inst)}</span>
      <span className="num">{fmtQty(l.size, inst)}</span>
      <span className="num muted">{fmtNumber(l.total, totalDigits)}</span>
    </div>
  );

  return (
    <>
      <div className="book-head">
        <span>Price</span>
        <span>Size</span>
        <span>Total</span>
      </div>
      <div className="book-side book-asks">{asks.map((l, i) => row(l, 'ask', i))}</div>
      <div className="book-mid">
        <span className={`num book-last ${dir > 0 ? 'pos' : dir < 0 ? 'neg' : ''}`}>{fmtPrice(last, inst)}</span>
        <span className="num muted">spread {spread}</span>
      </div>
      <div className="book-side book-bids">{bids.map((l, i) => row(l, 'bid', i))}</div>
      {failure && <div className="book-error">{failure}</div>}
    </>
  );
}
