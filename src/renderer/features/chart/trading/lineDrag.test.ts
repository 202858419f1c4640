import { describe, expect, it } from 'vitest';
import { draggedPrice, grabAt, type HitBox } from './lineDrag';

const lines = [
  { id: 'a', y: 100 },
  { id: 'b', y: 106 },
];
const boxes: HitBox[] = [
  { id: 'a', part: 'label', x: 500, y: 80, width: 100, height: 16 },
  { id: 'pos', part: 'tp', x: 460, y: 80, width: 20, height: 16 },
];

describe('what a press grabs', () => {
  it('takes the nearest line within the tolerance, and nothing further away', () => {
    expect(grabAt(10, 102, lines, [])).toEqual({ id: 'a', part: 'line' });
    expect(grabAt(10, 104, lines, [])).toEqual({ id: 'b', part: 'line' });
    expect(grabAt(10, 111, lines, [])).toBeNull();
    expect(grabAt(10, 94, lines, [])).toBeNull();
  });

  it('takes a label stacked off its line, and a handle before anything under it', () => {
    expect(grabAt(550, 85, lines, boxes)).toEqual({ id: 'a', part: 'label' });
    expect(grabAt(470, 85, lines, boxes)).toEqual({ id: 'pos', part: 'tp' });
    expect(grabAt(490, 85, lines, boxes)).toBeNull();
  });
});

describe('where a drag puts the line', () => {
  it('moves the line by the pointer’s move in price, on the tick', () => {
    // Grabbed 3.0 above the line (a stacked label): the line keeps that offset.
    expect(draggedPrice('100.0', 103.0, 98.04, '0.1')).toBe('95');
    expect(draggedPrice('100.0', 100.0, 101.26, '0.5')).toBe('101.5');
    expect(draggedPrice('0.0123', 0.0123, 0.01234, '0.0001')).toBe('0.0123');
  });

  it('has no price at zero or below, or for a line that is not a number', () => {
    expect(draggedPrice('1.0', 1.0, -0.5, '0.1')).toBeNull();
    expect(draggedPrice('x', 1, 2, '0.1')).toBeNull();
  });
});
