/**
 * Reading numbers people type into forms (ticket, limits). The contract's
 * decimal grammar is strict (no sign but a leading minus, no blanks, leading
 * zeros or exponents); people are not. What is unambiguous is normalized
 * (blanks around it, "1,000" thousands separators, ".5", "2.", "007"); what
 * could mean two things or is not a plain amount ("+3", "-1", "1e3", "0,5",
 * "1.2.3") is refused with a sentence that says why, so nothing the trader
 * did not mean is ever sent.
 */
import { Dec } from '../../shared/decimal';

export type DecimalReading =
  | {
      ok: true;
      value: Dec;
      /** The typed number in the contract's grammar, keeping the decimals as typed ("77626.0" stays). */
      text: string;
    }
  | {
      ok: false;
      /**
       * Why, as the end of a sentence that starts with the field's name ("must not
       * have a sign"); null when the text is simply not a number.
       */
      problem: string | null;
    };

const MAX_DECIMALS = 18;

/** Thousands separators only where they cannot be a decimal comma: 1-3 digits, then groups of exactly 3. */
const GROUPED = /^\d{1,3}(,\d{3})+(\.\d*)?$/;

export function readUserDecimal(raw: string): DecimalReading {
  // trim() also removes no-break spaces, byte-order marks and line separators pasted from elsewhere.
  let t = raw.trim();
  if (t === '') return { ok: false, problem: null };
  if (t.startsWith('+')) return { ok: false, problem: 'must be typed without a “+” sign' };
  if (t.startsWith('-') || t.startsWith('−')) return { ok: false, problem: 'must be positive (no minus sign)' };
  if (/^[\d.,]*\d[eE][+-]?\d+$/.test(t)) {
    return { ok: false, problem: 'must be written out in full, without an exponent (1000, not 1e3)' };
  }
  if (/(?![0-9])\p{Nd}/u.test(t)) return { ok: false, problem: 'must be typed with the digits 0–9' };
  if (t.includes(',')) {
    if (!GROUPED.test(t)) return { ok: false, problem: 'uses a comma: type a decimal point (0.5), or commas only between thousands (1,000)' };
    t = t.replace(/,/g, '');
  }
  if ((t.match(/\./g) ?? []).length > 1) return { ok: false, problem: 'has more than one decimal point' };
  if (!/^\d*\.?\d*$/.test(t) || !/\d/.test(t)) return { ok: false, problem: null };
  const [typedWhole = '', fraction = ''] = t.split('.');
  const whole = typedWhole.replace(/^0+(?=\d)/, '') || '0';
  if (fraction.length > MAX_DECIMALS) return { ok: false, problem: `has more than ${MAX_DECIMALS} decimals` };
  const text = fraction === '' ? whole : `${whole}.${fraction}`;
  if (!Dec.isValid(text)) return { ok: false, problem: null };
  return { ok: true, value: Dec.parse(text), text };
}

/** The number typed, or null when it is refused (see `readUserDecimal` for why). */
export function parseUserDecimal(text: string): Dec | null {
  const r = readUserDecimal(text);
  return r.ok ? r.value : null;
}
