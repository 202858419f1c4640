/** A price read off the chart (a float under the pointer) as the instrument's nearest tick, in the contract's decimal text. */
import { Dec } from '../../../shared/decimal';

export function snapToTick(price: number, tickSize: string): string | null {
  if (!Number.isFinite(price) || price <= 0) return null;
  const tick = Dec.parse(tickSize);
  if (!tick.isPositive()) return null;
  const snapped = Dec.fromNumber(price).add(tick.div(Dec.parse('2'))).floorTo(tick);
  return snapped.isPositive() ? snapped.toString() : null;
}
