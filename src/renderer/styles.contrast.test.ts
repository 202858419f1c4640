/**
 * Holds the theme to WCAG AA: the text colour and background of column
 * headers, panel titles, labels and every kind of button are read from
 * styles.css (variables resolved) and their contrast measured, so a colour
 * changed later cannot quietly drop below 4.5:1.
 */
import { describe, expect, it } from 'vitest';
import { AA_TEXT, contrastRatio, parseColor, type Rgba } from './lib/contrast';
import stylesheet from './styles.css?raw';

const css = stylesheet.replace(/\/\*[\s\S]*?\*\//g, '');

/** Top-level rules only (not inside @media): selector -> declarations, later rules overriding earlier ones, as the cascade does. */
function readRules(text: string): Map<string, Map<string, string>> {
  const rules = new Map<string, Map<string, string>>();
  let depth = 0;
  let start = 0;
  let selector = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '{') {
      if (depth === 0) {
        selector = text.slice(start, i).trim();
        start = i + 1;
      }
      depth++;
    } else if (ch === '}') {
      depth--;
      if (depth === 0) {
        if (!selector.startsWith('@')) {
          const body = text.slice(start, i);
          for (const sel of selector.split(',').map((s) => s.trim().replace(/\s+/g, ' '))) {
            const decls = rules.get(sel) ?? new Map<string, string>();
            for (const decl of body.split(';')) {
              const colon = decl.indexOf(':');
              if (colon > 0) decls.set(decl.slice(0, colon).trim(), decl.slice(colon + 1).trim());
            }
            rules.set(sel, decls);
          }
        }
        start = i + 1;
      }
    }
  }
  return rules;
}

const rules = readRules(css);
const root = rules.get(':root') ?? new Map<string, string>();

function resolve(value: string): string {
  let v = value.trim();
  for (let i = 0; i < 10 && v.includes('var('); i++) {
    v = v.replace(/var\((--[\w-]+)\)/g, (_m, name: string) => root.get(name) ?? `unknown ${name}`);
  }
  return v;
}

function color(value: string): Rgba {
  const c = parseColor(resolve(value));
  if (!c) throw new Error(`not a colour: ${value} (${resolve(value)})`);
  return c;
}

function declared(selector: string, property: 'color' | 'background'): string {
  const value = rules.get(selector)?.get(property) ?? (property === 'background' ? rules.get(selector)?.get('background-color') : undefined);
  if (value === undefined) throw new Error(`styles.css sets no ${property} on ${selector}`);
  return value;
}

/** [what, text colour, background]: each either a CSS value or "selector -> property" read from the stylesheet. */
type Source = { rule: string } | { value: string };
const rule = (selector: string): Source => ({ rule: selector });
const value = (v: string): Source => ({ value: v });

function read(source: Source, property: 'color' | 'background'): Rgba {
  return color('rule' in source ? declared(source.rule, property) : source.value);
}

const PANEL_SHADES = ['--bg', '--panel', '--panel-2', '--panel-3'] as const;

const PAIRS: readonly [string, Source, Source][] = [
  ['table column headers', rule('.grid thead th'), rule('.grid thead th')],
  ['panel titles', rule('.panel-title'), rule('.panel-title')],
  ['blotter tabs', rule('.tab'), rule('.tab-bar')],
  ['view tabs', rule('.view-tab'), rule('.view-nav')],
  ['header labels', rule('.hstat-label'), rule('.header')],
  ['watchlist column headers', rule('.watch-head'), value('var(--panel)')],
  ['order book column headers', rule('.book-head'), value('var(--panel)')],
  ['field labels', rule('.field label'), value('var(--panel)')],
  ['plain buttons', value('var(--text)'), rule('.btn')],
  ['primary buttons', rule('.btn-primary'), rule('.btn-primary')],
  ['danger buttons', rule('.btn-danger'), rule('.btn-danger')],
  ['danger outline buttons (Cancel all, Flatten all)', rule('.btn-danger-outline'), value('var(--panel-2)')],
  ['Place buy order', rule('.place-buy'), rule('.place-buy')],
  ['Place sell order', rule('.place-sell'), rule('.place-sell')],
  ['Buy side, chosen', rule(".side-toggle .side-buy[aria-pressed='true']"), rule(".side-toggle .side-buy[aria-pressed='true']")],
  ['Sell side, chosen', rule(".side-toggle .side-sell[aria-pressed='true']"), rule(".side-toggle .side-sell[aria-pressed='true']")],
  ['side not chosen', rule('.side-toggle button'), rule('.side-toggle button')],
  ['emergency stop', rule('.btn-emergency'), rule('.btn-emergency')],
  ['HALTED badge', rule('.trade-state-halted'), rule('.trade-state-halted')],
  ['error counts', rule('.count-err'), rule('.count-err')],
  ['chosen segment', rule(".seg-btn[aria-pressed='true']"), rule(".seg-btn[aria-pressed='true']")],
  ['profit', value('var(--up)'), value('var(--panel)')],
  ['loss', value('var(--down)'), value('var(--panel)')],
];

describe('theme contrast (WCAG AA, 4.5:1 for text)', () => {
  it.each(PAIRS)('%s', (_what, fg, bg) => {
    const ratio = contrastRatio(read(fg, 'color'), read(bg, 'background'));
    expect(ratio).toBeGreaterThanOrEqual(AA_TEXT);
  });

  it.each(PANEL_SHADES)('secondary and tertiary text on %s', (shade) => {
    const bg = color(`var(${shade})`);
    expect(contrastRatio(color('var(--muted)'), bg)).toBeGreaterThanOrEqual(AA_TEXT);
    expect(contrastRatio(color('var(--faint)'), bg)).toBeGreaterThanOrEqual(AA_TEXT);
  });
});

describe('contrast arithmetic', () => {
  it('matches WCAG reference values', () => {
    expect(contrastRatio(parseColor('#000')!, parseColor('#fff')!)).toBeCloseTo(21, 5);
    expect(contrastRatio(parseColor('#fff')!, parseColor('#fff')!)).toBeCloseTo(1, 5);
    // The pair the first review measured: 10 px headers in #4d5869 on #0f131a.
    expect(contrastRatio(parseColor('#4d5869')!, parseColor('#0f131a')!)).toBeCloseTo(2.58, 2);
    expect(contrastRatio(parseColor('#ffffff')!, parseColor('#f6465d')!)).toBeCloseTo(3.53, 2);
  });

  it('blends translucent text over its background', () => {
    const half = parseColor('rgba(255, 255, 255, 0.5)')!;
    const black = parseColor('black')!;
    expect(contrastRatio(half, black)).toBeLessThan(contrastRatio(parseColor('#fff')!, black));
    expect(contrastRatio(half, black)).toBeGreaterThan(1);
  });

  it('reads the colour notations the stylesheet uses, and refuses others', () => {
    expect(parseColor('#abc')).toEqual({ r: 170, g: 187, b: 204, a: 1 });
    expect(parseColor('rgba(14, 203, 129, 0.12)')).toEqual({ r: 14, g: 203, b: 129, a: 0.12 });
    expect(parseColor('linear-gradient(red, blue)')).toBeNull();
  });
});
