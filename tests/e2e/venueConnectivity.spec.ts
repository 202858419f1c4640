/**
 * A venue whose connection drops fails closed: the screen says so, orders are
 * refused with the reason and nothing is sent; when it is back it is
 * reconciled and trading resumes.
 */
import { expect, test } from './journey';
import type { ReconciliationReport } from '../../src/shared/contract';
import { removeDataDirs, startHost, type RunningHost } from './headlessHost';
import { rpc } from './rpc';
import { listOrders, market, openWorkstation, priceAt, ticket } from './workstation';

let host: RunningHost | undefined;
test.afterEach(async () => {
  await host?.stop();
  host = undefined;
});
test.afterAll(() => removeDataDirs());

test('a disconnected venue blocks new orders with a clear message, then recovers after reconciling', async ({ page }) => {
  host = await startHost();
  await openWorkstation(page, host);
  const btc = await market(host, 'BTC/USDT:USDT');
  const price = priceAt(btc, btc.ticker.bid, '0.95').toFixed(btc.tickDecimals);

  await rpc(host.port, host.token, 'paper.faults.set', { disconnected: true });
  const banner = page.getByText(/Venue paper is disconnected/);
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('connection dropped');

  const t = ticket(page);
  await t.getByLabel('Symbol').selectOption('BTC/USDT:USDT');
  await t.getByRole('button', { name: 'Buy', exact: true }).click();
  await t.getByLabel('Order type').selectOption('limit');
  await t.getByLabel('Quantity').fill('0.01');
  await t.getByLabel('Limit price').fill(price);
  await t.getByRole('button', { name: 'Place order' }).click();
  await expect(t.getByRole('alert')).toContainText(/not ready for trading \(disconnected\).*connection dropped/);
  expect(await listOrders(host, 'all')).toEqual([]);

  await rpc(host.port, host.token, 'paper.faults.set', { disconnected: false });
  await expect(banner).toHaveCount(0);
  const report = await rpc<ReconciliationReport>(host.port, host.token, 'reconciliation.latest', { venue: 'paper' });
  expect(report).toMatchObject({ trigger: 'reconnect', ok: true });

  await t.getByRole('button', { name: 'Place order' }).click();
  await expect(page.getByRole('table', { name: 'Open orders' }).getByRole('row').filter({ hasText: 'BTC/USDT:USDT' })).toHaveCount(1);
  expect(await listOrders(host, 'all')).toHaveLength(1);
});
