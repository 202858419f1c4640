/**
 * The first user journey, end to end: the real headless host (engine, paper
 * venue, SQLite) and the real UI in Debian's Chromium.
 */
import { expect, test } from '@playwright/test';
import { Dec } from '../../src/shared/decimal';
import type { AccountSummary, Fill, Order, Position, Ticker } from '../../src/shared/domain';
import { freshDataDir, removeDataDirs, startHost, type RunningHost } from './headlessHost';
import { rpc } from './rpc';
import { openWorkstation, ticket } from './workstation';

let host: RunningHost | undefined;
test.afterEach(async () => {
  await host?.stop();
  host = undefined;
});
test.afterAll(() => removeDataDirs());

test('a limit order placed from the ticket rests in Open orders and is cancelled', async ({ page }) => {
  host = await startHost();
  await openWorkstation(page, host);
  const ticker = await rpc<Ticker>(host.port, host.token, 'market.ticker', { venue: 'paper', symbol: 'BTC/USDT:USDT' });
  const price = (Math.floor(Number(ticker.bid) * 0.95 * 10) / 10).toFixed(1);

  const t = ticket(page);
  await t.getByLabel('Symbol').selectOption('BTC/USDT:USDT');
  await t.getByRole('button', { name: 'Buy', exact: true }).click();
  await t.getByLabel('Order type').selectOption('limit');
  await t.getByLabel('Quantity').fill('0.01');
  await t.getByLabel('Limit price').fill(price);
  await t.getByRole('button', { name: 'Place order' }).click();

  const openOrders = page.getByRole('table', { name: 'Open orders' });
  const row = openOrders.getByRole('row').filter({ hasText: 'BTC/USDT:USDT' });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(price.replace(/\.0$/, ''));
  await row.getByRole('button', { name: 'Cancel' }).click();
  await expect(openOrders.getByRole('row').filter({ hasText: 'BTC/USDT:USDT' })).toHaveCount(0);

  const orders = await rpc<Order[]>(host.port, host.token, 'orders.list', { status: 'all' });
  expect(orders).toHaveLength(1);
  expect(orders[0]).toMatchObject({ status: 'canceled', price, quantity: '0.01', side: 'buy', type: 'limit' });
});

test('a market order fills into a position with live PnL, which is then closed', async ({ page }) => {
  host = await startHost();
  await openWorkstation(page, host);
  const t = ticket(page);
  await t.getByLabel('Symbol').selectOption('ETH/USDT:USDT');
  await t.getByRole('button', { name: 'Sell', exact: true }).click();
  await t.getByLabel('Order type').selectOption('market');
  await t.getByLabel('Quantity').fill('0.5');
  await t.getByLabel('Quantity').press('Enter'); // Enter submits

  const positions = page.getByRole('table', { name: 'Positions' });
  const row = positions.getByRole('row').filter({ hasText: 'ETH/USDT:USDT' });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(/short/i);
  await expect(row).toContainText('0.5');

  // Live PnL: the unrealized PnL shown keeps following the market.
  const pnlCell = row.getByRole('cell').nth(5);
  const first = await pnlCell.innerText();
  await expect.poll(async () => pnlCell.innerText(), { timeout: 20_000 }).not.toBe(first);

  const [position] = await rpc<Position[]>(host.port, host.token, 'positions.list');
  expect(position).toMatchObject({ symbol: 'ETH/USDT:USDT', side: 'short', quantity: '0.5' });

  await row.getByRole('button', { name: 'Close' }).click();
  await expect(positions.getByRole('row').filter({ hasText: 'ETH/USDT:USDT' })).toHaveCount(0);
  expect(await rpc<Position[]>(host.port, host.token, 'positions.list')).toEqual([]);
  const fills = await rpc<Fill[]>(host.port, host.token, 'fills.list');
  expect(new Set(fills.map((f) => f.side))).toEqual(new Set(['buy', 'sell']));
});

test('an invalid quantity shows a clear error and sends nothing', async ({ page }) => {
  host = await startHost();
  await openWorkstation(page, host);
  const t = ticket(page);
  await t.getByLabel('Symbol').selectOption('BTC/USDT:USDT');
  await t.getByLabel('Order type').selectOption('market');

  for (const [quantity, message] of [
    ['0', /greater than zero|positive|quantity/i],
    ['abc', /number|quantity/i],
    ['0.0015', /lot size|multiple/i],
  ] as const) {
    await t.getByLabel('Quantity').fill(quantity);
    await t.getByRole('button', { name: 'Place order' }).click();
    await expect(t.getByRole('alert')).toContainText(message);
  }
  expect(await rpc<Order[]>(host.port, host.token, 'orders.list', { status: 'all' })).toEqual([]);

  // The engine's own refusals reach the same place: the fat-finger limit, then margin.
  await t.getByLabel('Quantity').fill('500');
  await t.getByRole('button', { name: 'Place order' }).click();
  await expect(t.getByRole('alert')).toContainText(/above the maximum of 250000 USDT/);
  await t.getByLabel('Quantity').fill('2');
  await t.getByRole('button', { name: 'Place order' }).click();
  await expect(t.getByRole('alert')).toContainText(/margin/i);
  expect(await rpc<Order[]>(host.port, host.token, 'orders.list', { status: 'all' })).toEqual([]);
});

test('after a restart on the same data folder, orders, fills, positions and balance are as before', async ({ page }) => {
  const dataDir = freshDataDir();
  host = await startHost({ dataDir });
  await openWorkstation(page, host);
  const ticker = await rpc<Ticker>(host.port, host.token, 'market.ticker', { venue: 'paper', symbol: 'SOL/USDT:USDT' });
  const restPrice = Dec.parse(ticker.bid).mul(Dec.parse('0.95')).floorTo(Dec.parse('0.01')).toString(); // inside the 10% price band

  const t = ticket(page);
  await t.getByLabel('Symbol').selectOption('SOL/USDT:USDT');
  await t.getByRole('button', { name: 'Buy', exact: true }).click();
  await t.getByLabel('Order type').selectOption('market');
  await t.getByLabel('Quantity').fill('3');
  await t.getByRole('button', { name: 'Place order' }).click();
  await expect(page.getByRole('table', { name: 'Positions' }).getByRole('row').filter({ hasText: 'SOL/USDT:USDT' })).toHaveCount(1);

  await t.getByLabel('Order type').selectOption('limit');
  await t.getByLabel('Quantity').fill('1');
  await t.getByLabel('Limit price').fill(restPrice);
  await t.getByRole('button', { name: 'Place order' }).click();
  await expect(page.getByRole('table', { name: 'Open orders' }).getByRole('row').filter({ hasText: 'SOL/USDT:USDT' })).toHaveCount(1);

  const before = {
    orders: await rpc<Order[]>(host.port, host.token, 'orders.list', { status: 'all' }),
    fills: await rpc<Fill[]>(host.port, host.token, 'fills.list'),
    positions: await rpc<Position[]>(host.port, host.token, 'positions.list'),
    account: await rpc<AccountSummary>(host.port, host.token, 'account.summary'),
  };
  await host.stop();

  host = await startHost({ dataDir });
  const after = {
    orders: await rpc<Order[]>(host.port, host.token, 'orders.list', { status: 'all' }),
    fills: await rpc<Fill[]>(host.port, host.token, 'fills.list'),
    positions: await rpc<Position[]>(host.port, host.token, 'positions.list'),
    account: await rpc<AccountSummary>(host.port, host.token, 'account.summary'),
  };
  expect(after.orders).toEqual(before.orders);
  expect(after.fills).toEqual(before.fills);
  const stable = (p: Position) => ({ symbol: p.symbol, side: p.side, quantity: p.quantity, entryPrice: p.entryPrice, realizedPnl: p.realizedPnl, feesPaid: p.feesPaid, leverage: p.leverage });
  expect(after.positions.map(stable)).toEqual(before.positions.map(stable));
  expect(after.account.balance).toBe(before.account.balance);
  expect(after.account.feesPaid).toBe(before.account.feesPaid);

  // And the workstation shows it all again.
  await openWorkstation(page, host);
  await expect(page.getByRole('table', { name: 'Positions' }).getByRole('row').filter({ hasText: 'SOL/USDT:USDT' })).toContainText('3');
  const openRow = page.getByRole('table', { name: 'Open orders' }).getByRole('row').filter({ hasText: 'SOL/USDT:USDT' });
  await expect(openRow).toHaveCount(1);
  await page.getByRole('tab', { name: /Fills/ }).click();
  await expect(page.getByRole('table', { name: 'Fills' }).getByRole('row').filter({ hasText: 'SOL/USDT:USDT' })).toHaveCount(before.fills.length);
});

test('leverage is set per instrument from the ticket, priced into the margin, and locked while a position is open', async ({ page }) => {
  host = await startHost();
  await openWorkstation(page, host);
  const t = ticket(page);
  await t.getByLabel('Symbol').selectOption('ETH/USDT:USDT');
  await t.getByLabel('Leverage').selectOption('5');
  await expect(t.getByText('(5×)')).toBeVisible();
  await t.getByLabel('Order type').selectOption('market');
  await t.getByLabel('Quantity').fill('0.2');
  await t.getByRole('button', { name: 'Place order' }).click();
  const row = page.getByRole('table', { name: 'Positions' }).getByRole('row').filter({ hasText: 'ETH/USDT:USDT' });
  await expect(row).toContainText('5×');
  await t.getByLabel('Leverage').selectOption('20');
  await expect(t.getByRole('alert')).toContainText(/Close the position/);
  const [position] = await rpc<Position[]>(host.port, host.token, 'positions.list');
  expect(position!.leverage).toBe(5);
});
