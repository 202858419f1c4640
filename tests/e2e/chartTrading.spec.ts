/**
 * Trading from the chart, end to end on the real headless host and paper
 * venue: a buy limit placed from the right-click menu at a price taken from
 * the live ticker (the chart's price scale read off the menu itself, never a
 * market level named here) shows in the blotter at that price; its line
 * dragged down amends it (the same order id, its history saying so); and
 * with a position open, its SL handle dragged under the market places a
 * reduce-only stop for the position's size, and that stop dragged above the
 * market is refused with the engine's typed error, in the chart's words, and put back. The menu
 * opens from the keyboard too (Menu key, Shift+F10). Screenshots of the chart with its
 * orders and handles at both desk sizes go with the test's output (and to
 * KEEL_SHOTS_DIR when set).
 */
import type { Page } from '@playwright/test';
import { expect, test } from './journey';
import { Dec } from '../../src/shared/decimal';
import type { Position } from '../../src/shared/domain';
import { removeDataDirs, startHost, type RunningHost } from './headlessHost';
import { rpc } from './rpc';
import { listOrderEvents, listOrders, market, openWorkstation, priceAt, sameDecimal, shown, ticket } from './workstation';
import { screenshot } from './shots';

let host: RunningHost | undefined;
test.afterEach(async () => {
  await host?.stop();
  host = undefined;
});
test.afterAll(() => removeDataDirs());

const BTC = 'BTC/USDT:USDT';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

const chartBox = async (page: Page): Promise<Box> => (await page.getByTestId('chart').boundingBox())!;

/** The price the right-click menu offers at a point of the chart (read from its title), the menu closed again. */
async function menuPriceAt(page: Page, x: number, y: number): Promise<Dec> {
  await page.mouse.click(x, y, { button: 'right' });
  const menu = page.getByRole('menu');
  await expect(menu).toBeVisible();
  const title = (await menu.getAttribute('aria-label'))!;
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
  return Dec.parse(title.replace(/^.* at /, '').replace(/,/g, ''));
}

/**
 * The chart's price scale as it is now: two probes through the menu give the
 * line from price to pixel (the scale is linear). Read again before each use:
 * the scale follows the market.
 */
async function priceScale(page: Page): Promise<{ yOf(price: Dec): number; priceAtY(y: number): number; pricePerPx: number }> {
  const box = await chartBox(page);
  const x = box.x + box.width * 0.3;
  const y1 = box.y + box.height * 0.2;
  const y2 = box.y + box.height * 0.6;
  const p1 = Number((await menuPriceAt(page, x, y1)).toString());
  const p2 = Number((await menuPriceAt(page, x, y2)).toString());
  const slope = (y2 - y1) / (p2 - p1);
  return { yOf: (price) => y1 + (Number(price.toString()) - p1) * slope, priceAtY: (y) => p1 + (y - y1) / slope, pricePerPx: Math.abs(1 / slope) };
}

/** Moves the pointer along a row of points until the chart says what is under it is `part` ("line", "label", "tp", "sl"). */
async function findGrab(page: Page, points: ReadonlyArray<{ x: number; y: number }>, part: string): Promise<{ x: number; y: number }> {
  const chart = page.getByTestId('chart');
  for (const p of points) {
    await page.mouse.move(p.x, p.y);
    if ((await chart.getAttribute('data-line-grab')) === part) return p;
  }
  throw new Error(`nothing to grab as ${part} along the points tried`);
}

async function drag(page: Page, from: { x: number; y: number }, toY: number, expectTag: RegExp): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x, (from.y + toY) / 2, { steps: 4 });
  await page.mouse.move(from.x, toY, { steps: 4 });
  // The new price is shown beside the pointer while dragging.
  await expect(page.getByTestId('chart-drag-price')).toHaveText(expectTag);
  await page.mouse.up();
  await expect(page.getByTestId('chart-drag-price')).toHaveCount(0);
}

async function screenshots(page: Page, name: string): Promise<void> {
  for (const [width, height] of [
    [1280, 800],
    [1920, 1080],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.mouse.move(0, 0);
    // The chart redraws at the new size before it is taken.
    await expect.poll(async () => Math.round((await chartBox(page)).width)).toBeGreaterThan(width / 3);
    await page.waitForTimeout(300);
    await screenshot(page, `${name}-${width}x${height}.png`);
  }
}

test('orders placed and amended from the chart, and a position’s stop-loss set from its handle', async ({ page }) => {
  host = await startHost();
  await page.setViewportSize({ width: 1600, height: 900 });
  await openWorkstation(page, host);
  const t = ticket(page);
  await t.getByLabel('Symbol').selectOption(BTC);
  await expect(page.locator('.chart-overlay')).toHaveCount(0);
  await t.getByLabel('Quantity').fill('0.01');

  // A buy limit 0.3% under the live last price, placed with a right-click where the chart has that price. The right-click
  // must land on the candles: when the market sits low in the chart, the target is raised to the lowest price shown
  // well inside them (70% down the chart), or else to a few ticks under the last price.
  const btc = await market(host, BTC);
  const scale = await priceScale(page);
  const box = await chartBox(page);
  const last = Dec.parse(btc.ticker.last);
  const lowestShown = Dec.parse(scale.priceAtY(box.y + box.height * 0.7).toFixed(8)).floorTo(btc.tick);
  const fewTicksUnder = last.sub(btc.tick.mul(Dec.parse('5')));
  const target = [priceAt(btc, btc.ticker.last, '0.997'), lowestShown, fewTicksUnder].find((p) => p.lt(last) && !p.lt(lowestShown)) ?? fewTicksUnder;
  const x = box.x + box.width * 0.35;
  const y = scale.yOf(target);
  const menu = page.getByRole('menu');

  // From the keyboard: the focused chart says how, and the Menu key or Shift+F10 opens the same menu, at the crosshair's
  // price while the pointer is on the candles, otherwise at the last price; Esc closes it and the chart has the focus again.
  const chartEl = page.getByTestId('chart');
  await expect(chartEl).toHaveAccessibleDescription(/Menu key or Shift\+F10/);
  const pointed = await menuPriceAt(page, x, y);
  await chartEl.focus();
  await page.keyboard.press('ContextMenu');
  await expect(menu).toBeVisible();
  await expect(menu.getByRole('menuitem').first()).toBeFocused();
  const keyed = Dec.parse((await menu.getAttribute('aria-label'))!.replace(/^.* at /, '').replace(/,/g, ''));
  expect(Math.abs(Number(keyed.sub(pointed).toString()))).toBeLessThanOrEqual(Number(target.toString()) * 0.001 + Number(btc.instrument.tickSize));
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
  await expect(chartEl).toBeFocused();
  await page.mouse.move(0, 0);
  const lastBefore = Number((await market(host, BTC)).ticker.last);
  await page.keyboard.press('Shift+F10');
  await expect(menu).toBeVisible();
  const atLast = Number((await menu.getAttribute('aria-label'))!.replace(/^.* at /, '').replace(/,/g, ''));
  const lastAfter = Number((await market(host, BTC)).ticker.last);
  const slack = lastAfter * 0.002;
  expect(atLast).toBeGreaterThanOrEqual(Math.min(lastBefore, lastAfter) - slack);
  expect(atLast).toBeLessThanOrEqual(Math.max(lastBefore, lastAfter) + slack);
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);

  await page.mouse.click(x, y, { button: 'right' });
  const offered = Dec.parse((await menu.getAttribute('aria-label'))!.replace(/^.* at /, '').replace(/,/g, ''));
  // The price under the pointer, on the tick, near the target (a few pixels, or the little the scale moved with the market since).
  expect(offered.isMultipleOf(btc.tick)).toBe(true);
  const off = Math.abs(Number(offered.sub(target).toString()));
  expect(off).toBeLessThanOrEqual(Math.max(scale.pricePerPx * 3, Number(target.toString()) * 0.001) + Number(btc.instrument.tickSize));
  const buyLimit = menu.getByRole('menuitem', { name: /^Buy limit 0\.01 BTC @ / });
  // Keyboard: the first item has the focus, and Down moves to the next.
  await expect(buyLimit).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(menu.getByRole('menuitem', { name: /^Sell stop 0\.01 BTC @ / })).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await expect(menu).toHaveCount(0);

  const rows = page.getByRole('table', { name: 'Open orders' }).locator('tbody tr');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(shown(offered.toFixed(btc.tickDecimals)));
  const [placed] = await listOrders(host, 'open');
  expect(placed).toMatchObject({ side: 'buy', type: 'limit', quantity: expect.anything(), status: 'open', source: 'manual' });
  expect(sameDecimal(placed!.price, offered.toString())).toBe(true);
  expect(sameDecimal(placed!.quantity, '0.01')).toBe(true);

  // Its line dragged down amends its price: the same order, on the tick, lower.
  const again = await priceScale(page);
  const lineY = again.yOf(offered);
  const lineAt = await findGrab(
    page,
    Array.from({ length: 13 }, (_, i) => ({ x, y: lineY + (i % 2 === 0 ? i / 2 : -(i + 1) / 2) })),
    'line',
  );
  await drag(page, lineAt, lineAt.y + 40, /^Move to [0-9,.]+$/);
  await expect(page.getByText(/^Buy limit 0\.010? amended to [0-9,.]+$/)).toBeVisible();
  await expect.poll(async () => (await listOrders(host!, 'open'))[0]?.price).not.toBe(placed!.price);
  const [amended] = await listOrders(host, 'open');
  expect(amended!.id).toBe(placed!.id);
  expect(Dec.parse(amended!.price!).lt(offered)).toBe(true);
  expect(Dec.parse(amended!.price!).isMultipleOf(btc.tick)).toBe(true);
  await expect(rows.first()).toContainText(shown(Dec.parse(amended!.price!).toFixed(btc.tickDecimals)));
  expect((await listOrderEvents(host, placed!.id)).map((e) => e.type)).toEqual(['OrderSubmitted', 'OrderAccepted', 'OrderAmendRequested', 'OrderAmended']);

  // A position from a market buy; its SL handle dragged under the market places a reduce-only stop for its size.
  await t.getByLabel('Order type').selectOption('market');
  await t.getByRole('button', { name: 'Buy', exact: true }).click();
  await t.getByRole('button', { name: 'Place order' }).click();
  await expect.poll(async () => (await rpc<Position[]>(host!.port, host!.token, 'positions.list')).length).toBe(1);
  const [position] = await rpc<Position[]>(host.port, host.token, 'positions.list');
  const atEntry = (await priceScale(page)).yOf(Dec.parse(position!.entryPrice));
  const chart = await chartBox(page);
  // The handles sit left of the position's label at the right of the candles' pane.
  const along = Array.from({ length: 60 }, (_, i) => ({ x: chart.x + chart.width - 70 - i * 4, y: atEntry }));
  const slAt = await findGrab(page, [...along, ...along.map((p) => ({ ...p, y: p.y - 8 })), ...along.map((p) => ({ ...p, y: p.y + 8 }))], 'sl');
  await drag(page, slAt, chart.y + chart.height * 0.85, /^stop-loss at [0-9,.]+$/);
  await expect(page.getByText(/^Sell 0\.010? BTC\/USDT:USDT stop @ [0-9,.]+ — /)).toBeVisible();
  const stop = (await listOrders(host, 'open')).find((o) => o.type === 'stop')!;
  expect(stop).toMatchObject({ side: 'sell', reduceOnly: true, status: 'open' });
  expect(sameDecimal(stop.quantity, position!.quantity)).toBe(true);
  expect(Dec.parse(stop.stopPrice!).lt(Dec.parse(position!.entryPrice))).toBe(true);
  await expect(rows.filter({ hasText: shown(Dec.parse(stop.stopPrice!).toFixed(btc.tickDecimals)) })).toHaveCount(1);

  // The stop's line dragged above the market: the engine refuses (it would trigger at once), the error is shown with its code,
  // and the line is back where the stop is.
  const stopY = (await priceScale(page)).yOf(Dec.parse(stop.stopPrice!));
  const stopAt = await findGrab(
    page,
    Array.from({ length: 13 }, (_, i) => ({ x, y: stopY + (i % 2 === 0 ? i / 2 : -(i + 1) / 2) })),
    'line',
  );
  await drag(page, stopAt, chart.y + chart.height * 0.04, /^Move to [0-9,.]+$/);
  // In the chart's words: drag it back under the market (the chart has no "Trigger now" box to tick).
  await expect(page.getByText(/^Amend refused: .* Drag the stop below the last price\. \(WOULD_TRIGGER_IMMEDIATELY\)$/)).toBeVisible();
  await expect(page.locator('.toasts').getByText(/Trigger now/)).toHaveCount(0);
  const kept = (await listOrders(host, 'open')).find((o) => o.id === stop.id)!;
  expect(kept.stopPrice).toBe(stop.stopPrice);
  await page.mouse.move(stopAt.x, stopAt.y - 60);
  await findGrab(page, Array.from({ length: 13 }, (_, i) => ({ x, y: stopAt.y + (i % 2 === 0 ? i / 2 : -(i + 1) / 2) })), 'line');

  await screenshots(page, 'chart-trading');
});
