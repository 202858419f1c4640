/**
 * The pure matching core of the paper venue, with no store, events, decimals
 * or account: per instrument, the market's liquidity user orders take from,
 * the user's resting limit orders (price-time priority) and armed stop
 * orders. It answers "what would fill, at what price" in integer ticks and
 * lots; the exchange decides what that means for the account and the
 * reports. Kept separate so it can be benchmarked and tested on its own.
 *
 * User orders never trade with each other (the paper account is one
 * account: self-trade prevention by construction). Takers walk the market's
 * liquidity only; resting orders are filled by the market.
 */
import type { OrderSide } from '../../../shared/domain';
import type { Liquidity } from './marketSource';
import { PriceLadder, type LadderNode } from './priceLadder';
import type { FillBuffer } from './syntheticBook';

export interface BookOrder<T> extends LadderNode<T> {
  readonly side: OrderSide;
  /** A conditional order triggers when the price rises to its stop (buy stops, sell take-profits), else when it falls to it. */
  readonly rises: boolean;
  /** Limit price in ticks (resting orders). */
  readonly priceTicks: number;
  /** Trigger price in ticks (stop orders). */
  readonly stopTicks: number;
  /** Lots still to fill; the owner keeps it current. */
  readonly remainingLots: number;
}

/** The limit a market order takes liquidity with. */
export function marketLimit(side: OrderSide): number {
  return side === 'buy' ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
}

export class MatchingBook<O extends BookOrder<O>> {
  readonly bids = new PriceLadder<O>(false);
  readonly asks = new PriceLadder<O>(true);
  /** Orders that trigger when last ≥ stop (buy stops, sell take-profits): the lowest stop acts first. */
  readonly risingTriggers = new PriceLadder<O>(true);
  /** Orders that trigger when last ≤ stop (sell stops, buy take-profits): the highest stop acts first. */
  readonly fallingTriggers = new PriceLadder<O>(false);

  constructor(
    readonly symbol: string,
    readonly liquidity: Liquidity,
  ) {}

  /** Takes the market's liquidity for an order on `side`; one fill per level into `sink`. */
  take(side: OrderSide, maxLots: number, limitTicks: number, sink: FillBuffer): number {
    return this.liquidity.take(side, maxLots, limitTicks, sink);
  }

  fillable(side: OrderSide, limitTicks: number): number {
    return this.liquidity.available(side, limitTicks);
  }

  wouldTake(side: OrderSide, priceTicks: number): boolean {
    return this.liquidity.wouldTake(side, priceTicks);
  }

  rest(order: O): void {
    (order.side === 'buy' ? this.bids : this.asks).add(order, order.priceTicks);
  }

  arm(order: O): void {
    (order.rises ? this.risingTriggers : this.fallingTriggers).add(order, order.stopTicks);
  }

  /** Takes the order off whichever ladder holds it (no-op when it is on none). */
  remove(order: O): void {
    const owner = order.level?.owner;
    if (owner === undefined) return;
    if (owner === this.bids) this.bids.remove(order);
    else if (owner === this.asks) this.asks.remove(order);
    else if (owner === this.risingTriggers) this.risingTriggers.remove(order);
    else if (owner === this.fallingTriggers) this.fallingTriggers.remove(order);
    else throw new Error(`Order is on a ladder of another book than ${this.symbol}`);
  }

  get restingCount(): number {
    return this.bids.size + this.asks.size;
  }

  get armedCount(): number {
    return this.risingTriggers.size + this.fallingTriggers.size;
  }

  /** Resting orders the market's book has moved through (bids at or above the best ask, asks at or below the best bid), best first. */
  collectCrossed(): O[] {
    const out: O[] = [];
    const bestAsk = this.liquidity.bestAsk();
    if (!Number.isNaN(bestAsk)) collect(this.bids, (price) => price >= bestAsk, Number.POSITIVE_INFINITY, out);
    const bestBid = this.liquidity.bestBid();
    if (!Number.isNaN(bestBid)) collect(this.asks, (price) => price <= bestBid, Number.POSITIVE_INFINITY, out);
    return out;
  }

  /**
   * Resting orders a trade printed through, in priority order, until
   * their remaining lots cover the trade: a sell at P trades through bids
   * priced above P, a buy at P through asks priced below P.
   */
  collectTradeThrough(aggressor: OrderSide, priceTicks: number, lots: number): O[] {
    const out: O[] = [];
    if (aggressor === 'sell') collect(this.bids, (price) => price > priceTicks, lots, out);
    else collect(this.asks, (price) => price < priceTicks, lots, out);
    return out;
  }

  /** Armed stops the last trade price has reached, in trigger priority. */
  collectTriggered(lastTicks: number): O[] {
    const out: O[] = [];
    collect(this.risingTriggers, (stop) => lastTicks >= stop, Number.POSITIVE_INFINITY, out);
    collect(this.fallingTriggers, (stop) => lastTicks <= stop, Number.POSITIVE_INFINITY, out);
    return out;
  }
}

function collect<O extends BookOrder<O>>(
  ladder: PriceLadder<O>,
  qualifies: (price: number) => boolean,
  lotsWanted: number,
  out: O[],
): void {
  let covered = 0;
  for (let rank = 0; covered < lotsWanted; rank++) {
    const level = ladder.levelAt(rank);
    if (!level || !qualifies(level.price)) return;
    for (let node = level.head; node && covered < lotsWanted; node = node.next) {
      out.push(node);
      covered += node.remainingLots;
    }
  }
}

/** The matching books of a venue, by symbol. */
export class MatchingEngine<O extends BookOrder<O>> {
  private readonly books = new Map<string, MatchingBook<O>>();

  addSymbol(symbol: string, liquidity: Liquidity): MatchingBook<O> {
    if (this.books.has(symbol)) throw new Error(`${symbol} is already listed`);
    const book = new MatchingBook<O>(symbol, liquidity);
    this.books.set(symbol, book);
    return book;
  }

  book(symbol: string): MatchingBook<O> | undefined {
    return this.books.get(symbol);
  }

  symbols(): string[] {
    return [...this.books.keys()];
  }
}
