import { modelRecord } from '../features/models/fixtures/modelRecord';
import { describe, expect, it } from 'vitest';
import type { AccountSummary, Order, Position, Ticker } from '../../shared/domain';
import type { KeelEvent } from '../api/client';
import { mergeOrders } from './orders';
import { markPosition } from './positions';
import { selectUnprotectedPositions } from './selectors';
import { createKeelStore } from './store';
import { DEFAULT_TICKET } from './ui';
import { RESTING_ORDER } from '../../../tests/support/fixtures';

function order(patch: Partial<Order>): Order {
  return {
    ...RESTING_ORDER,
    id: 'o1',
    clientOrderId: 'c1',
    createdAt: 1000,
    updatedAt: 1000,
    ...patch,
  };
}

function ticker(symbol: string, last: string, timestamp: number): Ticker {
  return {
    venue: 'paper',
    symbol,
    bid: last,
    ask: last,
    last,
    mark: last,
    open24h: last,
    high24h: last,
    low24h: last,
    change24h: '0',
    changePercent24h: 0,
    volume24h: '0',
    timestamp,
  };
}

function position(patch: Partial<Position>): Position {
  return {
    venue: 'paper',
    symbol: 'BTC/USDT:USDT',
    side: 'long',
    quantity: '2',
    entryPrice: '100',
    markPrice: '100',
    notional: '200',
    unrealizedPnl: '0',
    realizedPnl: '0',
    realizedPnlGross: '0',
    feesPaid: '0',
    funding: '0',
    leverage: 10,
    marginMode: 'cross',
    margin: '20',
    roePercent: '0',
    liquidationPrice: null,
    marginRatio: null,
    updatedAt: 1000,
    ...patch,
  };
}

function account(patch: Partial<AccountSummary>): AccountSummary {
  return {
    venue: 'paper',
    currency: 'USDT',
    balance: '1000',
    equity: '1000',
    unrealizedPnl: '0',
    realizedPnl: '0',
    realizedPnlGross: '0',
    feesPaid: '0',
    funding: '0',
    marginUsed: '0',
    orderMargin: '0',
    available: '1000',
    leverage: {},
    marginModes: {},
    balances: [],
    updatedAt: 1000,
    ...patch,
  };
}

describe('mergeOrders', () => {
  it('upserts by id, newest first, and never lets a stale copy win', () => {
    const a = order({ id: 'a', createdAt: 1 });
    const b = order({ id: 'b', createdAt: 2 });
    let list = mergeOrders([], [a, b]);
    expect(list.map((o) => o.id)).toEqual(['b', 'a']);
    const filled = order({ id: 'a', createdAt: 1, status: 'filled', filledQuantity: '1', updatedAt: 1000 });
    list = mergeOrders(list, [filled]);
    // The place() answer (open, same millisecond) arrives after the fill event.
    list = mergeOrders(list, [order({ id: 'a', createdAt: 1, status: 'open', updatedAt: 1000 })]);
    expect(list.find((o) => o.id === 'a')?.status).toBe('filled');
    list = mergeOrders(list, [order({ id: 'a', createdAt: 1, status: 'open', updatedAt: 999 })]);
    expect(list.find((o) => o.id === 'a')?.status).toBe('filled');
  });

  it('returns the same array when nothing changed, so selectors stay stable', () => {
    const list = mergeOrders([], [order({})]);
    expect(mergeOrders(list, [])).toBe(list);
    expect(mergeOrders(list, [order({ updatedAt: 10 })])).toBe(list);
  });
});

describe('markPosition', () => {
  it('re-marks with a newer ticker using the linear formula', () => {
    const long = markPosition(position({}), ticker('BTC/USDT:USDT', '110', 2000));
    // ROE over the entry margin: 2 × 100 / 10x = 20, so 20 of PnL is 100 %.
    expect(long).toMatchObject({ markPrice: '110', unrealizedPnl: '20', notional: '220', roePercent: '100' });
    const short = markPosition(position({ side: 'short' }), ticker('BTC/USDT:USDT', '110', 2000));
    expect(short).toMatchObject({ unrealizedPnl: '-20', roePercent: '-100' });
  });

  it('keeps the engine figures when the ticker is older', () => {
    const p = position({ unrealizedPnl: '5', markPrice: '102.5' });
    expect(markPosition(p, ticker('BTC/USDT:USDT', '110', 500))).toBe(p);
  });
});

describe('applyEvents', () => {
  it('folds a frame of events into one update', () => {
    const store = createKeelStore();
    let notifications = 0;
    store.subscribe(() => notifications++);
    const events: KeelEvent[] = [
      { topic: 'orders.updated', data: order({ id: 'x' }) },
      { topic: 'orders.updated', data: order({ id: 'x', status: 'filled', filledQuantity: '1', updatedAt: 2000 }) },
      {
        topic: 'fills.new',
        data: {
          tradeId: 't1',
          orderId: 'x',
          clientOrderId: 'c1',
          venue: 'paper',
          symbol: 'BTC/USDT:USDT',
          side: 'buy',
          quantity: '1',
          price: '100',
          fee: '0.05',
          feeCurrency: 'USDT',
          liquidity: 'taker',
          realizedPnl: '0',
          timestamp: 2000,
        },
      },
      { topic: 'positions.updated', data: { venue: 'paper', positions: [position({})] } },
      { topic: 'account.updated', data: account({ equity: '999' }) },
      {
        topic: 'activity.new',
        data: { id: 7, timestamp: 2000, level: 'info', category: 'fill', message: 'Filled' },
      },
      { topic: 'system.health', data: { venues: [{ venue: 'paper', state: 'ready', reason: null, paper: true }], eventLoopLagMs: 3 } },
    ];
    store.getState().applyEvents(events, [ticker('BTC/USDT:USDT', '101', 5), ticker('ETH/USDT:USDT', '5', 5)]);
    expect(notifications).toBe(1);
    const s = store.getState();
    expect(s.orders).toHaveLength(1);
    expect(s.orders[0]?.status).toBe('filled');
    expect(s.fills).toHaveLength(1);
    expect(s.positions).toHaveLength(1);
    expect(s.accounts.paper?.equity).toBe('999');
    expect(s.activity.map((a) => a.id)).toEqual([7]);
    expect(s.venues[0]?.paper).toBe(true);
    expect(Object.keys(s.tickers)).toHaveLength(2);
  });

  it('does not notify for an empty frame and drops duplicate fills and stale tickers', () => {
    const store = createKeelStore();
    store.getState().applyEvents([], [ticker('BTC/USDT:USDT', '101', 5)]);
    let notifications = 0;
    store.subscribe(() => notifications++);
    store.getState().applyEvents([], []);
    store.getState().applyEvents([], [ticker('BTC/USDT:USDT', '99', 4)]);
    expect(notifications).toBe(0);
    expect(store.getState().tickers['paper|BTC/USDT:USDT']?.last).toBe('101');
    store.getState().applyEvents([], [ticker('BTC/USDT:USDT', '102', 6)]);
    expect(store.getState().tickDirection['paper|BTC/USDT:USDT']).toBe(1);
  });

  it('replaces a venue positions wholesale and drops flat ones', () => {
    const store = createKeelStore();
    store.getState().setPositions([position({}), position({ venue: 'other' })]);
    store.getState().applyEvents(
      [{ topic: 'positions.updated', data: { venue: 'paper', positions: [position({ quantity: '0' })] } }],
      [],
    );
    expect(store.getState().positions.map((p) => p.venue)).toEqual(['other']);
  });
});

describe('the ticket across instruments', () => {
  it('never carries a quantity to another symbol: each keeps its own, a new one starts empty', () => {
    const store = createKeelStore();
    const s = () => store.getState();
    s().selectMarket('paper', 'ETH/USDT:USDT');
    s().editTicket({ quantity: '5', price: '3000', overridePriceBand: true, triggerNow: true, side: 'sell' });
    s().selectMarket('paper', 'BTC/USDT:USDT');
    expect(s().ticket).toMatchObject({ quantity: '', price: '', overridePriceBand: false, triggerNow: false, side: 'sell' });
    s().editTicket({ quantity: '0.01' });
    s().selectMarket('paper', 'ETH/USDT:USDT');
    expect(s().ticket.quantity).toBe('5');
    s().selectMarket('paper', 'BTC/USDT:USDT');
    expect(s().ticket.quantity).toBe('0.01');
  });

  it('keeps a value or share of margin per instrument too, and the sizing mode across them', () => {
    const store = createKeelStore();
    const s = () => store.getState();
    s().selectMarket('paper', 'ETH/USDT:USDT');
    s().editTicket({ sizeMode: 'quote', sizeAmount: '500' });
    s().selectMarket('paper', 'BTC/USDT:USDT');
    expect(s().ticket).toMatchObject({ sizeMode: 'quote', sizeAmount: '' });
    s().editTicket({ sizeAmount: '2000' });
    s().selectMarket('paper', 'ETH/USDT:USDT');
    expect(s().ticket.sizeAmount).toBe('500');
    s().editTicket({ sizeMode: 'margin', sizeAmount: '25' });
    s().selectMarket('paper', 'BTC/USDT:USDT');
    expect(s().ticket).toMatchObject({ sizeMode: 'margin', sizeAmount: '' });
  });

  it('clears typed values and one-order choices on Escape, keeping side, type, time in force and sizing mode', () => {
    const store = createKeelStore();
    const s = () => store.getState();
    s().editTicket({
      side: 'sell',
      type: 'stop_limit',
      timeInForce: 'IOC',
      sizeMode: 'quote',
      sizeAmount: '500',
      quantity: '1',
      price: '100',
      stopPrice: '99',
      reduceOnly: true,
      overridePriceBand: true,
      triggerNow: true,
    });
    s().clearTicket();
    expect(s().ticket).toEqual({ ...DEFAULT_TICKET, side: 'sell', type: 'stop_limit', timeInForce: 'IOC', sizeMode: 'quote' });
  });
});

describe('selectUnprotectedPositions', () => {
  it('lists positions without an open reduce-only stop on the reducing side', () => {
    const store = createKeelStore();
    store.getState().setPositions([
      position({ symbol: 'BTC/USDT:USDT', side: 'long' }),
      position({ symbol: 'ETH/USDT:USDT', side: 'short' }),
      position({ symbol: 'SOL/USDT:USDT', side: 'long' }),
    ]);
    store.getState().upsertOrders([
      // BTC long: protected by a reduce-only sell stop.
      order({ id: 'a', symbol: 'BTC/USDT:USDT', side: 'sell', type: 'stop', stopPrice: '90', price: null, reduceOnly: true }),
      // ETH short: a buy stop that is not reduce-only, and a reduce-only limit, protect nothing.
      order({ id: 'b', symbol: 'ETH/USDT:USDT', side: 'buy', type: 'stop', stopPrice: '110', price: null }),
      order({ id: 'c', symbol: 'ETH/USDT:USDT', side: 'buy', type: 'limit', reduceOnly: true }),
      // SOL long: a reduce-only sell stop-limit that is already canceled.
      order({ id: 'd', symbol: 'SOL/USDT:USDT', side: 'sell', type: 'stop_limit', stopPrice: '90', reduceOnly: true, status: 'canceled' }),
    ]);
    expect(selectUnprotectedPositions(store.getState()).map((p) => p.symbol)).toEqual(['ETH/USDT:USDT', 'SOL/USDT:USDT']);
    store.getState().upsertOrders([
      order({ id: 'e', symbol: 'ETH/USDT:USDT', side: 'buy', type: 'stop_limit', stopPrice: '110', price: '111', reduceOnly: true, createdAt: 2 }),
    ]);
    expect(selectUnprotectedPositions(store.getState()).map((p) => p.symbol)).toEqual(['SOL/USDT:USDT']);
  });
});

describe('models.updated', () => {
  it('replaces the model list with the registry as it now stands', () => {
    const store = createKeelStore();
    store.getState().setModels([modelRecord({ id: 'm1', status: 'active' })]);
    store.getState().applyEvents([{ topic: 'models.updated', data: { models: [modelRecord({ id: 'm1', status: 'retired' }), modelRecord({ id: 'm2' })] } }], []);
    expect(store.getState().models.map((m) => [m.id, m.status])).toEqual([
      ['m1', 'retired'],
      ['m2', 'candidate'],
    ]);
  });
});
