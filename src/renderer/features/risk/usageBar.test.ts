import { describe, expect, it } from 'vitest';
import { fmtAmount, usageBar, usageLevel } from './usageBar';

const entry = (ratio: number, used = '0', max = '1', unit = 'USDT') => ({ ratio, used, max, unit });

describe('usageLevel', () => {
  it('is amber only above 80% and red from 100%', () => {
    expect(usageLevel(0)).toBe('ok');
    expect(usageLevel(0.8)).toBe('ok');
    expect(usageLevel(0.8001)).toBe('warn');
    expect(usageLevel(0.999)).toBe('warn');
    expect(usageLevel(1)).toBe('breach');
    expect(usageLevel(3.2)).toBe('breach');
    expect(usageLevel(Infinity)).toBe('breach');
    expect(usageLevel(NaN)).toBe('ok');
  });
});

describe('usageBar', () => {
  it('maps the ratio to a width capped at 100 and says the real percentage', () => {
    expect(usageBar(entry(0.25))).toMatchObject({ widthPercent: 25, percentText: '25%', level: 'ok' });
    expect(usageBar(entry(0.9))).toMatchObject({ widthPercent: 90, level: 'warn' });
    expect(usageBar(entry(1.5))).toMatchObject({ widthPercent: 100, percentText: '150%', level: 'breach' });
    expect(usageBar(entry(-0.2))).toMatchObject({ widthPercent: 0, percentText: '0%', level: 'ok' });
  });

  it('writes used and max with the unit, grouped, without float noise', () => {
    expect(usageBar(entry(0.64, '6400.5', '10000', 'USDT')).valueText).toBe('6,400.5 / 10,000 USDT');
    expect(usageBar(entry(0.3, '1.5', '5', '%')).valueText).toBe('1.5 / 5%');
    expect(usageBar(entry(0.5, '3', '6', 'orders')).valueText).toBe('3 / 6 orders');
    expect(usageBar(entry(0.5, '0.0015', '0.003', 'BTC')).valueText).toBe('0.0015 / 0.003 BTC');
  });
});

describe('fmtAmount', () => {
  it('rounds large values to cents and keeps small ones exact', () => {
    expect(fmtAmount('12345.678')).toBe('12,345.68');
    expect(fmtAmount('0.00012345')).toBe('0.00012345');
    expect(fmtAmount('not a number')).toBe('not a number');
  });
});
