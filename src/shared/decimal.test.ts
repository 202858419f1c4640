import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dec, DecimalError, decimalsOf } from './decimal';

describe('Dec', () => {
  it('parses and prints canonical decimal text', () => {
    expect(Dec.parse('0.0015').toString()).toBe('0.0015');
    expect(Dec.parse('-12.500').toString()).toBe('-12.5');
    expect(Dec.parse('0.000000000000000001').toString()).toBe('0.000000000000000001');
    expect(Dec.parse('0').toString()).toBe('0');
    expect(Dec.parse('-0.5').toString()).toBe('-0.5');
    expect(Dec.parse('77626.0').eq(Dec.parse('77626'))).toBe(true);
  });

  it('rejects what is not a plain decimal: one grammar, no sign but a leading minus, no blanks, leading zeros or exponents', () => {
    const bad = ['', ' ', 'abc', '1e5', '1E5', '1.2.3', '.5', '5.', 'NaN', 'Infinity', '0x10', '1,5', '0.0000000000000000001',
      '+3', '+0.001', ' 0.001 ', '\u00a00.001', '\ufeff0.001', '\u20280.001', '\t0.001\n', '00000.001', '007', '-007', '00',
      '-0', '-0.0', '--1', '- 1', '1 ', '١٢'];
    for (const text of bad) {
      expect(() => Dec.parse(text), JSON.stringify(text)).toThrow(DecimalError);
      expect(Dec.isValid(text), JSON.stringify(text)).toBe(false);
    }
  });

  it('adds exactly where binary floats drift', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(Dec.parse('0.1').add(Dec.parse('0.2')).toString()).toBe('0.3');
  });

  it('multiplies price by quantity by fee rate exactly', () => {
    expect(Dec.parse('67123.4').mul(Dec.parse('0.137')).mul(Dec.parse('0.0005')).toString()).toBe('4.5979529');
  });

  it('divides with half-even rounding at the 18th decimal', () => {
    expect(Dec.parse('1').div(Dec.parse('3')).toString()).toBe('0.333333333333333333');
    expect(Dec.parse('2').div(Dec.parse('3')).toString()).toBe('0.666666666666666667');
    expect(() => Dec.ONE.div(Dec.ZERO)).toThrow(DecimalError);
  });

  it('rounds to steps', () => {
    expect(Dec.parse('1.2345').floorTo(Dec.parse('0.01')).toString()).toBe('1.23');
    expect(Dec.parse('-1.2345').floorTo(Dec.parse('0.01')).toString()).toBe('-1.24');
    expect(Dec.parse('1.2345').ceilTo(Dec.parse('0.01')).toString()).toBe('1.24');
    expect(Dec.parse('1.25').roundTo(1).toString()).toBe('1.2');
    expect(Dec.parse('1.35').roundTo(1).toString()).toBe('1.4');
    expect(Dec.parse('0.003').isMultipleOf(Dec.parse('0.001'))).toBe(true);
    expect(Dec.parse('0.0035').isMultipleOf(Dec.parse('0.001'))).toBe(false);
    expect(Dec.parse('2').toFixed(2)).toBe('2.00');
    expect(Dec.parse('-0.005').toFixed(2)).toBe('0.00');
  });

  it('converts from JS numbers through their shortest text', () => {
    expect(Dec.fromNumber(0.1).toString()).toBe('0.1');
    expect(Dec.fromNumber(1e-9).toString()).toBe('0.000000001');
    expect(Dec.fromNumber(123456.789).toString()).toBe('123456.789');
    expect(() => Dec.fromNumber(Number.NaN)).toThrow(DecimalError);
  });

  it('counts the decimals of a step', () => {
    expect(decimalsOf('0.001')).toBe(3);
    expect(decimalsOf('1')).toBe(0);
    expect(decimalsOf('0.10')).toBe(1);
  });

  it('round-trips any 18-decimal value through text (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), (units) => {
        const value = Dec.fromUnits(units);
        expect(Dec.parse(value.toString()).units).toBe(units);
      }),
    );
  });

  it('addition is associative and subtraction inverts it (property)', () => {
    const arb = fc.bigInt({ min: -(10n ** 28n), max: 10n ** 28n }).map(Dec.fromUnits);
    fc.assert(
      fc.property(arb, arb, arb, (a, b, c) => {
        expect(a.add(b).add(c).eq(a.add(b.add(c)))).toBe(true);
        expect(a.add(b).sub(b).eq(a)).toBe(true);
      }),
    );
  });
});
