/**
 * The first user journey, end to end: the real headless host (engine, paper
 * venue, SQLite) and the real UI in Debian's Chromium.
 */
import { expect, test } from './journey';
import { Dec } from '../../src/shared/decimal';
import type { AccountSummary, Position } from '../../src/shared/domain';
import { booked } from '../support/books';
import { freshDataDir, removeDataDirs, startHost, type RunningHost } from './headlessHost';
import { rpc } from './rpc';
import { listFills, listOrders, market, openWorkstation, priceAt, sameDecimal, shown, ticket } from './workstation';

let host: RunningHost | undefined;
test.afterEach(async () => {
  await host?.stop();
  host = undefined;
});
test.afterAll(() => removeDataDirs());

test('a limit order placed from the ticket rests in Open orders and is cancelled', async ({ page }) => {
  host = await startHost();
  await openWorkstation(page, host);
  const btc = await market(host, 'BTC/USDT:USDT');
  // Typed with the tick's decimals ("77626.0"), as a trader would; the engine keeps it canonical ("77626").
  const price = priceAt(btc, btc.ticker.bid, '0.95').toFixed(btc.tickDecimals);

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
  await expect(row).toContainText(shown(price));
  await row.getByRole('button', { name: 'Cancel' }).click();
  await expect(openOrders.getByRole('row').filter({ hasText: 'BTC/USDT:USDT' })).toHaveCount(0);

  const orders = await listOrders(host, 'all');
  expect(orders).toHaveLength(1);
  expect(orders[0]).toMatchObject({ status: 'canceled', quantity: '0.01', side: 'buy', type: 'limit', source: 'manual' });
  expect(sameDecimal(orders[0]!.price, price)).toBe(true);
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
  const fills = await listFills(host);
  expect(new Set(fills.map((f) => f.side))).toEqual(new Set(['buy', 'sell']));
});

test('an invalid quantity is flagged at the field as it is typed, Place says why it is disabled, and nothing is sent', async ({ page }) => {
  host = await startHost();
  await openWorkstation(page, host);
  const t = ticket(page);
  await t.getByLabel('Symbol').selectOption('BTC/USDT:USDT');
  await t.getByLabel('Order type').selectOption('market');
  const quantity = t.getByLabel('Quantity');

  const place = t.getByRole('button', { name: 'Place order' });
  await quantity.fill('');
  await expect(place).toBeDisabled();
  await expect(place).toHaveAccessibleDescription('Enter a quantity.');

  // Text the contract's strict decimal grammar would refuse is explained, not sent.
  for (const [typed, message] of [
    ['0', /greater than zero/],
    ['abc', /must be a number such as 0\.001/],
    ['0.0015', /multiple of the lot size 0\.001/],
    ['-1', /positive \(no minus sign\)/],
    ['+1', /without a “\+” sign/],
    ['1e3', /without an exponent/],
    ['0,5', /type a decimal point/],
  ] as const) {
    await quantity.fill(typed);
    await expect(quantity).toHaveAttribute('aria-invalid', 'true');
    await expect(quantity).toHaveAccessibleDescription(message);
    await expect(place).toBeDisabled();
    await expect(place).toHaveAccessibleDescription(message);
    // Enter sends nothing either: the field that is wrong keeps the focus.
    await quantity.press('Enter');
    await expect(quantity).toBeFocused();
  }
  expect(await listOrders(host, 'all')).toEqual([]);

  // What is unambiguous is normalized when the field is left.
  await quantity.fill(' 007 ');
  await quantity.blur();
  await expect(quantity).toHaveValue('7');
  await expect(quantity).toHaveAttribute('aria-invalid', 'false');

  // The engine's own refusals reach the ticket's alert: the fat-finger limit, then margin.
  const btc = await market(host, 'BTC/USDT:USDT');
  await quantity.fill('500');
  await t.getByRole('button', { name: 'Place order' }).click();
  await expect(t.getByRole('alert')).toContainText(/above the maximum of 250,000 USDT/);
  // Worth 175,000 USDT at the touch: under the 250,000 maximum, but its 10× margin is above the 10,000 balance.
  await quantity.fill(Dec.parse('175000').div(Dec.parse(btc.ticker.ask)).floorTo(Dec.parse(btc.instrument.lotSize)).toString());
  await t.getByRole('button', { name: 'Place order' }).click();
  await expect(t.getByRole('alert')).toContainText(/margin/i);
  expect(await listOrders(host, 'all')).toEqual([]);
});

test('after a restart on the same data folder, orders, fills, positions and balance are as before', async ({ page }) => {
  const dataDir = freshDataDir();
  host = await startHost({ dataDir });
  await openWorkstation(page, host);
  const sol = await market(host, 'SOL/USDT:USDT');
  const restPrice = priceAt(sol, sol.ticker.bid, '0.95').toString(); // inside the 10% price band

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
    orders: await listOrders(host, 'all'),
    fills: await listFills(host),
    positions: await rpc<Position[]>(host.port, host.token, 'positions.list'),
    account: await rpc<AccountSummary>(host.port, host.token, 'account.summary'),
  };
  await host.stop();

  host = await startHost({ dataDir });
  const after = {
    orders: await listOrders(host, 'all'),
    fills: await listFills(host),
    positions: await rpc<Position[]>(host.port, host.token, 'positions.list'),
    account: await rpc<AccountSummary>(host.port, host.token, 'account.summary'),
  };
  expect(after.orders).toEqual(before.orders);
  expect(after.fills).toEqual(before.fills);
  expect(after.positions.map(booked)).toEqual(before.positions.map(booked));
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

test('leverage is set per instrument from the ticket, priced into the margin, and can be raised while a position is open', async ({ page }) => {
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
  const [at5] = await rpc<Position[]>(host.port, host.token, 'positions.list');
  // Raising leverage on an open position frees margin, as on the exchanges.
  await t.getByLabel('Leverage').selectOption('20');
  await expect(row).toContainText('20×');
  await expect.poll(async () => (await rpc<Position[]>(host!.port, host!.token, 'positions.list'))[0]!.leverage).toBe(20);
  const [at20] = await rpc<Position[]>(host.port, host.token, 'positions.list');
  expect(Dec.parse(at20!.margin).lt(Dec.parse(at5!.margin))).toBe(true);
});

test('a stop on the wrong side of the market is flagged, refused by the engine, and goes through with “Trigger now”', async ({ page }) => {
  host = await startHost();
  await openWorkstation(page, host);
  const t = ticket(page);
  await t.getByLabel('Symbol').selectOption('BTC/USDT:USDT');
  await t.getByRole('button', { name: 'Buy', exact: true }).click();
  await t.getByLabel('Order type').selectOption('stop');
  await t.getByLabel('Quantity').fill('0.01');
  // A buy stop 1% under the last price: already crossed, and far enough that the market will not uncross it meanwhile.
  const btc = await market(host, 'BTC/USDT:USDT');
  const stop = priceAt(btc, btc.ticker.last, '0.99').toFixed(btc.tickDecimals);
  await t.getByLabel('Stop price', { exact: true }).fill(stop);
  await expect(t.getByText(/Would trigger immediately: this buy stop at .* is at or below the last price/)).toBeVisible();
  const triggerNow = t.getByLabel('Trigger now');
  await expect(triggerNow).not.toBeChecked();

  await t.getByRole('button', { name: 'Place order' }).click();
  await expect(t.getByRole('alert')).toContainText(/would trigger immediately/);
  await expect(t.getByRole('alert')).toContainText('Trigger now');
  expect(await listOrders(host, 'all')).toEqual([]);

  await triggerNow.check();
  await expect(t.getByText(/triggers as soon as it is placed/)).toBeVisible();
  await t.getByRole('button', { name: 'Place order' }).click();
  await expect(page.getByRole('table', { name: 'Positions' }).getByRole('row').filter({ hasText: 'BTC/USDT:USDT' })).toHaveCount(1);
  // The confirmation is for one order: it is unticked once sent.
  await expect(triggerNow).not.toBeChecked();
  const [order] = await listOrders(host, 'all');
  expect(order).toMatchObject({ type: 'stop', side: 'buy', status: 'filled', source: 'manual' });
  expect(sameDecimal(order!.stopPrice, stop)).toBe(true);
});

test('switching symbol never carries the quantity over, drops a stale error, and a much larger order asks first', async ({ page }) => {
  host = await startHost();
  await openWorkstation(page, host);
  const t = ticket(page);
  const quantity = t.getByLabel('Quantity');
  const watch = (symbol: string) => page.getByRole('listbox').locator(`[data-symbol="${symbol}"]`);

  await watch('ETH/USDT:USDT').click();
  await expect(t.getByLabel('Symbol')).toHaveValue('ETH/USDT:USDT');
  const eth = await market(host, 'ETH/USDT:USDT');
  const rest = priceAt(eth, eth.ticker.bid, '0.97').toFixed(eth.tickDecimals);
  await t.getByLabel('Order type').selectOption('limit');
  await quantity.fill('5');
  await t.getByLabel('Limit price').fill(rest);
  // The engine's refusal of a reduce-only order with no ETH position to reduce ...
  const reduceOnly = t.getByLabel('Reduce-only');
  await reduceOnly.check();
  await t.getByRole('button', { name: 'Place order' }).click();
  await expect(t.getByRole('alert')).toContainText(/reduce/i);
  // ... no longer applies once the ticket changes: unticking Reduce-only drops it.
  await reduceOnly.uncheck();
  await expect(t.getByRole('alert')).toHaveCount(0);
  await reduceOnly.check();
  await t.getByRole('button', { name: 'Place order' }).click();
  await expect(t.getByRole('alert')).toContainText(/reduce/i);

  await watch('BTC/USDT:USDT').click();
  await expect(t.getByLabel('Symbol')).toHaveValue('BTC/USDT:USDT');
  await expect(quantity).toHaveValue('');
  // Nor is it shown against BTC.
  await expect(t.getByRole('alert')).toHaveCount(0);
  await reduceOnly.uncheck();
  await quantity.fill('0.01');
  await watch('ETH/USDT:USDT').click();
  await expect(quantity).toHaveValue('5');
  await watch('BTC/USDT:USDT').click();
  await expect(quantity).toHaveValue('0.01');

  // A resting ETH order of 0.1 sets the size the next one is compared with.
  await watch('ETH/USDT:USDT').click();
  await quantity.fill('0.1');
  await t.getByLabel('Limit price').fill(rest);
  await t.getByRole('button', { name: 'Place order' }).click();
  await expect(page.getByRole('table', { name: 'Open orders' }).getByRole('row').filter({ hasText: 'ETH/USDT:USDT' })).toHaveCount(1);

  // 5 ETH at the same price is 50× that: the ticket asks, naming both values, and "Back" sends nothing.
  await quantity.fill('5');
  await t.getByLabel('Limit price').fill(rest);
  await t.getByRole('button', { name: 'Place order' }).click();
  const dialog = page.getByRole('dialog', { name: 'Place a much larger order?' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(`${shown(Dec.parse(rest).mul(Dec.parse('5')).toFixed(2))} USDT`);
  await expect(dialog).toContainText(`${shown(Dec.parse(rest).mul(Dec.parse('0.1')).toFixed(2))} USDT`);
  await expect(dialog).toContainText('50.0×');
  await dialog.getByRole('button', { name: 'Back to ticket' }).click();
  await expect(dialog).toBeHidden();
  expect(await listOrders(host, 'all')).toHaveLength(1);

  // Confirmed, it is sent.
  await t.getByRole('button', { name: 'Place order' }).click();
  await dialog.getByRole('button', { name: 'Send order' }).click();
  await expect(page.getByRole('table', { name: 'Open orders' }).getByRole('row').filter({ hasText: 'ETH/USDT:USDT' })).toHaveCount(2);
  const orders = await listOrders(host, 'all');
  expect(orders.map((o) => o.quantity).sort()).toEqual(['0.1', '5']);
});
