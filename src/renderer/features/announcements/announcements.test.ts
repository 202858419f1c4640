import { describe, expect, it } from 'vitest';
import type { Fill, Order } from '../../../shared/domain';
import { BTC_PERP, RESTING_ORDER } from '../../../../tests/support/fixtures';
import { shouldNotifyDesktop } from '../../lib/desktopNotice';
import { alertAnnouncement, ANNOUNCED_ELSEWHERE, fillAnnouncement, gatherFill, priceAlertAnnouncement, triggerAnnouncement, type FillGroup } from './announcements';

const fill = (patch: Partial<Fill>): Fill => ({
  tradeId: 't1',
  orderId: 'o1',
  clientOrderId: 'c1',
  venue: 'paper',
  symbol: 'BTC/USDT:USDT',
  side: 'buy',
  quantity: '0.01',
  price: '78000',
  fee: '0.156',
  feeCurrency: 'USDT',
  liquidity: 'maker',
  realizedPnl: '0',
  timestamp: 1,
  ...patch,
});

const order = (patch: Partial<Order>): Order => ({ ...RESTING_ORDER, id: 'o1', symbol: 'BTC/USDT:USDT', ...patch });

describe('fill announcements', () => {
  it('tell one fill with its side, size, instrument, price, order type and liquidity', () => {
    const groups = new Map<string, FillGroup>();
    gatherFill(groups, fill({}));
    const a = fillAnnouncement(groups.get('o1')!, order({ type: 'limit', quantity: '0.01', filledQuantity: '0.01' }), BTC_PERP);
    expect(a).toMatchObject({ title: 'Filled: Buy 0.010 BTC/USDT:USDT', body: 'at 78,000.0 · limit, maker', tone: 'buy', tag: 'fill-t1' });
  });

  it('tell the fills of one order that arrive together once, at the average price', () => {
    const groups = new Map<string, FillGroup>();
    gatherFill(groups, fill({ tradeId: 't1', side: 'sell', quantity: '0.01', price: '78000', liquidity: 'taker' }));
    gatherFill(groups, fill({ tradeId: 't2', side: 'sell', quantity: '0.03', price: '78004', liquidity: 'taker' }));
    gatherFill(groups, fill({ tradeId: 't3', orderId: 'o2', quantity: '1', price: '3000', symbol: 'ETH/USDT:USDT' }));
    expect(groups.size).toBe(2);
    const a = fillAnnouncement(groups.get('o1')!, order({ type: 'market', side: 'sell', quantity: '0.04', filledQuantity: '0.04' }), BTC_PERP);
    expect(a.title).toBe('Filled: Sell 0.040 BTC/USDT:USDT');
    expect(a.body).toBe('at 78,003.0 · market, taker');
    expect(a.tone).toBe('sell');
  });

  it('say "partly filled" while the order still works, and do without the order when it is not known yet', () => {
    const groups = new Map<string, FillGroup>();
    gatherFill(groups, fill({ quantity: '0.004' }));
    expect(fillAnnouncement(groups.get('o1')!, order({ quantity: '0.01', filledQuantity: '0.004' }), BTC_PERP).title).toBe(
      'Partly filled: Buy 0.004 BTC/USDT:USDT',
    );
    expect(fillAnnouncement(groups.get('o1')!, undefined, BTC_PERP).body).toBe('at 78,000.0 · maker');
  });

  it('ignore a fill whose numbers do not read', () => {
    const groups = new Map<string, FillGroup>();
    gatherFill(groups, fill({ quantity: 'x' }));
    expect(groups.size).toBe(0);
  });
});

describe('trigger announcements', () => {
  it('say which stop triggered and what it became', () => {
    const stop = triggerAnnouncement(order({ id: 's1', type: 'stop', side: 'sell', price: null, stopPrice: '77800', quantity: '0.01' }), BTC_PERP);
    expect(stop).toMatchObject({ title: 'Stop triggered: Sell 0.010 BTC/USDT:USDT', body: 'stop 77,800.0 · now a market order', tone: 'trigger', tag: 'trigger-s1' });
    const stopLimit = triggerAnnouncement(order({ type: 'stop_limit', price: '77750', stopPrice: '77800' }), BTC_PERP);
    expect(stopLimit.body).toBe('stop 77,800.0 · now a limit order at 77,750.0');
  });
});

describe('desktop notifications', () => {
  it('go out only when asked for, allowed by the system, and the window is not focused', () => {
    expect(shouldNotifyDesktop(true, 'granted', false)).toBe(true);
    expect(shouldNotifyDesktop(true, 'granted', true)).toBe(false);
    expect(shouldNotifyDesktop(false, 'granted', false)).toBe(false);
    expect(shouldNotifyDesktop(true, 'denied', false)).toBe(false);
    expect(shouldNotifyDesktop(true, 'unsupported', false)).toBe(false);
  });
});

describe('alert announcements', () => {
  it('tell a fired price alert like its toast always read, with the alert tone', () => {
    const a = priceAlertAnnouncement({
      id: 'pa1', venue: 'paper', symbol: 'BTC/USDT:USDT', kind: 'cross', direction: 'up', price: '80000', percent: null, windowMinutes: null,
      note: 'wake up', status: 'triggered', createdAt: 1, triggeredAt: 2, triggerPrice: '80000.5', message: 'BTC/USDT:USDT rose to 80000 (last 80000.5)',
    });
    expect(a).toEqual({ title: 'Price alert: BTC/USDT:USDT rose to 80000 (last 80000.5) — wake up', body: '', tone: 'alert', tag: 'price-alert-pa1', kind: 'info' });
  });

  it('tell any other alert by its title and body, a critical one as an error', () => {
    const record = {
      id: 7, kind: 'emergencyStop', severity: 'critical', title: 'Emergency stop (button): trading halted', body: '2 orders canceled.',
      venue: null, symbol: null, subjectId: 'e1', raisedAt: 1, read: false, channels: { desktop: true, sound: true, email: true },
    } as const;
    expect(alertAnnouncement(record)).toEqual({ title: record.title, body: record.body, tone: 'alert', tag: 'alert-7', kind: 'error' });
    expect(alertAnnouncement({ ...record, severity: 'warning' }).kind).toBe('info');
    expect([...ANNOUNCED_ELSEWHERE].sort()).toEqual(['fill', 'priceAlert']);
  });
});
