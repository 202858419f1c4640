/**
 * The emergency stop and the risk governor, end to end: the real headless
 * host and UI in Chromium. The in-window hotkey is the trigger in browser
 * mode (the OS-wide one lives in the Electron shell).
 */
import type { Page } from '@playwright/test';
import { expect, test } from './journey';
import { Dec } from '../../src/shared/decimal';
import type { EmergencyReport, RiskStateView } from '../../src/shared/risk';
import type { Instrument, Position, Ticker } from '../../src/shared/domain';
import { freshDataDir, removeDataDirs, startHost, type RunningHost } from './headlessHost';
import { rpc } from './rpc';
import { listOrders, market, openWorkstation, priceAt, ticket } from './workstation';

let host: RunningHost | undefined;
test.afterEach(async () => {
  await host?.stop();
  host = undefined;
});
test.afterAll(() => removeDataDirs());

/** Resting buys on all three instruments and a long and a short position, placed through the contract. */
async function openBook(running: RunningHost): Promise<void> {
  const listed = await rpc<Instrument[]>(running.port, running.token, 'market.instruments');
  const instruments = listed.filter((i) => ['BTC', 'ETH', 'SOL'].includes(i.base));
  for (const instrument of instruments) {
    const ticker = await rpc<Ticker>(running.port, running.token, 'market.ticker', { venue: 'paper', symbol: instrument.symbol });
    const price = Dec.parse(ticker.bid).mul(Dec.parse('0.97')).floorTo(Dec.parse(instrument.tickSize)).toString();
    const quantity = Dec.parse(instrument.lotSize).mul(Dec.parse(instrument.symbol.startsWith('BTC') ? '2' : '20')).toString();
    for (let i = 0; i < 2; i += 1) {
      await rpc(running.port, running.token, 'orders.place', { venue: 'paper', symbol: instrument.symbol, side: 'buy', type: 'limit', quantity, price });
    }
  }
  await rpc(running.port, running.token, 'orders.place', { venue: 'paper', symbol: 'BTC/USDT:USDT', side: 'buy', type: 'market', quantity: '0.01' });
  await rpc(running.port, running.token, 'orders.place', { venue: 'paper', symbol: 'ETH/USDT:USDT', side: 'sell', type: 'market', quantity: '0.3' });
}

const openOrderRows = (page: Page) => page.getByRole('table', { name: 'Open orders' }).locator('tbody tr').filter({ hasText: '/USDT' });
const positionRows = (page: Page) => page.getByRole('table', { name: 'Positions' }).locator('tbody tr').filter({ hasText: '/USDT' });

test('the in-window hotkey halts everything, HALTED survives a restart, and re-arming restores trading', async ({ page }) => {
  const dataDir = freshDataDir();
  host = await startHost({ dataDir });
  await rpc(host.port, host.token, 'settings.set', { settings: { emergencyFlattenByDefault: true } });
  await openBook(host);
  await openWorkstation(page, host);
  await expect(openOrderRows(page)).toHaveCount(6);
  await expect(positionRows(page)).toHaveCount(2);

  // Focus inside the ticket, as a trader mid-typing would be.
  await page.getByRole('region', { name: 'Order ticket' }).getByLabel('Quantity').click();
  await page.keyboard.press('Control+Shift+X');

  const banner = page.getByRole('alert').filter({ hasText: 'HALTED' });
  await expect(banner).toBeVisible();
  await expect(banner).toContainText(/Emergency stop/);
  await expect(openOrderRows(page)).toHaveCount(0);
  await expect(positionRows(page)).toHaveCount(0);
  expect(await listOrders(host, 'open')).toEqual([]);
  expect(await rpc<Position[]>(host.port, host.token, 'positions.list')).toEqual([]);

  // New orders are refused, visibly: the ticket takes reduce-only orders only, and says so.
  const halted = ticket(page);
  await expect(halted).toContainText(/halted/i);
  await expect(halted.getByLabel(/Reduce-only/)).toBeChecked();
  await expect(halted.getByLabel(/Reduce-only/)).toBeDisabled();
  await expect(rpc(host.port, host.token, 'orders.place', { venue: 'paper', symbol: 'BTC/USDT:USDT', side: 'buy', type: 'market', quantity: '0.001' })).rejects.toThrow(/halted/i);

  // Still HALTED after a restart.
  await host.stop();
  host = await startHost({ dataDir });
  expect((await rpc<RiskStateView>(host.port, host.token, 'risk.status')).state).toBe('HALTED');
  await openWorkstation(page, host);
  await expect(page.getByRole('alert').filter({ hasText: 'HALTED' })).toBeVisible();

  // Re-arm, with confirmation, and trade again.
  await page.getByRole('button', { name: 'Re-arm trading' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Re-arm' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'HALTED' })).toHaveCount(0);
  expect((await rpc<RiskStateView>(host.port, host.token, 'risk.status')).state).toBe('ACTIVE');
  const t = page.getByRole('region', { name: 'Order ticket' });
  await t.getByLabel('Symbol').selectOption('SOL/USDT:USDT');
  await t.getByRole('button', { name: 'Buy', exact: true }).click();
  await t.getByLabel('Order type').selectOption('market');
  await t.getByLabel('Quantity').fill('1');
  await t.getByRole('button', { name: 'Place order' }).click();
  await expect(positionRows(page).filter({ hasText: 'SOL/USDT:USDT' })).toHaveCount(1);
});

test('against a venue failing 30% of cancels, the stop ends with nothing open or names exactly what it could not confirm', async ({ page }) => {
  host = await startHost();
  await openBook(host);
  await rpc(host.port, host.token, 'paper.faults.set', { cancelFailureRate: 0.3 });
  await openWorkstation(page, host);
  await expect(openOrderRows(page)).toHaveCount(6);

  await page.getByRole('button', { name: 'Emergency stop' }).click();
  await page.getByRole('dialog', { name: 'Emergency stop' }).getByRole('button', { name: 'Cancel orders and flatten' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'HALTED' })).toBeVisible();

  await expect.poll(async () => (await rpc<EmergencyReport[]>(host!.port, host!.token, 'emergency.reports')).length, { timeout: 20_000 }).toBe(1);
  const [report] = await rpc<EmergencyReport[]>(host.port, host.token, 'emergency.reports');
  const stillOpen = (await listOrders(host, 'open')).map((o) => o.id).sort();
  expect(report!.unconfirmed.filter((u) => u.kind === 'cancel').map((u) => u.target).sort()).toEqual(stillOpen);
  expect(report!.complete).toBe(report!.unconfirmed.length === 0);
  await expect(openOrderRows(page)).toHaveCount(stillOpen.length);
  // The trader sees the outcome.
  await expect(page.getByText(/order\(s\)? canceled|orders canceled|canceled/i).first()).toBeVisible();
});

test('a risk limit refuses an order with a sentence that names the limit and the numbers', async ({ page }) => {
  host = await startHost();
  await openWorkstation(page, host);
  const btc = await market(host, 'BTC/USDT:USDT');
  const farPrice = priceAt(btc, btc.ticker.bid, '0.8').toString();
  const t = ticket(page);
  await t.getByLabel('Symbol').selectOption('BTC/USDT:USDT');
  await t.getByLabel('Order type').selectOption('limit');
  await t.getByLabel('Quantity').fill('0.01');
  await t.getByLabel('Limit price').fill(farPrice);
  await t.getByRole('button', { name: 'Place order' }).click();
  await expect(t.getByRole('alert')).toContainText(/from the mark .* price band is 10%/);
  expect(await listOrders(host, 'all')).toEqual([]);

  // The explicit override lets the trader through, for that one order.
  await t.getByLabel('Override price band').check();
  await t.getByRole('button', { name: 'Place order' }).click();
  await expect(openOrderRows(page)).toHaveCount(1);
});

test('while HALTED a person can still close, protect and flatten, and nothing else gets through', async ({ page }) => {
  host = await startHost();
  const place = (params: Record<string, unknown>) => rpc(host!.port, host!.token, 'orders.place', { venue: 'paper', ...params });
  await place({ symbol: 'BTC/USDT:USDT', side: 'buy', type: 'market', quantity: '0.01' });
  await place({ symbol: 'ETH/USDT:USDT', side: 'sell', type: 'market', quantity: '0.3' });
  await place({ symbol: 'SOL/USDT:USDT', side: 'buy', type: 'market', quantity: '2' });
  await openWorkstation(page, host);
  await expect(positionRows(page)).toHaveCount(3);

  // The default emergency stop cancels orders only: the positions stay, and the banner says they are unprotected.
  await page.getByRole('button', { name: 'Emergency stop' }).click();
  await page.getByRole('dialog', { name: 'Emergency stop' }).getByRole('button', { name: 'Cancel all orders' }).click();
  const banner = page.getByRole('alert').filter({ hasText: 'HALTED' });
  await expect(banner).toBeVisible();
  await page.getByRole('dialog', { name: 'Emergency report' }).getByRole('button', { name: 'Dismiss' }).click();
  await expect(banner).toContainText('3 positions are open with no protective stop: BTC/USDT:USDT, ETH/USDT:USDT, SOL/USDT:USDT');

  // Orders from the automation API, and a person's orders that would add exposure, are still refused.
  await expect(place({ symbol: 'BTC/USDT:USDT', side: 'buy', type: 'market', quantity: '0.01' })).rejects.toThrow(/halted/i);
  await expect(place({ symbol: 'BTC/USDT:USDT', side: 'sell', type: 'market', quantity: '0.01', reduceOnly: true })).rejects.toThrow(/halted/i);
  const t = ticket(page);
  await t.getByLabel('Symbol').selectOption('BTC/USDT:USDT');
  await t.getByRole('button', { name: 'Buy', exact: true }).click();
  await t.getByLabel('Order type').selectOption('market');
  await t.getByLabel('Quantity').fill('0.01');
  await t.getByRole('button', { name: 'Place order' }).click();
  await expect(t.getByRole('alert')).toContainText(/halted/i);

  // A protective stop from the ticket is accepted (reduce-only is locked on), and BTC leaves the banner.
  const btc = await market(host, 'BTC/USDT:USDT');
  await t.getByRole('button', { name: 'Sell', exact: true }).click();
  await t.getByLabel('Order type').selectOption('stop');
  await t.getByLabel('Stop price', { exact: true }).fill(priceAt(btc, btc.ticker.last, '0.95').toString());
  await t.getByRole('button', { name: 'Place order' }).click();
  await expect(openOrderRows(page).filter({ hasText: 'BTC/USDT:USDT' })).toHaveCount(1);
  await expect(banner).toContainText('2 positions are open with no protective stop: ETH/USDT:USDT, SOL/USDT:USDT');
  const [stop] = await listOrders(host, 'open');
  expect(stop).toMatchObject({ symbol: 'BTC/USDT:USDT', side: 'sell', type: 'stop', reduceOnly: true, source: 'manual' });

  // Close works while HALTED ...
  await positionRows(page).filter({ hasText: 'ETH/USDT:USDT' }).getByRole('button', { name: 'Close' }).click();
  await expect(positionRows(page).filter({ hasText: 'ETH/USDT:USDT' })).toHaveCount(0);
  await expect(banner).toContainText('1 position is open with no protective stop: SOL/USDT:USDT');

  // ... and so does Flatten all, after a confirmation that lists what it closes.
  await page.getByRole('button', { name: 'Flatten all' }).click();
  const confirm = page.getByRole('dialog', { name: 'Flatten all positions?' });
  await expect(confirm).toContainText('BTC/USDT:USDT long');
  await expect(confirm).toContainText('SOL/USDT:USDT long');
  await confirm.getByRole('button', { name: 'Flatten all' }).click();
  await expect(positionRows(page)).toHaveCount(0);
  expect(await rpc<Position[]>(host.port, host.token, 'positions.list')).toEqual([]);
  await expect(banner).not.toContainText('no protective stop');
  expect((await rpc<RiskStateView>(host.port, host.token, 'risk.status')).state).toBe('HALTED');
});
