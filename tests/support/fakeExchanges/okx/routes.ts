/**
 * The REST surface of the fake OKX: each v5 endpoint's method and path, what
 * a key needs to call it, how many calls a key (or, for public data, an IP)
 * may make in OKX's two-second window, and what it answers. Only USDT
 * perpetual swaps trade; spot, futures and option lists are empty, as on an
 * account that holds none. Lists come newest first and page by id cursors
 * (`after` for older, `before` for newer) or by `begin`/`end` times, at most
 * 100 a page, as OKX pages them.
 */
import { JsonParams } from '../common/account';
import { fixed } from '../common/decimal';
import type { Access, OkxKeyRing } from './auth';
import { errors, OkxError } from './errors';
import { instrumentView } from './instruments';
import { type FillRecord, isOpen, type OkxState, type OrderRecord } from './state';
import type { AlgoRecord } from './algos';
import { algoView, balanceView, billView, fillView, orderView, positionView, tickerView } from './views';

/** Request parameters: the query of a GET, the JSON object of a POST. */
export class Params extends JsonParams {
  constructor(raw: Record<string, unknown>) {
    super(raw, /^-?\d{1,19}$/, (name) => errors.params(name));
  }
}

export interface RouteContext {
  params: Params;
  /** The body of a batch endpoint (a JSON array), else null. */
  list: Array<Record<string, unknown>> | null;
  apiKey: string | undefined;
  state: OkxState;
  keys: OkxKeyRing;
}

/** What a route answers: OKX's code ("0" success, "1" all failed, "2" partly) and its data. */
export interface RouteAnswer {
  code: string;
  msg: string;
  data: unknown[];
}

export interface Route {
  method: 'GET' | 'POST';
  path: string;
  access: Access;
  /** Requests per two seconds (per key, or per IP for public data), as OKX documents for the endpoint. */
  per2s: number;
  /** POST only: the body is a JSON array of up to 20 entries. */
  batch?: boolean;
  handle: (ctx: RouteContext) => RouteAnswer | unknown[];
}

const DAY = 86_400_000;
const SWAP = 'SWAP';
const INST_TYPES = ['SPOT', 'MARGIN', 'SWAP', 'FUTURES', 'OPTION'];

function ok(data: unknown[]): RouteAnswer {
  return { code: '0', msg: '', data };
}

/** The answers of a batch of order operations: "0" when all succeeded, "1" when all failed, "2" when some did. */
function batchAnswer(entries: Array<Record<string, unknown>>, single: boolean): RouteAnswer {
  const failed = entries.filter((e) => e.sCode !== '0').length;
  if (failed === 0) return ok(entries);
  if (failed === entries.length) return { code: '1', msg: single ? 'Operation failed.' : 'All operations failed', data: entries };
  return { code: '2', msg: 'Bulk operation partially succeeded.', data: entries };
}

/** Runs one order operation; an OKX refusal becomes the entry's sCode/sMsg. */
function perOrder(ctx: RouteContext, request: Record<string, unknown>, run: () => OrderRecord, okMsg: string): Record<string, unknown> {
  const ts = String(ctx.state.now());
  try {
    const order = run();
    return { clOrdId: order.clOrdId, ordId: order.ordId, sCode: '0', sMsg: okMsg, tag: '', ts };
  } catch (error) {
    if (!(error instanceof OkxError)) throw error;
    const id = (name: string) => (typeof request[name] === 'string' ? (request[name] as string) : '');
    return { clOrdId: id('clOrdId'), ordId: id('ordId'), sCode: error.code, sMsg: error.msg, tag: '', ts };
  }
}

/** Runs one algo order operation; an OKX refusal becomes the entry's sCode/sMsg. */
function perAlgo(ctx: RouteContext, request: Record<string, unknown>, run: () => AlgoRecord, okMsg: string): Record<string, unknown> {
  const ts = String(ctx.state.now());
  try {
    const algo = run();
    return { algoClOrdId: algo.algoClOrdId, algoId: algo.algoId, clOrdId: '', sCode: '0', sMsg: okMsg, tag: '', ts };
  } catch (error) {
    if (!(error instanceof OkxError)) throw error;
    const id = (name: string) => (typeof request[name] === 'string' ? (request[name] as string) : '');
    return { algoClOrdId: id('algoClOrdId'), algoId: id('algoId'), clOrdId: '', sCode: error.code, sMsg: error.msg, tag: '', ts };
  }
}

/** The algo types asked for: OKX requires `ordType`, and takes several comma-separated. */
function algoTypes(params: Params): string[] {
  const ordType = params.str('ordType');
  if (ordType === undefined) throw errors.emptyParam('ordType');
  return ordType.split(',');
}

function batchOf(ctx: RouteContext): Array<Record<string, unknown>> {
  const list = ctx.list ?? [];
  if (list.length === 0) throw errors.bodyNotJson();
  if (list.length > 20) throw errors.tooManyInBatch();
  return list;
}

function swapOnly(params: Params, required: boolean): boolean {
  const instType = params.str('instType');
  if (instType === undefined) {
    if (required) throw errors.emptyParam('instType');
    return true;
  }
  if (!INST_TYPES.includes(instType) && instType !== 'ANY') throw errors.params('instType');
  return instType === SWAP || instType === 'ANY';
}

function limitOf(params: Params, max: number, fallback: number): number {
  const limit = params.int('limit') ?? fallback;
  if (limit < 1) throw errors.params('limit');
  return Math.min(limit, max);
}

/** Newest-first list paged by an id cursor: `after` lists older than the id, `before` newer (ids grow with time). */
function pageById<T>(list: T[], idOf: (item: T) => string, params: Params, max: number): T[] {
  const after = params.str('after');
  const before = params.str('before');
  let rows = list;
  if (after !== undefined) rows = rows.filter((item) => BigInt(idOf(item)) < BigInt(after));
  if (before !== undefined) rows = rows.filter((item) => BigInt(idOf(item)) > BigInt(before));
  return rows.slice(0, limitOf(params, max, max));
}

function orderFilter(ctx: RouteContext, open: boolean): (order: OrderRecord) => boolean {
  const { params, state } = ctx;
  const instId = params.str('instId');
  if (instId !== undefined) state.instrument(instId);
  const ordType = params.str('ordType');
  const wanted = params.str('state');
  return (o) => isOpen(o) === open && (instId === undefined || o.instId === instId) && (ordType === undefined || o.ordType === ordType) && (wanted === undefined || o.state === wanted);
}

/** Fills of fills and fills-history: by instrument, order, and `begin`/`end` (both inclusive), paged by billId. */
function fills(ctx: RouteContext, instTypeRequired: boolean, days: number): unknown[] {
  const { params, state } = ctx;
  if (!swapOnly(params, instTypeRequired)) return [];
  const instId = params.str('instId');
  if (instId !== undefined) state.instrument(instId);
  const ordId = params.str('ordId');
  const now = state.now();
  const begin = params.int('begin') ?? now - days * DAY;
  const end = params.int('end') ?? now;
  const matches = (f: FillRecord) => (instId === undefined || f.instId === instId) && (ordId === undefined || f.ordId === ordId) && f.ts >= begin && f.ts <= end;
  return pageById(state.listFills(matches), (f) => f.billId, params, 100).map((f) => fillView(state, f));
}

const BARS: Record<string, number> = {
  '1m': 60_000,
  '3m': 180_000,
  '5m': 300_000,
  '15m': 900_000,
  '30m': 1_800_000,
  '1H': 3_600_000,
  '2H': 7_200_000,
  '4H': 14_400_000,
  '6Hutc': 21_600_000,
  '12Hutc': 43_200_000,
  '1Dutc': DAY,
  '1Wutc': 7 * DAY,
  '6H': 21_600_000,
  '12H': 43_200_000,
  '1D': DAY,
  '1W': 7 * DAY,
};

/** Candles from the marks a test set, newest first (as OKX lists them); a candle with no mark carries the last close. */
function candles(ctx: RouteContext, max: number): unknown[] {
  const { params, state } = ctx;
  const instrument = state.instrument(params.str('instId'));
  const bar = params.str('bar') ?? '1m';
  const width = BARS[bar];
  if (width === undefined) throw errors.params('bar');
  const limit = limitOf(params, max, 100);
  const after = params.int('after');
  const before = params.int('before');
  const marks = state.marks24h(instrument.instId);
  const last = Math.floor(((after ?? state.now() + 1) - 1) / width) * width;
  const earliest = before === undefined ? -Infinity : Math.floor(before / width) * width + width;
  const first = Math.max(earliest, last - (limit - 1) * width);
  const price = (value: bigint) => fixed(value, instrument.pricePlaces);
  const rows: string[][] = [];
  for (let open = first; open <= last; open += width) {
    const inside = marks.filter((m) => m.time >= open && m.time < open + width).map((m) => m.price);
    const carried = marks.filter((m) => m.time < open).at(-1)?.price ?? inside[0] ?? state.mark(instrument.instId);
    const all = [carried, ...inside];
    const high = all.reduce((a, b) => (b > a ? b : a));
    const low = all.reduce((a, b) => (b < a ? b : a));
    const confirmed = open + width <= state.now() ? '1' : '0';
    rows.push([String(open), price(carried), price(high), price(low), price(all[all.length - 1]!), '0', '0', '0', confirmed]);
  }
  return rows.reverse();
}

export const ROUTES: Route[] = [
  { method: 'GET', path: '/api/v5/public/time', access: 'public', per2s: 10, handle: ({ state }) => [{ ts: String(state.now()) }] },
  {
    method: 'GET',
    path: '/api/v5/public/instruments',
    access: 'public',
    per2s: 20,
    handle: ({ params, state }) => {
      const instType = params.str('instType');
      if (instType === undefined) throw errors.emptyParam('instType');
      if (!INST_TYPES.includes(instType)) throw errors.params('instType');
      if (instType === 'OPTION' && params.str('uly') === undefined && params.str('instFamily') === undefined) throw errors.emptyParam('uly');
      if (instType !== SWAP) return [];
      const instId = params.str('instId');
      const family = params.str('instFamily') ?? params.str('uly');
      return state
        .listInstruments()
        .filter((i) => (instId === undefined || i.instId === instId) && (family === undefined || i.spec.uly === family))
        .map((i) => instrumentView(i, state.listTime));
    },
  },
  {
    method: 'GET',
    path: '/api/v5/market/tickers',
    access: 'public',
    per2s: 20,
    handle: ({ params, state }) => {
      const instType = params.str('instType');
      if (instType === undefined) throw errors.emptyParam('instType');
      if (!INST_TYPES.includes(instType)) throw errors.params('instType');
      if (instType !== SWAP) return [];
      const family = params.str('instFamily') ?? params.str('uly');
      return state
        .listInstruments()
        .filter((i) => family === undefined || i.spec.uly === family)
        .map((i) => tickerView(state, i));
    },
  },
  { method: 'GET', path: '/api/v5/market/ticker', access: 'public', per2s: 20, handle: ({ params, state }) => [tickerView(state, state.instrument(params.str('instId')))] },
  { method: 'GET', path: '/api/v5/market/candles', access: 'public', per2s: 40, handle: (ctx) => candles(ctx, 300) },
  { method: 'GET', path: '/api/v5/market/history-candles', access: 'public', per2s: 20, handle: (ctx) => candles(ctx, 100) },
  {
    method: 'GET',
    path: '/api/v5/market/books',
    access: 'public',
    per2s: 40,
    handle: ({ params, state }) => {
      const instrument = state.instrument(params.str('instId'));
      const depth = Math.min(Math.max(params.int('sz') ?? 1, 1), 400);
      const levels = Math.min(depth, 5);
      const mark = state.mark(instrument.instId);
      const price = (value: bigint) => fixed(value, instrument.pricePlaces);
      const level = (offset: bigint) => [price(mark + offset * instrument.tick), '100', '0', '1'];
      const asks = Array.from({ length: levels }, (_, i) => level(BigInt(i + 1)));
      const bids = Array.from({ length: levels }, (_, i) => level(-BigInt(i + 1)));
      return [{ asks, bids, ts: String(state.now()) }];
    },
  },
  {
    method: 'GET',
    path: '/api/v5/account/balance',
    access: 'read',
    per2s: 10,
    handle: ({ params, state }) => {
      const view = balanceView(state);
      const ccy = params.str('ccy');
      if (ccy !== undefined && !ccy.split(',').includes('USDT')) view.details = [];
      return [view];
    },
  },
  {
    method: 'GET',
    path: '/api/v5/account/positions',
    access: 'read',
    per2s: 10,
    handle: ({ params, state }) => {
      const instType = params.str('instType');
      if (instType !== undefined && !INST_TYPES.includes(instType)) throw errors.params('instType');
      if (instType !== undefined && instType !== SWAP) return [];
      const ids = params.str('instId')?.split(',');
      if (ids !== undefined && ids.length > 10) throw errors.params('instId');
      for (const id of ids ?? []) state.instrument(id);
      return state
        .openPositions()
        .filter((p) => ids === undefined || ids.includes(p.instId))
        .map((p) => positionView(state, p));
    },
  },
  { method: 'GET', path: '/api/v5/account/config', access: 'read', per2s: 5, handle: ({ apiKey, keys }) => [keys.config(apiKey as string)] },
  // ccxt's loadMarkets asks for the funding currencies on a live account (okx.js fetchCurrencies; not in simulated trading).
  {
    method: 'GET',
    path: '/api/v5/asset/currencies',
    access: 'read',
    per2s: 12,
    handle: () =>
      [
        ['USDT', 'Tether', 'USDT-TRC20', '6'],
        ['USDT', 'Tether', 'USDT-ERC20', '6'],
        ['BTC', 'Bitcoin', 'BTC-Bitcoin', '8'],
        ['ETH', 'Ethereum', 'ETH-ERC20', '8'],
      ].map(([ccy, name, chain, places]) => ({ canDep: true, canInternal: true, canWd: true, ccy, chain, fee: '1', logoLink: '', mainNet: true, maxFee: '1', maxWd: '1000000', minFee: '1', minWd: '2', name, wdTickSz: places })),
  },
  {
    method: 'POST',
    path: '/api/v5/account/set-leverage',
    access: 'trade',
    per2s: 20,
    handle: ({ params, state }) => {
      const instId = params.str('instId');
      if (instId === undefined) throw errors.emptyParam('instId');
      const mgnMode = params.str('mgnMode');
      const lever = state.setLeverage(instId, params.str('lever'), mgnMode);
      return [{ instId, lever: String(lever), mgnMode, posSide: params.str('posSide') ?? '' }];
    },
  },
  {
    method: 'POST',
    path: '/api/v5/trade/order',
    access: 'trade',
    per2s: 60,
    handle: (ctx) => batchAnswer([perOrder(ctx, ctx.params.raw, () => ctx.state.placeOrder(ctx.params.raw), 'Order placed')], true),
  },
  {
    method: 'POST',
    path: '/api/v5/trade/batch-orders',
    access: 'trade',
    per2s: 300,
    batch: true,
    handle: (ctx) => batchAnswer(batchOf(ctx).map((request) => perOrder(ctx, request, () => ctx.state.placeOrder(request), 'Order placed')), false),
  },
  {
    method: 'POST',
    path: '/api/v5/trade/cancel-order',
    access: 'trade',
    per2s: 60,
    handle: (ctx) => {
      const p = ctx.params;
      return batchAnswer([perOrder(ctx, p.raw, () => ctx.state.cancelOrder({ instId: p.str('instId'), ordId: p.str('ordId'), clOrdId: p.str('clOrdId') }), '')], true);
    },
  },
  {
    method: 'POST',
    path: '/api/v5/trade/cancel-batch-orders',
    access: 'trade',
    per2s: 300,
    batch: true,
    handle: (ctx) =>
      batchAnswer(
        batchOf(ctx).map((request) => {
          const p = new Params(request);
          return perOrder(ctx, request, () => ctx.state.cancelOrder({ instId: p.str('instId'), ordId: p.str('ordId'), clOrdId: p.str('clOrdId') }), '');
        }),
        false,
      ),
  },
  {
    method: 'GET',
    path: '/api/v5/trade/order',
    access: 'read',
    per2s: 60,
    handle: ({ params, state }) => {
      const instId = params.str('instId');
      state.instrument(instId);
      const ordId = params.str('ordId');
      const clOrdId = params.str('clOrdId');
      if (ordId === undefined && clOrdId === undefined) throw new OkxError('51003', 'Either client order ID or order ID is required.');
      // ordId wins over clOrdId; with a clOrdId the latest order that carries it is answered.
      const order = state.findOrder({ instId, ordId, clOrdId }, false);
      if (order === undefined) throw errors.orderNotFound();
      return [orderView(state, order)];
    },
  },
  {
    method: 'GET',
    path: '/api/v5/trade/orders-pending',
    access: 'read',
    per2s: 60,
    handle: (ctx) => {
      if (!swapOnly(ctx.params, false)) return [];
      return pageById(ctx.state.listOrders(orderFilter(ctx, true)), (o) => o.ordId, ctx.params, 100).map((o) => orderView(ctx.state, o));
    },
  },
  {
    method: 'GET',
    path: '/api/v5/trade/orders-history',
    access: 'read',
    per2s: 40,
    handle: (ctx) => {
      if (!swapOnly(ctx.params, true)) return [];
      const now = ctx.state.now();
      const begin = ctx.params.int('begin') ?? now - 7 * DAY;
      const end = ctx.params.int('end') ?? now;
      const base = orderFilter(ctx, false);
      const rows = ctx.state.listOrders((o) => base(o) && o.cTime >= Math.max(begin, now - 7 * DAY) && o.cTime <= end);
      return pageById(rows, (o) => o.ordId, ctx.params, 100).map((o) => orderView(ctx.state, o));
    },
  },
  {
    method: 'POST',
    path: '/api/v5/trade/amend-order',
    access: 'trade',
    per2s: 60,
    handle: (ctx) => {
      const p = ctx.params;
      return batchAnswer([perOrder(ctx, p.raw, () => ctx.state.amendOrder({ instId: p.str('instId'), ordId: p.str('ordId'), clOrdId: p.str('clOrdId') }, p.str('newSz'), p.str('newPx')), '')], true);
    },
  },
  {
    method: 'POST',
    path: '/api/v5/trade/order-algo',
    access: 'trade',
    per2s: 20,
    handle: (ctx) => batchAnswer([perAlgo(ctx, ctx.params.raw, () => ctx.state.algos.place(ctx.params.raw), 'Order placed')], true),
  },
  {
    method: 'POST',
    path: '/api/v5/trade/cancel-algos',
    access: 'trade',
    per2s: 20,
    batch: true,
    handle: (ctx) =>
      batchAnswer(
        batchOf(ctx).map((request) => {
          const p = new Params(request);
          return perAlgo(ctx, request, () => ctx.state.algos.cancel({ instId: p.str('instId'), algoId: p.str('algoId'), algoClOrdId: p.str('algoClOrdId') }), '');
        }),
        false,
      ),
  },
  {
    method: 'POST',
    path: '/api/v5/trade/amend-algos',
    access: 'trade',
    per2s: 20,
    handle: (ctx) => batchAnswer([perAlgo(ctx, ctx.params.raw, () => ctx.state.algos.amend(ctx.params.raw), '')], true),
  },
  {
    method: 'GET',
    path: '/api/v5/trade/orders-algo-pending',
    access: 'read',
    per2s: 20,
    handle: ({ params, state }) => {
      const types = algoTypes(params);
      const instId = params.str('instId');
      if (instId !== undefined) state.instrument(instId);
      const algoId = params.str('algoId');
      const algoClOrdId = params.str('algoClOrdId');
      return state.algos
        .list((a) => a.state === 'live' && types.includes(a.ordType) && (instId === undefined || a.instId === instId) && (algoId === undefined || a.algoId === algoId) && (algoClOrdId === undefined || a.algoClOrdId === algoClOrdId))
        .slice(0, 100)
        .map((a) => algoView(state, a));
    },
  },
  {
    method: 'GET',
    path: '/api/v5/trade/orders-algo-history',
    access: 'read',
    per2s: 20,
    handle: ({ params, state }) => {
      const types = algoTypes(params);
      const wanted = params.str('state');
      const algoId = params.str('algoId');
      if (wanted === undefined && algoId === undefined) throw errors.emptyParam('state');
      const instId = params.str('instId');
      return state.algos
        .list((a) => a.state !== 'live' && types.includes(a.ordType) && (wanted === undefined || a.state === wanted) && (algoId === undefined || a.algoId === algoId) && (instId === undefined || a.instId === instId))
        .slice(0, 100)
        .map((a) => algoView(state, a));
    },
  },
  {
    method: 'GET',
    path: '/api/v5/trade/order-algo',
    access: 'read',
    per2s: 20,
    handle: ({ params, state }) => {
      const algoId = params.str('algoId');
      const algoClOrdId = params.str('algoClOrdId');
      if (algoId === undefined && algoClOrdId === undefined) throw new OkxError('51003', 'Either client algo order ID or algo order ID is required.');
      const algo = state.algos.find({ algoId, algoClOrdId }, false);
      if (algo === undefined) throw errors.algoNotFound();
      return [algoView(state, algo)];
    },
  },
  {
    method: 'GET',
    path: '/api/v5/account/bills-archive',
    access: 'read',
    per2s: 5,
    handle: ({ params, state }) => {
      const instType = params.str('instType');
      if (instType !== undefined && !INST_TYPES.includes(instType)) throw errors.params('instType');
      const type = params.str('type');
      const ccy = params.str('ccy');
      const now = state.now();
      const begin = params.int('begin') ?? now - 90 * DAY;
      const end = params.int('end') ?? now;
      const rows = state.listBills(
        (b) => (instType === undefined || instType === SWAP) && (type === undefined || b.type === type) && (ccy === undefined || b.ccy === ccy) && b.ts >= begin && b.ts <= end,
      );
      return pageById(rows, (b) => b.billId, params, 100).map(billView);
    },
  },
  { method: 'GET', path: '/api/v5/trade/fills', access: 'read', per2s: 60, handle: (ctx) => fills(ctx, false, 3) },
  { method: 'GET', path: '/api/v5/trade/fills-history', access: 'read', per2s: 10, handle: (ctx) => fills(ctx, true, 90) },
];

export function findRoute(method: string, path: string): Route | undefined {
  return ROUTES.find((r) => r.method === method && r.path === path);
}
