import { describe, expect, it } from 'vitest';
import { successiveHalving } from './successiveHalving';

describe('successiveHalving', () => {
  it('keeps the top 1/eta at each rung and spends the big budgets on the survivors', async () => {
    // Quality q is revealed more accurately as the budget grows: small budgets add an index-dependent bias.
    const quality = [3, 9, 1, 7, 5, 8, 2, 6, 4];
    const calls: [number, number][] = [];
    const result = await successiveHalving({
      candidates: quality.map((q, i) => ({ name: `c${i}`, q })),
      budgets: [0.25, 0.5, 1],
      eta: 3,
      evaluate: (c, budget, index) => {
        calls.push([index, budget]);
        return c.q + (1 - budget) * (index % 2 === 0 ? 4 : 0);
      },
    });
    // Rung 1 (bias 3 on even indices): scores 6, 9, 4, 7, 8, 8, 5, 6, 7 -> top 3: c1 (9), c4 (8), c5 (8; c4 wins the tie by index).
    expect(result.rungs[0]!.promoted).toEqual([1, 4, 5]);
    // Rung 2 (bias 2 on even): c1 9, c4 7, c5 8 -> top 1: c1.
    expect(result.rungs[1]!.ranking.map((e) => e.index)).toEqual([1, 5, 4]);
    expect(result.rungs[1]!.promoted).toEqual([1]);
    expect(result.rungs[2]!.ranking).toEqual([{ index: 1, candidate: { name: 'c1', q: 9 }, objective: 9 }]);
    expect(result.rungs[2]!.promoted).toEqual([]);
    expect(result.best.index).toBe(1);
    expect(calls.filter(([, b]) => b === 0.25)).toHaveLength(9);
    expect(calls.filter(([, b]) => b === 0.5)).toHaveLength(3);
    expect(calls.filter(([, b]) => b === 1)).toEqual([[1, 1]]);
  });

  it('breaks ties by the previous rung, then by index, and ranks failures last', async () => {
    const result = await successiveHalving({
      candidates: ['a', 'b', 'c', 'd', 'e', 'f'],
      budgets: [1, 2, 3],
      eta: 2,
      evaluate: (c, budget) => {
        if (budget === 1) return { a: null, b: 1, c: 2, d: 2, e: 1, f: null }[c]!;
        return 0; // every survivor ties later on
      },
    });
    expect(result.rungs[0]!.ranking.map((e) => e.candidate)).toEqual(['c', 'd', 'b', 'e', 'a', 'f']);
    expect(result.rungs[0]!.promoted).toEqual([2, 3, 1]);
    // All tie at budget 2: the rung-1 order stands.
    expect(result.rungs[1]!.promoted).toEqual([2]);
    expect(result.best.candidate).toBe('c');
  });

  it('returns the same survivors whatever the evaluation concurrency and completion order', async () => {
    const scores = [5, 1, 4, 4, 2, 8, 0, 3];
    const run = (concurrency: number) =>
      successiveHalving({
        candidates: scores,
        budgets: [1, 2],
        eta: 2,
        concurrency,
        // Later candidates settle first, so completion order is the reverse of submission order.
        evaluate: async (s, budget, index) => {
          for (let i = 0; i < 10 - index; i++) await Promise.resolve();
          return s * budget;
        },
      });
    const sequential = await run(1);
    const parallel = await run(4);
    expect(parallel).toEqual(sequential);
    expect(sequential.rungs[0]!.promoted).toEqual([5, 0, 2, 3]);
    expect(sequential.best.index).toBe(5);
  });

  it('keeps at least one candidate and validates its inputs', async () => {
    const one = await successiveHalving({ candidates: ['x', 'y'], budgets: [1, 2, 4], eta: 4, evaluate: (c) => (c === 'y' ? 1 : 0) });
    expect(one.rungs.map((r) => r.promoted)).toEqual([[1], [1], []]);
    const evaluate = (): number => 0;
    await expect(successiveHalving({ candidates: [], budgets: [1], eta: 2, evaluate })).rejects.toThrow(RangeError);
    await expect(successiveHalving({ candidates: [1], budgets: [], eta: 2, evaluate })).rejects.toThrow(RangeError);
    await expect(successiveHalving({ candidates: [1], budgets: [1, 1], eta: 2, evaluate })).rejects.toThrow(/increasing/);
    await expect(successiveHalving({ candidates: [1], budgets: [1], eta: 1, evaluate })).rejects.toThrow(/eta/);
    await expect(successiveHalving({ candidates: [1], budgets: [1], eta: 2, evaluate: () => Number.NaN })).rejects.toThrow(/null for a failed run/);
  });
});
