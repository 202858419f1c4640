/**
 * The field cursor (quotes, blanks, empty fields) and the decimal reader,
 * whose fast path must give exactly what `Number` gives.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../tests/support/rng';
import { FieldCursor, readDecimal, type FieldStatus } from './csvFields';

function fields(line: string, separator = ','): (string | FieldStatus)[] {
  const cursor = new FieldCursor(line, separator.charCodeAt(0));
  cursor.reset(0, line.length);
  const out: (string | FieldStatus)[] = [];
  while (!cursor.done) {
    const status = cursor.next();
    if (status !== 'ok') {
      out.push(status);
      break;
    }
    out.push(cursor.value());
  }
  return out;
}

describe('FieldCursor', () => {
  it('splits on the separator, trims blanks and keeps empty fields', () => {
    expect(fields('a, b ,\tc,,')).toEqual(['a', 'b', 'c', '', '']);
    expect(fields('a;b,c;d', ';')).toEqual(['a', 'b,c', 'd']);
    expect(fields('')).toEqual(['']);
  });

  it('reads quoted fields with separators and doubled quotes inside', () => {
    expect(fields('"a,b", "say ""hi""" ,"",x')).toEqual(['a,b', 'say "hi"', '', 'x']);
  });

  it('reports an unclosed quote and text after a closing quote', () => {
    expect(fields('a,"b,c')).toEqual(['a', 'unterminated-quote']);
    expect(fields('"a"b,c')).toEqual(['text-after-quote']);
  });
});

describe('readDecimal', () => {
  const read = (text: string): number => readDecimal(text, 0, text.length);

  it.each(['0', '1', '1.5', '-2.25', '+3', '.5', '5.', '0.000001', '1e3', '1.5E-7', '-2e+2', '12345678901234567890', '0.1234567890123456789', '1e400'])(
    'reads %s as Number does',
    (text) => {
      expect(read(text)).toBe(Number(text));
    },
  );

  it.each(['', '-', '.', 'e5', '1e', '1e+', '1.2.3', '1,5', '0x10', 'Infinity', 'NaN', '1 2', '1e5x'])('refuses %j', (text) => {
    expect(read(text)).toBeNaN();
  });

  it('matches Number exactly on seeded random prices', () => {
    const rng = new Rng(7);
    for (let i = 0; i < 50_000; i++) {
      const whole = String(rng.int(10 ** rng.between(0, 9)));
      const fraction = Array.from({ length: rng.between(0, 12) }, () => rng.int(10)).join('');
      const text = fraction === '' ? whole : `${whole}.${fraction}`;
      expect(read(text)).toBe(Number(text));
    }
  });
});
