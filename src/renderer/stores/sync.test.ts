import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MethodName, MethodParams, MethodResult } from '../../shared/contract';
import type { Ticker } from '../../shared/domain';
import { NO_ACCOUNT_LIMITS, type RiskStatus, type RiskUsage } from '../../shared/risk';
import type { ConnectionStatus } from '../api/bridge';
import type { KeelClient, KeelEvent } from '../api/client';
import { createCandleFeed, type Bar } from './candleFeed';
import type { FrameClock } from './frameBatcher';
import { createKeelStore } from './store';
import { newlyReady, startSync } from './sync';
import { BTC_PERP } from '../../../tests/support/fixtures';

const instrument = BTC_PERP;

const riskStatus: RiskStatus = {
  state: 'ACTIVE',
  reason: null,
  since: 1,
  usage: [],
  history: [{ from: 'HALTED', to: 'ACTIVE', reason: 'Re-armed', source: 'rearm', at: 1 }],
};

const riskConfig = {
  venue: 'paper',
  profile: 'moderate',
  account: { ...NO_ACCOUNT_LIMITS, maxOrderNotional: '1000' },
  instruments: {},
  breachAction: 'HALTED' as const,
  dailyReset: { time: '00:00', timeZone: 'UTC' },
};

const answers: { [M in MethodName]?: MethodResult<M> } = {
  'risk.status': riskStatus,
  'risk.limits.get': riskConfig,
  'risk.profiles.list': [],
  'settings.get': {
    emergencyHotkey: 'CommandOrControl+Shift+X',
    emergencyFlattenByDefault: true,
    activityRetentionDays: 90,
    activityRetentionRows: 1_000_000,
  },
  'hotkey.status': { accelerator: 'CommandOrControl+Shift+X', registered: false, scope: 'global', reason: 'taken' },
  'emergency.reports': [],
  'system.info': {
    name: 'Keel',
    version: '0',
    mode: 'headless',
    dataDir: '/x',
    startedAt: 0,
    venues: [{ venue: 'paper', state: 'ready', reason: null, paper: true }],
  },
  'market.instruments': [instrument],
  'market.tickers': [],
  'orders.list': {
    orders: [
      {
        id: 'o1',
        clientOrderId: 'c1',
        venueOrderId: null,
        venue: 'paper',
        symbol: 'BTC/USDT:USDT',
        side: 'buy',
        type: 'market',
        quantity: '0.01',
        price: null,
        stopPrice: null,
        timeInForce: 'GTC',
        postOnly: false,
        reduceOnly: false,
        status: 'filled',
        filledQuantity: '0.01',
        averagePrice: '60000',
        triggered: false,
        source: 'api',
        sourceId: 'mybot',
        createdAt: 1,
        updatedAt: 1,
        rejectReason: null,
      },
    ],
    nextCursor: 'next-page',
  },
  'fills.list': {
    fills: [
      {
        tradeId: 't1',
        orderId: 'o1',
        clientOrderId: 'c1',
        venue: 'paper',
        symbol: 'BTC/USDT:USDT',
        side: 'buy',
        quantity: '0.01',
        price: '60000',
        fee: '0.3',
        feeCurrency: 'USDT',
        liquidity: 'taker',
        realizedPnl: '0',
        timestamp: 1,
      },
    ],
    nextCursor: null,
  },
  'positions.list': [],
  'activity.list': [],
  'venues.list': {
    venues: [
      {
        id: 'paper',
        exchange: 'paper',
        mode: 'paper',
        label: 'Paper (simulated market)',
        symbols: ['BTC/USDT:USDT'],
        status: { venue: 'paper', state: 'ready', reason: null, paper: true },
        overrideUrl: null,
        removable: false,
      },
    ],
  },
  'account.summary': {
    venue: 'paper',
    currency: 'USDT',
    balance: '1',
    equity: '1',
    unrealizedPnl: '0',
    realizedPnl: '0',
    realizedPnlGross: '0',
    feesPaid: '0',
    funding: '0',
    marginUsed: '0',
    orderMargin: '0',
    available: '1',
    leverage: {},
    marginModes: {},
    balances: [],
    updatedAt: 1,
  },
};

type Override = (params: unknown) => Promise<unknown>;

function fakeClient(overrides: { [M in MethodName]?: Override } = {}) {
  const eventListeners = new Set<(e: KeelEvent) => void>();
  const statusListeners = new Set<(s: ConnectionStatus) => void>();
  let status: ConnectionStatus = { state: 'connecting', transport: 'ws', detail: null };
  const calls: string[] = [];
  const client: KeelClient = {
    transport: 'ws',
    invoke<M extends MethodName>(method: M, _params: MethodParams<M>): Promise<MethodResult<M>> {
      calls.push(method);
      const override = overrides[method];
      if (override) return override(_params) as Promise<MethodResult<M>>;
      return Promise.resolve(answers[method] as MethodResult<M>);
    },
    onEvent: (l) => {
      eventListeners.add(l);
      return () => eventListeners.delete(l);
    },
    status: () => status,
    onStatus: (l) => {
      statusListeners.add(l);
      return () => statusListeners.delete(l);
    },
  };
  return {
    client,
    calls,
    emit: (e: KeelEvent) => eventListeners.forEach((l) => l(e)),
    setStatus: (s: ConnectionStatus) => {
      status = s;
      statusListeners.forEach((l) => l(s));
    },
  };
}

function manualFrames() {
  let pending: (() => void) | null = null;
  const clock: FrameClock = {
    requestFrame: (cb) => {
      pending = cb;
      return 1;
    },
    cancelFrame: () => {
      pending = null;
    },
    setTimer: () => 0 as unknown as ReturnType<typeof setTimeout>,
    clearTimer: () => undefined,
  };
  return {
    clock,
    frame: () => {
      const cb = pending;
      pending = null;
      cb?.();
    },
  };
}

const tick = (last: string, timestamp: number): Ticker => ({
  venue: 'paper',
  symbol: 'BTC/USDT:USDT',
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
});

/** Lets the fake client's answers reach the store; no time passes (timers are fake here). */
const settle = () => vi.advanceTimersByTimeAsync(0);

describe('startSync', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('loads every snapshot when the connection opens, and again after a reconnect', async () => {
    const f = fakeClient();
    const store = createKeelStore();
    startSync({ client: f.client, store, candleFeed: createCandleFeed(), frameClock: manualFrames().clock });
    expect(f.calls).toEqual([]);
    f.setStatus({ state: 'open', transport: 'ws', detail: null });
    await settle();
    expect(new Set(f.calls)).toEqual(
      new Set([
        'system.info',
        'market.instruments',
        'market.tickers',
        'orders.list',
        'fills.list',
        'positions.list',
        'activity.list',
        'account.summary',
        'risk.status',
        'risk.limits.get',
        'risk.profiles.list',
        'settings.get',
        'hotkey.status',
        'emergency.reports',
        'venues.list',
      ]),
    );
    const s = store.getState();
    expect(s.syncEpoch).toBe(1);
    expect(s.venue).toBe('paper');
    expect(s.symbol).toBe('BTC/USDT:USDT');
    expect(s.accounts.paper).toBeDefined();
    // The first page of each list, as the engine pages them.
    expect(s.orders.map((o) => o.id)).toEqual(['o1']);
    expect(s.fills.map((x) => x.tradeId)).toEqual(['t1']);
    expect(s.riskState?.state).toBe('ACTIVE');
    expect(s.riskHistory).toHaveLength(1);
    expect(s.riskConfigs.paper?.account.maxOrderNotional).toBe('1000');
    expect(s.settings?.emergencyFlattenByDefault).toBe(true);
    expect(s.hotkey?.registered).toBe(false);
    expect(s.syncError).toBeNull();
    f.setStatus({ state: 'closed', transport: 'ws', detail: 'gone' });
    f.setStatus({ state: 'connecting', transport: 'ws', detail: null });
    f.setStatus({ state: 'open', transport: 'ws', detail: null });
    await settle();
    expect(store.getState().syncEpoch).toBe(2);
    expect(store.getState().connection.state).toBe('open');
  });

  it('coalesces a burst of ticks into one store update per frame and routes candles to the feed', () => {
    const f = fakeClient();
    const store = createKeelStore();
    const feed = createCandleFeed();
    const frames = manualFrames();
    startSync({ client: f.client, store, candleFeed: feed, frameClock: frames.clock });
    const bars: Bar[][] = [];
    feed.subscribe('paper', 'BTC/USDT:USDT', (b) => bars.push([...b]));
    let updates = 0;
    store.subscribe(() => updates++);
    for (let i = 1; i <= 500; i++) f.emit({ topic: 'market.tick', data: tick(String(100 + i), i) });
    for (let i = 0; i < 3; i++) {
      f.emit({
        topic: 'market.candle',
        data: { venue: 'paper', symbol: 'BTC/USDT:USDT', timeframe: '1m', candle: { time: 60_000, open: '1', high: '2.5', low: '1', close: `${1 + i}.1`, volume: `0.00${i}` } },
      });
    }
    expect(updates).toBe(0);
    frames.frame();
    expect(updates).toBe(1);
    expect(store.getState().tickers['paper|BTC/USDT:USDT']?.last).toBe('600');
    // Three updates of the same minute arrive as its latest copy only, read as numbers for the chart.
    expect(bars).toEqual([[{ time: 60_000, open: 1, high: 2.5, low: 1, close: 3.1, volume: 0.002 }]]);
  });

  it('coalesces risk usage to the latest per venue in one frame', () => {
    const f = fakeClient();
    const store = createKeelStore();
    const frames = manualFrames();
    startSync({ client: f.client, store, candleFeed: createCandleFeed(), frameClock: frames.clock });
    const usage = (venue: string, equity: string, updatedAt: number): RiskUsage => ({
      venue,
      equity,
      dayStartEquity: '1000',
      dayStartedAt: 0,
      highWaterMark: '1000',
      entries: [],
      updatedAt,
    });
    let updates = 0;
    store.subscribe(() => updates++);
    for (let i = 1; i <= 200; i++) f.emit({ topic: 'risk.usage', data: usage('paper', String(1000 + i), i) });
    f.emit({ topic: 'risk.usage', data: usage('binance', '5', 7) });
    frames.frame();
    expect(updates).toBe(1);
    expect(store.getState().riskUsage.paper?.equity).toBe('1200');
    expect(store.getState().riskUsage.binance?.equity).toBe('5');
  });

  it('shows a margin alert as a toast at once, without waiting for a frame', () => {
    const f = fakeClient();
    const store = createKeelStore();
    const frames = manualFrames();
    startSync({ client: f.client, store, candleFeed: createCandleFeed(), frameClock: frames.clock });
    const message = 'Margin ratio of the BTC/USDT:USDT long on paper is 91.0 % (warning at 80 %): the venue liquidates it at 100 %.';
    f.emit({
      topic: 'positions.marginAlert',
      data: {
        venue: 'paper',
        symbol: 'BTC/USDT:USDT',
        side: 'long',
        kind: 'warning',
        marginMode: 'isolated',
        marginRatio: '0.91',
        levelPercent: 80,
        liquidationPrice: '57229',
        price: null,
        message,
        timestamp: 1,
      },
    });
    expect(store.getState().toasts).toEqual([expect.objectContaining({ kind: 'error', text: message })]);
  });

  it('refetches the status (for its history) once after a burst of state changes', async () => {
    const f = fakeClient();
    const store = createKeelStore();
    // The frame batcher's fallback timers are 250 ms; the refresh is the shorter one.
    const refreshes: Array<() => void> = [];
    const frames = manualFrames();
    const clock: FrameClock = {
      ...frames.clock,
      setTimer: (cb, ms) => {
        if (ms < 250) refreshes.push(cb);
        return 1 as unknown as ReturnType<typeof setTimeout>;
      },
    };
    startSync({ client: f.client, store, candleFeed: createCandleFeed(), frameClock: clock });
    f.emit({ topic: 'risk.state', data: { state: 'HALTED', reason: 'x', since: 5 } });
    f.emit({ topic: 'risk.state', data: { state: 'HALTED', reason: 'y', since: 6 } });
    frames.frame();
    expect(store.getState().riskState).toEqual({ state: 'HALTED', reason: 'y', since: 6 });
    const before = f.calls.filter((c) => c === 'risk.status').length;
    expect(refreshes).toHaveLength(1);
    refreshes[0]!();
    await settle();
    expect(f.calls.filter((c) => c === 'risk.status').length).toBe(before + 1);
    // The snapshot (since 1) is older than the event (since 6): the state stays HALTED, the history arrives.
    expect(store.getState().riskState?.state).toBe('HALTED');
    expect(store.getState().riskHistory).toHaveLength(1);
  });
});

describe('startSync with venues added at runtime', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const paperStatus = { venue: 'paper', state: 'ready' as const, reason: null, paper: true };
  const demoView = (state: 'blocked' | 'ready') => ({
    id: 'binanceusdm-demo',
    exchange: 'binanceusdm' as const,
    mode: 'demo' as const,
    label: 'Binance demo',
    symbols: ['BTC/USDT:USDT'],
    status: { venue: 'binanceusdm-demo', state, reason: state === 'blocked' ? 'no API key is stored' : null, paper: false },
    overrideUrl: null,
    removable: true,
  });
  const keyStatus = { venue: 'binanceusdm-demo', stored: false, lastFour: null, permissions: null, checkedAt: null, warnings: [], keychain: 'Secret Service (keytar)' };

  async function started(overrides: Parameters<typeof fakeClient>[0] = {}) {
    const f = fakeClient({ 'credentials.status': () => Promise.resolve(keyStatus), ...overrides });
    const frames = manualFrames();
    const store = createKeelStore();
    startSync({ client: f.client, store, candleFeed: createCandleFeed(), frameClock: frames.clock });
    f.setStatus({ state: 'open', transport: 'ws', detail: null });
    await settle();
    return { f, frames, store };
  }

  it("does not report a venue that has not come up as failing to load its account, but reports a ready one's failure", async () => {
    const info = answers['system.info']!;
    const { store } = await started({
      'system.info': () => Promise.resolve({ ...info, venues: [paperStatus, demoView('blocked').status] }),
      'account.summary': (params) =>
        (params as { venue: string }).venue === 'paper' ? Promise.reject(new Error('ledger gone')) : Promise.reject(new Error('No ledger')),
    });
    expect(store.getState().syncError).toBe('account (paper): ledger gone');
  });

  it('asks for the key status of every exchange venue when the list loads and when it changes', async () => {
    const { f, frames, store } = await started({ 'venues.list': () => Promise.resolve({ venues: [answers['venues.list']!.venues[0]!, demoView('blocked')] }) });
    expect(f.calls.filter((c) => c === 'credentials.status')).toHaveLength(1);
    expect(store.getState().credentials['binanceusdm-demo']?.stored).toBe(false);
    f.emit({ topic: 'venues.updated', data: { venues: [answers['venues.list']!.venues[0]!, demoView('blocked')] } });
    frames.frame();
    await settle();
    expect(f.calls.filter((c) => c === 'credentials.status')).toHaveLength(2);
  });

  it('loads instruments and the account of a venue once it comes up, and leaves a removed venue for the first one left', async () => {
    const { f, frames, store } = await started();
    store.getState().chooseVenue('binanceusdm-demo');
    f.emit({ topic: 'venues.updated', data: { venues: [answers['venues.list']!.venues[0]!, demoView('blocked')] } });
    frames.frame();
    await settle();
    const before = f.calls.length;
    f.emit({ topic: 'system.health', data: { venues: [paperStatus, demoView('ready').status], eventLoopLagMs: 1 } });
    frames.frame();
    await settle();
    expect(f.calls.slice(before)).toEqual(expect.arrayContaining(['market.instruments', 'account.summary', 'risk.limits.get']));

    f.emit({ topic: 'venues.updated', data: { venues: [answers['venues.list']!.venues[0]!] } });
    frames.frame();
    await settle();
    expect(store.getState().venue).toBe('paper');
    expect(store.getState().symbol).toBe('BTC/USDT:USDT');
  });
});

describe('newlyReady', () => {
  it('names the venues that became ready, and only those', () => {
    const s = (venue: string, state: 'ready' | 'blocked') => ({ venue, state, reason: null, paper: false });
    expect(newlyReady([s('a', 'ready'), s('b', 'blocked')], [s('a', 'ready'), s('b', 'ready'), s('c', 'ready'), s('d', 'blocked')])).toEqual(['b', 'c']);
    expect(newlyReady([s('a', 'ready')], [s('a', 'blocked')])).toEqual([]);
  });
});
