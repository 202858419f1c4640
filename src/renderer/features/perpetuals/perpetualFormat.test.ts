import { describe, expect, it } from 'vitest';
import { fmtCountdown, fmtFundingRate, fmtMarginRatio, fmtRoe, marginRatioClass } from './perpetualFormat';

describe('perpetual figures on screen', () => {
  it('shows funding rates as signed percentages to four decimals', () => {
    expect(fmtFundingRate('0.0001')).toBe('+0.0100%');
    expect(fmtFundingRate('-0.00038192')).toBe('-0.0382%');
    expect(fmtFundingRate('0')).toBe('0.0000%');
    expect(fmtFundingRate('-0.0000001')).toBe('0.0000%');
    expect(fmtFundingRate(undefined)).toBe('—');
  });

  it('counts down to the next funding time and stops at zero', () => {
    const at = Date.UTC(2025, 0, 6, 16);
    expect(fmtCountdown(at, at - (3 * 3600 + 12 * 60 + 45) * 1000 - 300)).toBe('03:12:45');
    expect(fmtCountdown(at, at - 8 * 3600 * 1000)).toBe('08:00:00');
    expect(fmtCountdown(at, at + 5000)).toBe('00:00:00');
  });

  it('shows margin ratios as percentages, red at the warning level and amber past half of it', () => {
    expect(fmtMarginRatio('0.123456')).toBe('12.35%');
    expect(fmtMarginRatio(null)).toBe('—');
    expect(marginRatioClass('0.8', 80)).toBe('neg');
    expect(marginRatioClass('0.79', 80)).toBe('warn');
    expect(marginRatioClass('0.39', 80)).toBe('');
    expect(marginRatioClass(null, 80)).toBe('');
  });

  it('shows ROE as a signed percentage to two decimals', () => {
    expect(fmtRoe('-66.6667')).toBe('-66.67%');
    expect(fmtRoe('4.5')).toBe('+4.50%');
    expect(fmtRoe('-0.001')).toBe('0.00%');
  });
});
