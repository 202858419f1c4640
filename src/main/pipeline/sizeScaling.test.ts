import { describe, expect, it } from 'vitest';
import { breakout } from '../engine/strategies/catalog/breakout';
import { BUILTIN_STRATEGIES } from '../engine/strategies/catalog';
import { scaleSize } from './sizeScaling';

const byType = (type: string) => BUILTIN_STRATEGIES.find((d) => d.type === type)!;

describe('live size scaling', () => {
  it('multiplies the family\'s size parameter and leaves the others', () => {
    expect(scaleSize(breakout, { period: 20, fraction: 0.4, allowShort: true }, 0.25)).toEqual({ period: 20, fraction: 0.1, allowShort: true });
    expect(scaleSize(byType('grid'), { levels: 5, levelValue: 500 }, 0.5)).toMatchObject({ levels: 5, levelValue: 250 });
    expect(scaleSize(byType('ema-atr-trend'), { riskFraction: 0.02 }, 0.5)).toMatchObject({ riskFraction: 0.01 });
  });

  it('scales a default the card did not set', () => {
    expect(scaleSize(byType('rsi-reversion'), {}, 0.5)).toMatchObject({ fraction: 0.25 });
  });

  it('refuses an all-in strategy below full size, and a size under the parameter\'s minimum', () => {
    expect(() => scaleSize(byType('sma-cross'), { fast: 5, slow: 20 }, 0.25)).toThrow(/sma-cross has no size parameter to scale/);
    expect(scaleSize(byType('sma-cross'), { fast: 5, slow: 20 }, 1)).toEqual({ fast: 5, slow: 20 });
    expect(() => scaleSize(breakout, { fraction: 0.02 }, 0.25)).toThrow(/below its minimum 0.01/);
  });

  it('refuses a factor outside (0, 1]', () => {
    for (const factor of [0, -1, 1.5, Number.NaN]) expect(() => scaleSize(breakout, {}, factor)).toThrow(/size factor/);
  });
});
