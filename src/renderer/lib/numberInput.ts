/** Reading numbers people type into forms (ticket, limits): plain decimals, no sign or exponent. */
import { Dec } from '../../shared/decimal';

/** Accepts what people type ("0.5", ".5", "1.", " 2 ", "1,000") and nothing signed or exponential. */
export function parseUserDecimal(text: string): Dec | null {
  let t = text.trim().replace(/,/g, '');
  if (t.startsWith('.')) t = `0${t}`;
  if (t.endsWith('.')) t = t.slice(0, -1);
  if (!/^\d+(\.\d+)?$/.test(t) || !Dec.isValid(t)) return null;
  return Dec.parse(t);
}
