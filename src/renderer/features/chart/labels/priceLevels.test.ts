import { describe, expect, it } from 'vitest';
import { collapsedTitle } from './priceLevels';

describe('a collapsed label', () => {
  const f = (p: number) => p.toFixed(1);

  it('names the crowd and the prices it spans', () => {
    expect(collapsedTitle([{ price: 101.2, noun: 'order' }, { price: 100.5, noun: 'order' }, { price: 100.9, noun: 'order' }], f)).toBe('3 orders 100.5–101.2');
  });

  it('calls a mixed crowd lines, and one price once', () => {
    expect(collapsedTitle([{ price: 100, noun: 'order' }, { price: 100, noun: 'alert' }], f)).toBe('2 lines 100.0');
  });
});
