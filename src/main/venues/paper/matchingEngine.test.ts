import { describe, expect, it } from 'vitest';
import type { OrderSide } from '../../../shared/domain';
import { createMatchingBench } from './matchingBench';
import { MatchingBook, MatchingEngine, marketLimit, type BookOrder } from './matchingEngine';
import type { LadderLevel } from './priceLadder';
import { Prng } from '../../core/prng';
import { FillBuffer, SyntheticBook, levelOffsets } from './syntheticBook';

class TestOrder implements BookOrder<TestOrder> {
  prev: TestOrder | null = null;
  next: TestOrder | null = null;
  level: LadderLevel<TestOrder> | null = null;
  constructor(
    readonly name: string,
    readonly side: OrderSide,
    readonly priceTicks: number,
    public remainingLots: number,
    readonly stopTicks = 0,
  ) {}

  /** Plain stops: a buy triggers on the rise. */
  get rises(): boolean {
    return this.side === 'buy';
  }
}

function newBook(): { book: MatchingBook<TestOrder>; synthetic: SyntheticBook } {
  const synthetic = new SyntheticBook({
    levels: 20,
    offsets: levelOffsets(20, 40),
    topLots: 10,
    sizeGrowth: 0.35,
    sizeNoise: 0.4,
    maxSpreadTicks: 1,
    deficitCarry: 0.5,
  });
  synthetic.regenerate(1000, new Prng(1));
  return { book: new MatchingBook<TestOrder>('T/USDT:USDT', synthetic), synthetic };
}

const names = (orders: TestOrder[]): string[] => orders.map((o) => o.name);

describe('MatchingBook', () => {
  it('keeps resting orders in price-time priority and removes them from anywhere', () => {
    const { book, synthetic } = newBook();
    const bid = synthetic.bestBid();
    const orders = [
      new TestOrder('b1', 'buy', bid - 5, 1),
      new TestOrder('b2', 'buy', bid - 2, 1),
      new TestOrder('b3', 'buy', bid - 5, 1),
      new TestOrder('b4', 'buy', bid - 2, 1),
      new TestOrder('b5', 'buy', bid - 9, 1),
    ];
    for (const o of orders) book.rest(o);
    expect(book.bids.levelCount).toBe(3);
    // A sell printing at bid − 10 trades through every bid: best price first, then time.
    expect(names(book.collectTradeThrough('sell', bid - 10, 100))).toEqual(['b2', 'b4', 'b1', 'b3', 'b5']);
    // Only as many as the trade needs.
    expect(names(book.collectTradeThrough('sell', bid - 10, 2))).toEqual(['b2', 'b4']);
    // Strictly through: a print at the order's price does not fill it.
    expect(names(book.collectTradeThrough('sell', bid - 5, 100))).toEqual(['b2', 'b4']);
    book.remove(orders[3]!);
    book.remove(orders[1]!);
    expect(book.bids.levelCount).toBe(2);
    expect(book.bids.bestPrice()).toBe(bid - 5);
    expect(names(book.collectTradeThrough('sell', 0, 100))).toEqual(['b1', 'b3', 'b5']);
    book.remove(orders[1]!); // not on a ladder any more: no-op
    expect(book.restingCount).toBe(3);
    expect(() => book.bids.add(orders[0]!, 1)).toThrow();
  });

  it('finds resting orders the book moved through', () => {
    const { book, synthetic } = newBook();
    const ask = synthetic.bestAsk();
    const bid = synthetic.bestBid();
    book.rest(new TestOrder('inside', 'buy', bid + 0, 1));
    book.rest(new TestOrder('far', 'sell', ask + 20, 1));
    expect(book.collectCrossed()).toEqual([]);
    synthetic.regenerate(1030, new Prng(2)); // the mid rallies 30 ticks
    expect(names(book.collectCrossed())).toEqual(['far']);
    synthetic.regenerate(970, new Prng(3));
    expect(names(book.collectCrossed())).toEqual(['inside']);
  });

  it('collects triggered stops: buy stops at or below last, sell stops at or above', () => {
    const { book } = newBook();
    book.arm(new TestOrder('bs1', 'buy', 0, 1, 1010));
    book.arm(new TestOrder('bs2', 'buy', 0, 1, 1005));
    book.arm(new TestOrder('ss1', 'sell', 0, 1, 990));
    book.arm(new TestOrder('ss2', 'sell', 0, 1, 995));
    expect(book.armedCount).toBe(4);
    expect(names(book.collectTriggered(1000))).toEqual([]);
    expect(names(book.collectTriggered(1005))).toEqual(['bs2']);
    expect(names(book.collectTriggered(1020))).toEqual(['bs2', 'bs1']);
    expect(names(book.collectTriggered(990))).toEqual(['ss2', 'ss1']);
  });

  it('takes synthetic liquidity level by level up to a limit', () => {
    const { book, synthetic } = newBook();
    const asks = synthetic.depth('asks', 3);
    const fills = new FillBuffer();
    const wanted = asks[0]![1] + asks[1]![1] + 1;
    expect(book.take('buy', wanted, marketLimit('buy'), fills)).toBe(wanted);
    expect(fills.count).toBe(3);
    expect([fills.ticks[0], fills.ticks[1], fills.ticks[2]]).toEqual([asks[0]![0], asks[1]![0], asks[2]![0]]);
    expect([fills.lots[0], fills.lots[1], fills.lots[2]]).toEqual([asks[0]![1], asks[1]![1], 1]);
    fills.reset();
    const limit = asks[2]![0];
    expect(book.take('buy', 1_000_000, limit, fills)).toBe(asks[2]![1] - 1);
    expect(book.fillable('buy', limit)).toBe(0);
    expect(book.wouldTake('buy', limit)).toBe(false);
  });

  it('registers books by symbol', () => {
    const engine = new MatchingEngine<TestOrder>();
    const synthetic = newBook().synthetic;
    engine.addSymbol('A/USDT:USDT', synthetic);
    expect(engine.book('A/USDT:USDT')?.symbol).toBe('A/USDT:USDT');
    expect(engine.book('B/USDT:USDT')).toBeUndefined();
    expect(() => engine.addSymbol('A/USDT:USDT', synthetic)).toThrow();
  });
});

describe('matching bench workload', () => {
  it('places, cancels and matches, and the book agrees with the counts', () => {
    const bench = createMatchingBench(5);
    const result = bench.run(50_000);
    expect(result.placed).toBeGreaterThan(15_000);
    expect(result.canceled).toBeGreaterThan(15_000);
    expect(result.marketOrders).toBeGreaterThan(3_000);
    expect(result.filledLots).toBeGreaterThan(result.marketOrders);
    expect(result.resting).toBe(result.placed - result.canceled);
  });

  it('is deterministic for a seed', () => {
    expect(createMatchingBench(9).run(20_000)).toEqual(createMatchingBench(9).run(20_000));
  });
});
