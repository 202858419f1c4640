/**
 * A seeded, self-contained workload for benchmarking the matching core
 * without a store, events or decimals: places limit orders that rest near
 * the touch, cancels resting ones, and sends small market orders that walk
 * the synthetic book, redrawing the book now and then as the market would.
 * `bench/` times `run`; tests use it to check the workload really matches.
 */
import type { OrderSide } from '../../../shared/domain';
import { MatchingBook, marketLimit, type BookOrder } from './matchingEngine';
import type { LadderLevel } from './priceLadder';
import { Prng } from '../../core/prng';
import { FillBuffer, SyntheticBook, levelOffsets } from './syntheticBook';

export class BenchOrder implements BookOrder<BenchOrder> {
  prev: BenchOrder | null = null;
  next: BenchOrder | null = null;
  level: LadderLevel<BenchOrder> | null = null;
  readonly stopTicks = 0;
  index = -1;

  get rises(): boolean {
    return this.side === 'buy';
  }

  constructor(
    readonly side: OrderSide,
    readonly priceTicks: number,
    readonly remainingLots: number,
  ) {}
}

export interface MatchingBenchResult {
  placed: number;
  canceled: number;
  marketOrders: number;
  /** Lots filled by market orders. */
  filledLots: number;
  /** Orders still resting at the end. */
  resting: number;
}

export interface MatchingBench {
  readonly book: MatchingBook<BenchOrder>;
  /** Runs `ops` operations (place, cancel or small market order). */
  run(ops: number): MatchingBenchResult;
}

const MID_TICKS = 800_000;
const REDRAW_EVERY = 1_000;

export function createMatchingBench(seed = 1): MatchingBench {
  const rng = new Prng(seed);
  const synthetic = new SyntheticBook({
    levels: 30,
    offsets: levelOffsets(30, 4_800),
    topLots: 500,
    sizeGrowth: 0.35,
    sizeNoise: 0.4,
    maxSpreadTicks: 3,
    deficitCarry: 0.5,
  });
  synthetic.regenerate(MID_TICKS, rng);
  const book = new MatchingBook<BenchOrder>('BENCH/USDT:USDT', synthetic);
  const fills = new FillBuffer();
  // Resting orders in an array with swap-remove, so picking one to cancel is O(1).
  const resting: BenchOrder[] = [];

  return {
    book,
    run(ops: number): MatchingBenchResult {
      const result: MatchingBenchResult = { placed: 0, canceled: 0, marketOrders: 0, filledLots: 0, resting: 0 };
      for (let i = 0; i < ops; i++) {
        if (i % REDRAW_EVERY === REDRAW_EVERY - 1) synthetic.regenerate(MID_TICKS + Math.round(rng.normal() * 20), rng);
        const u = rng.next();
        if (u < 0.45 || (u < 0.9 && resting.length === 0)) {
          const side: OrderSide = rng.next() < 0.5 ? 'buy' : 'sell';
          const touch = side === 'buy' ? synthetic.bestBid() : synthetic.bestAsk();
          const away = 1 + Math.floor(rng.next() * 50);
          const price = side === 'buy' ? touch - away : touch + away;
          if (book.wouldTake(side, price)) continue;
          const order = new BenchOrder(side, price, 1 + Math.floor(rng.next() * 100));
          book.rest(order);
          order.index = resting.length;
          resting.push(order);
          result.placed++;
        } else if (u < 0.9) {
          const index = Math.floor(rng.next() * resting.length);
          const order = resting[index]!;
          book.remove(order);
          const last = resting.pop()!;
          if (last !== order) {
            resting[index] = last;
            last.index = index;
          }
          result.canceled++;
        } else {
          const side: OrderSide = rng.next() < 0.5 ? 'buy' : 'sell';
          fills.reset();
          result.filledLots += book.take(side, 1 + Math.floor(rng.next() * 5), marketLimit(side), fills);
          result.marketOrders++;
        }
      }
      result.resting = book.restingCount;
      return result;
    },
  };
}
