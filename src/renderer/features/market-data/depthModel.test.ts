import { describe, expect, it } from 'vitest';
import { depthAt, depthCurve } from './depthModel';

const BOOK = {
  bids: [
    ['99', '1'],
    ['98', '2'],
    ['96', '0.5'],
  ] as Array<[string, string]>,
  asks: [
    ['101', '0.5'],
    ['102', '1.5'],
  ] as Array<[string, string]>,
};

describe('depth curve', () => {
  it('walks each side from the touch, centred on the mid', () => {
    const curve = depthCurve(BOOK)!;
    expect(curve.bids).toEqual([
      { price: 99, cumulative: 1 },
      { price: 98, cumulative: 3 },
      { price: 96, cumulative: 3.5 },
    ]);
    expect(curve.asks).toEqual([
      { price: 101, cumulative: 0.5 },
      { price: 102, cumulative: 2 },
    ]);
    expect(curve.mid).toBe(100);
    // The bids reach 4 below the mid, farther than the asks: both sides are drawn over 96..104.
    expect([curve.low, curve.high]).toEqual([96, 104]);
    expect(curve.maxCumulative).toBe(3.5);
  });

  it('reads the size to walk to a price', () => {
    const curve = depthCurve(BOOK)!;
    expect(depthAt(curve, 98.5)).toEqual({ side: 'bid', cumulative: 1 });
    expect(depthAt(curve, 97)).toEqual({ side: 'bid', cumulative: 3 });
    expect(depthAt(curve, 99.5)).toBeNull();
    expect(depthAt(curve, 103)).toEqual({ side: 'ask', cumulative: 2 });
  });

  it('has nothing to draw with an empty side, and skips levels it cannot read', () => {
    expect(depthCurve({ bids: [], asks: BOOK.asks })).toBeNull();
    const curve = depthCurve({ bids: [['99', 'x'], ['98', '1']], asks: [['101', '0'], ['102', '2']] })!;
    expect(curve.bids).toEqual([{ price: 98, cumulative: 1 }]);
    expect(curve.asks).toEqual([{ price: 102, cumulative: 2 }]);
  });
});
