import { describe, expect, it } from 'vitest';
import type { Instrument } from '../../shared/domain';
import { fmtDateTime, fmtDateTimeMs, fmtMoney, fmtPercent, fmtPrice, fmtQty, fmtRealizedBreakdown, fmtSince, fmtSource, fmtTime, fmtTimeMs, group } from './format';

const inst = { tickSize: '0.10', lotSize: '0.001' } as Instrument;

describe('format', () => {
  it('shows prices with tick decimals and quantities with lot decimals', () => {
    expect(fmtPrice('60000', inst)).toBe('60000.0');
    expect(fmtPrice('60000.15', inst)).toBe('60000.2');
    expect(fmtQty('0.01', inst)).toBe('0.010');
    expect(fmtQty(null, inst)).toBe('—');
  });

  it('shows money with two decimals, optional sign and grouping', () => {
    expect(fmtMoney('1234567.891')).toBe('1234567.89');
    expect(fmtMoney('1234567.891', { grouped: true })).toBe('1,234,567.89');
    expect(fmtMoney('-1234.5', { grouped: true, signed: true })).toBe('-1,234.50');
    expect(fmtMoney('3', { signed: true })).toBe('+3.00');
    expect(fmtMoney('0.001', { signed: true })).toBe('0.00');
    expect(group('-1000')).toBe('-1,000');
  });

  it('formats percent and local time', () => {
    expect(fmtPercent(1.234)).toBe('+1.23%');
    expect(fmtPercent(-0.5)).toBe('-0.50%');
    expect(fmtTime(new Date(2024, 0, 2, 3, 4, 5).getTime())).toBe('03:04:05');
    expect(fmtTimeMs(new Date(2024, 0, 2, 3, 4, 5, 7).getTime())).toBe('03:04:05.007');
    expect(fmtDateTimeMs(new Date(2024, 0, 2, 3, 4, 5, 120).getTime())).toBe('2024-01-02 03:04:05.120');
  });

  it('writes "since" as a time today and with the date before today', () => {
    const now = new Date(2026, 10, 21, 15, 0, 0).getTime();
    const earlier = new Date(2026, 10, 21, 9, 5, 7).getTime();
    const yesterday = new Date(2026, 10, 20, 23, 59, 0).getTime();
    expect(fmtSince(earlier, now)).toBe('09:05:07');
    expect(fmtSince(yesterday, now)).toBe(fmtDateTime(yesterday));
    expect(fmtSince(yesterday, now)).toMatch(/^2026-11-20 23:59:00$/);
  });
});

describe('order source and realized PnL', () => {
  it('names who sent an order, with the client name when it gave one', () => {
    expect(fmtSource({ source: 'api', sourceId: 'mybot' })).toBe('API · mybot');
    expect(fmtSource({ source: 'api', sourceId: null })).toBe('API');
    expect(fmtSource({ source: 'manual', sourceId: null })).toBe('Manual');
  });

  it('breaks net realized PnL into gross and fees', () => {
    expect(fmtRealizedBreakdown({ realizedPnlGross: '1.09', feesPaid: '1.5709' })).toBe('Gross +1.09 · fees 1.57');
    expect(fmtRealizedBreakdown({ realizedPnlGross: '-1234.5', feesPaid: '0' })).toBe('Gross -1,234.50 · fees 0.00');
    expect(fmtRealizedBreakdown({ realizedPnlGross: '1.09', feesPaid: '1.5709', funding: '-0.0375' })).toBe('Gross +1.09 · fees 1.57 · funding -0.0375');
  });
});
