import { describe, expect, it } from 'vitest';
import type { Instrument } from '../../shared/domain';
import { Dec } from '../../shared/decimal';
import {
  fmtShortSpan,
  fmtCompact,
  fmtDateTime,
  fmtDateTimeMs,
  fmtMoney,
  fmtNumber,
  fmtOrderSummary,
  fmtPercent,
  fmtPositionSummary,
  fmtPrice,
  fmtQty,
  fmtRealizedBreakdown,
  fmtSince,
  fmtSource,
  fmtTime,
  fmtTimeMs,
  group,
  inputPrice,
  inputQty,
  pnlClass,
} from './format';

const inst = { tickSize: '0.10', lotSize: '0.001' } as Instrument;

describe('format', () => {
  it('writes a span of time short, for a glance', () => {
    expect(fmtShortSpan(400)).toBe('0.4 s');
    expect(fmtShortSpan(45_000)).toBe('45 s');
    expect(fmtShortSpan(185_000)).toBe('3 min');
    expect(fmtShortSpan(2 * 3_600_000 + 5 * 60_000)).toBe('2 h 5 min');
    expect(fmtShortSpan(null)).toBe('—');
  });

  it('shows prices with tick decimals and quantities with lot decimals', () => {
    expect(fmtPrice('60000', inst)).toBe('60,000.0');
    expect(fmtPrice('60000.15', inst)).toBe('60,000.2');
    expect(fmtPrice('60000.25', inst)).toBe('60,000.2'); // half-even, as the ledger rounds
    expect(fmtQty('0.01', inst)).toBe('0.010');
    expect(fmtQty('12345.5', inst)).toBe('12,345.500');
    expect(fmtQty(null, inst)).toBe('—');
    expect(fmtPrice('not a number', inst)).toBe('—');
  });

  it('writes prices and quantities for inputs without separators', () => {
    expect(inputPrice('78000', inst)).toBe('78000.0');
    expect(inputQty(Dec.parse('1234.5'), inst)).toBe('1234.500');
  });

  it('shows money with two decimals, grouped, with an optional sign', () => {
    expect(fmtMoney('1234567.891')).toBe('1,234,567.89');
    expect(fmtMoney('77000000')).toBe('77,000,000.00');
    expect(fmtMoney('1234567.891', { grouped: false })).toBe('1234567.89');
    expect(fmtMoney('1234567.891', { grouped: true })).toBe('1,234,567.89');
    expect(fmtMoney('-1234.5', { grouped: true, signed: true })).toBe('-1,234.50');
    expect(fmtMoney('3', { signed: true })).toBe('+3.00');
    expect(fmtMoney('0.001', { signed: true })).toBe('0.00');
    expect(group('-1000')).toBe('-1,000');
    expect(group('1,000.5')).toBe('1,000.5');
  });

  it('never shows a negative zero, and colours by the sign of what is shown', () => {
    expect(fmtMoney('-0.001')).toBe('0.00');
    expect(fmtMoney('-0.001', { signed: true })).toBe('0.00');
    expect(fmtNumber(-0.0004, 3)).toBe('0.000');
    expect(fmtNumber(-0.0004, 4)).toBe('-0.0004');
    expect(fmtPercent(-0.001)).toBe('0.00%');
    expect(fmtPercent(0)).toBe('0.00%');
    expect(pnlClass('-0.001')).toBe('');
    expect(pnlClass('-0.01')).toBe('neg');
    expect(pnlClass('0.004')).toBe('');
    expect(pnlClass('0.005')).toBe(''); // half-even: shown as 0.00
    expect(pnlClass('0.015')).toBe('pos');
    expect(pnlClass(-0.0001, 2)).toBe('');
    expect(pnlClass(null)).toBe('');
  });

  it('formats floats and exact decimals alike', () => {
    expect(fmtNumber(5714, 1)).toBe('5,714.0');
    expect(fmtNumber(Dec.parse('5714'), 1)).toBe('5,714.0');
    expect(fmtNumber('1234.5', 0)).toBe('1,234');
    expect(fmtNumber(1.5, 2, { signed: true })).toBe('+1.50');
    expect(fmtNumber(Number.NaN, 2)).toBe('—');
  });

  it('writes volumes compactly, the same way in the header and the legend', () => {
    expect(fmtCompact(13_360)).toBe('13.36K');
    expect(fmtCompact('10884.31')).toBe('10.88K');
    expect(fmtCompact(2_500_000)).toBe('2.50M');
    expect(fmtCompact(0.85)).toBe('0.85');
    expect(fmtCompact(850.4)).toBe('850');
    expect(fmtCompact(null)).toBe('—');
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

describe('rows in words, for the names of their buttons', () => {
  const order = { venue: 'paper', side: 'buy' as const, quantity: '0.01', symbol: 'BTC/USDT:USDT', price: '78000', stopPrice: null };
  it('names an order by side, size, instrument, type and price', () => {
    expect(fmtOrderSummary({ ...order, type: 'limit' }, inst)).toBe('buy 0.010 BTC/USDT:USDT limit 78,000.0');
    expect(fmtOrderSummary({ ...order, type: 'market', price: null }, inst)).toBe('buy 0.010 BTC/USDT:USDT market');
    expect(fmtOrderSummary({ ...order, side: 'sell', type: 'stop', price: null, stopPrice: '77800' }, inst)).toBe('sell 0.010 BTC/USDT:USDT stop 77,800.0');
    expect(fmtOrderSummary({ ...order, type: 'stop_limit', stopPrice: '77900' }, inst)).toBe('buy 0.010 BTC/USDT:USDT stop limit 78,000.0 (stop 77,900.0)');
    expect(fmtOrderSummary({ ...order, type: 'limit' }, inst, { venue: true })).toBe('buy 0.010 BTC/USDT:USDT limit 78,000.0 on paper');
  });

  it('names a position by side, size and instrument', () => {
    expect(fmtPositionSummary({ venue: 'paper', side: 'long', quantity: '0.5', symbol: 'ETH/USDT:USDT' }, inst)).toBe('long 0.500 ETH/USDT:USDT');
  });
});
