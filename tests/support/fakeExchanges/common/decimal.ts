/**
 * Fixed-point decimals for the fake exchanges: every quantity, price and sum
 * of money is a bigint scaled by 10^18, so fills, fees and PnL add up exactly
 * (only an average entry price, a true division, is cut at 18 places).
 */
export type Dec = bigint;

const PLACES = 18;
const SCALE = 10n ** BigInt(PLACES);
const DECIMAL = /^-?\d+(\.\d+)?$/;

export const ZERO: Dec = 0n;
export const ONE: Dec = SCALE;

/** Whether `text` is a plain decimal as the exchanges accept it (no exponent, no sign for positive values). */
export function isDecimal(text: string): boolean {
  return DECIMAL.test(text);
}

/** Parses a decimal string; digits past the 18th place are refused rather than rounded. */
export function dec(text: string): Dec {
  if (!isDecimal(text)) throw new Error(`not a decimal: ${JSON.stringify(text)}`);
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  const [whole = '0', fraction = ''] = body.split('.');
  if (fraction.length > PLACES) throw new Error(`more than ${PLACES} decimal places: ${text}`);
  const value = BigInt(whole) * SCALE + BigInt(fraction.padEnd(PLACES, '0') || '0');
  return negative ? -value : value;
}

/** How many decimal places a decimal string carries ("0.010" has 3). */
export function placesOf(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** Places actually needed to write a step such as a tick size ("0.10" needs 1). */
export function significantPlaces(step: Dec): number {
  for (let places = 0; places <= PLACES; places += 1) {
    if (step % 10n ** BigInt(PLACES - places) === 0n) return places;
  }
  return PLACES;
}

/**
 * Writes a decimal with at least `minPlaces` decimals and at most `maxPlaces`
 * (cut toward zero beyond that). Trailing zeros past `minPlaces` are dropped.
 */
export function fmt(value: Dec, minPlaces = 0, maxPlaces = PLACES): string {
  const negative = value < 0n;
  let abs = negative ? -value : value;
  const cut = 10n ** BigInt(PLACES - Math.min(maxPlaces, PLACES));
  abs = (abs / cut) * cut;
  const whole = abs / SCALE;
  let fraction = (abs % SCALE).toString().padStart(PLACES, '0').replace(/0+$/, '');
  if (fraction.length < minPlaces) fraction = fraction.padEnd(minPlaces, '0');
  const sign = negative && abs !== 0n ? '-' : '';
  return fraction.length > 0 ? `${sign}${whole}.${fraction}` : `${sign}${whole}`;
}

/** Writes a decimal with exactly `places` decimals (cut toward zero), as the exchanges write money. */
export function fixed(value: Dec, places: number): string {
  return fmt(value, places, places);
}

export function mul(a: Dec, b: Dec): Dec {
  return (a * b) / SCALE;
}

export function div(a: Dec, b: Dec): Dec {
  if (b === 0n) throw new Error('division by zero');
  return (a * SCALE) / b;
}

export function abs(a: Dec): Dec {
  return a < 0n ? -a : a;
}

export function min(a: Dec, b: Dec): Dec {
  return a < b ? a : b;
}

export function max(a: Dec, b: Dec): Dec {
  return a > b ? a : b;
}

export function sign(a: Dec): -1 | 0 | 1 {
  return a > 0n ? 1 : a < 0n ? -1 : 0;
}

/** Whether `value` is a whole number of `step`s (a tick or lot multiple). */
export function isMultipleOf(value: Dec, step: Dec): boolean {
  return step === 0n || value % step === 0n;
}

/** Whole number from an integer count (leverage, a multiplier). */
export function fromInt(n: number): Dec {
  return BigInt(n) * SCALE;
}
