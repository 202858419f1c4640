import { describe, expect, it } from 'vitest';
import { Prng } from '../../core/prng';
import { FillBuffer, SyntheticBook, levelOffsets } from './syntheticBook';

function book(): SyntheticBook {
  return new SyntheticBook({
    levels: 30,
    offsets: levelOffsets(30, 4800),
    topLots: 500,
    sizeGrowth: 0.35,
    sizeNoise: 0.4,
    maxSpreadTicks: 3,
    deficitCarry: 0.5,
  });
}

const total = (levels: Array<[number, number]>): number => levels.reduce((sum, [, lots]) => sum + lots, 0);

describe('SyntheticBook', () => {
  it('spans about the requested distance with strictly growing offsets', () => {
    const offsets = levelOffsets(30, 4800);
    expect(offsets[0]).toBe(0);
    for (let i = 1; i < offsets.length; i++) expect(offsets[i]!).toBeGreaterThan(offsets[i - 1]!);
    expect(offsets[29]!).toBeGreaterThan(4000);
    expect(offsets[29]!).toBeLessThan(5600);
    // A narrow span keeps the top of the book dense: one tick between the first levels.
    expect(levelOffsets(30, 30).slice(0, 10)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('draws 30 levels a side around the mid, a few ticks of spread, sizes growing with depth', () => {
    const b = book();
    const rng = new Prng(11);
    let nearSum = 0;
    let farSum = 0;
    for (let i = 0; i < 200; i++) {
      b.regenerate(800_000 + i * 3.3, rng);
      const bids = b.depth('bids', 100);
      const asks = b.depth('asks', 100);
      expect(bids).toHaveLength(30);
      expect(asks).toHaveLength(30);
      const spread = b.bestAsk() - b.bestBid();
      expect(spread).toBeGreaterThanOrEqual(1);
      expect(spread).toBeLessThanOrEqual(3);
      expect(b.bestBid()).toBeLessThanOrEqual(b.mid);
      expect(b.bestAsk()).toBeGreaterThanOrEqual(b.mid);
      for (let k = 1; k < 30; k++) {
        expect(bids[k]![0]).toBeLessThan(bids[k - 1]![0]);
        expect(asks[k]![0]).toBeGreaterThan(asks[k - 1]![0]);
      }
      nearSum += bids[0]![1] + asks[0]![1];
      farSum += bids[29]![1] + asks[29]![1];
    }
    expect(farSum / nearSum).toBeGreaterThan(5);
  });

  it('does not give back taken liquidity within the same instant, and only part of it at the next refresh', () => {
    const b = book();
    const rng = new Prng(5);
    b.regenerate(800_000, rng);
    const before = total(b.depth('asks', 100));
    const sink = new FillBuffer();
    const taken = b.take('buy', before + 1_000, Number.POSITIVE_INFINITY, sink);
    expect(taken).toBe(before);
    expect(sink.count).toBe(30);
    expect(sink.totalLots()).toBe(before);
    expect(b.depth('asks', 100)).toEqual([]);
    expect(Number.isNaN(b.bestAsk())).toBe(true);
    expect(b.take('buy', 10, Number.POSITIVE_INFINITY, sink)).toBe(0);
    // Bids were untouched.
    expect(b.depth('bids', 100)).toHaveLength(30);

    b.regenerate(800_000, rng);
    const refilled = total(b.depth('asks', 100));
    expect(refilled).toBeGreaterThan(0);
    expect(refilled).toBeLessThan(before * 0.75);
    // A few refreshes later the side is back to full depth.
    for (let i = 0; i < 12; i++) b.regenerate(800_000, rng);
    expect(total(b.depth('asks', 100))).toBeGreaterThan(before * 0.75);
  });

  it('answers post-only and FOK questions', () => {
    const b = book();
    b.regenerate(800_000, new Prng(1));
    const ask = b.bestAsk();
    expect(b.wouldTake('buy', ask)).toBe(true);
    expect(b.wouldTake('buy', ask - 1)).toBe(false);
    expect(b.wouldTake('sell', b.bestBid())).toBe(true);
    const asks = b.depth('asks', 2);
    expect(b.available('buy', asks[1]![0])).toBe(asks[0]![1] + asks[1]![1]);
    expect(b.available('buy', ask - 1)).toBe(0);
  });
});
