/**
 * Exact decimal arithmetic for prices, quantities and money.
 *
 * A `Dec` is an integer count of 1e-18 units held in a bigint, so sums of
 * fills, fees and PnL never drift the way binary floats do. Addition and
 * subtraction are exact; multiplication is exact while the combined number
 * of decimals stays within 18 (price × quantity × fee rate does); division
 * rounds half-even at the 18th decimal. Decimals cross the contract as plain
 * strings ("0.0015"), which `Dec.parse` and `toString` round-trip.
 */

import { shorten } from './errors';

const SCALE_DIGITS = 18;
const SCALE = 10n ** BigInt(SCALE_DIGITS);
/** 10^(18 - d) for d decimals: what scales "12.5"'s digits (125, one decimal) to units. */
const FRACTION_SCALES: readonly bigint[] = Array.from({ length: SCALE_DIGITS + 1 }, (_, d) => 10n ** BigInt(SCALE_DIGITS - d));
/** Up to this many digits a string of digits is an exact double, so it reaches a bigint through a number (much cheaper than BigInt's parser). */
const EXACT_DOUBLE_DIGITS = 15;
/**
 * The one grammar for decimal text, everywhere: digits, an optional single
 * dot with digits after it, and an optional leading minus. No plus sign,
 * whitespace, leading zeros ("007"), exponents or negative zero.
 */
const DECIMAL_PATTERN = /^(-)?(0|[1-9]\d*)(?:\.(\d+))?$/;

export class DecimalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecimalError';
  }
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function notDecimal(text: string): DecimalError {
  return new DecimalError(`"${shorten(text, 40)}" is not a decimal number`);
}

function divRoundHalfEven(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new DecimalError('Division by zero');
  // Most quotients in trading are exact (price × quantity at their own precision): no rounding to decide.
  const exact = numerator / denominator;
  if (exact * denominator === numerator) return exact;
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  let quotient = n / d;
  const twiceRemainder = (n % d) * 2n;
  if (twiceRemainder > d || (twiceRemainder === d && quotient % 2n === 1n)) quotient += 1n;
  return negative ? -quotient : quotient;
}

/** Units as canonical decimal text: the digits of |units| split 18 places from the right, trailing zeros dropped. */
function formatUnits(units: bigint): string {
  if (units === 0n) return '0';
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString();
  const split = digits.length - SCALE_DIGITS;
  const whole = split > 0 ? digits.slice(0, split) : '0';
  const fraction = split > 0 ? digits.slice(split) : digits.padStart(SCALE_DIGITS, '0');
  let end = fraction.length;
  while (end > 0 && fraction.charCodeAt(end - 1) === 48 /* "0" */) end -= 1;
  const sign = negative ? '-' : '';
  return end === 0 ? `${sign}${whole}` : `${sign}${whole}.${fraction.slice(0, end)}`;
}

export class Dec {
  static readonly ZERO = new Dec(0n);
  static readonly ONE = new Dec(SCALE);

  /** The raw count of 1e-18 units. */
  readonly units: bigint;
  /** The canonical text, once asked for (a Dec never changes, and the same one is often written several times). */
  #text: string | undefined = undefined;

  private constructor(units: bigint) {
    this.units = units;
  }

  static fromUnits(units: bigint): Dec {
    return units === 0n ? Dec.ZERO : new Dec(units);
  }

  /** Parses "12", "-0.5", "3.250". Rejects anything outside the grammar above and more than 18 decimals. */
  static parse(text: string): Dec {
    // A scan by hand, not DECIMAL_PATTERN.exec: every order parses a dozen decimals, and a match allocates an array and its substrings.
    const n = text.length;
    const negative = n > 0 && text.charCodeAt(0) === 45; /* "-" */
    const wholeStart = negative ? 1 : 0;
    let i = wholeStart;
    // The whole part: "0", or digits not starting with 0.
    const first = i < n ? text.charCodeAt(i) : -1;
    if (first === 48) i += 1;
    else if (first > 48 && first <= 57) while (i < n && isDigit(text.charCodeAt(i))) i += 1;
    else throw notDecimal(text);
    const wholeEnd = i;
    let fractionStart = n;
    if (i < n) {
      if (text.charCodeAt(i) !== 46 /* "." */) throw notDecimal(text);
      fractionStart = i + 1;
      i = fractionStart;
      while (i < n && isDigit(text.charCodeAt(i))) i += 1;
      if (i === fractionStart || i < n) throw notDecimal(text);
    }
    const decimals = n - fractionStart;
    if (decimals > SCALE_DIGITS) throw new DecimalError(`"${shorten(text, 40)}" has more than ${SCALE_DIGITS} decimals`);
    // The digits as one integer, scaled by the decimals they lack: "12.5" is 125 × 10^17 units. A leading "0." adds no digit.
    const wholeDigits = first === 48 ? 0 : wholeEnd - wholeStart;
    let digits: bigint;
    if (wholeDigits + decimals <= EXACT_DOUBLE_DIGITS) {
      // Few enough digits for a double to hold them exactly: counted in a number, then one bigint (much cheaper than BigInt's parser).
      let value = 0;
      for (let k = wholeStart; k < wholeEnd; k++) value = value * 10 + (text.charCodeAt(k) - 48);
      for (let k = fractionStart; k < n; k++) value = value * 10 + (text.charCodeAt(k) - 48);
      digits = BigInt(value);
    } else {
      digits = BigInt(decimals === 0 ? text.slice(wholeStart, wholeEnd) : `${text.slice(wholeStart, wholeEnd)}${text.slice(fractionStart)}`);
    }
    const units = digits * FRACTION_SCALES[decimals]!;
    if (negative && units === 0n) throw new DecimalError(`"${shorten(text, 40)}" is a negative zero`);
    const dec = Dec.fromUnits(negative ? -units : units);
    // The text is canonical unless it carries trailing zeros ("3.250"): then it is already the answer to toString.
    if (dec.#text === undefined && (decimals === 0 || text.charCodeAt(n - 1) !== 48)) dec.#text = text;
    return dec;
  }

  static isValid(text: string): boolean {
    const match = DECIMAL_PATTERN.exec(text);
    if (match === null || (match[3] ?? '').length > SCALE_DIGITS) return false;
    return match[1] !== '-' || /[1-9]/.test(text);
  }

  /** From a JS number through its shortest round-trip text: for simulated prices and tests, never for ledger input. */
  static fromNumber(value: number): Dec {
    if (!Number.isFinite(value)) throw new DecimalError(`${value} is not a finite number`);
    const text = Math.abs(value) < 1e-7 && value !== 0 ? value.toFixed(18) : String(value);
    if (text.includes('e')) return Dec.parse(value.toFixed(SCALE_DIGITS).replace(/\.?0+$/, ''));
    const [whole, fraction = ''] = text.split('.');
    return Dec.parse(fraction.length > SCALE_DIGITS ? `${whole}.${fraction.slice(0, SCALE_DIGITS)}` : text);
  }

  static fromBigInt(value: bigint): Dec {
    return Dec.fromUnits(value * SCALE);
  }

  static sum(values: Iterable<Dec>): Dec {
    let units = 0n;
    for (const v of values) units += v.units;
    return Dec.fromUnits(units);
  }

  static min(a: Dec, b: Dec): Dec {
    return a.units <= b.units ? a : b;
  }

  static max(a: Dec, b: Dec): Dec {
    return a.units >= b.units ? a : b;
  }

  add(other: Dec): Dec {
    return Dec.fromUnits(this.units + other.units);
  }

  sub(other: Dec): Dec {
    return Dec.fromUnits(this.units - other.units);
  }

  mul(other: Dec): Dec {
    return Dec.fromUnits(divRoundHalfEven(this.units * other.units, SCALE));
  }

  div(other: Dec): Dec {
    if (other.units === 0n) throw new DecimalError('Division by zero');
    return Dec.fromUnits(divRoundHalfEven(this.units * SCALE, other.units));
  }

  neg(): Dec {
    return Dec.fromUnits(-this.units);
  }

  abs(): Dec {
    return this.units < 0n ? this.neg() : this;
  }

  cmp(other: Dec): -1 | 0 | 1 {
    return this.units < other.units ? -1 : this.units > other.units ? 1 : 0;
  }

  eq(other: Dec): boolean {
    return this.units === other.units;
  }

  lt(other: Dec): boolean {
    return this.units < other.units;
  }

  lte(other: Dec): boolean {
    return this.units <= other.units;
  }

  gt(other: Dec): boolean {
    return this.units > other.units;
  }

  gte(other: Dec): boolean {
    return this.units >= other.units;
  }

  isZero(): boolean {
    return this.units === 0n;
  }

  isNegative(): boolean {
    return this.units < 0n;
  }

  isPositive(): boolean {
    return this.units > 0n;
  }

  sign(): -1 | 0 | 1 {
    return this.units < 0n ? -1 : this.units > 0n ? 1 : 0;
  }

  /** True when this is a whole multiple of `step` (tick size, lot size). */
  isMultipleOf(step: Dec): boolean {
    return step.units !== 0n && this.units % step.units === 0n;
  }

  /** Rounds down (toward negative infinity) to a multiple of `step`. */
  floorTo(step: Dec): Dec {
    const r = this.units % step.units;
    return Dec.fromUnits(r === 0n ? this.units : this.units - r - (r < 0n ? step.units : 0n));
  }

  /** Rounds up (toward positive infinity) to a multiple of `step`. */
  ceilTo(step: Dec): Dec {
    const floored = this.floorTo(step);
    return floored.units === this.units ? this : floored.add(step);
  }

  /** Rounds half-even to `digits` decimals. */
  roundTo(digits: number): Dec {
    const step = 10n ** BigInt(SCALE_DIGITS - digits);
    return Dec.fromUnits(divRoundHalfEven(this.units, step) * step);
  }

  toNumber(): number {
    return Number(this.toString());
  }

  /** Canonical text: no exponent, no trailing zeros ("1.5", "-0.0015", "0"). */
  toString(): string {
    return (this.#text ??= formatUnits(this.units));
  }

  /** Text with exactly `digits` decimals (rounded half-even), for display. */
  toFixed(digits: number): string {
    const rounded = this.roundTo(digits);
    if (digits === 0) return rounded.toString();
    const [whole, fraction = ''] = rounded.toString().split('.');
    return `${whole}.${fraction.padEnd(digits, '0')}`;
  }

  toJSON(): string {
    return this.toString();
  }
}

/** Number of decimals in a step such as "0.001" (3) — for display precision. */
export function decimalsOf(step: string): number {
  const [, fraction = ''] = step.split('.');
  return fraction.replace(/0+$/, '').length;
}
