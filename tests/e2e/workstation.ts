/**
 * Shared steps of the end-to-end journeys: opening the workstation, finding
 * the ticket, reading the host's lists, and deriving prices from the live
 * market. The simulated market goes wherever its seed and the clock take it,
 * so no test names a price: prices come from the ticker and the instrument's
 * tick, and decimals are compared by value ("77626.0" is "77626").
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { Dec, decimalsOf } from '../../src/shared/decimal';
import { groupThousands } from '../../src/shared/numberText';
import type { Fill, Instrument, Order, OrderEvent, Ticker } from '../../src/shared/domain';
import type { RunningHost } from './headlessHost';
import { rpc } from './rpc';

export async function openWorkstation(page: Page, running: RunningHost): Promise<void> {
  await page.goto(running.url);
  await expect(page.getByText('Connected')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Order ticket' })).toBeVisible();
}

export function ticket(page: Page) {
  return page.getByRole('region', { name: 'Order ticket' });
}

/** The order detail dialog, opened from any blotter row. */
export function orderDetail(page: Page): Locator {
  return page.getByRole('dialog', { name: /^Order (Buy|Sell) / });
}

/** The value of one of the detail dialog's labelled fields ("Status", "Source", ...). */
export function detailField(dialog: Locator, label: string): Locator {
  return dialog.locator('.od-field').filter({ has: dialog.page().locator('dt', { hasText: new RegExp(`^${label}$`) }) }).locator('dd');
}

/** An instrument with its live ticker, read from the host now. */
export interface Market {
  instrument: Instrument;
  ticker: Ticker;
  tick: Dec;
  tickDecimals: number;
}

export async function market(running: RunningHost, symbol: string): Promise<Market> {
  const instruments = await rpc<Instrument[]>(running.port, running.token, 'market.instruments');
  const instrument = instruments.find((i) => i.symbol === symbol);
  if (!instrument) throw new Error(`no instrument ${symbol}`);
  const ticker = await rpc<Ticker>(running.port, running.token, 'market.ticker', { venue: instrument.venue, symbol });
  return { instrument, ticker, tick: Dec.parse(instrument.tickSize), tickDecimals: decimalsOf(instrument.tickSize) };
}

/** `factor` × a live price, floored to the instrument's tick: "5% under the bid" is priceAt(m, m.ticker.bid, '0.95'). */
export function priceAt(m: Market, price: string, factor: string): Dec {
  return Dec.parse(price).mul(Dec.parse(factor)).floorTo(m.tick);
}

/** A decimal string as the screen shows it: with thousands separators ("82895.2" is shown "82,895.2"). */
export function shown(text: string): string {
  return groupThousands(text);
}

/** Two decimal strings compared by value, whatever their trailing zeros. */
export function sameDecimal(a: string | null | undefined, b: string | null | undefined): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return a === b;
  return Dec.parse(a).eq(Dec.parse(b));
}

/** The first page of orders, newest first (the host pages its lists). */
export async function listOrders(running: RunningHost, status: 'open' | 'all'): Promise<Order[]> {
  return (await rpc<{ orders: Order[] }>(running.port, running.token, 'orders.list', { status })).orders;
}

export async function listFills(running: RunningHost): Promise<Fill[]> {
  return (await rpc<{ fills: Fill[] }>(running.port, running.token, 'fills.list')).fills;
}

/** An order's history as the host journaled it, oldest first. */
export async function listOrderEvents(running: RunningHost, orderId: string): Promise<OrderEvent[]> {
  return rpc<OrderEvent[]>(running.port, running.token, 'orders.events', { orderId });
}
