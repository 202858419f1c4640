import { describe, expect, it } from 'vitest';
import { Dec } from '../../shared/decimal';
import { readUserDecimal } from './numberInput';

describe('readUserDecimal', () => {
  it.each([
    ['0.5', '0.5'],
    ['77626.0', '77626.0'],
    [' 2 ', '2'],
    ['\u00a00.001\ufeff', '0.001'],
    ['.5', '0.5'],
    ['2.', '2'],
    ['007', '7'],
    ['00.50', '0.50'],
    ['0', '0'],
    ['1,000', '1000'],
    ['12,345,678.9', '12345678.9'],
  ])('normalizes %j to %j, text the contract accepts', (typed, text) => {
    const r = readUserDecimal(typed);
    expect(r).toMatchObject({ ok: true, text });
    if (r.ok) {
      expect(Dec.isValid(r.text)).toBe(true);
      expect(r.value.eq(Dec.parse(text))).toBe(true);
    }
  });

  it.each([
    ['+3', 'without a “+” sign'],
    ['-1', 'positive (no minus sign)'],
    ['−1', 'positive (no minus sign)'],
    ['1e3', 'without an exponent'],
    ['1.5E-2', 'without an exponent'],
    ['0,5', 'decimal point'],
    ['1,00', 'decimal point'],
    ['1.2.3', 'more than one decimal point'],
    ['١٢', 'digits 0–9'],
    ['0.0000000000000000001', 'more than 18 decimals'],
  ])('refuses %j and says why', (typed, why) => {
    const r = readUserDecimal(typed);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem).toContain(why);
  });

  it.each(['', ' ', 'abc', 'NaN', 'Infinity', '0x10', '.', '1 000'])('refuses %j as not a number', (typed) => {
    expect(readUserDecimal(typed)).toEqual({ ok: false, problem: null });
  });
});
