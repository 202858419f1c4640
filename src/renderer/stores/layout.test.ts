import { describe, expect, it } from 'vitest';
import { DEFAULT_LAYOUT, SPLITS, clampSplit, isDefaultLayout, readLayout, withSplit } from './layout';

describe('layout splits', () => {
  it('clamps every split to its limits, pixels whole and fractions to four places', () => {
    expect(clampSplit('left', 10)).toBe(SPLITS.left.min);
    expect(clampSplit('left', 9_999)).toBe(SPLITS.left.max);
    expect(clampSplit('ticket', 333.6)).toBe(334);
    expect(clampSplit('bottom', 0.333333)).toBe(0.3333);
    expect(clampSplit('bottom', 2)).toBe(SPLITS.bottom.max);
    expect(clampSplit('live', -1)).toBe(SPLITS.live.min);
  });

  it('sets a split, and null returns it to its content or its default', () => {
    const l = withSplit(DEFAULT_LAYOUT, 'live', 0.4);
    expect(l.live).toBe(0.4);
    expect(withSplit(l, 'live', null).live).toBeNull();
    expect(withSplit({ ...DEFAULT_LAYOUT, left: 400 }, 'left', null).left).toBe(DEFAULT_LAYOUT.left);
    expect(withSplit(DEFAULT_LAYOUT, 'bottom', Number.NaN).bottom).toBeNull();
  });

  it('knows the default layout by value, not by identity', () => {
    expect(isDefaultLayout(DEFAULT_LAYOUT)).toBe(true);
    expect(isDefaultLayout(JSON.parse(JSON.stringify(DEFAULT_LAYOUT)) as typeof DEFAULT_LAYOUT)).toBe(true);
    expect(isDefaultLayout(withSplit(DEFAULT_LAYOUT, 'blotter', 0.6))).toBe(false);
    expect(isDefaultLayout({ ...DEFAULT_LAYOUT, collapsed: { ...DEFAULT_LAYOUT.collapsed, ticket: true } })).toBe(false);
  });
});

describe('reading a saved layout', () => {
  it('reads what was saved', () => {
    const saved = { left: 320, ticket: 360, bottom: 0.42, blotter: 0.6, live: 0.3, watch: null, collapsed: { left: true, ticket: false, bottom: false } };
    expect(readLayout(JSON.parse(JSON.stringify(saved)))).toEqual(saved);
  });

  it('falls back field by field on anything missing, mistyped or out of range', () => {
    const l = readLayout({ left: 'wide', ticket: 5_000, bottom: 'x', blotter: null, live: -3, collapsed: { left: 'yes', bottom: true } });
    expect(l).toEqual({
      ...DEFAULT_LAYOUT,
      ticket: SPLITS.ticket.max,
      live: SPLITS.live.min,
      collapsed: { left: false, ticket: false, bottom: true },
    });
    expect(readLayout(null)).toEqual(DEFAULT_LAYOUT);
    expect(readLayout('layout')).toEqual(DEFAULT_LAYOUT);
  });
});
