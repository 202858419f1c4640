/**
 * The REST surface of the fake Bybit: each v5 endpoint's method and path,
 * what a key needs to call it, and what it answers (the `result` of Bybit's
 * envelope). Only the linear (USDT perpetual) category trades; spot,
 * inverse and option lists are empty, as on an account that holds none.
 */
import { JsonParams } from '../common/account';
import { fixed } from '../common/decimal';
import type { Access, BybitKeyRing } from './auth';
import { errors } from './errors';
import { instrumentInfo } from './instruments';
import { type BybitState, type ExecutionRecord, isOpen, type OrderRecord } from './state';
import { executionView, orderView, positionView, tickerView, walletView } from './views';

/** Request parameters: the query of a GET, the JSON body of a POST. */
export class Params extends JsonParams {
  constructor(raw: Record<string, unknown>) {
    super(raw, /^-?\d{1,16}$/, (name) => errors.params(`params error: ${name} invalid`));
  }
}

export interface RouteContext {
  params: Params;
  apiKey: string | undefined;
  state: BybitState;
  keys: BybitKeyRing;
}

export interface Route {
  method: 'GET' | 'POST';
  path: string;
  access: Access;
  /** Requests per second per key (Bybit's X-Bapi-Limit for the endpoint). */
  perSecond: number;
  handle: (ctx: RouteContext) => unknown;
}

const DAY = 86_400_000;

function linearOnly(params: Params): void {
  const category = params.str('category');
  if (category === undefined) throw errors.params('params error: category is required');
  if (category !== 'linear') throw errors.params(`params error: category ${category} is not supported by this account`);
}

/** A page of a list by an offset cursor (Bybit's cursors are opaque; this one is too, to a client). */
function page<T>(list: T[], params: Params, defaultLimit: number, maxLimit: number): { page: T[]; nextPageCursor: string } {
  const limit = params.int('limit') ?? defaultLimit;
  if (limit < 1 || limit > maxLimit) throw errors.params(`params error: limit must be in [1, ${maxLimit}]`);
  const cursor = params.str('cursor');
  const offset = cursor === undefined ? 0 : Number(/^page_token%3D(\d+)$/.exec(cursor)?.[1] ?? NaN);
  if (!Number.isInteger(offset)) throw errors.params('params error: cursor invalid');
  const slice = list.slice(offset, offset + limit);
  return { page: slice, nextPageCursor: offset + limit < list.length ? `page_token%3D${offset + limit}` : '' };
}

/** startTime/endTime as Bybit reads them: at most 7 days, the last 7 by default. */
function window(params: Params, now: number): [number, number] {
  const start = params.int('startTime');
  const end = params.int('endTime');
  if (start !== undefined && end !== undefined) {
    if (end < start || end - start > 7 * DAY) throw errors.params('params error: the time range must be within 7 days');
    return [start, end];
  }
  if (start !== undefined) return [start, start + 7 * DAY];
  if (end !== undefined) return [end - 7 * DAY, end];
  return [now - 7 * DAY, now];
}

function orderQuery(params: Params) {
  return { symbol: params.str('symbol'), orderId: params.str('orderId'), orderLinkId: params.str('orderLinkId') };
}

/** Orders matching a realtime/history query: by orderId, else orderLinkId, else symbol or settle coin (Bybit's priority). */
function ordersMatching(ctx: RouteContext, open: boolean): OrderRecord[] {
  const { params, state } = ctx;
  linearOnly(params);
  const q = orderQuery(params);
  if (q.symbol !== undefined) state.instrument(q.symbol);
  const settleCoin = params.str('settleCoin');
  const baseCoin = params.str('baseCoin');
  if (q.orderId === undefined && q.orderLinkId === undefined && q.symbol === undefined && settleCoin === undefined && baseCoin === undefined) {
    throw errors.params('Missing some parameters that must be filled in, symbol or settleCoin or baseCoin');
  }
  return state.listOrders((o) => {
    if (isOpen(o) !== open) return false;
    if (q.orderId !== undefined) return o.orderId === q.orderId;
    if (q.orderLinkId !== undefined) return o.orderLinkId === q.orderLinkId;
    if (q.symbol !== undefined) return o.symbol === q.symbol;
    if (baseCoin !== undefined) return state.instrument(o.symbol).spec.baseCoin === baseCoin;
    return settleCoin === 'USDT';
  });
}

const INTERVALS: Record<string, number> = { '1': 60_000, '3': 180_000, '5': 300_000, '15': 900_000, '30': 1_800_000, '60': 3_600_000, '120': 7_200_000, '240': 14_400_000, '360': 21_600_000, '720': 43_200_000, D: DAY, W: 7 * DAY };

/** Candles from the marks a test set, newest first (as Bybit lists them); a candle with no mark carries the last close. */
function klines(ctx: RouteContext): unknown {
  const { params, state } = ctx;
  linearOnly(params);
  const instrument = state.instrument(params.str('symbol'));
  const interval = params.str('interval') ?? '';
  const width = INTERVALS[interval];
  if (width === undefined) throw errors.params('params error: interval invalid');
  const limit = params.int('limit') ?? 200;
  if (limit < 1 || limit > 1000) throw errors.params('params error: limit must be in [1, 1000]');
  const end = params.int('end') ?? state.now();
  const start = params.int('start');
  const marks = state.marks24h(instrument.symbol);
  const last = Math.floor(end / width) * width;
  const first = Math.max(start === undefined ? -Infinity : Math.ceil(start / width) * width, last - (limit - 1) * width);
  const price = (value: bigint) => fixed(value, instrument.pricePlaces);
  const rows: string[][] = [];
  for (let open = first; open <= last; open += width) {
    const inside = marks.filter((m) => m.time >= open && m.time < open + width).map((m) => m.price);
    const carried = marks.filter((m) => m.time < open).at(-1)?.price ?? inside[0] ?? state.mark(instrument.symbol);
    const all = [carried, ...inside];
    const high = all.reduce((a, b) => (b > a ? b : a));
    const low = all.reduce((a, b) => (b < a ? b : a));
    rows.push([String(open), price(carried), price(high), price(low), price(all[all.length - 1]!), '0', '0']);
  }
  return { symbol: instrument.symbol, category: 'linear', list: rows.reverse() };
}

export const ROUTES: Route[] = [
  {
    method: 'GET',
    path: '/v5/market/time',
    access: 'public',
    perSecond: 600,
    handle: ({ state }) => {
      const now = state.now();
      return { timeSecond: String(Math.floor(now / 1000)), timeNano: `${now}000000` };
    },
  },
  {
    method: 'GET',
    path: '/v5/market/instruments-info',
    access: 'public',
    perSecond: 600,
    handle: ({ params, state }) => {
      const category = params.str('category');
      if (category === undefined) throw errors.params('params error: category is required');
      const symbol = params.str('symbol');
      const status = params.str('status');
      const listed = category === 'linear' && status !== 'PreLaunch' ? state.listInstruments().filter((i) => symbol === undefined || i.symbol === symbol) : [];
      return { category, list: listed.map(instrumentInfo), nextPageCursor: '' };
    },
  },
  {
    method: 'GET',
    path: '/v5/market/tickers',
    access: 'public',
    perSecond: 600,
    handle: ({ params, state }) => {
      const category = params.str('category');
      if (category === undefined) throw errors.params('params error: category is required');
      const symbol = params.str('symbol');
      if (category !== 'linear') return { category, list: [] };
      const instruments = symbol === undefined ? state.listInstruments() : [state.instrument(symbol)];
      return { category, list: instruments.map((i) => tickerView(state, i)) };
    },
  },
  { method: 'GET', path: '/v5/market/kline', access: 'public', perSecond: 600, handle: klines },
  {
    method: 'GET',
    path: '/v5/market/orderbook',
    access: 'public',
    perSecond: 600,
    handle: ({ params, state }) => {
      linearOnly(params);
      const instrument = state.instrument(params.str('symbol'));
      const mark = state.mark(instrument.symbol);
      const price = (value: bigint) => fixed(value, instrument.pricePlaces);
      const now = state.now();
      return { s: instrument.symbol, b: [[price(mark - instrument.tick), '10']], a: [[price(mark + instrument.tick), '10']], ts: now, u: 1, seq: 1, cts: now };
    },
  },
  {
    method: 'GET',
    path: '/v5/account/wallet-balance',
    access: 'read',
    perSecond: 50,
    handle: ({ params, state }) => {
      const accountType = params.str('accountType');
      if (accountType !== 'UNIFIED') throw errors.params('accountType only support UNIFIED.');
      return { list: [walletView(state)] };
    },
  },
  {
    method: 'GET',
    path: '/v5/account/info',
    access: 'read',
    perSecond: 50,
    handle: ({ state }) => ({ unifiedMarginStatus: 6, marginMode: 'REGULAR_MARGIN', isMasterTrader: false, spotHedgingStatus: 'OFF', updatedTime: String(state.now()), dcpStatus: 'OFF', timeWindow: 10, smpGroup: 0 }),
  },
  { method: 'GET', path: '/v5/user/query-api', access: 'read', perSecond: 10, handle: ({ apiKey, keys }) => keys.info(apiKey as string) },
  {
    method: 'GET',
    path: '/v5/position/list',
    access: 'read',
    perSecond: 50,
    handle: ({ params, state }) => {
      linearOnly(params);
      const symbol = params.str('symbol');
      const settleCoin = params.str('settleCoin');
      if (symbol === undefined && settleCoin === undefined && params.str('baseCoin') === undefined) {
        throw errors.params('Missing some parameters that must be filled in, symbol or settleCoin or baseCoin');
      }
      // With a symbol its position is listed even when flat; by coin, only open positions are.
      const rows =
        symbol !== undefined
          ? [positionView(state, state.instrument(symbol), state.position(symbol))]
          : state
              .listPositions()
              .filter((p) => p.qty !== 0n && (settleCoin === undefined || settleCoin === 'USDT'))
              .map((p) => positionView(state, state.instrument(p.symbol), p));
      const { page: list, nextPageCursor } = page(rows, params, 20, 200);
      return { category: 'linear', list, nextPageCursor };
    },
  },
  {
    method: 'POST',
    path: '/v5/position/set-leverage',
    access: 'position',
    perSecond: 10,
    handle: ({ params, state }) => {
      linearOnly(params);
      state.setLeverage(params.str('symbol'), params.str('buyLeverage'), params.str('sellLeverage'));
      return {};
    },
  },
  {
    method: 'POST',
    path: '/v5/order/create',
    access: 'order',
    perSecond: 10,
    handle: ({ params, state }) => {
      linearOnly(params);
      const order = state.placeOrder(params.raw);
      return { orderId: order.orderId, orderLinkId: order.orderLinkId };
    },
  },
  {
    method: 'POST',
    path: '/v5/order/amend',
    access: 'order',
    perSecond: 10,
    handle: ({ params, state }) => {
      linearOnly(params);
      const order = state.amendOrder(orderQuery(params), params.str('qty'), params.str('price'), params.str('triggerPrice'));
      return { orderId: order.orderId, orderLinkId: order.orderLinkId };
    },
  },
  {
    method: 'POST',
    path: '/v5/order/cancel',
    access: 'order',
    perSecond: 10,
    handle: ({ params, state }) => {
      linearOnly(params);
      const order = state.cancelOrder(orderQuery(params));
      return { orderId: order.orderId, orderLinkId: order.orderLinkId };
    },
  },
  {
    method: 'POST',
    path: '/v5/order/cancel-all',
    access: 'order',
    perSecond: 10,
    handle: ({ params, state }) => {
      linearOnly(params);
      const symbol = params.str('symbol');
      if (symbol === undefined && params.str('settleCoin') === undefined && params.str('baseCoin') === undefined) {
        throw errors.params('Missing some parameters that must be filled in, symbol or settleCoin or baseCoin');
      }
      const cancelled = state.cancelAll(symbol);
      return { list: cancelled.map((o) => ({ orderId: o.orderId, orderLinkId: o.orderLinkId })), success: '1' };
    },
  },
  {
    method: 'GET',
    path: '/v5/order/realtime',
    access: 'read',
    perSecond: 50,
    handle: (ctx) => {
      // openOnly=0 (the default) lists open orders only, whatever id is asked for; 1 the recent finished ones.
      const openOnly = ctx.params.int('openOnly') ?? 0;
      const rows = ordersMatching(ctx, openOnly === 0).slice(0, openOnly === 0 ? undefined : 500);
      const { page: list, nextPageCursor } = page(rows, ctx.params, 20, 50);
      return { category: 'linear', list: list.map((o) => orderView(ctx.state, o)), nextPageCursor };
    },
  },
  {
    method: 'GET',
    path: '/v5/order/history',
    access: 'read',
    perSecond: 50,
    handle: (ctx) => {
      const [start, end] = window(ctx.params, ctx.state.now());
      const status = ctx.params.str('orderStatus');
      const rows = ordersMatching(ctx, false).filter((o) => o.createdTime >= start && o.createdTime <= end && (status === undefined || o.status === status));
      const { page: list, nextPageCursor } = page(rows, ctx.params, 20, 50);
      return { category: 'linear', list: list.map((o) => orderView(ctx.state, o)), nextPageCursor };
    },
  },
  {
    method: 'GET',
    path: '/v5/execution/list',
    access: 'read',
    perSecond: 50,
    handle: ({ params, state }) => {
      linearOnly(params);
      const q = orderQuery(params);
      if (q.symbol !== undefined) state.instrument(q.symbol);
      const [start, end] = window(params, state.now());
      const matches = (e: ExecutionRecord) => {
        // orderId and orderLinkId take precedence over everything else, time included.
        if (q.orderId !== undefined) return e.orderId === q.orderId;
        if (q.orderLinkId !== undefined) return e.orderLinkId === q.orderLinkId;
        const execType = params.str('execType');
        return (q.symbol === undefined || e.symbol === q.symbol) && (execType === undefined || e.execType === execType) && e.execTime >= start && e.execTime <= end;
      };
      const { page: list, nextPageCursor } = page(state.listExecutions(matches), params, 50, 100);
      return { category: 'linear', list: list.map((e) => executionView(state, e)), nextPageCursor };
    },
  },
];

export function findRoute(method: string, path: string): Route | undefined {
  return ROUTES.find((r) => r.method === method && r.path === path);
}
