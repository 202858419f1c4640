/**
 * Settings → Exchanges end to end, against the real headless host: a
 * Binance demo venue is added from the settings dialog, comes up blocked
 * for want of a key (and says where to add one), wears the demo colours
 * when selected, shows a connection test that fails at the key step, and
 * is removed again. Blotters carry a venue column and filter while there
 * is more than one venue. No key is
 * stored here (that needs a fake exchange; another journey does it). A
 * second journey runs the host without a Secret Service and checks the
 * screen says the keychain cannot be reached.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './journey';
import type { VenueView } from '../../src/shared/contract';
import { removeDataDirs, startHost, type RunningHost } from './headlessHost';
import { rpc } from './rpc';
import { market, openWorkstation, priceAt } from './workstation';

let host: RunningHost | undefined;
test.afterEach(async () => {
  await host?.stop();
  host = undefined;
});
test.afterAll(() => removeDataDirs());

async function venues(running: RunningHost): Promise<VenueView[]> {
  return (await rpc<{ venues: VenueView[] }>(running.port, running.token, 'venues.list')).venues;
}

async function openExchanges(page: Page) {
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await dialog.getByRole('tab', { name: 'Exchanges' }).click();
  return dialog;
}

test('adds a Binance demo venue, shows it blocked for want of a key in the demo colours, tests it and removes it', async ({ page }) => {
  host = await startHost({ keyring: true });
  await openWorkstation(page, host);
  const btc = await market(host, 'BTC/USDT:USDT');
  // A paper order resting far from the market, for the blotters' venue column and filter.
  await rpc(host.port, host.token, 'orders.place', {
    venue: 'paper',
    symbol: 'BTC/USDT:USDT',
    side: 'buy',
    type: 'limit',
    quantity: '0.01',
    price: priceAt(btc, btc.ticker.bid, '0.95').toFixed(btc.tickDecimals),
    timeInForce: 'GTC',
    clientOrderId: 'e2e-exchanges-1',
  });

  // With one venue the blotters spend no width on a venue column or filter.
  const openOrders = page.getByRole('table', { name: 'Open orders' });
  await expect(openOrders.getByRole('row').filter({ hasText: 'BTC/USDT:USDT' })).toHaveCount(1);
  await expect(openOrders.getByRole('columnheader', { name: 'Venue' })).toHaveCount(0);
  await expect(page.getByLabel('Open orders: venue')).toHaveCount(0);

  const dialog = await openExchanges(page);
  const nav = dialog.getByRole('navigation', { name: 'Venues' });
  await expect(nav.getByRole('button', { name: /Paper \(simulated market\)/ })).toBeVisible();
  await expect(dialog.getByRole('region', { name: 'Venue paper' })).toContainText('cannot be removed');

  await nav.getByRole('button', { name: '+ Add exchange' }).click();
  const form = dialog.getByRole('form', { name: 'Add an exchange' });
  await form.getByLabel('Exchange').selectOption({ label: 'Binance USD-M' });
  await form.getByRole('radio', { name: 'Demo' }).check();
  await form.getByLabel('Label (optional)').fill('Binance demo e2e');
  await form.getByLabel('Instruments (optional)').fill('btc/usdt:usdt, ETHUSDT');
  await form.getByRole('button', { name: 'Add venue' }).click();
  await expect(form.getByText('ETHUSDT is not a unified symbol')).toBeVisible();
  expect((await venues(host)).map((v) => v.id)).toEqual(['paper']);
  await form.getByLabel('Instruments (optional)').fill('btc/usdt:usdt, ETH/USDT:USDT');
  await form.getByRole('button', { name: 'Add venue' }).click();

  const detail = dialog.getByRole('region', { name: 'Venue binanceusdm' });
  await expect(detail.getByRole('heading', { name: 'Binance demo e2e' })).toBeVisible();
  await expect(detail.getByText('DEMO', { exact: true })).toBeVisible();
  const state = detail.getByRole('status', { name: 'Venue state' });
  await expect(state).toContainText('blocked');
  await expect(state).toContainText(/no API key is stored for binanceusdm; add one in Settings → Exchanges/);
  await expect(detail.getByLabel('Key status')).toContainText('No API key stored');
  // The key form is there, with password fields, for when a key is stored.
  const keyForm = detail.getByRole('form', { name: 'Store API key' });
  await expect(keyForm.getByLabel('API key')).toHaveAttribute('type', 'password');
  await expect(keyForm.getByLabel('API secret')).toHaveAttribute('type', 'password');
  await expect(keyForm.getByLabel('Passphrase')).toHaveCount(0);
  const added = (await venues(host)).find((v) => v.id === 'binanceusdm');
  expect(added).toMatchObject({ exchange: 'binanceusdm', mode: 'demo', label: 'Binance demo e2e', symbols: ['BTC/USDT:USDT', 'ETH/USDT:USDT'], removable: true });

  await detail.getByRole('button', { name: 'Test connection' }).click();
  const steps = detail.getByRole('list', { name: 'Connection test steps' });
  await expect(detail.getByText('Connection test failed')).toBeVisible();
  await expect(steps.getByRole('listitem').filter({ hasText: 'Key' })).toContainText(/failed\s*No key is stored for this venue\./);

  // Selected in the header, the venue wears the demo colours and the banner says where the key goes.
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  const header = page.getByRole('banner');
  await header.getByLabel('Venue').selectOption('binanceusdm');
  await expect(header.getByText('DEMO', { exact: true })).toBeVisible();
  await expect(header.getByText('PAPER', { exact: true })).toHaveCount(0);
  await expect(page.locator('.app')).toHaveAttribute('data-scheme', 'demo');
  await expect(page.locator('.app')).toHaveClass(/scheme-practice/);
  await expect(page.locator('.scheme-stripe-practice')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Order ticket' }).getByLabel('Venue')).toHaveValue('binanceusdm');
  await expect(page.getByText(/Venue binanceusdm is blocked: .*no API key is stored/)).toBeVisible();

  // With two venues every blotter names the venue and can show one venue only.
  await expect(openOrders.getByRole('columnheader', { name: 'Venue' })).toBeVisible();
  await expect(openOrders.getByRole('row').filter({ hasText: 'BTC/USDT:USDT' })).toContainText('paper');
  await page.getByLabel('Open orders: venue').selectOption('binanceusdm');
  await expect(openOrders.getByRole('row').filter({ hasText: 'BTC/USDT:USDT' })).toHaveCount(0);
  await page.getByLabel('Open orders: venue').selectOption('');
  await expect(openOrders.getByRole('row').filter({ hasText: 'BTC/USDT:USDT' })).toHaveCount(1);
  await expect(page.getByRole('table', { name: 'Positions' }).getByRole('columnheader', { name: 'Venue' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Order history' }).getByRole('columnheader', { name: 'Venue' })).toBeVisible();
  await expect(page.getByLabel('Order history: venue')).toBeVisible();

  await page.getByRole('button', { name: 'Open Settings → Exchanges' }).click();
  await expect(dialog.getByRole('tab', { name: 'Exchanges' })).toHaveAttribute('aria-selected', 'true');
  await detail.getByRole('button', { name: 'Remove venue…' }).click();
  const confirm = page.getByRole('dialog', { name: 'Remove binanceusdm?' });
  await confirm.getByRole('button', { name: 'Remove venue' }).click();
  await expect(confirm).toBeHidden();
  await expect(nav.getByRole('button', { name: /binanceusdm/ })).toHaveCount(0);
  expect((await venues(host)).map((v) => v.id)).toEqual(['paper']);
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(header.getByText('PAPER', { exact: true })).toBeVisible();
  await expect(page.locator('.app')).toHaveAttribute('data-scheme', 'paper');
  await expect(openOrders.getByRole('columnheader', { name: 'Venue' })).toHaveCount(0);
});

test('without a Secret Service, an exchange venue says the keychain cannot be reached', async ({ page }) => {
  host = await startHost();
  await rpc(host.port, host.token, 'venues.add', { exchange: 'okx', mode: 'demo' });
  await openWorkstation(page, host);
  const dialog = await openExchanges(page);
  const detail = dialog.getByRole('region', { name: 'Venue okx' });
  await expect(detail.getByRole('status', { name: 'Venue state' })).toContainText(/its key could not be read from the keychain: No D-Bus session bus is reachable/);
  await expect(detail.getByRole('form', { name: 'Store API key' }).getByLabel('Passphrase')).toHaveAttribute('type', 'password');
  await detail.getByRole('button', { name: 'Test connection' }).click();
  await expect(detail.getByRole('list', { name: 'Connection test steps' }).getByRole('listitem').filter({ hasText: 'Key' })).toContainText(/failed\s*No D-Bus session bus is reachable/);
});
