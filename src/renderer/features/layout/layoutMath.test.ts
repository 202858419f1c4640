import { describe, expect, it } from 'vitest';
import { DEFAULT_LAYOUT, SPLITS } from '../../stores/layout';
import { blotterStyle, leftColumnStyle, positionsHeight, workspaceStyle } from './layoutStyle';
import { keyResize, sizeToValue, valueText } from './splitterMath';

describe('splitter keys and drags', () => {
  it('moves the bar with the arrows: the pane before it grows to the right, the pane after it shrinks', () => {
    const left = SPLITS.left;
    expect(keyResize(left, 290, 'ArrowRight', 'vertical', 'before', false)).toBe(306);
    expect(keyResize(left, 290, 'ArrowLeft', 'vertical', 'before', true)).toBe(226);
    const ticket = SPLITS.ticket;
    expect(keyResize(ticket, 300, 'ArrowLeft', 'vertical', 'after', false)).toBe(316);
    expect(keyResize(ticket, 300, 'ArrowRight', 'vertical', 'after', false)).toBe(284);
  });

  it('uses Up and Down for a horizontal bar, Home and End for the limits, and ignores other keys', () => {
    const bottom = SPLITS.bottom;
    expect(keyResize(bottom, 0.4, 'ArrowUp', 'horizontal', 'after', false)).toBeCloseTo(0.42);
    expect(keyResize(bottom, 0.4, 'ArrowDown', 'horizontal', 'after', false)).toBeCloseTo(0.38);
    expect(keyResize(bottom, 0.4, 'Home', 'horizontal', 'after', false)).toBe(bottom.max);
    expect(keyResize(bottom, 0.4, 'End', 'horizontal', 'after', false)).toBe(bottom.min);
    expect(keyResize(bottom, 0.4, 'ArrowLeft', 'horizontal', 'after', false)).toBeNull();
    expect(keyResize(bottom, 0.4, 'a', 'horizontal', 'after', false)).toBeNull();
  });

  it('turns a dragged size into the split’s unit', () => {
    expect(sizeToValue(SPLITS.left, 333, 1280)).toBe(333);
    expect(sizeToValue(SPLITS.bottom, 300, 750)).toBe(0.4);
    expect(sizeToValue(SPLITS.bottom, 300, 0)).toBe(SPLITS.bottom.min);
    expect(valueText(SPLITS.left, 290.4)).toBe('290 pixels');
    expect(valueText(SPLITS.bottom, 0.384)).toBe('38 percent');
  });
});

describe('layout as grid sizes', () => {
  it('gives the default blotter what the top row leaves, and never squeezes the top row under its minimum', () => {
    const s = workspaceStyle(DEFAULT_LAYOUT);
    expect(s['--bottom-row']).toBe('clamp(264px, calc(100% - 540px), 45%)');
    expect(workspaceStyle({ ...DEFAULT_LAYOUT, bottom: 0.5 })['--bottom-row']).toBe('clamp(120px, 50%, calc(100% - 280px))');
    expect(s['--left-col']).toBe('min(290px, 32vw)');
  });

  it('folds a collapsed pane to its rail and drops its splitter', () => {
    const s = workspaceStyle({ ...DEFAULT_LAYOUT, collapsed: { left: true, ticket: true, bottom: true } });
    expect(s['--left-col']).toBe('28px');
    expect(s['--left-split']).toBe('0px');
    expect(s['--ticket-col']).toBe('28px');
    expect(s['--bottom-row']).toBe('28px');
    expect(s['--bottom-split']).toBe('0px');
  });

  it('sizes positions to their rows until the trader drags', () => {
    expect(positionsHeight(3)).toBeGreaterThan(positionsHeight(1));
    expect(positionsHeight(0)).toBeGreaterThan(0);
    expect(blotterStyle(DEFAULT_LAYOUT, 3)['--positions-row']).toBe(`min(${positionsHeight(3)}px, 60%)`);
    expect(blotterStyle({ ...DEFAULT_LAYOUT, live: 0.3 }, 3)['--positions-row']).toBe('30%');
    expect(blotterStyle(DEFAULT_LAYOUT, 0)['--live-col']).toBe('50%');
    expect(leftColumnStyle({ ...DEFAULT_LAYOUT, watch: 0.25 }, 3)['--watch-row']).toBe('25%');
  });
});
