/** Price alerts in words: what one waits for (the alerts list, the chart's line) and what the notice of one that fired says. */
import type { PriceAlert } from '../../../shared/contract';
import type { Instrument } from '../../../shared/domain';
import { fmtPrice, group } from '../../lib/format';

/** "Crosses up 80,000.0", "Moves 2 % either way within 15 min". */
export function describeAlert(alert: PriceAlert, inst: Instrument | undefined): string {
  if (alert.kind === 'cross') return `Crosses ${alert.direction} ${group(fmtPrice(alert.price, inst))}`;
  const way = alert.direction === 'either' ? 'either way' : alert.direction;
  return `Moves ${alert.percent} % ${way} within ${alert.windowMinutes} min`;
}

/** The chart line's short label: "ALERT ↑ 80,000.0". */
export function alertLineTitle(alert: PriceAlert): string {
  return `ALERT ${alert.direction === 'down' ? '↓' : '↑'}`;
}

/** What the toast (and any other notice) of a fired alert says. */
export function alertNotice(alert: PriceAlert): string {
  const what = alert.message ?? `${alert.symbol} reached its alert`;
  return `Price alert: ${what}${alert.note ? ` — ${alert.note}` : ''}`;
}
