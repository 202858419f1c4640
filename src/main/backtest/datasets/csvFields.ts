/**
 * The low-level readers under the price-file parser: a cursor over the
 * fields of one CSV line and a decimal reader, both working on index ranges
 * of the whole text so a large file is never split into arrays of strings.
 *
 * A record is one line: a quoted field may hold the separator and doubled
 * quotes (`""`) but not a line break, so a row number is always the line an
 * editor shows.
 */

const QUOTE = 34;
const SPACE = 32;
const TAB = 9;

export type FieldStatus = 'ok' | 'unterminated-quote' | 'text-after-quote';

/** Walks the fields of one line; after `next()` the field's content is `text[start, end)`. */
export class FieldCursor {
  /** Start of the current field's content (inside the quotes when quoted, blanks trimmed otherwise). */
  start = 0;
  /** End (exclusive) of the current field's content. */
  end = 0;
  /** Whether the current field was quoted and held doubled quotes, so its text needs unescaping. */
  escaped = false;
  /** True once the line's last field has been read. */
  done = true;
  private pos = 0;
  private lineEnd = 0;

  constructor(
    private readonly text: string,
    private readonly separator: number,
  ) {}

  /** Starts on the line `text[start, end)` (line break excluded). */
  reset(start: number, end: number): void {
    this.pos = start;
    this.lineEnd = end;
    this.done = false;
  }

  /** Reads the next field; call only while `done` is false. */
  next(): FieldStatus {
    const text = this.text;
    const end = this.lineEnd;
    let p = this.pos;
    while (p < end && isBlank(text.charCodeAt(p))) p++;

    if (p < end && text.charCodeAt(p) === QUOTE) {
      this.start = ++p;
      this.escaped = false;
      for (;;) {
        const q = text.indexOf('"', p);
        if (q < 0 || q >= end) {
          this.start = this.pos;
          this.end = end;
          return 'unterminated-quote';
        }
        if (q + 1 < end && text.charCodeAt(q + 1) === QUOTE) {
          this.escaped = true;
          p = q + 2;
          continue;
        }
        this.end = q;
        p = q + 1;
        break;
      }
      while (p < end && isBlank(text.charCodeAt(p))) p++;
      if (p === end) {
        this.done = true;
      } else if (text.charCodeAt(p) === this.separator) {
        this.pos = p + 1;
      } else {
        return 'text-after-quote';
      }
      return 'ok';
    }

    this.start = p;
    this.escaped = false;
    const sep = this.separator;
    while (p < end && text.charCodeAt(p) !== sep) p++;
    if (p === end) this.done = true;
    else this.pos = p + 1;
    let e = p;
    while (e > this.start && isBlank(text.charCodeAt(e - 1))) e--;
    this.end = e;
    return 'ok';
  }

  /** The current field as a string, doubled quotes undone; for headers and messages, not per-row values. */
  value(): string {
    const raw = this.text.slice(this.start, this.end);
    return this.escaped ? raw.replaceAll('""', '"') : raw;
  }
}

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}

const ZERO = 48;
const NINE = 57;
const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const LOWER_E = 101;
const UPPER_E = 69;

/** 10^0 ... 10^22: every one is exact in a double. */
const POW10: readonly number[] = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * The decimal number in `text[start, end)`: `[+|-]digits[.digits][e[+|-]digits]`
 * (a leading or trailing dot allowed), NaN for anything else, `Infinity`,
 * `NaN` and hex included. Most prices have few digits: their integer
 * mantissa and power of ten are both exact doubles, so one division gives
 * the correctly rounded value without making a substring; the rest go
 * through `Number`.
 */
export function readDecimal(text: string, start: number, end: number): number {
  let p = start;
  let negative = false;
  if (p < end) {
    const c = text.charCodeAt(p);
    if (c === MINUS || c === PLUS) {
      negative = c === MINUS;
      p++;
    }
  }
  let mantissa = 0;
  let digits = 0;
  let fraction = 0;
  let exact = true;
  while (p < end) {
    const c = text.charCodeAt(p);
    if (c < ZERO || c > NINE) break;
    mantissa = mantissa * 10 + (c - ZERO);
    digits++;
    p++;
  }
  if (p < end && text.charCodeAt(p) === DOT) {
    p++;
    while (p < end) {
      const c = text.charCodeAt(p);
      if (c < ZERO || c > NINE) break;
      mantissa = mantissa * 10 + (c - ZERO);
      digits++;
      fraction++;
      p++;
    }
  }
  if (digits === 0) return Number.NaN;
  if (p < end) {
    const c = text.charCodeAt(p);
    if (c !== LOWER_E && c !== UPPER_E) return Number.NaN;
    p++;
    if (p < end && (text.charCodeAt(p) === PLUS || text.charCodeAt(p) === MINUS)) p++;
    const expStart = p;
    while (p < end && text.charCodeAt(p) >= ZERO && text.charCodeAt(p) <= NINE) p++;
    if (p === expStart || p !== end) return Number.NaN;
    exact = false;
  }
  if (exact && mantissa <= Number.MAX_SAFE_INTEGER && fraction < POW10.length) {
    const value = fraction === 0 ? mantissa : mantissa / POW10[fraction]!;
    return negative ? -value : value;
  }
  return Number(text.slice(start, end));
}
