import { describe, expect, it } from 'vitest';
import { Dec } from '../../../shared/decimal';
import { MALFORMED, OFF_STEP, TOO_LARGE, formatSteps, stepOf, stepsToDec, stepsToNumber, toSteps } from './fixedPoint';

describe('fixed-point steps', () => {
  const tick = stepOf('0.1');
  const lot = stepOf('0.001');
  const half = stepOf('0.5');

  it('describes a step', () => {
    expect(lot).toMatchObject({ text: '0.001', decimals: 3, mantissa: 1, pow10: 1000 });
    expect(half).toMatchObject({ text: '0.5', decimals: 1, mantissa: 5 });
    expect(stepOf('10')).toMatchObject({ decimals: 0, mantissa: 10 });
    expect(() => stepOf('0')).toThrow(RangeError);
  });

  it('parses decimal strings into whole steps', () => {
    expect(toSteps('80000.1', tick)).toBe(800_001);
    expect(toSteps('80000', tick)).toBe(800_000);
    expect(toSteps('+0.015', lot)).toBe(15);
    expect(toSteps('0.0150000', lot)).toBe(15);
    expect(toSteps('2.5', half)).toBe(5);
    expect(toSteps('0', lot)).toBe(0);
  });

  it('says why a string is not a whole number of steps', () => {
    expect(toSteps('0.0015', lot)).toBe(OFF_STEP);
    expect(toSteps('80000.05', tick)).toBe(OFF_STEP);
    expect(toSteps('2.3', half)).toBe(OFF_STEP);
    for (const bad of ['', '-1', '1.', '.5', '1e3', 'abc', ' 1', '1.2.3']) expect(toSteps(bad, lot)).toBe(MALFORMED);
    expect(toSteps('1234567890123456', lot)).toBe(TOO_LARGE);
  });

  it('formats steps canonically, like Dec.toString', () => {
    for (const [count, step] of [
      [800_001, tick],
      [800_000, tick],
      [15, lot],
      [1000, lot],
      [0, lot],
      [-15, lot],
      [5, half],
      [3, stepOf('10')],
    ] as const) {
      expect(formatSteps(count, step)).toBe(stepsToDec(count, step).toString());
    }
    expect(formatSteps(15, lot)).toBe('0.015');
    expect(stepsToDec(800_001, tick).eq(Dec.parse('80000.1'))).toBe(true);
    expect(stepsToNumber(800_001, tick)).toBe(80000.1);
  });
});
