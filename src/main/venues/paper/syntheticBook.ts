/**
 * The simulated market's liquidity for one instrument: a ladder of bid and
 * ask levels around the mid (spread of a few ticks, gaps and sizes growing
 * with distance), redrawn every time the mid moves. Orders that take
 * liquidity walk it level by level. What they take is gone until the next
 * refresh, and refreshes only give part of it back (a per-side deficit that
 * decays geometrically), so liquidity is not infinitely replenishable.
 *
 * Prices are integer ticks and sizes integer lots.
 */
import type { OrderSide } from '../../../shared/domain';
import type { Prng } from '../../core/prng';

export interface SyntheticBookParams {
  levels: number;
  /** Distance of each level from the touch, in ticks (offsets[0] = 0). */
  offsets: readonly number[];
  /** Mean size of the top level, in lots. */
  topLots: number;
  /** Each level deeper adds this fraction of the top size. */
  sizeGrowth: number;
  /** Log-normal noise on level sizes. */
  sizeNoise: number;
  maxSpreadTicks: number;
  /** Fraction of taken liquidity still missing after one refresh. */
  deficitCarry: number;
}

/** Collects fills (price, lots) without allocating per fill. */
export class FillBuffer {
  readonly ticks: number[] = [];
  readonly lots: number[] = [];
  count = 0;

  reset(): void {
    this.count = 0;
  }

  push(ticks: number, lots: number): void {
    this.ticks[this.count] = ticks;
    this.lots[this.count] = lots;
    this.count++;
  }

  totalLots(): number {
    let sum = 0;
    for (let i = 0; i < this.count; i++) sum += this.lots[i]!;
    return sum;
  }
}

/** Level offsets whose gaps grow geometrically so `levels` levels span about `spanTicks`. */
export function levelOffsets(levels: number, spanTicks: number, growth = 1.25): number[] {
  const gaps = levels - 1;
  const firstGap = gaps > 0 ? (spanTicks * (growth - 1)) / (growth ** gaps - 1) : 1;
  const offsets = [0];
  for (let i = 1; i < levels; i++) {
    offsets.push(offsets[i - 1]! + Math.max(1, Math.round(firstGap * growth ** (i - 1))));
  }
  return offsets;
}

interface Side {
  ticks: Float64Array;
  lots: Float64Array;
  /** Index of the first level with liquidity left. */
  top: number;
  /** Lots taken and not yet given back. */
  deficit: number;
}

function newSide(levels: number): Side {
  return { ticks: new Float64Array(levels), lots: new Float64Array(levels), top: levels, deficit: 0 };
}

export class SyntheticBook {
  private readonly bids: Side;
  private readonly asks: Side;
  private midTicks = Number.NaN;

  constructor(private readonly params: SyntheticBookParams) {
    if (params.offsets.length !== params.levels || params.offsets[0] !== 0) {
      throw new RangeError('Book offsets must start at 0 and have one entry per level');
    }
    this.bids = newSide(params.levels);
    this.asks = newSide(params.levels);
  }

  /** The mid the book was last drawn around (fractional ticks). */
  get mid(): number {
    return this.midTicks;
  }

  /** Redraws both sides around `midTicks`, minus what recent takers have not let refill. */
  regenerate(midTicks: number, rng: Prng): void {
    const p = this.params;
    this.midTicks = midTicks;
    const spread = 1 + Math.floor(rng.next() * p.maxSpreadTicks);
    const bestBid = Math.round(midTicks - spread / 2);
    const bestAsk = bestBid + spread;
    this.drawSide(this.bids, bestBid, -1, rng);
    this.drawSide(this.asks, bestAsk, 1, rng);
  }

  bestBid(): number {
    const s = this.bids;
    return s.top < this.params.levels ? s.ticks[s.top]! : Number.NaN;
  }

  bestAsk(): number {
    const s = this.asks;
    return s.top < this.params.levels ? s.ticks[s.top]! : Number.NaN;
  }

  /** True when a `side` order at `priceTicks` would take liquidity now (post-only check). */
  wouldTake(side: OrderSide, priceTicks: number): boolean {
    return side === 'buy' ? priceTicks >= this.bestAsk() : priceTicks <= this.bestBid();
  }

  /**
   * Takes up to `maxLots` for an order on `side` (a buy takes asks) at prices
   * no worse than `limitTicks` (use Infinity / 0 for market orders), best
   * level first; pushes one fill per level into `sink` and returns the lots taken.
   */
  take(side: OrderSide, maxLots: number, limitTicks: number, sink: FillBuffer): number {
    const book = side === 'buy' ? this.asks : this.bids;
    const levels = this.params.levels;
    let left = maxLots;
    let i = book.top;
    while (left > 0 && i < levels) {
      const price = book.ticks[i]!;
      if (side === 'buy' ? price > limitTicks : price < limitTicks) break;
      const available = book.lots[i]!;
      const q = available < left ? available : left;
      if (q > 0) {
        book.lots[i] = available - q;
        left -= q;
        sink.push(price, q);
      }
      if (book.lots[i] === 0) i++;
    }
    book.top = i;
    const taken = maxLots - left;
    book.deficit += taken;
    return taken;
  }

  /** Lots a `side` order could take at prices no worse than `limitTicks` (FOK check). */
  available(side: OrderSide, limitTicks: number): number {
    const book = side === 'buy' ? this.asks : this.bids;
    let sum = 0;
    for (let i = book.top; i < this.params.levels; i++) {
      const price = book.ticks[i]!;
      if (side === 'buy' ? price > limitTicks : price < limitTicks) break;
      sum += book.lots[i]!;
    }
    return sum;
  }

  /** Levels with liquidity, best first: [ticks, lots]. */
  depth(side: 'bids' | 'asks', maxLevels: number): Array<[number, number]> {
    const book = side === 'bids' ? this.bids : this.asks;
    const out: Array<[number, number]> = [];
    for (let i = book.top; i < this.params.levels && out.length < maxLevels; i++) {
      const lots = book.lots[i]!;
      if (lots > 0) out.push([book.ticks[i]!, lots]);
    }
    return out;
  }

  private drawSide(side: Side, touch: number, direction: -1 | 1, rng: Prng): void {
    const p = this.params;
    let total = 0;
    for (let i = 0; i < p.levels; i++) {
      const ticks = touch + direction * p.offsets[i]!;
      const mean = p.topLots * (1 + p.sizeGrowth * i);
      const noise = Math.exp(p.sizeNoise * rng.normal() - (p.sizeNoise * p.sizeNoise) / 2);
      const lots = ticks > 0 ? Math.max(1, Math.round(mean * noise)) : 0;
      side.ticks[i] = ticks;
      side.lots[i] = lots;
      total += lots;
    }
    side.top = 0;
    // Part of what takers removed is still missing; never leave a side empty.
    side.deficit = Math.min(Math.floor(side.deficit * p.deficitCarry), Math.floor(total * 0.9));
    let missing = side.deficit;
    let i = 0;
    while (missing > 0 && i < p.levels) {
      const q = Math.min(side.lots[i]!, missing);
      side.lots[i] = side.lots[i]! - q;
      missing -= q;
      if (side.lots[i] === 0) i++;
    }
    while (i < p.levels && side.lots[i] === 0) i++;
    side.top = i;
  }
}
