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

  describe('against the plain definitions (the fast paths change no result)', () => {
    /** Units straight from the grammar: the digits with the fraction padded to 18 places, through BigInt's own parser. */
    const referenceUnits = (text: string): bigint => {
      const negative = text.startsWith('-');
      const [whole, fraction = ''] = (negative ? text.slice(1) : text).split('.');
      const units = BigInt(`${whole}${fraction.padEnd(18, '0')}`);
      return negative ? -units : units;
    };
    /** Round half to even of n / d, sign handled apart, with no shortcut for exact quotients. */
    const referenceDiv = (n: bigint, d: bigint): bigint => {
      const negative = n < 0n !== d < 0n;
      const a = n < 0n ? -n : n;
      const b = d < 0n ? -d : d;
      let q = a / b;
      const twice = (a % b) * 2n;
      if (twice > b || (twice === b && q % 2n === 1n)) q += 1n;
      return negative ? -q : q;
    };
    /** Decimal text of every shape the grammar takes: short and long digit runs, 0 to 18 decimals, trailing zeros, signs. */
    const decimalText = fc
      .tuple(
        fc.boolean(),
        fc.oneof(fc.constant('0'), fc.bigInt({ min: 1n, max: 10n ** 25n }).map(String), fc.integer({ min: 1, max: 999_999 }).map(String)),
        fc.option(fc.stringMatching(/^\d{1,18}$/), { nil: undefined }),
      )
      .map(([negative, whole, fraction]) => `${negative ? '-' : ''}${whole}${fraction === undefined ? '' : `.${fraction}`}`)
      .filter((text) => !/^-0(\.0+)?$/.test(text));
    const units = fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n });

    it('parses every decimal text to the units its digits say, and prints the canonical text (property)', () => {
      fc.assert(
        fc.property(decimalText, (text) => {
          const value = Dec.parse(text);
          expect(value.units).toBe(referenceUnits(text));
          const canonical = Dec.fromUnits(value.units).toString();
          expect(value.toString()).toBe(canonical);
          expect(value.toString()).toBe(value.toString());
        }),
        { numRuns: 2_000 },
      );
    });

    it('parses exactly the texts the grammar accepts, whatever the characters (property)', () => {
      const parses = (text: string): boolean => {
        try {
          Dec.parse(text);
          return true;
        } catch (error) {
          expect(error).toBeInstanceOf(DecimalError);
          return false;
        }
      };
      fc.assert(
        fc.property(fc.stringMatching(/^[-0-9.e+ ]{0,24}$/), (text) => {
          expect(parses(text), JSON.stringify(text)).toBe(Dec.isValid(text));
        }),
        { numRuns: 5_000 },
      );
    });

    it('parses the digit counts on both sides of the exact-double limit alike (15 and 16 digits)', () => {
      for (const text of ['999999999999999', '9999999999999999', '123456789.012345', '1234567890.123456', '0.999999999999999999', '-9007199254740993']) {
        expect(Dec.parse(text).units, text).toBe(referenceUnits(text));
      }
    });

    it('multiplies and divides with half-even rounding at the 18th decimal, exact or not (property)', () => {
      fc.assert(
        fc.property(units, units, (a, b) => {
          expect(Dec.fromUnits(a).mul(Dec.fromUnits(b)).units).toBe(referenceDiv(a * b, 10n ** 18n));
          if (b !== 0n) expect(Dec.fromUnits(a).div(Dec.fromUnits(b)).units).toBe(referenceDiv(a * 10n ** 18n, b));
        }),
        { numRuns: 2_000 },
      );
    });

    it('multiplies cent prices by lot quantities and fee rates exactly (property)', () => {
      const cents = fc.integer({ min: 1, max: 10_000_000 }).map((c) => Dec.parse((c / 100).toFixed(2)));
      const lots = fc.integer({ min: 1, max: 1_000_000 }).map((l) => Dec.parse((l / 1000).toFixed(3)));
      fc.assert(
        fc.property(cents, lots, (price, quantity) => {
          const value = price.mul(quantity);
          expect(value.units).toBe(referenceDiv(price.units * quantity.units, 10n ** 18n));
          expect(value.mul(Dec.parse('0.002')).units).toBe(referenceDiv(value.units * 2_000_000_000_000_000n, 10n ** 18n));
        }),
      );
    });
  });
});
