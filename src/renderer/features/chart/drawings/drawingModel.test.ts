import { describe, expect, it } from 'vitest';
import { MAX_DRAWINGS, dragDrawing, hitPart, logicalToTime, parseDrawings, timeToLogical, type Drawing } from './drawingModel';

const MIN = 60_000;
const T0 = Date.UTC(2026, 2, 1);
// Bars every minute with one gap (a missing minute between index 2 and 3).
const TIMES = [T0, T0 + MIN, T0 + 2 * MIN, T0 + 4 * MIN, T0 + 5 * MIN];

describe('time and logical index', () => {
  it('maps bar times to their index, between bars by interpolation, outside by the bar length', () => {
    expect(timeToLogical(TIMES, MIN, T0)).toBe(0);
    expect(timeToLogical(TIMES, MIN, T0 + 4 * MIN)).toBe(3);
    expect(timeToLogical(TIMES, MIN, T0 + 3 * MIN)).toBe(2.5);
    expect(timeToLogical(TIMES, MIN, T0 + 8 * MIN)).toBe(7);
    expect(timeToLogical(TIMES, MIN, T0 - 2 * MIN)).toBe(-2);
    expect(timeToLogical([], MIN, T0)).toBeNull();
  });

  it('goes back the same way', () => {
    for (const logical of [-3, 0, 1.25, 2.5, 4, 9.5]) {
      const t = logicalToTime(TIMES, MIN, logical)!;
      expect(timeToLogical(TIMES, MIN, t)).toBeCloseTo(logical, 9);
    }
    expect(logicalToTime([], MIN, 1)).toBeNull();
    expect(logicalToTime(TIMES, MIN, Number.NaN)).toBeNull();
  });
});

describe('hitting a drawing', () => {
  const a = { x: 100, y: 100 };
  const b = { x: 200, y: 150 };
  it('hits a horizontal line anywhere along its price', () => {
    expect(hitPart('hline', a, a, { x: 999, y: 103 }, 4)).toBe('body');
    expect(hitPart('hline', a, a, { x: 100, y: 110 }, 4)).toBeNull();
  });

  it('hits a trend line on its segment and its ends, not on the line beyond them', () => {
    expect(hitPart('trend', a, b, { x: 150, y: 126 }, 4)).toBe('body');
    expect(hitPart('trend', a, b, { x: 101, y: 99 }, 4)).toBe('a');
    expect(hitPart('trend', a, b, { x: 198, y: 151 }, 4)).toBe('b');
    expect(hitPart('trend', a, b, { x: 260, y: 180 }, 4)).toBeNull();
    expect(hitPart('trend', a, b, { x: 150, y: 140 }, 4)).toBeNull();
  });

  it('hits a rectangle inside and at its corners', () => {
    expect(hitPart('rect', a, b, { x: 150, y: 120 }, 4)).toBe('body');
    expect(hitPart('rect', a, b, { x: 200, y: 150 }, 4)).toBe('b');
    expect(hitPart('rect', a, b, { x: 250, y: 120 }, 4)).toBeNull();
  });
});

describe('dragging a drawing', () => {
  const trend: Drawing = { id: 't', kind: 'trend', a: { time: T0, price: 100 }, b: { time: T0 + 4 * MIN, price: 110 }, color: '#4ea1ff' };

  it('moves a whole trend line by bars and price, keeping its shape', () => {
    const moved = dragDrawing(trend, 'body', { logical: 1, price: 105 }, { logical: 2, price: 107 }, TIMES, MIN);
    expect(moved).toMatchObject({ a: { time: T0 + MIN, price: 102 }, b: { time: T0 + 5 * MIN, price: 112 } });
  });

  it('moves one end to the pointer', () => {
    const moved = dragDrawing(trend, 'b', { logical: 3, price: 110 }, { logical: 6, price: 90 }, TIMES, MIN);
    // Index 6 is two bars past the last bar (index 4, at T0 + 5 min).
    expect(moved).toMatchObject({ a: trend.a, b: { time: T0 + 7 * MIN, price: 90 } });
  });

  it('moves a horizontal line by price only', () => {
    const line: Drawing = { id: 'h', kind: 'hline', price: 100, color: '#4ea1ff' };
    expect(dragDrawing(line, 'body', { logical: 1, price: 100 }, { logical: 9, price: 96.5 }, TIMES, MIN)).toEqual({ ...line, price: 96.5 });
  });
});

describe('saved drawings', () => {
  it('are read back, dropping what is malformed', () => {
    const raw = [
      { id: 'h', kind: 'hline', price: 101.5, color: '#ff0000' },
      { id: 'r', kind: 'rect', a: { time: T0, price: 1 }, b: { time: T0 + MIN, price: 2 } },
      { id: 'h', kind: 'hline', price: 3 },
      { id: 'x', kind: 'circle', price: 3 },
      { id: 'y', kind: 'trend', a: { time: T0, price: 'high' }, b: { time: T0, price: 2 } },
      { id: 'z', kind: 'hline', price: Number.POSITIVE_INFINITY },
      7,
    ];
    const drawings = parseDrawings(raw);
    expect(drawings.map((d) => d.id)).toEqual(['h', 'r']);
    expect(drawings[1]!.color).toBe('#4ea1ff');
    expect(parseDrawings('nope')).toEqual([]);
    expect(parseDrawings(Array.from({ length: MAX_DRAWINGS + 3 }, (_, i) => ({ id: `h${i}`, kind: 'hline', price: i })))).toHaveLength(MAX_DRAWINGS);
  });
});
