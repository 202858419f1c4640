import { describe, expect, it } from 'vitest';
import type { PriceAlert } from '../../shared/contract';
import { foldPriceAlerts } from './alerts';

const alert = (id: string, createdAt: number, status: PriceAlert['status'] = 'active'): PriceAlert => ({
  id,
  venue: 'paper',
  symbol: 'BTC/USDT:USDT',
  kind: 'cross',
  direction: 'up',
  price: '80000',
  percent: null,
  windowMinutes: null,
  note: '',
  status,
  createdAt,
  triggeredAt: status === 'triggered' ? createdAt + 1 : null,
  triggerPrice: status === 'triggered' ? '80001' : null,
  message: status === 'triggered' ? 'fired' : null,
});

describe('price alerts in the store', () => {
  it('adds, triggers and removes alerts from events, newest first', () => {
    const start = [alert('a', 1)];
    const next = foldPriceAlerts(start, [
      { topic: 'alerts.price.updated', data: alert('b', 2) },
      { topic: 'alerts.price.triggered', data: alert('a', 1, 'triggered') },
      { topic: 'alerts.price.updated', data: alert('c', 3) },
      { topic: 'alerts.price.removed', data: { id: 'c' } },
    ]);
    expect(next.map((a) => `${a.id}:${a.status}`)).toEqual(['b:active', 'a:triggered']);
    expect(foldPriceAlerts(start, [])).toBe(start);
  });

  it('never turns a triggered alert back to active', () => {
    const next = foldPriceAlerts([alert('a', 1, 'triggered')], [{ topic: 'alerts.price.updated', data: alert('a', 1) }]);
    expect(next[0]!.status).toBe('triggered');
  });
});
