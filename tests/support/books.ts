/**
 * Reading the books through the contract: every order and fill (following
 * `nextCursor` page by page), and a snapshot of what a refused request must
 * never change. Prices and sizes come from the ticker and the instrument.
 */
import { Dec } from '../../src/shared/decimal';
import type { Fill, Instrument, Order, Position } from '../../src/shared/domain';
import type { RpcSocket } from './rpcSocket';

/** Far more pages than any test makes; reaching it means the cursor does not advance. */
const MAX_PAGES = 10_000;

async function allPages<T>(fetch: (cursor: string | undefined) => Promise<{ rows: T[]; nextCursor: string | null }>): Promise<T[]> {
  const rows: T[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const next = await fetch(cursor);
    rows.push(...next.rows);
    if (next.nextCursor === null) return rows;
    if (seen.has(next.nextCursor)) throw new Error(`the cursor ${next.nextCursor} came back twice`);
    seen.add(next.nextCursor);
    cursor = next.nextCursor;
  }
  throw new Error(`more than ${MAX_PAGES} pages`);
}

export function allOrders(rpc: RpcSocket, pageSize = 500): Promise<Order[]> {
  return allPages(async (cursor) => {
    const page = await rpc.ok('orders.list', { status: 'all', limit: pageSize, ...(cursor === undefined ? {} : { cursor }) });
    return { rows: page.orders, nextCursor: page.nextCursor };
  });
}

export function allFills(rpc: RpcSocket, pageSize = 500): Promise<Fill[]> {
  return allPages(async (cursor) => {
    const page = await rpc.ok('fills.list', { limit: pageSize, ...(cursor === undefined ? {} : { cursor }) });
    return { rows: page.fills, nextCursor: page.nextCursor };
  });
}

/** The parts of a position that only fills move (not the mark, PnL at the mark or margin). */
export function booked(p: Position) {
  return {
    venue: p.venue,
    symbol: p.symbol,
    side: p.side,
    quantity: p.quantity,
    entryPrice: p.entryPrice,
    realizedPnl: p.realizedPnl,
    realizedPnlGross: p.realizedPnlGross,
    feesPaid: p.feesPaid,
    leverage: p.leverage,
  };
}

export interface BooksSnapshot {
  balance: string;
  realizedPnlGross: string;
  feesPaid: string;
  positions: ReturnType<typeof booked>[];
  orders: Order[];
  fills: Fill[];
}

export async function booksSnapshot(rpc: RpcSocket): Promise<BooksSnapshot> {
  const summary = await rpc.ok('account.summary', {});
  const positions = (await rpc.ok('positions.list', {})).map(booked).sort((a, b) => `${a.venue}|${a.symbol}`.localeCompare(`${b.venue}|${b.symbol}`));
  return {
    balance: summary.balance,
    realizedPnlGross: summary.realizedPnlGross,
    feesPaid: summary.feesPaid,
    positions,
    orders: await allOrders(rpc),
    fills: await allFills(rpc),
  };
}

/** The smallest order size the venue takes at `price`: at least the minimum quantity and comfortably above the minimum order value. */
export function smallestQuantity(instrument: Instrument, price: Dec): Dec {
  const lot = Dec.parse(instrument.lotSize);
  const byValue = Dec.parse(instrument.minNotional).mul(Dec.parse('1.2')).div(price).ceilTo(lot);
  return Dec.max(Dec.max(Dec.parse(instrument.minQuantity), lot), byValue);
}

/** A price `fraction` away from `reference` (negative: below), on the instrument's tick, rounded away from the market. */
export function priceAway(instrument: Instrument, reference: string, fraction: number): string {
  const tick = Dec.parse(instrument.tickSize);
  const raw = Dec.parse(reference).mul(Dec.fromNumber(1 + fraction));
  return (fraction < 0 ? raw.floorTo(tick) : raw.ceilTo(tick)).toString();
}

/** Lifts the order-rate and open-order limits (a test sends faster than a person), leaving every other limit as it was. */
export async function liftRateLimits(rpc: RpcSocket): Promise<void> {
  const config = await rpc.ok('risk.limits.get', {});
  await rpc.ok('risk.limits.set', {
    config: { ...config, account: { ...config.account, maxOrdersPerSecond: null, maxOrdersPerMinute: null, maxOpenOrders: null } },
  });
}
