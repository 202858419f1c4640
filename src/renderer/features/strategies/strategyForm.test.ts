import { describe, expect, it } from 'vitest';
import { createStrategyParams, NO_STRATEGY_LIMITS } from '../../../shared/contract';
import { EMPTY_LIMITS_TEXT, buildCreateParams, checkLimits, limitsText, paragraphs } from './strategyForm';

describe('checkLimits', () => {
  it('reads empty fields as no limit', () => {
    expect(checkLimits(EMPTY_LIMITS_TEXT)).toEqual({ ok: true, limits: NO_STRATEGY_LIMITS });
  });

  it('reads amounts as decimal strings and counts as whole numbers, forgiving separators and blanks', () => {
    expect(checkLimits({ maxPositionValue: ' 25,000 ', maxOpenOrders: '10', maxDailyLoss: '.5' })).toEqual({
      ok: true,
      limits: { maxPositionValue: '25000', maxOpenOrders: 10, maxDailyLoss: '0.5' },
    });
  });

  it('refuses zero, signs, fractions of orders and counts over the contract bound', () => {
    const r = checkLimits({ maxPositionValue: '0', maxOpenOrders: '2.5', maxDailyLoss: '-100' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.maxPositionValue).toMatch(/greater than zero/);
    expect(r.errors.maxOpenOrders).toMatch(/whole number from 1 to 10,000/);
    expect(r.errors.maxDailyLoss).toMatch(/positive/);
    expect(checkLimits({ ...EMPTY_LIMITS_TEXT, maxOpenOrders: '10001' }).ok).toBe(false);
    expect(checkLimits({ ...EMPTY_LIMITS_TEXT, maxOpenOrders: '0' }).ok).toBe(false);
  });

  it('round-trips limits through the form', () => {
    const limits = { maxPositionValue: '1500.5', maxOpenOrders: 4, maxDailyLoss: null };
    expect(checkLimits(limitsText(limits))).toEqual({ ok: true, limits });
  });
});

describe('buildCreateParams', () => {
  const fields = { type: 'sma-cross', name: '  ', venue: 'paper', symbol: 'BTC/USDT:USDT', timeframe: '1h' as const, resumeAfterRestart: true };

  it('leaves the name out when empty so the engine names the instance, and satisfies the contract', () => {
    const p = buildCreateParams(fields, { fast: 10 }, NO_STRATEGY_LIMITS);
    expect(p).not.toHaveProperty('name');
    expect(createStrategyParams.safeParse(p).success).toBe(true);
  });

  it('sends a trimmed name', () => {
    expect(buildCreateParams({ ...fields, name: ' Trend BTC ' }, {}, NO_STRATEGY_LIMITS).name).toBe('Trend BTC');
  });
});

describe('paragraphs', () => {
  it('splits an explanation at blank lines and drops empty ones', () => {
    expect(paragraphs('First line\ncontinues.\n\n  Second.  \n \n\nThird.')).toEqual(['First line\ncontinues.', 'Second.', 'Third.']);
    expect(paragraphs('')).toEqual([]);
  });
});
