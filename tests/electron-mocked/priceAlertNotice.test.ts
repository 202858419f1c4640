/** The desktop notification of a fired price alert: shown by the main process only while no Keel window is open, and it opens Keel. */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as fake from './fakeElectron';
import { EventBus } from '../../src/main/engine/bus';
import { silentLogger } from '../../src/main/engine/ports/logger';
import { describePriceAlert, installPriceAlertNotices } from '../../src/main/shell/priceAlertNotice';
import type { PriceAlert } from '../../src/shared/contract';

vi.mock('electron', () => import('./fakeElectron'));

beforeEach(() => fake.resetFakeElectron());

const fired: PriceAlert = {
  id: 'al-1',
  venue: 'paper',
  symbol: 'BTC/USDT:USDT',
  kind: 'cross',
  direction: 'up',
  price: '80000',
  percent: null,
  windowMinutes: null,
  note: 'breakout',
  status: 'triggered',
  createdAt: 1,
  triggeredAt: 2,
  triggerPrice: '80001.5',
  message: 'BTC/USDT:USDT rose to 80000 (last 80001.5)',
};

describe('price alert notices', () => {
  it('say what happened, with the note and the venue', () => {
    expect(describePriceAlert(fired)).toEqual({
      title: 'Keel: price alert, BTC/USDT:USDT',
      body: 'BTC/USDT:USDT rose to 80000 (last 80001.5) (breakout) on paper.',
      urgency: 'normal',
    });
  });

  it('are shown when no window is open (a window announces it itself), and stop when released', () => {
    const bus = new EventBus(silentLogger);
    let open = true;
    const focusWindow = vi.fn();
    const release = installPriceAlertNotices({ bus, windowOpen: () => open, focusWindow });
    bus.publish('alerts.price.triggered', fired);
    expect(fake.FakeNotification.instances).toHaveLength(0);
    open = false;
    bus.publish('alerts.price.triggered', fired);
    expect(fake.FakeNotification.instances).toHaveLength(1);
    const notice = fake.FakeNotification.instances[0]!;
    expect(notice.shown).toBe(true);
    notice.emit('click');
    expect(focusWindow).toHaveBeenCalledTimes(1);
    bus.publish('alerts.price.updated', { ...fired, status: 'active' });
    release();
    bus.publish('alerts.price.triggered', fired);
    expect(fake.FakeNotification.instances).toHaveLength(1);
  });
});
