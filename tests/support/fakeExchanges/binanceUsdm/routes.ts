/**
 * The REST surface: each endpoint's method and path, its security type, its
 * request weight (Binance's published weights) and what it answers. Handlers
 * read checked parameters, call the exchange state and shape the answer.
 */
import type { KeyRing, Security } from './auth';
import { errors } from './errors';
import type { ExchangeState } from './exchangeState';
import type { MarketData } from './marketData';
import type { RateLimitOptions } from './rateLimits';
import { exchangeInfo } from './symbols';
import type { UserDataStream } from './userStream';
import { accountV2, accountV3, algoView, balanceView, incomeView, leverageBracketView, orderView, positionRiskV2, positionRiskV3, tradeView } from './views';

/** Request parameters (query and form body merged, the query winning as on Binance). */
export class Params {
  constructor(readonly raw: Record<string, string>) {}

  str(name: string): string | undefined {
    const value = this.raw[name];
    return value === undefined || value === '' ? undefined : value;
  }

  int(name: string): number | undefined {
    const value = this.str(name);
    if (value === undefined) return undefined;
    if (!/^-?\d{1,20}$/.test(value)) throw errors.illegalCharacters(name);
    return Number(value);
  }

  bool(name: string): boolean | undefined {
    const value = this.str(name);
    if (value === undefined) return undefined;
    if (value !== 'true' && value !== 'false') throw errors.illegalCharacters(name);
    return value === 'true';
  }
}

export interface RouteContext {
  params: Params;
  apiKey: string | undefined;
  state: ExchangeState;
  market: MarketData;
  userStream: UserDataStream;
  keys: KeyRing;
  limits: RateLimitOptions;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  security: Security;
  weight: (params: Params) => number;
  /** Counts toward the order-rate limits and carries X-MBX-ORDER-COUNT-* headers. */
  placesOrder?: boolean;
  handle: (ctx: RouteContext) => unknown;
}

const cost = (n: number) => () => n;
const bySymbol = (withSymbol: number, without: number) => (p: Params) => (p.str('symbol') === undefined ? without : withSymbol);
const byLimit = (table: [number, number][], fallback: number) => (p: Params) => {
  const limit = Number(p.str('limit') ?? 500);
  return table.find(([max]) => limit <= max)?.[1] ?? fallback;
};

function apiKeyOf(ctx: RouteContext): string {
  if (ctx.apiKey === undefined) throw errors.apiKeyFormat();
  return ctx.apiKey;
}

function symbolOf(ctx: RouteContext): string | undefined {
  const symbol = ctx.params.str('symbol');
  return symbol === undefined ? undefined : ctx.state.instrument(symbol).symbol;
}

function requiredSymbol(ctx: RouteContext): string {
  return ctx.state.instrument(ctx.params.str('symbol')).symbol;
}

const positionRisk = (version: 2 | 3) => (ctx: RouteContext) =>
  version === 3 ? positionRiskV3(ctx.state, symbolOf(ctx)) : positionRiskV2(ctx.state, symbolOf(ctx));

export const ROUTES: Route[] = [
  // ---- public market data ----
  { method: 'GET', path: '/fapi/v1/ping', security: 'NONE', weight: cost(1), handle: () => ({}) },
  { method: 'GET', path: '/fapi/v1/time', security: 'NONE', weight: cost(1), handle: (ctx) => ({ serverTime: ctx.state.now() }) },
  {
    method: 'GET',
    path: '/fapi/v1/exchangeInfo',
    security: 'NONE',
    weight: cost(1),
    handle: (ctx) =>
      exchangeInfo(ctx.state.listInstruments(), ctx.state.now(), {
        weight: ctx.limits.weightPerMinute,
        ordersPerMinute: ctx.limits.ordersPerMinute,
        ordersPer10s: ctx.limits.ordersPer10s,
      }),
  },
  { method: 'GET', path: '/fapi/v1/ticker/bookTicker', security: 'NONE', weight: bySymbol(2, 5), handle: (ctx) => ctx.market.bookTicker(symbolOf(ctx)) },
  { method: 'GET', path: '/fapi/v1/ticker/price', security: 'NONE', weight: bySymbol(1, 2), handle: (ctx) => ctx.market.lastPrice(symbolOf(ctx)) },
  { method: 'GET', path: '/fapi/v2/ticker/price', security: 'NONE', weight: bySymbol(1, 2), handle: (ctx) => ctx.market.lastPrice(symbolOf(ctx)) },
  { method: 'GET', path: '/fapi/v1/ticker/24hr', security: 'NONE', weight: bySymbol(1, 40), handle: (ctx) => ctx.market.ticker24h(symbolOf(ctx)) },
  { method: 'GET', path: '/fapi/v1/premiumIndex', security: 'NONE', weight: bySymbol(1, 10), handle: (ctx) => ctx.market.premiumIndex(symbolOf(ctx)) },
  {
    method: 'GET',
    path: '/fapi/v1/depth',
    security: 'NONE',
    weight: byLimit(
      [
        [50, 2],
        [100, 5],
        [500, 10],
      ],
      20,
    ),
    handle: (ctx) => ctx.market.depth(ctx.params.str('symbol'), ctx.params.int('limit') ?? 5),
  },
  {
    method: 'GET',
    path: '/fapi/v1/klines',
    security: 'NONE',
    weight: byLimit(
      [
        [99, 1],
        [499, 2],
        [1000, 5],
      ],
      10,
    ),
    handle: (ctx) =>
      ctx.market.klines(
        ctx.params.str('symbol'),
        ctx.params.str('interval'),
        ctx.params.int('startTime'),
        ctx.params.int('endTime'),
        ctx.params.int('limit') ?? 500,
      ),
  },

  // ---- orders ----
  {
    method: 'POST',
    path: '/fapi/v1/order',
    security: 'TRADE',
    weight: cost(0),
    placesOrder: true,
    handle: (ctx) => {
      const p = ctx.params;
      const order = ctx.state.placeOrder({
        symbol: requiredSymbol(ctx),
        side: p.str('side') ?? '',
        type: p.str('type') ?? '',
        quantity: p.str('quantity'),
        price: p.str('price'),
        timeInForce: p.str('timeInForce'),
        reduceOnly: p.bool('reduceOnly'),
        closePosition: p.bool('closePosition'),
        clientOrderId: p.str('newClientOrderId'),
        goodTillDate: p.int('goodTillDate'),
      });
      return orderView(ctx.state, order, 'placed');
    },
  },
  {
    method: 'PUT',
    path: '/fapi/v1/order',
    security: 'TRADE',
    weight: cost(1),
    placesOrder: true,
    handle: (ctx) => {
      const p = ctx.params;
      const order = ctx.state.modifyOrder(requiredSymbol(ctx), p.int('orderId'), p.str('origClientOrderId'), p.str('side'), p.str('quantity'), p.str('price'));
      return orderView(ctx.state, order, 'placed');
    },
  },
  {
    method: 'GET',
    path: '/fapi/v1/order',
    security: 'USER_DATA',
    weight: cost(1),
    handle: (ctx) =>
      orderView(ctx.state, ctx.state.queryOrder(requiredSymbol(ctx), ctx.params.int('orderId'), ctx.params.str('origClientOrderId')), 'queried'),
  },
  {
    method: 'DELETE',
    path: '/fapi/v1/order',
    security: 'TRADE',
    weight: cost(1),
    handle: (ctx) =>
      orderView(ctx.state, ctx.state.cancelOrder(requiredSymbol(ctx), ctx.params.int('orderId'), ctx.params.str('origClientOrderId')), 'placed'),
  },
  {
    method: 'GET',
    path: '/fapi/v1/openOrders',
    security: 'USER_DATA',
    weight: bySymbol(1, 40),
    handle: (ctx) => ctx.state.openOrders(symbolOf(ctx)).map((o) => orderView(ctx.state, o, 'queried')),
  },
  {
    method: 'DELETE',
    path: '/fapi/v1/allOpenOrders',
    security: 'TRADE',
    weight: cost(1),
    handle: (ctx) => {
      ctx.state.cancelAllOrders(requiredSymbol(ctx));
      return { code: 200, msg: 'The operation of cancel all open order is done.' };
    },
  },
  {
    method: 'GET',
    path: '/fapi/v1/allOrders',
    security: 'USER_DATA',
    weight: cost(5),
    handle: (ctx) =>
      ctx.state
        .allOrders(requiredSymbol(ctx), {
          orderId: ctx.params.int('orderId'),
          startTime: ctx.params.int('startTime'),
          endTime: ctx.params.int('endTime'),
          limit: ctx.params.int('limit'),
        })
        .map((o) => orderView(ctx.state, o, 'queried')),
  },
  {
    method: 'GET',
    path: '/fapi/v1/userTrades',
    security: 'USER_DATA',
    weight: cost(5),
    handle: (ctx) =>
      ctx.state
        .userTrades(requiredSymbol(ctx), {
          startTime: ctx.params.int('startTime'),
          endTime: ctx.params.int('endTime'),
          fromId: ctx.params.int('fromId'),
          limit: ctx.params.int('limit'),
        })
        .map((t) => tradeView(ctx.state, t)),
  },

  // ---- conditional (algo) orders ----
  {
    method: 'POST',
    path: '/fapi/v1/algoOrder',
    security: 'TRADE',
    weight: cost(0),
    placesOrder: true,
    handle: (ctx) => {
      const p = ctx.params;
      const algo = ctx.state.placeAlgoOrder({
        algoType: p.str('algoType') ?? '',
        symbol: requiredSymbol(ctx),
        side: p.str('side') ?? '',
        type: p.str('type') ?? '',
        quantity: p.str('quantity'),
        triggerPrice: p.str('triggerPrice'),
        price: p.str('price'),
        timeInForce: p.str('timeInForce'),
        reduceOnly: p.bool('reduceOnly'),
        closePosition: p.bool('closePosition'),
        clientAlgoId: p.str('clientAlgoId'),
        workingType: p.str('workingType'),
        callbackRate: p.str('callbackRate'),
        activatePrice: p.str('activatePrice') ?? p.str('activationPrice'),
      });
      return algoView(ctx.state, algo);
    },
  },
  {
    method: 'GET',
    path: '/fapi/v1/algoOrder',
    security: 'USER_DATA',
    weight: cost(1),
    handle: (ctx) => algoView(ctx.state, ctx.state.queryAlgoOrder(ctx.params.int('algoId'), ctx.params.str('clientAlgoId'))),
  },
  {
    method: 'DELETE',
    path: '/fapi/v1/algoOrder',
    security: 'TRADE',
    weight: cost(1),
    handle: (ctx) => {
      const algo = ctx.state.cancelAlgoOrder(ctx.params.int('algoId'), ctx.params.str('clientAlgoId'));
      return { algoId: algo.algoId, clientAlgoId: algo.clientAlgoId, code: '200', msg: 'success' };
    },
  },
  {
    method: 'GET',
    path: '/fapi/v1/openAlgoOrders',
    security: 'USER_DATA',
    weight: bySymbol(1, 40),
    handle: (ctx) => ctx.state.openAlgoOrders(symbolOf(ctx)).map((a) => algoView(ctx.state, a)),
  },
  {
    method: 'DELETE',
    path: '/fapi/v1/algoOpenOrders',
    security: 'TRADE',
    weight: cost(1),
    handle: (ctx) => {
      ctx.state.cancelAllAlgoOrders(requiredSymbol(ctx));
      return { code: 200, msg: 'The operation of cancel all open order is done.' };
    },
  },

  // ---- account ----
  { method: 'GET', path: '/fapi/v2/positionRisk', security: 'USER_DATA', weight: cost(5), handle: positionRisk(2) },
  { method: 'GET', path: '/fapi/v3/positionRisk', security: 'USER_DATA', weight: cost(5), handle: positionRisk(3) },
  {
    method: 'GET',
    path: '/fapi/v1/income',
    security: 'USER_DATA',
    weight: cost(30),
    handle: (ctx) =>
      ctx.state
        .incomeHistory({
          symbol: symbolOf(ctx),
          incomeType: ctx.params.str('incomeType'),
          startTime: ctx.params.int('startTime'),
          endTime: ctx.params.int('endTime'),
          limit: ctx.params.int('limit'),
        })
        .map(incomeView),
  },
  { method: 'GET', path: '/fapi/v2/account', security: 'USER_DATA', weight: cost(5), handle: (ctx) => accountV2(ctx.state) },
  { method: 'GET', path: '/fapi/v3/account', security: 'USER_DATA', weight: cost(5), handle: (ctx) => accountV3(ctx.state) },
  { method: 'GET', path: '/fapi/v2/balance', security: 'USER_DATA', weight: cost(5), handle: (ctx) => balanceView(ctx.state) },
  { method: 'GET', path: '/fapi/v3/balance', security: 'USER_DATA', weight: cost(5), handle: (ctx) => balanceView(ctx.state) },
  {
    method: 'GET',
    path: '/fapi/v1/leverageBracket',
    security: 'USER_DATA',
    weight: cost(1),
    handle: (ctx) => leverageBracketView(ctx.state, symbolOf(ctx)),
  },
  {
    method: 'POST',
    path: '/fapi/v1/leverage',
    security: 'TRADE',
    weight: cost(1),
    handle: (ctx) => ctx.state.setLeverage(requiredSymbol(ctx), ctx.params.str('leverage')),
  },
  { method: 'GET', path: '/fapi/v1/positionSide/dual', security: 'USER_DATA', weight: cost(30), handle: () => ({ dualSidePosition: false }) },
  {
    method: 'GET',
    path: '/sapi/v1/account/apiRestrictions',
    security: 'USER_DATA',
    weight: cost(1),
    handle: (ctx) => ctx.keys.restrictions(apiKeyOf(ctx)),
  },

  // ---- user-data stream ----
  {
    method: 'POST',
    path: '/fapi/v1/listenKey',
    security: 'USER_STREAM',
    weight: cost(1),
    handle: (ctx) => ({ listenKey: ctx.userStream.createListenKey(apiKeyOf(ctx)) }),
  },
  {
    method: 'PUT',
    path: '/fapi/v1/listenKey',
    security: 'USER_STREAM',
    weight: cost(1),
    handle: (ctx) => ({ listenKey: ctx.userStream.keepAlive(apiKeyOf(ctx)) }),
  },
  {
    method: 'DELETE',
    path: '/fapi/v1/listenKey',
    security: 'USER_STREAM',
    weight: cost(1),
    handle: (ctx) => {
      ctx.userStream.deleteListenKey(apiKeyOf(ctx));
      return {};
    },
  },
];

export function findRoute(method: string, path: string): Route | undefined {
  return ROUTES.find((r) => r.method === method && r.path === path);
}
