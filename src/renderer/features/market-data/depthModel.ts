/**
 * The depth chart's curves from an order book: for each side, the quantity
 * one would trade walking the book from the touch to each level (cumulative
 * size), and the price range to draw, centred on the mid so both sides are
 * read on one scale.
 */
import type { OrderBook } from '../../../shared/domain';

export interface DepthPoint {
  price: number;
  /** Size from the touch up to and including this level. */
  cumulative: number;
}

export interface DepthCurve {
  bids: DepthPoint[];
  asks: DepthPoint[];
  mid: number;
  /** The price range drawn: the mid ± the farther side's reach. */
  low: number;
  high: number;
  maxCumulative: number;
}

function cumulate(levels: readonly (readonly [string, string])[]): DepthPoint[] {
  let total = 0;
  const out: DepthPoint[] = [];
  for (const [p, s] of levels) {
    const price = Number(p);
    const size = Number(s);
    if (!Number.isFinite(price) || !Number.isFinite(size) || size <= 0) continue;
    total += size;
    out.push({ price, cumulative: total });
  }
  return out;
}

/** Null when either side is empty (no mid to centre on). */
export function depthCurve(book: Pick<OrderBook, 'bids' | 'asks'>): DepthCurve | null {
  const bids = cumulate(book.bids);
  const asks = cumulate(book.asks);
  if (bids.length === 0 || asks.length === 0) return null;
  const mid = (bids[0]!.price + asks[0]!.price) / 2;
  const reach = Math.max(mid - bids[bids.length - 1]!.price, asks[asks.length - 1]!.price - mid);
  return {
    bids,
    asks,
    mid,
    low: mid - reach,
    high: mid + reach,
    maxCumulative: Math.max(bids[bids.length - 1]!.cumulative, asks[asks.length - 1]!.cumulative),
  };
}

/** What walking the book to `price` takes: the bids' cumulative size at or above it, or the asks' at or below it. */
export function depthAt(curve: DepthCurve, price: number): { side: 'bid' | 'ask'; cumulative: number } | null {
  if (price <= curve.mid) {
    let found: DepthPoint | null = null;
    for (const p of curve.bids) if (p.price >= price) found = p;
    return found ? { side: 'bid', cumulative: found.cumulative } : null;
  }
  let found: DepthPoint | null = null;
  for (const p of curve.asks) if (p.price <= price) found = p;
  return found ? { side: 'ask', cumulative: found.cumulative } : null;
}
