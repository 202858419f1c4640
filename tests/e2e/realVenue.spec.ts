/**
 * A real exchange end to end: the headless host with a real keychain, its
 * Binance venue pointed at the fake Binance USD-M exchange on 127.0.0.1
 * (`--venue-url`), driven from the screen. A demo venue is added and its
 * key stored in Settings → Exchanges; a limit order is placed from the
 * ticket and cancelled from the blotter; an order placed on the exchange's
 * own site shows up in the Reconciliation view and is adopted; and the
 * emergency stop clears the exchange while it fails 30% of requests.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './journey';
import type { ReconciliationReport } from '../../src/shared/contract';
import { Dec, decimalsOf } from '../../src/shared/decimal';
import type { Instrument, Order, Ticker } from '../../src/shared/domain';
import { DEFAULT_API_KEY, startFakeBinanceUsdm, type FakeBinanceUsdm } from '../support/fakeExchanges/binanceUsdm';
import { removeDataDirs, startHost, type RunningHost } from './headlessHost';
import { rpc } from './rpc';
import { openWorkstation, ticket } from './workstation';

const VENUE = 'binanceusdm';
const BTC = 'BTC/USDT:USDT';
let host: RunningHost | undefined;
let fake: FakeBinanceUsdm | undefined;

test.afterEach(async () => {
  await host?.stop();
  await fake?.close();
  host = undefined;
  fake = undefined;
});
test.afterAll(() => removeDataDirs());

/** A price `factor` × the venue's live bid, on its tick, written with the tick's decimals. */
async function venuePrice(running: RunningHost, factor: string): Promise<string> {
  const instruments = await rpc<Instrument[]>(running.port, running.token, 'market.instruments', { venue: VENUE });
  const instrument = instruments.find((i) => i.symbol === BTC)!;
  const ticker = await rpc<Ticker>(running.port, running.token, 'market.ticker', { venue: VENUE, symbol: BTC });
  return Dec.parse(ticker.bid).mul(Dec.parse(factor)).floorTo(Dec.parse(instrument.tickSize)).toFixed(decimalsOf(instrument.tickSize));
}

async function addDemoVenueWithKey(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await dialog.getByRole('tab', { name: 'Exchanges' }).click();
  await dialog.getByRole('navigation', { name: 'Venues' }).getByRole('button', { name: '+ Add exchange' }).click();
  const form = dialog.getByRole('form', { name: 'Add an exchange' });
  await form.getByLabel('Exchange').selectOption({ label: 'Binance USD-M' });
  await form.getByRole('radio', { name: 'Demo' }).check();
  await form.getByLabel('Instruments (optional)').fill('BTC/USDT:USDT');
  await form.getByRole('button', { name: 'Add venue' }).click();
  const detail = dialog.getByRole('region', { name: `Venue ${VENUE}` });
  // Talking to the fake, and saying so.
  await expect(detail).toContainText(/Test server/);
  const keyForm = detail.getByRole('form', { name: 'Store API key' });
  await keyForm.getByLabel('API key').fill(DEFAULT_API_KEY.apiKey);
  await keyForm.getByLabel('API secret').fill(DEFAULT_API_KEY.secret);
  await keyForm.getByRole('button', { name: 'Store key' }).click();
  await expect(detail.getByLabel('Key status')).toContainText(DEFAULT_API_KEY.apiKey.slice(-4), { timeout: 20_000 });
  // The secret is gone from the form once sent.
  await expect(keyForm.getByLabel('API secret')).toHaveValue('');
  await expect(detail.getByRole('status', { name: 'Venue state' })).toContainText(/ready/i, { timeout: 20_000 });
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
}

test('a Binance demo venue on the fake exchange: key stored, an order placed and cancelled, an external order adopted, the emergency stop under 30% failures', async ({ page }) => {
  test.setTimeout(150_000);
  fake = await startFakeBinanceUsdm();
  host = await startHost({ keyring: true, venueUrls: { binanceusdm: fake.base } });
  await openWorkstation(page, host);
  await addDemoVenueWithKey(page);

  // A limit order from the ticket, on the exchange, then cancelled from the blotter.
  const t = ticket(page);
  await t.getByLabel('Venue').selectOption(VENUE);
  await t.getByLabel('Symbol').selectOption(BTC);
  await t.getByRole('button', { name: 'Buy', exact: true }).click();
  await t.getByLabel('Order type').selectOption('limit');
  await t.getByLabel('Quantity').fill('0.002');
  const price = await venuePrice(host, '0.95');
  await t.getByLabel('Limit price').fill(price);
  await t.getByRole('button', { name: 'Place order' }).click();
  const openOrders = page.getByRole('table', { name: 'Open orders' });
  const row = openOrders.getByRole('row').filter({ hasText: VENUE }).filter({ hasText: BTC });
  await expect(row).toHaveCount(1, { timeout: 15_000 });
  expect(fake.state.snapshot().openOrders).toHaveLength(1);
  await row.getByRole('button', { name: /Cancel/ }).click();
  await expect(openOrders.getByRole('row').filter({ hasText: VENUE })).toHaveCount(0, { timeout: 15_000 });
  expect(fake.state.snapshot().openOrders).toHaveLength(0);
  const posted = fake.journal.entries().filter((e) => e.method === 'POST' && e.path === '/fapi/v1/order');
  expect(posted).toHaveLength(1);

  // An order placed on the exchange's own site: found by reconciliation, adopted by the trader.
  fake.externalOrder({ symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', quantity: '0.003', price: await venuePrice(host, '1.05'), timeInForce: 'GTC', clientOrderId: 'web-order-e2e' });
  await page.getByRole('tab', { name: /^Reconciliation/ }).click();
  await page.getByRole('button', { name: new RegExp(`^${VENUE}`) }).click();
  await page.getByRole('button', { name: 'Reconcile now' }).click();
  const item = page.getByRole('row').filter({ hasText: 'web-order-e2e' });
  await expect(item).toContainText('External order', { timeout: 15_000 });
  await item.getByRole('button', { name: /^Adopt/ }).click();
  const confirm = page.getByRole('dialog').filter({ hasText: 'web-order-e2e' });
  await confirm.getByLabel('Note (optional)').fill('placed on the website');
  await confirm.getByRole('button', { name: /^Adopt/ }).click();
  await expect(page.getByTestId('reconciliation-status')).toContainText(/Clean|Open for trading/, { timeout: 15_000 });
  // The decision is in the audit trail, with its note.
  await expect(page.getByRole('table', { name: `Audit trail of ${VENUE}` }).getByRole('row').filter({ hasText: 'placed on the website' })).toContainText('Adopted');
  const report = await rpc<ReconciliationReport>(host.port, host.token, 'reconciliation.latest', { venue: VENUE });
  expect(report.ok).toBe(true);
  const adopted = await rpc<Order>(host.port, host.token, 'orders.get', { clientOrderId: 'web-order-e2e' });
  expect(adopted).toMatchObject({ source: 'external', status: 'open' });

  // A position and another resting order, then the emergency stop while the exchange fails 30% of requests.
  await rpc(host.port, host.token, 'orders.place', { venue: VENUE, symbol: BTC, side: 'buy', type: 'limit', quantity: '0.002', price: await venuePrice(host, '0.96') });
  await rpc(host.port, host.token, 'orders.place', { venue: VENUE, symbol: BTC, side: 'buy', type: 'market', quantity: '0.004' });
  await expect.poll(() => (fake!.state.snapshot().positions as Array<{ positionAmt: string }>).map((p) => p.positionAmt)).toEqual(['0.004']);
  fake.setFailRate({ rate: 0.3, seed: 5 });
  await page.getByRole('tab', { name: /^Trading/ }).click();
  await page.getByRole('button', { name: 'Emergency stop' }).click();
  await page.getByRole('dialog', { name: 'Emergency stop' }).getByRole('button', { name: 'Cancel orders and flatten' }).click();
  await expect(page.getByRole('dialog', { name: 'Emergency report' })).toBeVisible({ timeout: 60_000 });
  fake.setFailRate(null);
  await expect.poll(() => fake!.state.snapshot().openOrders.length, { timeout: 30_000 }).toBe(0);
  await expect.poll(() => (fake!.state.snapshot().positions as unknown[]).length, { timeout: 30_000 }).toBe(0);
});
