import { describe, expect, it } from 'vitest';
import type { EventPayload } from '../../shared/contract';
import type { StateChange } from '../../shared/risk';
import { EventBus } from '../engine/bus';
import { silentLogger } from '../engine/ports/logger';
import type { AlertInput } from './alertSink';
import { installAlertSources } from './installAlertSources';
import { shownByShell } from '../shell/emergencyControl';

function setup(emergencyShownByShell?: (trigger: string) => boolean) {
  const bus = new EventBus(silentLogger);
  const raised: AlertInput[] = [];
  let change: StateChange | undefined;
  const off = installAlertSources(bus, { raise: (a) => raised.push(a) }, { lastStateChange: () => change, ...(emergencyShownByShell ? { emergencyShownByShell } : {}) });
  return { bus, raised, off, setChange: (c: StateChange) => (change = c) };
}

const fill = (over: Partial<EventPayload<'fills.new'>> = {}): EventPayload<'fills.new'> => ({
  tradeId: 't1',
  orderId: 'o1',
  clientOrderId: 'c1',
  venue: 'paper',
  symbol: 'BTC/USDT:USDT',
  side: 'buy',
  quantity: '0.01',
  price: '100',
  fee: '0.05',
  feeCurrency: 'USDT',
  liquidity: 'taker',
  realizedPnl: '0',
  timestamp: 1,
  ...over,
});

const denied = (source: EventPayload<'orders.denied'>['source'], sourceId: string | null): EventPayload<'orders.denied'> => ({
  venue: 'paper',
  symbol: 'BTC/USDT:USDT',
  side: 'sell',
  type: 'market',
  quantity: '1',
  price: null,
  source,
  sourceId,
  check: 'order-limits',
  code: 'RISK_REJECTED',
  limit: 'maxOrderNotional',
  message: 'Order value 90000 is above the limit 50000',
  timestamp: 1,
});

const strategy = (status: EventPayload<'strategies.updated'>['status'], reason: string | null = null) =>
  ({ id: 's1', type: 'sma-cross', name: 'Trend BTC', venue: 'paper', symbol: 'BTC/USDT:USDT', status, statusReason: reason }) as EventPayload<'strategies.updated'>;

const report = (id: string, ok: boolean, items: Array<{ kind: string; resolution: unknown; detail: string }>) =>
  ({ id, venue: 'binance', ok, reason: ok ? null : 'positions differ', items }) as unknown as EventPayload<'reconciliation.updated'>;

const health = (state: EventPayload<'system.health'>['venues'][number]['state'], reason: string | null = null): EventPayload<'system.health'> => ({
  venues: [{ venue: 'binance', state, reason, paper: false }],
  eventLoopLagMs: 0,
});

describe('the alert sources', () => {
  it('raise a fill, but leave a liquidation fill to the liquidation alert', () => {
    const { bus, raised } = setup();
    bus.publish('fills.new', fill());
    bus.publish('fills.new', fill({ tradeId: 't2', liquidation: true }));
    expect(raised).toEqual([
      { kind: 'fill', severity: 'info', title: 'Filled: Buy 0.01 BTC/USDT:USDT', body: 'At 100 on paper (taker); fee 0.05 USDT.', venue: 'paper', symbol: 'BTC/USDT:USDT', subjectId: 'o1' },
    ]);
  });

  it("raise a risk refusal of a strategy's or an API client's order, not of the trader's own", () => {
    const { bus, raised } = setup();
    bus.publish('orders.denied', denied('manual', null));
    bus.publish('orders.denied', denied('strategy', 's1'));
    bus.publish('orders.denied', denied('api', null));
    expect(raised.map((a) => [a.kind, a.severity, a.title, a.subjectId])).toEqual([
      ['riskBreach', 'warning', 'Order refused: Sell 1 BTC/USDT:USDT (strategy s1)', 's1'],
      ['riskBreach', 'warning', 'Order refused: Sell 1 BTC/USDT:USDT (api)', undefined],
    ]);
    expect(raised[0]!.body).toBe('Order value 90000 is above the limit 50000 (check: order-limits, limit: maxOrderNotional).');
  });

  it('raise a halt or reduction a limit caused, not one the trader or the emergency stop made', async () => {
    const { bus, raised, setChange } = setup();
    const publishWith = async (to: 'HALTED' | 'REDUCING', source: StateChange['source'], at: number) => {
      bus.publish('risk.state', { state: to, reason: 'Daily loss 5.2% is past the limit 5%', since: at });
      // The governor journals the change just after announcing it.
      setChange({ from: 'ACTIVE', to, reason: 'Daily loss 5.2% is past the limit 5%', source, at });
      await Promise.resolve();
    };
    await publishWith('HALTED', 'manual', 1);
    await publishWith('HALTED', 'emergency', 2);
    await publishWith('REDUCING', 'limit', 3);
    await publishWith('HALTED', 'limit', 4);
    expect(raised.map((a) => [a.kind, a.severity, a.title])).toEqual([
      ['riskBreach', 'warning', 'Trading reduced to closing positions'],
      ['riskBreach', 'critical', 'Trading halted by a risk limit'],
    ]);
  });

  it('raise the emergency stop with what it could not confirm', () => {
    const { bus, raised } = setup();
    bus.publish('emergency.report', {
      id: 'e1',
      trigger: 'button',
      flatten: true,
      startedAt: 1,
      haltedAt: 1,
      cancelsConfirmedAt: null,
      flatAt: null,
      finishedAt: 2,
      ordersCanceled: 3,
      positionsClosed: 1,
      unconfirmed: [{ kind: 'cancel', venue: 'binance', target: 'o9', reason: 'timeout' }],
      complete: false,
    });
    expect(raised[0]).toEqual({
      kind: 'emergencyStop',
      severity: 'critical',
      title: 'Emergency stop (button): trading halted',
      body: '3 orders canceled, 1 position closed. Not confirmed: cancel o9 on binance (timeout). Trading stays halted until you re-arm.',
      subjectId: 'e1',
    });
  });

  it('mark a stop the desktop shell told by its own notice, so the alert shows no second one', () => {
    const { bus, raised } = setup(shownByShell);
    const report = (id: string, trigger: string): EventPayload<'emergency.report'> => ({
      id,
      trigger,
      flatten: false,
      startedAt: 1,
      haltedAt: 1,
      cancelsConfirmedAt: 2,
      flatAt: null,
      finishedAt: 2,
      ordersCanceled: 0,
      positionsClosed: 0,
      unconfirmed: [],
      complete: true,
    });
    for (const [id, trigger] of [['e1', 'hotkey'], ['e2', 'tray'], ['e3', 'menu'], ['e4', 'button'], ['e5', 'api']]) bus.publish('emergency.report', report(id!, trigger!));
    expect(raised.map((a) => [a.subjectId, a.desktopShown ?? false])).toEqual([
      ['e1', true],
      ['e2', true],
      ['e3', true],
      ['e4', false],
      ['e5', false],
    ]);
  });

  it('raise a strategy error once, when it enters the error state', () => {
    const { bus, raised } = setup();
    bus.publish('strategies.updated', strategy('running'));
    bus.publish('strategies.updated', strategy('error', 'onBar threw: division by zero'));
    bus.publish('strategies.updated', strategy('error', 'onBar threw: division by zero'));
    bus.publish('strategies.updated', strategy('stopped'));
    expect(raised.map((a) => [a.kind, a.title, a.body])).toEqual([['strategyError', 'Strategy Trend BTC stopped on an error', 'onBar threw: division by zero (sma-cross on BTC/USDT:USDT, paper).']]);
  });

  it('raise a reconciliation with open differences once per report', () => {
    const { bus, raised } = setup();
    bus.publish('reconciliation.updated', report('r1', true, [{ kind: 'matched', resolution: null, detail: 'ok' }]));
    const open = [
      { kind: 'quantity_mismatch', resolution: null, detail: 'BTC position: Keel 0.02, venue 0.01.' },
      { kind: 'external_order', resolution: { action: 'adopt', note: null, at: 1 }, detail: 'resolved' },
    ];
    bus.publish('reconciliation.updated', report('r2', false, open));
    bus.publish('reconciliation.updated', report('r2', false, open));
    expect(raised.map((a) => [a.kind, a.severity, a.title, a.body])).toEqual([
      ['reconciliation', 'critical', 'Reconciliation of binance: 1 difference, venue blocked', 'The venue stays blocked: positions differ. BTC position: Keel 0.02, venue 0.01.'],
    ]);
  });

  it('raise a venue lost, and back, on changes only', () => {
    const { bus, raised } = setup();
    bus.publish('system.health', health('ready'));
    bus.publish('system.health', health('disconnected', 'WebSocket closed (1006)'));
    bus.publish('system.health', health('disconnected', 'WebSocket closed (1006)'));
    bus.publish('system.health', health('reconciling'));
    bus.publish('system.health', health('ready'));
    expect(raised.map((a) => [a.severity, a.title])).toEqual([
      ['critical', 'Venue binance disconnected'],
      ['info', 'Venue binance is back'],
    ]);
  });

  it('raise margin warnings, liquidations and price alerts', () => {
    const { bus, raised } = setup();
    const margin = { venue: 'paper', symbol: 'BTC/USDT:USDT', side: 'long', marginMode: 'isolated', marginRatio: '0.8', levelPercent: 80, liquidationPrice: '70000', price: null, message: 'Margin ratio 80%', timestamp: 1 } as const;
    bus.publish('positions.marginAlert', { ...margin, kind: 'warning' });
    bus.publish('positions.marginAlert', { ...margin, kind: 'liquidated', marginRatio: null, price: '69990', message: 'Liquidated at 69990' });
    bus.publish('alerts.price.triggered', {
      id: 'pa1', venue: 'paper', symbol: 'ETH/USDT:USDT', kind: 'cross', direction: 'up', price: '4000', percent: null, windowMinutes: null,
      note: 'breakout', status: 'triggered', createdAt: 1, triggeredAt: 2, triggerPrice: '4000.5', message: 'ETH/USDT:USDT rose to 4000',
    });
    expect(raised.map((a) => [a.kind, a.severity, a.title, a.body])).toEqual([
      ['marginWarning', 'warning', 'Margin warning: long BTC/USDT:USDT on paper', 'Margin ratio 80%'],
      ['liquidation', 'critical', 'Liquidated: long BTC/USDT:USDT on paper', 'Liquidated at 69990'],
      ['priceAlert', 'info', 'Price alert: ETH/USDT:USDT', 'ETH/USDT:USDT rose to 4000 (breakout)'],
    ]);
  });

  it('stop raising once removed', () => {
    const { bus, raised, off } = setup();
    off();
    bus.publish('fills.new', fill());
    expect(raised).toEqual([]);
  });
});
