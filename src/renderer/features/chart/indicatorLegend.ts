/**
 * An indicator's line in the chart legend: its short title in its colour and
 * its values at the bar under the pointer (or the latest), built as DOM nodes
 * so nothing is ever parsed as markup.
 */
import { INDICATORS, indicatorTitle, type IndicatorConfig } from './indicators/indicatorCatalog';
import type { IndicatorValues } from './indicators/indicatorMath';
import { shadeOf } from './indicators/indicatorLayer';

/** Decimals an indicator's values are shown with: RSI in points, the rest in the instrument's price digits. */
export function legendDigits(config: IndicatorConfig, priceDigits: number): number {
  return config.kind === 'rsi' ? 2 : priceDigits;
}

export function renderIndicatorLegend(el: HTMLElement | null, config: IndicatorConfig, values: IndicatorValues | undefined, priceDigits: number): void {
  if (!el) return;
  const digits = legendDigits(config, priceDigits);
  const title = document.createElement('span');
  title.className = 'ind-legend-title';
  title.style.color = config.color;
  title.textContent = indicatorTitle(config);
  const parts: HTMLElement[] = [title];
  for (const output of INDICATORS[config.kind].outputs) {
    const v = values?.[output.key];
    const span = document.createElement('span');
    span.style.color = shadeOf(config.color, output.shade);
    span.textContent = v === null || v === undefined ? '—' : v.toFixed(digits);
    span.title = output.label;
    parts.push(span);
  }
  el.replaceChildren(...parts);
}
