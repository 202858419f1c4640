/**
 * Colour contrast as WCAG 2 measures it: relative luminance of sRGB colours
 * and the ratio between two of them. A translucent colour is first laid over
 * what it sits on, as the browser paints it. Used to hold the theme to AA.
 */

export interface Rgba {
  r: number;
  g: number;
  b: number;
  /** 0 (transparent) to 1 (opaque). */
  a: number;
}

/** WCAG AA: normal text, and large text (18.66 px bold or 24 px) or user-interface parts. */
export const AA_TEXT = 4.5;
export const AA_LARGE = 3;

/** "#abc", "#aabbcc", "#aabbccdd", "rgb(1, 2, 3)", "rgba(1, 2, 3, 0.5)" or "white"/"black"; null for anything else. */
export function parseColor(text: string): Rgba | null {
  const t = text.trim().toLowerCase();
  if (t === 'white') return { r: 255, g: 255, b: 255, a: 1 };
  if (t === 'black') return { r: 0, g: 0, b: 0, a: 1 };
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/.exec(t);
  if (hex) {
    const h = hex[1]!.length === 3 ? [...hex[1]!].map((c) => c + c).join('') : hex[1]!;
    const byte = (i: number) => parseInt(h.slice(i, i + 2), 16);
    return { r: byte(0), g: byte(2), b: byte(4), a: h.length === 8 ? byte(6) / 255 : 1 };
  }
  const fn = /^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)\s*(?:,\s*([\d.]+)\s*)?\)$/.exec(t);
  if (fn) return { r: Number(fn[1]), g: Number(fn[2]), b: Number(fn[3]), a: fn[4] === undefined ? 1 : Number(fn[4]) };
  return null;
}

/** `top` painted over the opaque `bottom`. */
export function over(top: Rgba, bottom: Rgba): Rgba {
  const mix = (t: number, b: number) => t * top.a + b * (1 - top.a);
  return { r: mix(top.r, bottom.r), g: mix(top.g, bottom.g), b: mix(top.b, bottom.b), a: 1 };
}

function channel(value: number): number {
  const c = value / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

export function relativeLuminance(c: Rgba): number {
  return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}

/** The contrast ratio of text `fg` on `bg` (1 to 21); a translucent `fg` is blended over `bg` first. */
export function contrastRatio(fg: Rgba, bg: Rgba): number {
  const shown = fg.a < 1 ? over(fg, bg) : fg;
  const a = relativeLuminance(shown);
  const b = relativeLuminance(bg);
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}
