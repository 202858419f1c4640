import { describe, expect, it } from 'vitest';
import { layoutMarkerTexts, type MarkerText } from './markerLabelLayout';

const options = { height: 14, gap: 2, top: 0, bottom: 600, maxStack: 3 };
const text = (id: string, x: number, y: number, side: MarkerText['side'] = 'below', width = 50): MarkerText => ({ id, x, y, width, side });

/** Whether two placed texts' boxes overlap. */
function overlap(a: { x: number; top: number; w: number }, b: { x: number; top: number; w: number }, h: number): boolean {
  return Math.abs(a.x - b.x) < (a.w + b.w) / 2 && Math.abs(a.top - b.top) < h;
}

describe('marker texts', () => {
  it('leaves texts that are clear of each other where they are', () => {
    const placed = layoutMarkerTexts([text('fill', 100, 300), text('signal', 200, 300)], options);
    expect(placed.map((p) => [p.items[0]!.id, p.top])).toEqual([
      ['fill', 293],
      ['signal', 293],
    ]);
  });

  it('stacks a fill’s text and a signal’s on neighbouring bars so they no longer overlap, downwards under the bars', () => {
    const placed = layoutMarkerTexts([text('fill', 100, 300), text('signal', 108, 302)], options);
    expect(placed).toHaveLength(2);
    const [a, b] = placed.map((p) => ({ x: p.x, top: p.top, w: 50 }));
    expect(overlap(a!, b!, 14)).toBe(false);
    expect(Math.min(a!.top, b!.top)).toBeGreaterThanOrEqual(300 - 7);
  });

  it('stacks upwards over the bars', () => {
    const placed = layoutMarkerTexts([text('s1', 100, 100, 'above'), text('s2', 106, 100, 'above')], options);
    const tops = placed.map((p) => p.top).sort((a, b) => a - b);
    expect(tops[1]).toBe(100 - 7);
    expect(tops[0]).toBeLessThanOrEqual(tops[1]! - 14);
  });

  it('keeps the two sides apart: a text under one bar and over the next do not move', () => {
    const placed = layoutMarkerTexts([text('b', 100, 300, 'below'), text('a', 104, 100, 'above')], options);
    expect(placed.map((p) => p.top).sort((x, y) => x - y)).toEqual([93, 293]);
  });

  it('collapses a crowd of more than the stack allows into one text', () => {
    const crowd = Array.from({ length: 5 }, (_, i) => text(`m${i}`, 100 + i * 4, 300));
    const placed = layoutMarkerTexts(crowd, options);
    expect(placed).toHaveLength(1);
    expect(placed[0]!.collapsed).toBe(true);
    expect(placed[0]!.items.map((i) => i.id)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
  });
});
