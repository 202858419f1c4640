import { describe, expect, it } from 'vitest';
import { keyboardMenuPoint, opensChartMenu } from './keyboardMenu';

const key = (k: string, mods: Partial<{ shiftKey: boolean; ctrlKey: boolean; altKey: boolean; metaKey: boolean }> = {}) => ({
  key: k,
  shiftKey: false,
  ctrlKey: false,
  altKey: false,
  metaKey: false,
  ...mods,
});

describe('the keys that open the chart’s menu', () => {
  it('are the Menu key and Shift+F10', () => {
    expect(opensChartMenu(key('ContextMenu'))).toBe(true);
    expect(opensChartMenu(key('F10', { shiftKey: true }))).toBe(true);
  });

  it('are not F10 alone, nor either with another modifier, nor other keys', () => {
    expect(opensChartMenu(key('F10'))).toBe(false);
    expect(opensChartMenu(key('F10', { shiftKey: true, ctrlKey: true }))).toBe(false);
    expect(opensChartMenu(key('ContextMenu', { altKey: true }))).toBe(false);
    expect(opensChartMenu(key('ContextMenu', { shiftKey: true }))).toBe(false);
    expect(opensChartMenu(key('Enter'))).toBe(false);
  });
});

describe('where the keyboard opens the menu', () => {
  const pane = { width: 600, height: 400 };
  const tickSize = '0.5';

  it('at the crosshair’s price, snapped to the tick, while one is shown', () => {
    const at = keyboardMenuPoint({ crosshair: { x: 120, y: 80, price: 101.3 }, last: { price: 99, y: 200 }, pane, tickSize });
    expect(at).toEqual({ x: 120, y: 80, price: '101.5' });
  });

  it('otherwise at the last price, at the right of the candles', () => {
    expect(keyboardMenuPoint({ crosshair: null, last: { price: 99.2, y: 210 }, pane, tickSize })).toEqual({ x: 600, y: 210, price: '99' });
  });

  it('keeps the menu in the pane when the last price is out of view or cannot be placed', () => {
    expect(keyboardMenuPoint({ crosshair: null, last: { price: 99, y: -50 }, pane, tickSize })?.y).toBe(0);
    expect(keyboardMenuPoint({ crosshair: null, last: { price: 99, y: 900 }, pane, tickSize })?.y).toBe(400);
    expect(keyboardMenuPoint({ crosshair: null, last: { price: 99, y: null }, pane, tickSize })?.y).toBe(200);
  });

  it('offers nothing without a price, and falls back to the last price when the crosshair’s is no price', () => {
    expect(keyboardMenuPoint({ crosshair: null, last: null, pane, tickSize })).toBeNull();
    expect(keyboardMenuPoint({ crosshair: { x: 1, y: 1, price: -3 }, last: { price: 99, y: 10 }, pane, tickSize })).toEqual({ x: 600, y: 10, price: '99' });
    expect(keyboardMenuPoint({ crosshair: { x: 1, y: 1, price: -3 }, last: null, pane, tickSize })).toBeNull();
  });
});
