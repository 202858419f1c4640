/**
 * A bracket from the ticket to the blotter, end to end on the real headless
 * host and paper venue: placed with its take-profit and stop-loss, shown as
 * three rows (the children under their entry), the entry's limit price
 * amended from the blotter (the same order, its history saying so), and the
 * entry cancelled, which cancels its children.
 */
import { expect, test } from './journey';
import { Dec } from '../../src/shared/decimal';
import { removeDataDirs, startHost, type RunningHost } from './headlessHost';
import { listOrderEvents, listOrders, market, openWorkstation, priceAt, sameDecimal, shown, ticket } from './workstation';

let host: RunningHost | undefined;
test.afterEach(async () => {
  await host?.stop();
  host = undefined;
});
test.afterAll(() => removeDataDirs());

test('a bracket placed from the ticket shows its take-profit and stop-loss under the entry, is amended from the blotter, and cancelling the entry cancels them', async ({ page }) => {
  host = await startHost();
  await openWorkstation(page, host);
  const btc = await market(host, 'BTC/USDT:USDT');
  const entryPrice = priceAt(btc, btc.ticker.bid, '0.95');
  const takeProfit = entryPrice.mul(Dec.parse('1.1')).floorTo(btc.tick);
  const stopLoss = entryPrice.mul(Dec.parse('0.97')).floorTo(btc.tick);

  const t = ticket(page);
  await t.getByLabel('Symbol').selectOption('BTC/USDT:USDT');
  await t.getByRole('button', { name: 'Buy', exact: true }).click();
  await t.getByLabel('Order type').selectOption('limit');
  await t.getByLabel('Quantity').fill('0.01');
  await t.getByLabel('Limit price').fill(entryPrice.toFixed(btc.tickDecimals));
  await t.getByLabel('Take profit').fill(takeProfit.toFixed(btc.tickDecimals));
  await t.getByLabel('Stop loss').fill(stopLoss.toFixed(btc.tickDecimals));
  await t.getByRole('button', { name: 'Place order' }).click();

  const openOrders = page.getByRole('table', { name: 'Open orders' });
  const rows = openOrders.locator('tbody tr');
  await expect(rows).toHaveCount(3);
  // The entry first, then its take-profit and stop-loss under it.
  await expect(rows.nth(0)).toHaveAttribute('data-role', 'entry');
  await expect(rows.nth(1)).toHaveAttribute('data-role', 'tp');
  await expect(rows.nth(2)).toHaveAttribute('data-role', 'sl');
  await expect(rows.nth(1)).toContainText('TP');
  await expect(rows.nth(1)).toContainText(/sell/i);
  await expect(rows.nth(2)).toContainText('SL');

  const entry = (await listOrders(host, 'open')).find((o) => o.role === 'entry')!;
  expect(sameDecimal(entry.price, entryPrice.toString())).toBe(true);
  const children = (await listOrders(host, 'open')).filter((o) => o.parentId === entry.id);
  expect(children.map((c) => [c.role, c.side, c.reduceOnly, c.status]).sort()).toEqual([
    ['sl', 'sell', true, 'open'],
    ['tp', 'sell', true, 'open'],
  ]);

  // Amend the entry's limit price from the blotter.
  const newPrice = entryPrice.add(btc.tick.mul(Dec.parse('10')));
  await rows.nth(0).getByRole('button', { name: /^Edit / }).click();
  const dialog = page.getByRole('dialog', { name: /^Amend buy limit BTC\/USDT:USDT/ });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Limit price').fill(newPrice.toFixed(btc.tickDecimals));
  await dialog.getByRole('button', { name: 'Amend' }).click();
  await expect(dialog).toBeHidden();
  await expect(rows.nth(0)).toContainText(shown(newPrice.toFixed(btc.tickDecimals)));
  const amended = (await listOrders(host, 'open')).find((o) => o.id === entry.id)!;
  expect(sameDecimal(amended.price, newPrice.toString())).toBe(true);
  expect((await listOrderEvents(host, entry.id)).map((e) => e.type)).toEqual(['OrderSubmitted', 'OrderAccepted', 'OrderAmendRequested', 'OrderAmended']);

  // Cancelling the entry, unfilled, cancels its take-profit and stop-loss.
  await rows.nth(0).getByRole('button', { name: /^Cancel / }).click();
  await expect(rows).toHaveCount(0);
  const all = await listOrders(host, 'all');
  expect(all.filter((o) => o.groupId === entry.id).map((o) => o.status)).toEqual(['canceled', 'canceled', 'canceled']);
});
