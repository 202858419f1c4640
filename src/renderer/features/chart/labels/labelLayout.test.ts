import { describe, expect, it } from 'vitest';
import { labelColumnWidth, layoutLabels, type LabelItem, type LabelLayoutOptions, type PlacedLabel } from './labelLayout';

const OPTIONS: LabelLayoutOptions = { height: 16, gap: 2, top: 24, bottom: 400, maxStack: 3 };

const item = (id: string, y: number, pinned = false): LabelItem => ({ id, y, ...(pinned ? { pinned } : {}) });
const ids = (placed: PlacedLabel<LabelItem>[]) => placed.map((p) => p.items.map((i) => i.id).join('+'));

function expectNoOverlap(placed: PlacedLabel<LabelItem>[], o = OPTIONS): void {
  const tops = placed.map((p) => p.top).sort((a, b) => a - b);
  tops.forEach((t, i) => {
    expect(t).toBeGreaterThanOrEqual(o.top);
    expect(t + o.height).toBeLessThanOrEqual(o.bottom);
    if (i > 0) expect(t - tops[i - 1]!).toBeGreaterThanOrEqual(o.height + o.gap - 1e-9);
  });
}

describe('price label layout', () => {
  it('leaves labels far apart where their lines are', () => {
    const placed = layoutLabels([item('a', 100), item('b', 200)], OPTIONS);
    expect(placed.map((p) => p.top)).toEqual([92, 192]);
    expect(placed.every((p) => !p.collapsed)).toBe(true);
  });

  it('stacks close labels around their lines instead of drawing them over each other', () => {
    const placed = layoutLabels([item('sell', 101), item('buy', 100)], OPTIONS);
    expect(ids(placed)).toEqual(['buy', 'sell']);
    expectNoOverlap(placed);
    // Kept next to their lines: the first where it wants to be, the second right under it.
    expect(placed[0]!.top).toBe(92);
    expect(placed[1]!.top).toBe(110);
  });

  it('collapses a crowd of close orders into one label, but never the position', () => {
    const crowd = [item('o1', 200), item('o2', 203), item('o3', 206), item('o4', 209), item('pos', 204, true)];
    const placed = layoutLabels(crowd, OPTIONS);
    expect(ids(placed).sort()).toEqual(['o1+o2+o3+o4', 'pos']);
    const group = placed.find((p) => p.collapsed)!;
    expect(group.anchorY).toBe(204.5);
    expectNoOverlap(placed);
  });

  it('keeps labels under the legend and inside the pane', () => {
    const placed = layoutLabels([item('top', 2), item('bottom', 399)], OPTIONS);
    expect(placed[0]!.top).toBe(24);
    expect(placed[1]!.top).toBe(384);
  });

  it('pushes a stack up from the bottom edge rather than off the pane', () => {
    const placed = layoutLabels([item('a', 396), item('b', 397), item('c', 398)], OPTIONS);
    expectNoOverlap(placed);
    expect(Math.max(...placed.map((p) => p.top))).toBe(384);
  });

  it('turns a wall of 150 orders into labels that fit the pane, each order in exactly one', () => {
    const wall = Array.from({ length: 150 }, (_, i) => item(`o${i}`, 30 + i * 2.5));
    wall.push(item('pos', 250, true));
    const placed = layoutLabels(wall, OPTIONS);
    expect(placed.length).toBeLessThanOrEqual(Math.floor((OPTIONS.bottom - OPTIONS.top + OPTIONS.gap) / (OPTIONS.height + OPTIONS.gap)));
    expectNoOverlap(placed);
    const seen = placed.flatMap((p) => p.items.map((i) => i.id)).sort();
    expect(seen).toEqual(wall.map((i) => i.id).sort());
    expect(placed.filter((p) => p.items.some((i) => i.id === 'pos'))).toEqual([expect.objectContaining({ collapsed: false })]);
  });

  it('ignores lines without a place (off the price scale) and refuses nonsense options', () => {
    expect(layoutLabels([item('a', Number.NaN)], OPTIONS)).toEqual([]);
    expect(() => layoutLabels([], { ...OPTIONS, height: 0 })).toThrow(RangeError);
    expect(() => layoutLabels([], { ...OPTIONS, maxStack: 0 })).toThrow(RangeError);
  });

  it('measures the label column from the longest text', () => {
    expect(labelColumnWidth([], 7, 12)).toBe(0);
    expect(labelColumnWidth(['LONG 0.010', 'SELL LMT 0.500'], 6.5, 12)).toBe(Math.ceil(14 * 6.5 + 12));
  });
});
