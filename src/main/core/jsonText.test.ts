import { describe, expect, it } from 'vitest';
import { KeelError } from '../../shared/errors';
import { parseJsonText, toJsonText } from './jsonText';

function refusal(value: unknown): KeelError {
  try {
    toJsonText(value, 'body');
  } catch (error) {
    expect(error).toBeInstanceOf(KeelError);
    return error as KeelError;
  }
  throw new Error('expected a refusal');
}

describe('toJsonText', () => {
  it('writes plain values exactly, and reads them back equal', () => {
    const value = { a: 1.000_000_000_000_2, b: [0.1, -3, 'x', true, null, { c: 5e-324 }], d: 'é', e: Number.MAX_VALUE };
    const text = toJsonText(value, 'body');
    expect(parseJsonText(text, 'body')).toEqual(value);
    expect(toJsonText('s', 'body')).toBe('"s"');
    expect(toJsonText(Object.create(null) as object, 'body')).toBe('{}');
  });

  it('lets an undefined property go, as an absent optional field', () => {
    expect(toJsonText({ a: 1, b: undefined }, 'body')).toBe('{"a":1}');
  });

  it.each([
    ['NaN', { stats: { sharpe: Number.NaN } }, /stats\.sharpe is NaN/],
    ['Infinity', { x: [1, Number.POSITIVE_INFINITY] }, /x\[1\] is Infinity/],
    ['-Infinity', Number.NEGATIVE_INFINITY, /the value is -Infinity/],
    ['undefined in an array', { list: [1, undefined] }, /list\[1\] is undefined/],
    ['a Date', { at: new Date(0) }, /at is a Date/],
    ['a Map', { m: new Map([[1, 2]]) }, /m is a Map/],
    ['a class instance', { k: new (class Thing {})() }, /k is a Thing/],
    ['a function', { f: () => 1 }, /f is a function/],
    ['a symbol', { s: Symbol('s') }, /s is a symbol/],
    ['a toJSON', { t: { toJSON: () => 'x' } }, /t has its own toJSON/],
  ])('refuses %s with VALIDATION_FAILED naming where it is', (_, value, message) => {
    const error = refusal(value);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toMatch(message);
  });

  it('refuses what JSON cannot write at all: bigints, cycles, undefined', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    for (const value of [{ n: 1n }, cycle, undefined]) expect(refusal(value).code).toBe('VALIDATION_FAILED');
  });
});

describe('parseJsonText', () => {
  it('names the body it could not read with INTERNAL', () => {
    expect(() => parseJsonText('{', 'strategy state')).toThrow(/Stored strategy state is unreadable/);
    try {
      parseJsonText('nope', 'x');
    } catch (error) {
      expect((error as KeelError).code).toBe('INTERNAL');
    }
    expect.assertions(2);
  });
});
