import { describe, expect, it } from 'vitest';
import { KeelError } from '../../../shared/errors';
import { BUILTIN_STRATEGIES } from './catalog';
import { catalogEntry, checkDefinition, defineStrategy, modelParams, paramSpec, resolveParams, usesMarketFeatures, type StrategyDefinition } from './definition';
import { keelErrorOf } from '../../../../tests/support/keelError';

interface TestParams {
  [name: string]: number | boolean | string;
  fast: number;
  slow: number;
  fraction: number;
  short: boolean;
  mode: string;
}

const TEST = defineStrategy<TestParams>({
  type: 'test-strategy',
  name: 'Test',
  summary: 'For tests.',
  explanation: 'It does nothing.',
  params: [
    { name: 'fast', label: 'Fast period', type: 'int', default: 5, min: 1, max: 100, description: 'Fast.' },
    { name: 'slow', type: 'int', default: 20, min: 2, max: 500, description: 'Slow.' },
    { name: 'fraction', type: 'float', default: 0.5, min: 0.01, max: 1, step: 0.01, description: 'Share of equity.' },
    { name: 'short', type: 'bool', default: false, description: 'Go short.' },
    { name: 'mode', type: 'enum', default: 'calm', options: ['calm', 'bold'], description: 'How.' },
  ],
  constraints: [{ text: 'fast < slow', holds: (p) => p.fast < p.slow }],
  warmupBars: (p) => p.slow,
  create: () => ({}),
});

describe('resolveParams', () => {
  it('fills every declared parameter, defaults for those not given', () => {
    expect(resolveParams(TEST, {})).toEqual({ fast: 5, slow: 20, fraction: 0.5, short: false, mode: 'calm' });
    expect(resolveParams(TEST, { fast: 8, short: true, mode: 'bold' })).toEqual({ fast: 8, slow: 20, fraction: 0.5, short: true, mode: 'bold' });
  });

  it('refuses a parameter the strategy does not declare, naming it', () => {
    const error = keelErrorOf(() => resolveParams(TEST, { fast: 8, speed: 3, colour: 'red' }));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toContain('"speed"');
    expect(error.message).toContain('"colour"');
    expect(error.data).toEqual({ unknown: ['speed', 'colour'] });
  });

  it.each([
    ['below its minimum', { fast: 0 }, 'fast'],
    ['above its maximum', { slow: 501 }, 'slow'],
    ['a float below its minimum', { fraction: 0.001 }, 'fraction'],
    ['a float above its maximum', { fraction: 1.5 }, 'fraction'],
  ])('refuses a value %s, naming the parameter', (_what, input, param) => {
    const error = keelErrorOf(() => resolveParams(TEST, input));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.data).toEqual({ param });
  });

  it('names the parameter by its label and says what it got', () => {
    const error = keelErrorOf(() => resolveParams(TEST, { fast: 0 }));
    expect(error.message).toContain('Fast period');
    expect(error.message).toContain('(got 0)');
  });

  it.each([
    ['a string for an int', { fast: '8' }, 'fast'],
    ['a fraction for an int', { fast: 2.5 }, 'fast'],
    ['a number for a switch', { short: 1 }, 'short'],
    ['a string for a switch', { short: 'true' }, 'short'],
    ['a choice that is not offered', { mode: 'wild' }, 'mode'],
    ['a number for a choice', { mode: 1 }, 'mode'],
    ['infinity for a float', { fraction: Number.POSITIVE_INFINITY }, 'fraction'],
    ['NaN for a float', { fraction: Number.NaN }, 'fraction'],
  ])('refuses %s', (_what, input, param) => {
    const error = keelErrorOf(() => resolveParams(TEST, input));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.data).toEqual({ param });
  });

  it('checks the constraints on the resolved set, defaults included', () => {
    const error = keelErrorOf(() => resolveParams(TEST, { fast: 30 }));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toContain('fast < slow');
    expect(error.data).toEqual({ constraint: 'fast < slow' });
    expect(() => resolveParams(TEST, { fast: 20, slow: 20 })).toThrow(/fast < slow/);
    expect(resolveParams(TEST, { fast: 30, slow: 31 })).toMatchObject({ fast: 30, slow: 31 });
  });

  it('accepts the bounds themselves', () => {
    expect(resolveParams(TEST, { fast: 1, slow: 500, fraction: 1 })).toMatchObject({ fast: 1, slow: 500, fraction: 1 });
  });
});

describe('checkDefinition', () => {
  const valid = (): Record<string, unknown> => ({ ...TEST, params: TEST.params.map((p) => ({ ...p })) });

  it('accepts a valid definition as it is', () => {
    const def = valid();
    expect(checkDefinition(def)).toBe(def);
  });

  it.each([
    ['not an object', () => 42, /must export a strategy definition object/],
    ['null', () => null, /must export a strategy definition object/],
    ['a type with capitals', () => ({ ...valid(), type: 'MyStrategy' }), /"type"/],
    ['a type with spaces', () => ({ ...valid(), type: 'my strategy' }), /"type"/],
    ['no type', () => ({ ...valid(), type: undefined }), /"type"/],
    ['an empty name', () => ({ ...valid(), name: '' }), /"name"/],
    ['no summary', () => ({ ...valid(), summary: undefined }), /"summary"/],
    ['no explanation', () => ({ ...valid(), explanation: 3 }), /"explanation"/],
    ['no warmupBars', () => ({ ...valid(), warmupBars: 20 }), /"warmupBars"/],
    ['no create', () => ({ ...valid(), create: undefined }), /"create"/],
    ['params not an array', () => ({ ...valid(), params: {} }), /"params"/],
    ['a parameter name that is not an identifier', () => ({ ...valid(), params: [{ ...TEST.params[0], name: 'fast period' }] }), /not an identifier/],
    ['a parameter declared twice', () => ({ ...valid(), params: [TEST.params[0], TEST.params[0]] }), /declared twice/],
    ['an unknown parameter type', () => ({ ...valid(), params: [{ ...TEST.params[0], type: 'integer' }] }), /unknown type "integer"/],
    ['a parameter without a description', () => ({ ...valid(), params: [{ ...TEST.params[0], description: undefined }] }), /needs a description/],
    ['a default out of bounds', () => ({ ...valid(), params: [{ ...TEST.params[0], default: 1000 }] }), /"fast": its default 1000 is not valid/],
    ['a default of the wrong type', () => ({ ...valid(), params: [{ ...TEST.params[3], default: 'no' }] }), /"short": its default "no" is not valid/],
    ['an enum default not among its options', () => ({ ...valid(), params: [{ ...TEST.params[4], default: 'wild' }] }), /"mode": its default "wild" is not valid/],
    ['an enum without options', () => ({ ...valid(), params: [{ ...TEST.params[4], options: [] }] }), /"mode" is an enum: "options" must list its choices/],
    ['min above max', () => ({ ...valid(), params: [{ ...TEST.params[0], min: 50, max: 10 }] }), /"fast": min 50 is above max 10/],
    ['constraints that are not a list', () => ({ ...valid(), constraints: { text: 'a' } }), /"constraints" must be an array/],
    ['a constraint without its check', () => ({ ...valid(), constraints: [{ text: 'fast < slow' }] }), /each constraint must be/],
  ])('refuses %s', (_what, make, message) => {
    const error = keelErrorOf(() => checkDefinition(make()));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toMatch(/^Not a valid strategy: /);
    expect(error.message).toMatch(message);
  });
});

const MODEL_DRIVEN = defineStrategy<{ [name: string]: number | boolean | string; model: string; threshold: number }>({
  type: 'model-driven',
  name: 'Model driven',
  summary: 'For tests.',
  explanation: 'It scores a model.',
  params: [
    { name: 'model', label: 'Signal model', type: 'model', default: '', description: 'Which model.' },
    { name: 'threshold', type: 'float', default: 0.75, min: 0.34, max: 0.99, description: 'Confidence.' },
  ],
  warmupBars: () => 0,
  create: () => ({}),
});

/** A registry of two usable names and one that cannot be used, as the scoring port checks them. */
const registry = {
  check(model: string): void {
    if (model === 'btc-direction' || model === 'm-pinned') return;
    if (model === 'btc-old') throw new KeelError('VALIDATION_FAILED', 'model btc-old v2 expired (older than its maximum age of 7 d): it makes no new decisions');
    throw new KeelError('VALIDATION_FAILED', `there is no model named "${model}" and no version with that id`);
  },
};

describe('a model parameter', () => {
  it('declares itself, and marks its strategy as reading the feature pipeline', () => {
    expect(checkDefinition(MODEL_DRIVEN)).toBe(MODEL_DRIVEN);
    expect(paramSpec(MODEL_DRIVEN.params[0]!)).toEqual({ name: 'model', label: 'Signal model', type: 'model', default: '', min: null, max: null, step: null, options: null, description: 'Which model.' });
    expect(modelParams(MODEL_DRIVEN)).toEqual(['model']);
    expect(usesMarketFeatures(MODEL_DRIVEN)).toBe(true);
    expect(usesMarketFeatures(TEST)).toBe(false);
    expect(usesMarketFeatures({ ...TEST, usesRegime: true })).toBe(true);
  });

  it('resolves a model name or a pinned version id that the registry can use', () => {
    expect(resolveParams(MODEL_DRIVEN, { model: 'btc-direction' }, registry)).toEqual({ model: 'btc-direction', threshold: 0.75 });
    expect(resolveParams(MODEL_DRIVEN, { model: ' m-pinned ' }, registry)).toEqual({ model: 'm-pinned', threshold: 0.75 });
  });

  it('refuses a model that cannot be used with VALIDATION_FAILED naming the parameter and the model', () => {
    const missing = keelErrorOf(() => resolveParams(MODEL_DRIVEN, { model: 'eth-dreams' }, registry));
    expect(missing.code).toBe('VALIDATION_FAILED');
    expect(missing.message).toBe('Model driven: Signal model "eth-dreams" cannot be used: there is no model named "eth-dreams" and no version with that id');
    expect(missing.data).toEqual({ param: 'model', model: 'eth-dreams' });
    const expired = keelErrorOf(() => resolveParams(MODEL_DRIVEN, { model: 'btc-old' }, registry));
    expect(expired).toMatchObject({ code: 'VALIDATION_FAILED', data: { param: 'model', model: 'btc-old' } });
    expect(expired.message).toMatch(/"btc-old" cannot be used: model btc-old v2 expired/);
  });

  it('refuses no model at all, a value that is not a name, and one too long, before asking the registry', () => {
    let asked = 0;
    const counting = { check: () => void (asked += 1) };
    expect(keelErrorOf(() => resolveParams(MODEL_DRIVEN, {}, counting))).toMatchObject({ code: 'VALIDATION_FAILED', data: { param: 'model' } });
    expect(keelErrorOf(() => resolveParams(MODEL_DRIVEN, { model: '   ' }, counting)).message).toMatch(/must name a model/);
    expect(keelErrorOf(() => resolveParams(MODEL_DRIVEN, { model: 7 }, counting)).data).toEqual({ param: 'model' });
    expect(keelErrorOf(() => resolveParams(MODEL_DRIVEN, { model: 'x'.repeat(81) }, counting)).data).toEqual({ param: 'model' });
    expect(asked).toBe(0);
  });

  it('is not checked against a registry when none is given (a backtest worker gets its models resolved)', () => {
    expect(resolveParams(MODEL_DRIVEN, { model: 'anything' })).toEqual({ model: 'anything', threshold: 0.75 });
  });
});

describe('catalog entries', () => {
  it('describe the parameters for the form, with an int\'s step 1 unless given', () => {
    expect(paramSpec(TEST.params[0]!)).toEqual({ name: 'fast', label: 'Fast period', type: 'int', default: 5, min: 1, max: 100, step: 1, options: null, description: 'Fast.' });
    expect(paramSpec(TEST.params[1]!)).toMatchObject({ label: 'slow', step: 1 });
    expect(paramSpec(TEST.params[3]!)).toMatchObject({ min: null, max: null, step: null });
    expect(paramSpec(TEST.params[4]!)).toMatchObject({ options: ['calm', 'bold'] });
    const entry = catalogEntry(TEST as unknown as StrategyDefinition, 'user', '/strategies/test.js');
    expect(entry).toMatchObject({ type: 'test-strategy', constraints: ['fast < slow'], origin: 'user', file: '/strategies/test.js', error: null });
  });
});

describe('the built-ins', () => {
  it.each(BUILTIN_STRATEGIES.map((d) => [d.type, d] as const))('%s declares itself validly and resolves its defaults', (_type, definition) => {
    expect(checkDefinition(definition)).toBe(definition);
    // A model-driven strategy must be given its model; its warm-up is the feature pipeline's, added by the instance.
    const params = resolveParams(definition, Object.fromEntries(modelParams(definition).map((name) => [name, 'some-model'])));
    if (!usesMarketFeatures(definition)) expect(definition.warmupBars(params)).toBeGreaterThanOrEqual(1);
    expect(definition.explanation.split('\n\n').length).toBeGreaterThanOrEqual(3);
    for (const p of definition.params) {
      expect(p.description.length, p.name).toBeGreaterThan(0);
      if (p.type === 'int' || p.type === 'float') expect(p.min, `${definition.type}.${p.name} has a minimum`).toBeDefined();
    }
  });

  it('have distinct types, the SMA cross first', () => {
    const types = BUILTIN_STRATEGIES.map((d) => d.type);
    expect(new Set(types).size).toBe(types.length);
    expect(types).toEqual(['sma-cross', 'ema-atr-trend', 'rsi-reversion', 'breakout', 'grid', 'ml-scored']);
  });
});
