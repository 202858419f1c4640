import { describe, expect, it } from 'vitest';
import type { StrategyParamSpec } from '../../../shared/contract';
import {
  checkParam,
  checkParams,
  describeRange,
  fmtParamValue,
  initialParamValues,
  numberText,
  paramsSummary,
  readNumber,
} from './paramForm';

function spec(patch: Partial<StrategyParamSpec> & Pick<StrategyParamSpec, 'name' | 'type' | 'default'>): StrategyParamSpec {
  return { label: patch.name, min: null, max: null, step: null, options: null, description: '', ...patch };
}

const fast = spec({ name: 'fast', label: 'Fast period', type: 'int', default: 10, min: 2, max: 200, step: 1 });
const risk = spec({ name: 'risk', label: 'Risk per trade', type: 'float', default: 0.01, min: 0.001, max: 0.1, step: 0.001 });
const offset = spec({ name: 'offset', label: 'Offset', type: 'float', default: -0.5 });
const longOnly = spec({ name: 'longOnly', label: 'Long only', type: 'bool', default: true });
const source = spec({ name: 'source', label: 'Price', type: 'enum', default: 'close', options: ['close', 'hl2', 'ohlc4'] });
const specs = [fast, risk, offset, longOnly, source];

describe('initialParamValues', () => {
  it('starts every field from its declared default: numbers as text, switches as booleans, choices as the option', () => {
    expect(initialParamValues(specs)).toEqual({ fast: '10', risk: '0.01', offset: '-0.5', longOnly: true, source: 'close' });
  });

  it('takes given values where they fit the declaration and falls back to the default where they do not', () => {
    const values = initialParamValues(specs, { fast: 25, risk: 'high', longOnly: false, source: 'median', extra: 1 });
    expect(values).toEqual({ fast: '25', risk: '0.01', offset: '-0.5', longOnly: false, source: 'close' });
    expect(values).not.toHaveProperty('extra');
  });

  it('writes tiny numbers out in full, and never rounds a value away', () => {
    expect(numberText(1e-7)).toBe('0.0000001');
    expect(numberText(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(numberText(2.5)).toBe('2.5');
    expect(initialParamValues([spec({ name: 'eps', type: 'float', default: 1e-7 })])).toEqual({ eps: '0.0000001' });
  });
});

describe('readNumber', () => {
  it('reads plain, negative, fractional and exponent forms and trims blanks', () => {
    expect(readNumber(' 12 ')).toBe(12);
    expect(readNumber('-0.5')).toBe(-0.5);
    expect(readNumber('−3')).toBe(-3);
    expect(readNumber('.25')).toBe(0.25);
    expect(readNumber('2.')).toBe(2);
    expect(readNumber('1e-3')).toBe(0.001);
  });

  it('refuses what is not one number', () => {
    for (const bad of ['', ' ', 'abc', '1.2.3', '+-1', '1,5', '12px', 'Infinity', 'NaN', '--1']) expect(readNumber(bad)).toBeNull();
  });
});

describe('checkParam', () => {
  it('coerces an int field to a whole number inside its bounds', () => {
    expect(checkParam(fast, '20')).toEqual({ ok: true, value: 20 });
    expect(checkParam(fast, '2')).toEqual({ ok: true, value: 2 });
    expect(checkParam(fast, '200')).toEqual({ ok: true, value: 200 });
    expect(checkParam(fast, '20.5')).toEqual({ ok: false, error: 'Fast period must be a whole number' });
    expect(checkParam(fast, '1')).toEqual({ ok: false, error: 'Fast period must be at least 2' });
    expect(checkParam(fast, '201')).toEqual({ ok: false, error: 'Fast period must be at most 200' });
    expect(checkParam(fast, '')).toEqual({ ok: false, error: 'Fast period is required' });
    expect(checkParam(fast, 'ten')).toEqual({ ok: false, error: 'Fast period must be a number' });
  });

  it('accepts any finite float inside its bounds, negatives where no bound forbids them', () => {
    expect(checkParam(risk, '0.02')).toEqual({ ok: true, value: 0.02 });
    expect(checkParam(risk, '0.0005')).toEqual({ ok: false, error: 'Risk per trade must be at least 0.001' });
    expect(checkParam(offset, '-12.75')).toEqual({ ok: true, value: -12.75 });
    expect(checkParam(risk, '0,02')).toEqual({ ok: false, error: 'Risk per trade: type a decimal point, not a comma' });
  });

  it('does not enforce the step: it is how the field moves, not a rule (the engine does not enforce it either)', () => {
    expect(checkParam(risk, '0.0015')).toEqual({ ok: true, value: 0.0015 });
  });

  it('checks switches and choices by kind and membership', () => {
    expect(checkParam(longOnly, false)).toEqual({ ok: true, value: false });
    expect(checkParam(longOnly, 'true').ok).toBe(false);
    expect(checkParam(source, 'hl2')).toEqual({ ok: true, value: 'hl2' });
    expect(checkParam(source, 'open')).toEqual({ ok: false, error: 'Price must be one of close, hl2, ohlc4' });
  });
});

describe('checkParams', () => {
  it('answers the contract values when every field passes', () => {
    const r = checkParams(specs, { fast: '12', risk: '0.02', offset: '0', longOnly: false, source: 'ohlc4' });
    expect(r).toEqual({ ok: true, params: { fast: 12, risk: 0.02, offset: 0, longOnly: false, source: 'ohlc4' } });
  });

  it('names every failing field, and only those', () => {
    const r = checkParams(specs, { ...initialParamValues(specs), fast: '1.5', source: 'x' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.errors).sort()).toEqual(['fast', 'source']);
  });

  it('treats a missing value as an error of that field', () => {
    const r = checkParams([fast], {});
    expect(r).toEqual({ ok: false, errors: { fast: 'Fast period is required' } });
  });
});

describe('describing parameters', () => {
  it('says the range in words', () => {
    expect(describeRange(fast)).toBe('2 – 200 · step 1');
    expect(describeRange(offset)).toBe('any number');
    expect(describeRange(spec({ name: 'n', type: 'int', default: 1, min: 1 }))).toBe('≥ 1');
    expect(describeRange(spec({ name: 'n', type: 'float', default: 1, max: 5 }))).toBe('≤ 5');
    expect(describeRange(source)).toBe('close · hl2 · ohlc4');
    expect(describeRange(longOnly)).toBe('on / off');
  });

  it('summarizes values in declared order with labels', () => {
    expect(paramsSummary({ source: 'hl2', fast: 10, longOnly: false, other: 3 }, specs)).toBe('Fast period 10 · no Long only · Price hl2 · other 3');
    expect(fmtParamValue(true)).toBe('on');
    expect(fmtParamValue(undefined)).toBe('—');
  });
});

describe('a model parameter', () => {
  const model = spec({ name: 'model', label: 'Model', type: 'model', default: '' });

  it('starts from the given model, else empty (nothing chosen yet)', () => {
    expect(initialParamValues([model])).toEqual({ model: '' });
    expect(initialParamValues([model], { model: 'btc-direction' })).toEqual({ model: 'btc-direction' });
    expect(initialParamValues([model], { model: 3 })).toEqual({ model: '' });
  });

  it('must name a model, in at most 80 characters', () => {
    expect(checkParam(model, '')).toEqual({ ok: false, error: 'Model: choose a model' });
    expect(checkParam(model, '  ')).toEqual({ ok: false, error: 'Model: choose a model' });
    expect(checkParam(model, 'x'.repeat(81))).toEqual({ ok: false, error: 'Model: a model is named in at most 80 characters' });
    expect(checkParam(model, ' btc-direction ')).toEqual({ ok: true, value: 'btc-direction' });
    expect(describeRange(model)).toBe('a model: its active version, or one version pinned');
  });
});
