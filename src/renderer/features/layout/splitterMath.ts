/** What a splitter does with a drag or a key, in the units of its split (pixels or a fraction of the container). */
import type { SplitSpec } from '../../stores/layout';

/** A pane's size in px as the split's value: pixels as they are, or the fraction of the container. */
export function sizeToValue(spec: SplitSpec, size: number, container: number): number {
  if (spec.unit === 'px') return size;
  return container > 0 ? size / container : spec.min;
}

/**
 * The split's value after a key press, or null for keys the splitter does
 * not use. Arrows move the bar (left/up towards the start); the sized pane
 * grows or shrinks depending on which side of the bar it is. Home and End
 * move the bar to the start or the end of its travel.
 */
export function keyResize(
  spec: SplitSpec,
  current: number,
  key: string,
  orientation: 'vertical' | 'horizontal',
  sized: 'before' | 'after',
  big: boolean,
): number | null {
  const towardsStart = orientation === 'vertical' ? 'ArrowLeft' : 'ArrowUp';
  const towardsEnd = orientation === 'vertical' ? 'ArrowRight' : 'ArrowDown';
  const grow = sized === 'before' ? 1 : -1;
  const step = big ? spec.bigStep : spec.step;
  if (key === towardsStart) return current - step * grow;
  if (key === towardsEnd) return current + step * grow;
  if (key === 'Home') return sized === 'before' ? spec.min : spec.max;
  if (key === 'End') return sized === 'before' ? spec.max : spec.min;
  return null;
}

/** The value as words for assistive technology: "290 pixels", "38 percent". */
export function valueText(spec: SplitSpec, value: number): string {
  return spec.unit === 'px' ? `${Math.round(value)} pixels` : `${Math.round(value * 100)} percent`;
}
