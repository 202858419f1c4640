import { describe, expect, it, vi } from 'vitest';
import { methods, type MethodName } from '../../shared/contract';
import { KeelError } from '../../shared/errors';
import { EventBus } from '../engine/bus';
import { Dispatcher, MAX_REPORTED_ISSUES } from './dispatcher';
import type { Handlers } from './handlers';

/** Params that each method must refuse: wrong types, missing fields, unknown fields. */
const invalidParams: Record<MethodName, unknown[]> = {
  'system.info': [{ extra: 1 }, 'text'],
  'system.metrics': [{ extra: 1 }, 'text'],
  'system.health': [{ since: 0 }, 7],
  'market.instruments': [{ venue: 'NOT A VENUE' }, { venue: 3 }],
  'market.candles': [
    { venue: 'paper', symbol: 'BTC/USDT:USDT' },
    { venue: 'paper', symbol: 'BTC/USDT:USDT', timeframe: '2m' },
    { venue: 'paper', symbol: 'btc', timeframe: '1m' },
    { venue: 'paper', symbol: 'BTC/USDT:USDT', timeframe: '1m', limit: 0 },
    { venue: 'paper', symbol: 'BTC/USDT:USDT', timeframe: '1m', limit: 1.5 },
  ],
  'market.ticker': [{ venue: 'paper' }, { symbol: 'BTC/USDT:USDT' }],
  'market.tickers': [{ venue: '' }],
  'market.orderBook': [{ venue: 'paper', symbol: 'BTC/USDT:USDT', depth: 1000 }],
  'market.trades': [{ venue: 'paper' }, { venue: 'paper', symbol: 'BTC/USDT:USDT', limit: 501 }, { venue: 'paper', symbol: 'BTC/USDT:USDT', limit: 0 }],
  'orders.place': [
    {},
    { venue: 'paper', symbol: 'BTC/USDT:USDT', side: 'buy', type: 'market', quantity: '-1' },
    { venue: 'paper', symbol: 'BTC/USDT:USDT', side: 'buy', type: 'market', quantity: '0' },
    { venue: 'paper', symbol: 'BTC/USDT:USDT', side: 'buy', type: 'market', quantity: 'abc' },
    { venue: 'paper', symbol: 'BTC/USDT:USDT', side: 'buy', type: 'market', quantity: 1 },
    { venue: 'paper', symbol: 'BTC/USDT:USDT', side: 'hold', type: 'market', quantity: '1' },
    { venue: 'paper', symbol: 'BTC/USDT:USDT', side: 'buy', type: 'iceberg', quantity: '1' },
    { venue: 'paper', symbol: 'BTC/USDT:USDT', side: 'buy', type: 'limit', quantity: '1' },
    { venue: 'paper', symbol: 'BTC/USDT:USDT', side: 'buy', type: 'market', quantity: '1', price: '5' },
    { venue: 'paper', symbol: 'BTC/USDT:USDT', side: 'buy', type: 'stop', quantity: '1' },
    { venue: 'paper', symbol: 'BTC/USDT:USDT', side: 'buy', type: 'stop_limit', quantity: '1', stopPrice: '5' },
    { venue: 'paper', symbol: 'BTC/USDT:USDT', side: 'buy', type: 'market', quantity: '1', postOnly: true },
    { venue: 'paper', symbol: 'BTC/USDT:USDT', side: 'buy', type: 'limit', quantity: '1', price: '5', postOnly: true, timeInForce: 'IOC' },
    { venue: 'paper', symbol: 'BTC/USDT:USDT', side: 'buy', type: 'limit', quantity: '1', price: '5', timeInForce: 'DAY' },
    { venue: 'paper', symbol: 'BTC/USDT:USDT', side: 'buy', type: 'market', quantity: '1', clientOrderId: 'has spaces' },
    { venue: 'paper', symbol: 'BTC/USDT:USDT', side: 'buy', type: 'market', quantity: '1', leverage: 5 },
    { venue: 'paper', symbol: 'BTC/USDT:USDT', side: 'sell', type: 'trailing_stop', quantity: '1' },
    { venue: 'paper', symbol: 'BTC/USDT:USDT', side: 'sell', type: 'trailing_stop', quantity: '1', trailing: { distance: '5', percent: '1' } },
    { venue: 'paper', symbol: 'BTC/USDT:USDT', side: 'sell', type: 'trailing_stop', quantity: '1', trailing: { percent: '100' } },
    { venue: 'paper', symbol: 'BTC/USDT:USDT', side: 'buy', type: 'limit', quantity: '1', price: '5', trailing: { distance: '5' } },
    { venue: 'paper', symbol: 'BTC/USDT:USDT', side: 'buy', type: 'take_profit', quantity: '1' },
    { venue: 'paper', symbol: 'BTC/USDT:USDT', side: 'buy', type: 'limit', quantity: '1', price: '5', takeProfit: { price: '6' } },
    { venue: 'paper', symbol: 'BTC/USDT:USDT', side: 'buy', type: 'limit', quantity: '1', price: '5', reduceOnly: true, stopLoss: { triggerPrice: '4' } },
    { venue: 'paper', symbol: 'BTC/USDT:USDT', side: 'buy', type: 'trailing_stop', quantity: '1', trailing: { distance: '5' }, takeProfit: { triggerPrice: '6' } },
    { venue: 'paper', symbol: 'BTC/USDT:USDT', side: 'sell', type: 'market', quantity: '1', oco: { type: 'stop', stopPrice: '4' } },
    { venue: 'paper', symbol: 'BTC/USDT:USDT', side: 'sell', type: 'limit', quantity: '1', price: '6', oco: { type: 'stop' } },
    { venue: 'paper', symbol: 'BTC/USDT:USDT', side: 'sell', type: 'limit', quantity: '1', price: '6', oco: { type: 'market' } },
  ],
  'orders.amend': [{}, { orderId: 'o-1' }, { orderId: 'o-1', price: '0' }, { orderId: 'o-1', quantity: '-1' }, { orderId: 'o-1', trailing: { distance: '1' } }],
  'orders.get': [{}, { orderId: '' }, { clientOrderId: 'has spaces' }, { orderId: 'a', clientOrderId: 'b' }, { orderId: 'x'.repeat(65) }],
  'orders.events': [{}, { orderId: '' }, { orderId: 'x'.repeat(65) }, { orderId: 'a', extra: 1 }],
  'orders.cancel': [{}, { orderId: '' }, { orderId: 5 }],
  'orders.cancelAll': [{ venue: 1 }, { symbol: 'nope' }, { source: 'robot' }, { sourceId: '' }, { sourceId: 'x'.repeat(65) }],
  'orders.list': [{ status: 'closed' }, { limit: -1 }, { limit: 10_001 }, { cursor: '' }, { cursor: 'not a cursor!' }],
  'fills.list': [{ limit: 'ten' }, { cursor: 7 }],
  'positions.list': [{ venue: 'paper' }],
  'positions.close': [{ venue: 'paper' }, {}],
  'positions.closeAll': [{ venue: 'NOT A VENUE' }, { symbol: 'BTC/USDT:USDT' }],
  'account.summary': [{ venue: 7 }],
  'account.reset': [{ balance: '-5' }, { balance: 'lots' }],
  'account.setLeverage': [{ venue: 'paper', symbol: 'BTC/USDT:USDT', leverage: 0 }, { venue: 'paper', symbol: 'BTC/USDT:USDT', leverage: 2.5 }],
  'account.setMarginMode': [{ venue: 'paper', symbol: 'BTC/USDT:USDT', mode: 'hedge' }, { venue: 'paper', symbol: 'BTC/USDT:USDT' }],
  'account.ledgerEntries': [{ limit: 0 }, { venue: 'paper', limit: 5001 }, { kind: 'funding' }],
  'activity.list': [{ limit: 0 }],
  'risk.status': [{ venue: 'paper' }],
  'risk.limits.get': [{ venue: '!' }],
  'risk.limits.set': [
    {},
    { config: { venue: 'paper' } },
    {
      config: {
        venue: 'paper',
        profile: 'x',
        account: { maxOrderNotional: '-1', maxPositionNotional: null, maxOpenOrders: null, maxOrdersPerSecond: null, maxOrdersPerMinute: null, priceBandPercent: null, dailyLossPercent: null, dailyLossAmount: null, maxDrawdownPercent: null },
        instruments: {},
        breachAction: 'REDUCING',
        dailyReset: { time: '00:00', timeZone: 'UTC' },
      },
    },
    {
      config: {
        venue: 'paper',
        profile: 'x',
        account: { maxOrderNotional: null, maxPositionNotional: null, maxOpenOrders: null, maxOrdersPerSecond: null, maxOrdersPerMinute: null, priceBandPercent: '150', dailyLossPercent: null, dailyLossAmount: null, maxDrawdownPercent: null },
        instruments: {},
        breachAction: 'REDUCING',
        dailyReset: { time: '25:00', timeZone: 'Mars/Olympus' },
      },
    },
  ],
  'risk.profiles.list': [{ all: true }],
  'risk.state.set': [{ state: 'ACTIVE' }, { state: 'HALTED', reason: '' }, {}],
  'emergency.stop': [{}, { flatten: 'yes' }, { flatten: true, trigger: 'os-hotkey' }],
  'emergency.rearm': [{}, { confirm: false }, { confirm: 'true' }],
  'emergency.reports': [{ limit: 0 }],
  'settings.get': [{ key: 'x' }],
  'settings.set': [{}, { settings: { emergencyHotkey: 5 } }, { settings: { volume: 11 } }],
  'hotkey.status': [{ x: 1 }],
  'paper.faults.set': [{ cancelFailureRate: 1.5 }, { latencyMs: -1 }, { orderFailureRate: 'high' }],
  'reconciliation.run': [{}, { venue: 'NOT A VENUE' }, { venue: 'paper', extra: true }],
  'reconciliation.latest': [{}, { venue: 7 }],
  'reconciliation.resolve': [{ venue: 'paper' }, { venue: 'paper', itemId: 'i', action: 'ignore' }, { venue: 'paper', itemId: '', action: 'accept' }, { venue: 'paper', itemId: 'i', action: 'accept', note: 'x'.repeat(501) }],
  'reconciliation.audit': [{}, { venue: 'paper', limit: 0 }, { venue: 'paper', limit: 1001 }],
  'events.subscribe': [{ topics: [] }, {}],
  'strategies.catalog': [{ extra: 1 }],
  'strategies.list': [{ extra: 1 }],
  'strategies.create': [
    {},
    { type: 'sma-cross', venue: 'paper', symbol: 'BTC/USDT:USDT', timeframe: '2m', params: {} },
    { type: 'SMA CROSS', venue: 'paper', symbol: 'BTC/USDT:USDT', timeframe: '1m', params: {} },
    { type: 'sma-cross', venue: 'paper', symbol: 'BTC/USDT:USDT', timeframe: '1m', params: { fast: [1] } },
    { type: 'sma-cross', venue: 'paper', symbol: 'BTC/USDT:USDT', timeframe: '1m', params: {}, limits: { maxOpenOrders: 0, maxPositionValue: null, maxDailyLoss: null } },
    { type: 'sma-cross', venue: 'paper', symbol: 'BTC/USDT:USDT', timeframe: '1m', params: {}, limits: { maxOpenOrders: null, maxPositionValue: '-5', maxDailyLoss: null } },
  ],
  'strategies.update': [{}, { id: 'has spaces' }, { id: 's-1', params: { fast: {} } }],
  'strategies.start': [{}, { id: '' }],
  'strategies.pause': [{}, { id: 3 }],
  'strategies.resume': [{ id: 'x'.repeat(65) }],
  'strategies.stop': [{}, { id: 's-1', flatten: 'yes' }],
  'strategies.delete': [{}, { id: 's 1' }],
  'datasets.import': [{}, { name: 'x', csv: '' }, { name: '', csv: 'a' }, { name: 'x', csv: 3 }],
  'datasets.list': [{ extra: true }],
  'datasets.delete': [{}, { id: '../etc' }],
  'backtests.run': [
    {},
    { strategy: { type: 'sma-cross', params: {} }, data: {} },
    { strategy: { type: 'sma-cross', params: {} }, data: { dataset: 'd-1' }, settings: { cash: -1 } },
    { strategy: { type: 'sma-cross', params: {} }, data: { dataset: 'd-1' }, settings: { margin: 0 } },
    { strategy: { type: 'sma-cross', params: {} }, data: { dataset: 'd-1' }, settings: { commission: 0.5 } },
    { strategy: { type: 'sma-cross', params: {} }, data: { dataset: 'd-1' }, settings: { fillModel: 'magic' } },
  ],
  'backtests.get': [{}, { id: '' }, { id: 'b1', equityPoints: 99 }, { id: 'b1', equityPoints: 1.5 }, { id: 'b1', equityPoints: 2_000_000 }],
  'backtests.list': [{ extra: 1 }],
  'backtests.cancel': [{}],
  'backtests.delete': [{ id: 'a b' }],
  'backtests.optimize': [
    {},
    { strategy: { type: 'sma-cross' }, data: { dataset: 'd-1' } },
    { strategy: { type: 'sma-cross', grid: { fast: [5] }, space: { slow: { min: 1, max: 2 } } }, data: { dataset: 'd-1' } },
    { strategy: { type: 'sma-cross', grid: { fast: [5] } }, data: { dataset: 'd-1' }, method: 'anneal' },
  ],
  'datasets.uploadPart': [
    {},
    { uploadId: 'short', index: 0, part: 'a' },
    { uploadId: 'upload-0001', index: -1, part: 'a' },
    { uploadId: 'upload-0001', index: 0, part: '' },
    { uploadId: 'upload-0001', index: 0, part: 'x'.repeat(80_001) },
  ],
  'datasets.uploadFinish': [{}, { uploadId: '../../x' }],
  'datasets.bars': [
    {},
    { id: '../etc' },
    { id: 'd-1', maxBars: 9 },
    { id: 'd-1', maxBars: 10_001 },
    { id: 'd-1', maxBars: 100.5 },
    { id: 'd-1', from: -1 },
    { id: 'd-1', to: '2024-01-01' },
    { id: 'd-1', limit: 100 },
  ],
  'venues.list': [{ extra: 1 }],
  'venues.add': [{}, { exchange: 'kraken', mode: 'demo' }, { exchange: 'binanceusdm', mode: 'paper' }, { exchange: 'okx', mode: 'live', symbols: [] }, { exchange: 'okx', mode: 'live', label: '' }],
  'venues.remove': [{}, { venue: 'NOT A VENUE' }],
  'venues.setMode': [{ venue: 'okx-demo' }, { venue: 'okx-demo', mode: 'paper' }, { venue: 'okx-demo', mode: 'live', confirm: 5 }],
  'venues.test': [{}, { venue: 3 }],
  'credentials.set': [{ venue: 'okx-demo' }, { venue: 'okx-demo', apiKey: '', secret: 's' }, { venue: 'okx-demo', apiKey: 'k', secret: 'x'.repeat(513) }, { venue: 'okx-demo', apiKey: 'k', secret: 's', extra: 1 }],
  'credentials.status': [{}, { venue: '' }],
  'credentials.delete': [{}, { venue: 'A' }],
  'models.list': [{ extra: 1 }],
  'models.get': [{}, { id: '' }],
  'models.train': [
    {},
    { name: 'm', algorithm: 'svm', data: { dataset: 'd-1' }, target: { kind: 'return', horizon: 3 } },
    { name: 'm', algorithm: 'gbdt', data: { dataset: 'd-1' }, target: { kind: 'direction', horizon: 3 } },
    { name: 'm', algorithm: 'gbdt', data: { dataset: 'd-1' }, target: { kind: 'return', horizon: 0 } },
    { name: '', algorithm: 'gbdt', data: { dataset: 'd-1' }, target: { kind: 'return', horizon: 3 } },
  ],
  'models.activate': [{}, { id: 5 }],
  'models.delete': [{}, { id: '' }],
  'models.retire': [{}, { id: 7 }],
  'models.import': [{}, { name: 'm', onnxBase64: 'not base64!', features: ['ret_1'] }, { name: 'm', onnxBase64: 'AAAA', features: [] }],
  'models.predictBatch': [{}, { id: 'm1', csv: '' }, { id: '', csv: 'a' }],
  'models.importance': [{}, { id: '' }, { id: 'm1', repeats: 0 }, { id: 'm1', seed: -1 }, { id: 'm1', metric: 'r2' }],
  'jobs.list': [{ all: true }],
  'jobs.cancel': [{}, { id: '' }],
  'regime.current': [{}, { venue: 'paper', symbol: 'BTC/USDT:USDT' }, { venue: 'paper', symbol: 'BTC/USDT:USDT', timeframe: '2m' }, { venue: 'paper', symbol: 'BTC/USDT:USDT', timeframe: '1m', history: 1001 }],
  'signals.list': [
    { strategyId: '' },
    { strategyId: 'x'.repeat(65) },
    { venue: 'NOT A VENUE' },
    { symbol: 'btc' },
    { modelId: 7 },
    { orderId: '' },
    { before: -1 },
    { before: 1.5 },
    { limit: 0 },
    { limit: 5_001 },
    { timeframe: '1m' },
  ],
  'models.drift': [{}, { id: '' }, { id: 'm1', extra: 1 }],
  'models.retrain': [{}, { id: 3 }],
  'models.setSchedule': [{ name: 'm' }, { name: 'm', everyHours: 0 }, { name: 'm', everyHours: 1.5 }, { name: '', everyHours: 2 }, { name: 'm', everyHours: 8_761 }],
  'analytics.summary': [
    {},
    { scope: 'account' },
    { scope: { kind: 'everything' } },
    { scope: { kind: 'venue' } },
    { scope: { kind: 'regime', regime: 'sideways' } },
    { scope: { kind: 'account' }, from: 10, to: 10 },
    { scope: { kind: 'account' }, from: -1 },
    { scope: { kind: 'account', venue: 'paper' } },
  ],
  'analytics.equity': [{}, { scope: { kind: 'strategy' } }, { scope: { kind: 'symbol', symbol: 'btc' } }, { scope: { kind: 'manual' }, to: 1.5 }],
  'journal.trades': [
    { status: 'open' },
    { filters: { status: 'pending' } },
    { filters: { limit: 0 } },
    { filters: { tag: '' } },
    { filters: { tag: '-leading' } },
    { filters: { from: 5, to: 1 } },
    { filters: { cursor: 'not a cursor!' } },
  ],
  'journal.annotate': [
    {},
    { tradeId: 'paper:t1' },
    { tradeId: '', note: 'x' },
    { tradeId: 'paper:t1', note: 'x'.repeat(2001) },
    { tradeId: 'paper:t1', tags: ['ok', ''] },
    { tradeId: 'paper:t1', tags: Array.from({ length: 17 }, (_, i) => `t${i}`) },
    { tradeId: 'paper:t1', tags: ['x'.repeat(33)] },
  ],
  'export.csv': [{}, { kind: 'orders' }, { kind: 'fills', format: 'turbotax' }, { kind: 'trades', from: 9, to: 3 }],
  'export.report': [{}, { scope: { kind: 'account' }, format: 'pdf' }],
  'alerts.price.list': [{ status: 'fired' }, { venue: 'NOT A VENUE' }, { symbol: 'btc' }, { extra: 1 }],
  'alerts.price.add': [
    {},
    { kind: 'cross', venue: 'paper', symbol: 'BTC/USDT:USDT' },
    { kind: 'cross', venue: 'paper', symbol: 'BTC/USDT:USDT', price: '-5' },
    { kind: 'cross', venue: 'paper', symbol: 'BTC/USDT:USDT', price: '80000', direction: 'either' },
    { kind: 'cross', venue: 'paper', symbol: 'BTC/USDT:USDT', price: '80000', percent: '2' },
    { kind: 'move', venue: 'paper', symbol: 'BTC/USDT:USDT', percent: '2' },
    { kind: 'move', venue: 'paper', symbol: 'BTC/USDT:USDT', percent: '0', windowMinutes: 5 },
    { kind: 'move', venue: 'paper', symbol: 'BTC/USDT:USDT', percent: '2', windowMinutes: 0 },
    { kind: 'move', venue: 'paper', symbol: 'BTC/USDT:USDT', percent: '2', windowMinutes: 1_441 },
    { kind: 'move', venue: 'paper', symbol: 'BTC/USDT:USDT', percent: '2', windowMinutes: 5, note: 'x'.repeat(201) },
    { kind: 'alarm', venue: 'paper', symbol: 'BTC/USDT:USDT', price: '80000' },
  ],
  'alerts.price.remove': [{}, { id: '' }, { id: 'x'.repeat(65) }],
  'strategies.parity': [{}, { id: 's 1' }, { id: 's-1', from: -1 }, { id: 's-1', latencyMs: 1.5 }, { id: 's-1', extra: 1 }],
  'alerts.list': [{ limit: 0 }, { limit: 501 }, { before: 0 }, { before: 'x' }, { extra: 1 }],
  'alerts.markRead': [{ upTo: 0 }, { upTo: 1.5 }, { extra: 1 }],
  'alerts.settings.get': [{ extra: 1 }],
  'alerts.settings.set': [
    { channels: { fill: { desktop: true, sound: true } } },
    { channels: { nonsense: { desktop: true, sound: true, email: true } } },
    { smtp: { host: 'mail.example.com', port: 70000, security: 'tls', user: '', from: 'k@example.com', to: ['t@example.com'] } },
    { smtp: { host: 'http://mail', port: 587, security: 'starttls', user: '', from: 'k@example.com', to: ['t@example.com'] } },
    { smtp: { host: 'mail.example.com', port: 587, security: 'starttls', user: '', from: 'not an address', to: ['t@example.com'] } },
    { smtp: { host: 'mail.example.com', port: 587, security: 'ssl', user: '', from: 'k@example.com', to: ['t@example.com'] } },
    { smtp: { host: 'mail.example.com', port: 587, security: 'starttls', user: '', from: 'k@example.com', to: [] } },
    { smtpPassword: '' },
    { dailyReport: { enabled: true, time: '24:00', timeZone: 'UTC' } },
    { dailyReport: { enabled: true, time: '7:30', timeZone: 'UTC' } },
    { dailyReport: { enabled: true, time: '07:30', timeZone: 'Mars/Olympus' } },
    { extra: 1 },
  ],
  'email.test': [{ to: 'nobody' }, { extra: 1 }],
  'pipeline.list': [{ extra: 1 }],
  'pipeline.promote': [{}, { cardId: '' }, { cardId: 'c', sizeFactor: 0 }, { cardId: 'c', sizeFactor: 1.5 }, { cardId: 'c', venue: 'NOT A VENUE' }],
  'pipeline.demote': [{ cardId: 'c' }, { cardId: 'c', reason: '' }, { cardId: 'c', reason: '   ' }, { reason: 'why' }],
  'pipeline.gates.get': [{ extra: 1 }],
  'pipeline.gates.set': [{}, { settings: { liveSizeFactor: 2 } }, { settings: { paper: { minOosTrades: -1 } } }, { settings: { autoPromote: 'yes' } }],
  'pipeline.discover': [
    {},
    { spec: { families: [], markets: [{ dataset: 'd', symbol: 'BTC/USDT', timeframe: '1h' }] } },
    { spec: { families: [{ type: 'sma-cross' }], markets: [] } },
    { spec: { families: [{ type: 'sma-cross' }], markets: [{ dataset: 'd' }] } },
    { spec: { families: [{ type: 'sma-cross' }], markets: [{ dataset: 'd', symbol: 'BTC/USDT', timeframe: '1h' }], folds: 0 } },
  ],
  'pipeline.schedules.list': [{ extra: 1 }],
  'pipeline.schedules.remove': [{}, { scheduleId: '' }, { scheduleId: 'no spaces allowed' }, { scheduleId: 's', extra: 1 }],
};

function trapHandlers(): { handlers: Handlers; called: ReturnType<typeof vi.fn> } {
  const called = vi.fn();
  const handlers = new Proxy({} as Handlers, {
    get: () => () => {
      called();
      throw new Error('handler must not run for invalid params');
    },
  });
  return { handlers, called };
}

describe('Dispatcher validation', () => {
  it('has invalid cases for every method in the contract', () => {
    expect(Object.keys(invalidParams).sort()).toEqual(Object.keys(methods).sort());
  });

  for (const [method, cases] of Object.entries(invalidParams)) {
    it(`${method} refuses invalid params with VALIDATION_FAILED and never reaches the engine`, async () => {
      const { handlers, called } = trapHandlers();
      const dispatcher = new Dispatcher(handlers, new EventBus());
      for (const params of cases) {
        const outcome = await dispatcher.invoke(method, params);
        expect(outcome.ok, JSON.stringify(params)).toBe(false);
        if (!outcome.ok) {
          expect(outcome.error.code).toBe('VALIDATION_FAILED');
          expect(outcome.error.message).toMatch(/^Invalid request: /);
        }
      }
      expect(called).not.toHaveBeenCalled();
    });
  }

  it('refuses oversized params in bounded time with a bounded answer (520,000 topics, 900 KB decimals, deep nesting)', async () => {
    const { handlers, called } = trapHandlers();
    const dispatcher = new Dispatcher(handlers, new EventBus());
    const hostile: Array<[string, unknown]> = [
      ['events.subscribe', { topics: new Array(520_000).fill(0) }],
      ['events.subscribe', { topics: new Array(65).fill('market.tick') }],
      ['orders.place', { venue: 'paper', symbol: 'BTC/USDT:USDT', side: 'buy', type: 'market', quantity: '9'.repeat(900_000) }],
      ['orders.place', { venue: 'paper', symbol: 'BTC/USDT:USDT', side: 'buy', type: 'market', quantity: '9'.repeat(41) }],
      ['orders.place', JSON.parse(`${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`)],
      ['risk.limits.set', { config: { [`k${'x'.repeat(10_000)}`]: 1 } }],
    ];
    for (const [method, params] of hostile) {
      const started = performance.now();
      const outcome = await dispatcher.invoke(method, params);
      const elapsed = performance.now() - started;
      expect(outcome.ok).toBe(false);
      if (outcome.ok) continue;
      expect(outcome.error.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(outcome.error).length, method).toBeLessThan(2_000);
      // Not a benchmark: a generous guard against the 16 s of CPU the first of these used to cost.
      expect(elapsed, method).toBeLessThan(2_000);
    }
    expect(called).not.toHaveBeenCalled();
  });

  it('names at most the first few issues of an invalid request', async () => {
    const { handlers } = trapHandlers();
    const dispatcher = new Dispatcher(handlers, new EventBus());
    const outcome = await dispatcher.invoke('events.subscribe', { topics: new Array(40).fill(7) });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    const data = outcome.error.data as { issues: unknown[]; moreIssues?: number };
    expect(data.issues).toHaveLength(MAX_REPORTED_ISSUES);
    expect(data.moreIssues).toBeGreaterThan(0);
    expect(outcome.error.message).toMatch(/and \d+ more issues/);
  });

  it('hands the handler who is calling: the UI by default, the automation API when the transport says so', async () => {
    const seen: unknown[] = [];
    const handlers = { 'positions.list': (_p: unknown, caller: unknown) => (seen.push(caller), []) } as unknown as Handlers;
    const dispatcher = new Dispatcher(handlers, new EventBus());
    await dispatcher.invoke('positions.list', {});
    await dispatcher.invoke('positions.list', {}, { kind: 'api', name: 'grid-bot' });
    expect(seen).toEqual([{ kind: 'manual' }, { kind: 'api', name: 'grid-bot' }]);
  });

  it('answers UNKNOWN_METHOD for names outside the contract', async () => {
    const { handlers } = trapHandlers();
    const outcome = await new Dispatcher(handlers, new EventBus()).invoke('orders.delete', {});
    expect(outcome).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  });

  it('maps a KeelError to its code and anything else to INTERNAL without leaking details', async () => {
    const bus = new EventBus();
    const handlers = {
      'positions.list': () => {
        throw new KeelError('NOT_FOUND', 'nothing here');
      },
      'fills.list': () => {
        throw new Error('secret database path /home/x');
      },
    } as unknown as Handlers;
    const dispatcher = new Dispatcher(handlers, bus, { log: () => undefined });
    expect(await dispatcher.invoke('positions.list', {})).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'nothing here' } });
    const internal = await dispatcher.invoke('fills.list', {});
    expect(internal.ok).toBe(false);
    if (!internal.ok) {
      expect(internal.error.code).toBe('INTERNAL');
      expect(internal.error.message).not.toContain('secret');
    }
  });

  it('runs urgent methods (the emergency stop) at once, ahead of a command stuck behind a slow venue', async () => {
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const cancelStarted = new Promise<void>((r) => (started = r));
    const handlers = {
      'orders.cancel': async () => {
        log.push('cancel started');
        started();
        await gate;
        log.push('cancel done');
        return {};
      },
      'emergency.stop': () => {
        log.push('stop');
        return {};
      },
    } as unknown as Handlers;
    const dispatcher = new Dispatcher(handlers, new EventBus());
    const slow = dispatcher.invoke('orders.cancel', { orderId: 'a' });
    await cancelStarted;
    await dispatcher.invoke('emergency.stop', { flatten: true });
    expect(log).toEqual(['cancel started', 'stop']);
    release();
    await slow;
  });

  it('runs commands one at a time, in arrival order', async () => {
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const handlers = {
      'orders.cancel': async (p: { orderId: string }) => {
        log.push(`start ${p.orderId}`);
        if (p.orderId === 'a') await gate;
        log.push(`end ${p.orderId}`);
        return {};
      },
      'positions.list': () => {
        log.push('query');
        return [];
      },
    } as unknown as Handlers;
    const dispatcher = new Dispatcher(handlers, new EventBus());
    const first = dispatcher.invoke('orders.cancel', { orderId: 'a' });
    const second = dispatcher.invoke('orders.cancel', { orderId: 'b' });
    await dispatcher.invoke('positions.list', {});
    release();
    await Promise.all([first, second]);
    // Commands never overlap and keep their order; the query was not held up by the blocked command.
    expect(log.filter((l) => l !== 'query')).toEqual(['start a', 'end a', 'start b', 'end b']);
    expect(log.indexOf('query')).toBeLessThan(log.indexOf('end a'));
  });
});

describe('bulk text methods', () => {
  it('lets a dataset import carry a CSV longer than the default string budget, and nothing else', async () => {
    const calls: unknown[] = [];
    const handlers = new Proxy({} as Handlers, {
      get: () => (params: unknown) => {
        calls.push(params);
        return { id: 'd-1', name: 'x', symbol: 'x', bars: 2, from: 0, to: 1, periodMs: 1, createdAt: 0 };
      },
    });
    const dispatcher = new Dispatcher(handlers, new EventBus());
    const csv = `time,open,high,low,close\n${'1,1,1,1,1\n'.repeat(1_000)}`;
    expect(csv.length).toBeGreaterThan(4_096);
    const imported = await dispatcher.invoke('datasets.import', { name: 'x', csv });
    expect(imported.ok).toBe(true);
    const elsewhere = await dispatcher.invoke('strategies.create', { type: 'sma-cross', venue: 'paper', symbol: 'BTC/USDT:USDT', timeframe: '1m', params: {}, name: csv });
    expect(elsewhere).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(calls).toHaveLength(1);
  });
});
