/**
 * An order's detail, end to end: opened from Open orders, Order history and
 * Fills, it shows the order's fields and its history as the engine journaled
 * it, in words, with the status after each event, and follows the order live.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './journey';
import type { Order } from '../../src/shared/domain';
import { removeDataDirs, startHost, type RunningHost } from './headlessHost';
import { rpc } from './rpc';
import { detailField, listFills, listOrderEvents, listOrders, market, openWorkstation, orderDetail, priceAt, sameDecimal, ticket } from './workstation';

let host: RunningHost | undefined;
test.afterEach(async () => {
  await host?.stop();
  host = undefined;
});
test.afterAll(() => removeDataDirs());

const BTC = 'BTC/USDT:USDT';

/** A displayed number ("59,000.0", "0.010 of 0.010 (100%)") read back as a decimal string: its first figure, without grouping. */
async function shownDecimal(cell: Locator): Promise<string> {
  const text = await cell.innerText();
  const m = /-?[\d,]+(?:\.\d+)?/.exec(text);
  if (!m) throw new Error(`no number in "${text}"`);
  return m[0].replace(/,/g, '');
}

/** The timeline, oldest first: each row's event in words and the status after it. */
async function expectTimeline(dialog: Locator, expected: readonly (readonly [RegExp | string, string])[]): Promise<void> {
  const rows = dialog.getByRole('table', { name: 'Order timeline' }).locator('tbody tr');
  await expect(rows).toHaveCount(expected.length);
  for (const [i, [what, status]] of expected.entries()) {
    await expect(rows.nth(i).locator('td').nth(2)).toContainText(what);
    await expect(rows.nth(i).locator('td').nth(3)).toHaveText(status);
  }
}

async function placeRestingBuy(page: Page, running: RunningHost, quantity: string): Promise<string> {
  const btc = await market(running, BTC);
  const price = priceAt(btc, btc.ticker.bid, '0.95').toFixed(btc.tickDecimals);
  const t = ticket(page);
  await t.getByLabel('Symbol').selectOption(BTC);
  await t.getByRole('button', { name: 'Buy', exact: true }).click();
  await t.getByLabel('Order type').selectOption('limit');
  await t.getByLabel('Quantity').fill(quantity);
  await t.getByLabel('Limit price').fill(price);
  await t.getByRole('button', { name: 'Place order' }).click();
  return price;
}

/** The open dialog at both screen sizes a desk uses, each checked to fit, kept with the test's output. */
async function screenshots(page: Page, dialog: Locator, name: string): Promise<void> {
  for (const [width, height] of [
    [1280, 800],
    [1920, 1080],
  ] as const) {
    await page.setViewportSize({ width, height });
    const box = await dialog.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(width);
    expect(box!.y + box!.height).toBeLessThanOrEqual(height);
    const path = test.info().outputPath(`${name}-${width}x${height}.png`);
    await page.screenshot({ path });
    await test.info().attach(`${name} ${width}x${height}`, { path, contentType: 'image/png' });
  }
}

test('a canceled limit order’s detail, from Order history, tells its life: submitted, accepted, cancel requested, canceled', async ({ page }) => {
  host = await startHost();
  await openWorkstation(page, host);
  const price = await placeRestingBuy(page, host, '0.01');
  const openRow = page.getByRole('table', { name: 'Open orders' }).getByRole('row').filter({ hasText: BTC });
  await expect(openRow).toHaveCount(1);
  await expect(openRow).toContainText('open');

  // Cancel from the row: the button is the button's, it opens nothing.
  await openRow.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('table', { name: 'Open orders' }).getByRole('row').filter({ hasText: BTC })).toHaveCount(0);
  await expect(orderDetail(page)).toHaveCount(0);
  const [order] = await listOrders(host, 'all');
  expect(order).toMatchObject({ status: 'canceled', source: 'manual' });

  await page.getByRole('tab', { name: 'Order history' }).click();
  const historyRow = page.getByRole('table', { name: 'Order history' }).getByRole('row').filter({ hasText: BTC });
  await expect(historyRow).toContainText('canceled');
  await historyRow.click();

  const dialog = orderDetail(page);
  await expect(dialog).toBeVisible();
  await expect(dialog).toHaveAccessibleName(`Order Buy Limit ${BTC}`);
  await expectTimeline(dialog, [
    ['Submitted to paper', 'pending new'],
    ['Accepted by paper', 'open'],
    ['Cancel requested', 'pending cancel'],
    [/^Canceled by paper/, 'canceled'],
  ]);

  // The fields are the order's, prices and quantities compared by value.
  const o = order as Order;
  await expect(detailField(dialog, 'Status')).toHaveText('canceled');
  await expect(detailField(dialog, 'Side')).toHaveText('Buy');
  await expect(detailField(dialog, 'Type')).toHaveText('Limit');
  await expect(detailField(dialog, 'Symbol')).toHaveText(BTC);
  await expect(detailField(dialog, 'Venue')).toHaveText('paper');
  await expect(detailField(dialog, 'Time in force')).toHaveText('GTC');
  await expect(detailField(dialog, 'Source')).toHaveText('Manual');
  expect(sameDecimal(await shownDecimal(detailField(dialog, 'Limit price')), price)).toBe(true);
  expect(sameDecimal(await shownDecimal(detailField(dialog, 'Quantity')), o.quantity)).toBe(true);
  expect(sameDecimal(await shownDecimal(detailField(dialog, 'Filled')), '0')).toBe(true);
  await expect(detailField(dialog, 'Order id')).toContainText(o.id);
  await expect(detailField(dialog, 'Client order id')).toContainText(o.clientOrderId);
  // The venue's id, as the acknowledgement carried it, shown in the fields and on the event.
  const events = await listOrderEvents(host, o.id);
  const venueOrderId = events.find((e) => e.type === 'OrderAccepted')?.detail.venueOrderId;
  expect(venueOrderId).toBeTruthy();
  await expect(detailField(dialog, 'Venue order id')).toContainText(venueOrderId!);
  await expect(dialog.getByRole('table', { name: 'Order timeline' }).locator('tbody tr').nth(1)).toContainText(venueOrderId!);
  // The copy button puts the id on the clipboard and says so.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  const copy = dialog.getByRole('button', { name: 'Copy order id' });
  await copy.click();
  await expect(copy).toHaveAttribute('title', 'Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(o.id);
  await expect(dialog.getByRole('table', { name: 'Fills of this order' })).toHaveCount(0);

  await screenshots(page, dialog, 'canceled-limit');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('the detail follows a working order live, opened from Open orders with the keyboard', async ({ page }) => {
  host = await startHost();
  await openWorkstation(page, host);
  await placeRestingBuy(page, host, '0.02');
  const openRow = page.getByRole('table', { name: 'Open orders' }).getByRole('row').filter({ hasText: BTC });
  await expect(openRow).toContainText('open');

  await openRow.focus();
  await page.keyboard.press('Enter');
  const dialog = orderDetail(page);
  await expect(dialog).toBeVisible();
  await expectTimeline(dialog, [
    ['Submitted to paper', 'pending new'],
    ['Accepted by paper', 'open'],
  ]);

  // Canceled elsewhere (an API client) while the trader reads: the timeline follows.
  const [order] = await listOrders(host, 'open');
  await rpc(host.port, host.token, 'orders.cancel', { orderId: order!.id });
  await expectTimeline(dialog, [
    ['Submitted to paper', 'pending new'],
    ['Accepted by paper', 'open'],
    ['Cancel requested', 'pending cancel'],
    [/^Canceled by paper/, 'canceled'],
  ]);
  await expect(detailField(dialog, 'Status')).toHaveText('canceled');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
});

test('a filled market order’s detail, from its fill, lists the fill with its trade id', async ({ page }) => {
  host = await startHost();
  await openWorkstation(page, host);
  const t = ticket(page);
  await t.getByLabel('Symbol').selectOption(BTC);
  await t.getByRole('button', { name: 'Buy', exact: true }).click();
  await t.getByLabel('Order type').selectOption('market');
  await t.getByLabel('Quantity').fill('0.01');
  await t.getByRole('button', { name: 'Place order' }).click();
  await expect(page.getByRole('table', { name: 'Positions' }).getByRole('row').filter({ hasText: BTC })).toHaveCount(1);

  const [order] = await listOrders(host, 'all');
  expect(order).toMatchObject({ status: 'filled', type: 'market' });
  const fills = (await listFills(host)).filter((f) => f.orderId === order!.id);
  expect(fills.length).toBeGreaterThan(0);
  const fill = fills[0]!;

  await page.getByRole('tab', { name: 'Fills' }).click();
  await page.getByRole('table', { name: 'Fills' }).getByRole('row').filter({ hasText: fill.tradeId }).click();
  const dialog = orderDetail(page);
  await expect(dialog).toHaveAccessibleName(`Order Buy Market ${BTC}`);
  await expect(detailField(dialog, 'Status')).toHaveText('filled');
  expect(sameDecimal(await shownDecimal(detailField(dialog, 'Filled')), order!.filledQuantity)).toBe(true);
  expect(sameDecimal(await shownDecimal(detailField(dialog, 'Average price')), order!.averagePrice)).toBe(true);

  // Each fill is listed with its trade id; the one the trader came from is marked.
  const fillRows = dialog.getByRole('table', { name: 'Fills of this order' }).locator('tbody tr');
  await expect(fillRows).toHaveCount(fills.length);
  const fillRow = fillRows.filter({ hasText: fill.tradeId });
  await expect(fillRow).toHaveClass(/od-target/);
  expect(sameDecimal(await shownDecimal(fillRow.locator('td').nth(2)), fill.quantity)).toBe(true);
  expect(sameDecimal(await shownDecimal(fillRow.locator('td').nth(3)), fill.price)).toBe(true);
  await expect(fillRow.getByRole('button', { name: `Copy trade id ${fill.tradeId}` })).toBeVisible();

  // The timeline says the fill in words, with its trade, and the order ends filled.
  const filled = dialog.getByRole('table', { name: 'Order timeline' }).locator('tbody tr').filter({ hasText: fill.tradeId });
  await expect(filled).toContainText(new RegExp(`Filled [\\d.]+ @ [\\d,.]+ \\(${fill.liquidity}, fee [\\d.]+\\)`));
  const sentence = await filled.locator('.od-headline').innerText();
  const [, q, p] = /Filled ([\d.]+) @ ([\d,.]+)/.exec(sentence)!;
  expect(sameDecimal(q, fill.quantity)).toBe(true);
  expect(sameDecimal(p!.replace(/,/g, ''), fill.price)).toBe(true);
  const rows = dialog.getByRole('table', { name: 'Order timeline' }).locator('tbody tr');
  await expect(rows.first()).toContainText('Submitted to paper');
  await expect(rows.last().locator('td').nth(3)).toHaveText('filled');

  await screenshots(page, dialog, 'filled-market');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();

  // Order history opens the same detail, from the keyboard too.
  await page.getByRole('tab', { name: 'Order history' }).click();
  await page.getByRole('table', { name: 'Order history' }).getByRole('row').filter({ hasText: BTC }).focus();
  await page.keyboard.press('Enter');
  await expect(orderDetail(page)).toHaveAccessibleName(`Order Buy Market ${BTC}`);
  await expect(orderDetail(page).getByRole('table', { name: 'Fills of this order' }).locator('tbody tr')).toHaveCount(fills.length);
});
