/**
 * Integer steps for the matching engine: prices as whole ticks and
 * quantities as whole lots (plain JS integers, exact below 2^53), converted
 * to and from decimal strings only at the venue's edges. Parsing a decimal
 * string straight into steps skips the bigint `Dec` on the hot path.
 */
import { Dec } from '../../../shared/decimal';

export interface Step {
  /** Canonical decimal text of one step, e.g. "0.1". */
  readonly text: string;
  /** Decimals of the step ("0.001" -> 3). */
  readonly decimals: number;
  /** One step in units of 10^-decimals ("0.5" -> 5, "0.001" -> 1). */
  readonly mantissa: number;
  /** 10^decimals. */
  readonly pow10: number;
  /** One step in `Dec` units (1e-18). */
  readonly units: bigint;
}

/** `toSteps` results below zero say why a text is not a whole number of steps. */
export const OFF_STEP = -1;
export const MALFORMED = -2;
export const TOO_LARGE = -3;

const MAX_WHOLE_DIGITS = 15;

export function stepOf(text: string): Step {
  const dec = Dec.parse(text);
  if (!dec.isPositive()) throw new RangeError(`A step must be positive, got "${text}"`);
  const canonical = dec.toString();
  const [, fraction = ''] = canonical.split('.');
  const decimals = fraction.length;
  const pow10 = 10 ** decimals;
  const mantissa = Number(canonical.replace('.', ''));
  if (!Number.isSafeInteger(mantissa)) throw new RangeError(`Step "${text}" is too fine`);
  return { text: canonical, decimals, mantissa, pow10, units: dec.units };
}

/**
 * Parses a positive decimal string ("0.015", "+3") into a whole number of
 * steps. Returns OFF_STEP when it is not a multiple of the step, MALFORMED
 * for anything that is not a plain non-negative decimal, TOO_LARGE when the
 * count would not be exact as a JS number.
 */
export function toSteps(text: string, step: Step): number {
  const len = text.length;
  if (len === 0 || len > 64) return MALFORMED;
  let i = text.charCodeAt(0) === 43 /* + */ ? 1 : 0;
  let whole = 0;
  let wholeDigits = 0;
  for (; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 /* . */) break;
    if (c < 48 || c > 57) return MALFORMED;
    whole = whole * 10 + (c - 48);
    wholeDigits++;
  }
  if (wholeDigits === 0) return MALFORMED;
  let fraction = 0;
  let fractionDigits = 0;
  let offStep = false;
  if (i < len) {
    i++;
    if (i === len) return MALFORMED;
    for (; i < len; i++) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) return MALFORMED;
      if (fractionDigits < step.decimals) fraction = fraction * 10 + (c - 48);
      else if (c !== 48) offStep = true;
      fractionDigits++;
    }
  }
  if (fractionDigits > 18) return MALFORMED;
  if (offStep) return OFF_STEP;
  if (wholeDigits > MAX_WHOLE_DIGITS) return TOO_LARGE;
  for (let d = fractionDigits; d < step.decimals; d++) fraction *= 10;
  const scaled = whole * step.pow10 + fraction;
  if (!Number.isSafeInteger(scaled)) return TOO_LARGE;
  if (scaled % step.mantissa !== 0) return OFF_STEP;
  return scaled / step.mantissa;
}

/** Canonical decimal text of `count` steps, without exponent or trailing zeros (as `Dec.toString`). */
export function formatSteps(count: number, step: Step): string {
  const negative = count < 0;
  let digits = String(Math.abs(count) * step.mantissa);
  if (step.decimals === 0) return negative ? `-${digits}` : digits;
  if (digits.length <= step.decimals) digits = '0'.repeat(step.decimals - digits.length + 1) + digits;
  const whole = digits.slice(0, digits.length - step.decimals);
  let end = digits.length;
  while (end > whole.length && digits.charCodeAt(end - 1) === 48) end--;
  const text = end > whole.length ? `${whole}.${digits.slice(whole.length, end)}` : whole;
  return negative && text !== '0' ? `-${text}` : text;
}

/** The nearest double to `count` steps (integer ÷ power of ten is correctly rounded). */
export function stepsToNumber(count: number, step: Step): number {
  return (count * step.mantissa) / step.pow10;
}

export function stepsToDec(count: number, step: Step): Dec {
  return Dec.fromUnits(BigInt(count) * step.units);
}

/** Whole steps in an exact decimal (the caller knows it is a multiple, e.g. a ledger quantity). */
export function decToSteps(value: Dec, step: Step): number {
  return Number(value.units / step.units);
}
