/**
 * The screen a trader lives in, at a laptop's 1280×800 and a desk's
 * 1920×1080: with positions, resting orders and a refusal in the ticket,
 * every primary control is inside the viewport and is what a click there
 * would hit (not clipped, not covered by a message); the header stays on
 * one line, and so does the chart's, with a perpetual's funding on it; the
 * live blotters need no sideways scrolling; the page itself, in every view,
 * has nothing to scroll (each pane scrolls on its own). Splitters resize
 * by pointer and keyboard, panes collapse, and the layout survives a reload.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './journey';
import { removeDataDirs, startHost, type RunningHost } from './headlessHost';
import { rpc } from './rpc';
import { market, openWorkstation, priceAt, ticket } from './workstation';

let host: RunningHost | undefined;
test.afterEach(async () => {
  await host?.stop();
  host = undefined;
});
test.afterAll(() => removeDataDirs());

const SIZES = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
] as const;

let seq = 0;
async function place(running: RunningHost, params: Record<string, unknown>): Promise<void> {
  await rpc(running.port, running.token, 'orders.place', { clientOrderId: `layout-${++seq}-${Date.now()}`, timeInForce: 'GTC', venue: 'paper', ...params });
}

/** Two positions and seven resting orders, placed through the host as any client would. */
async function busyDesk(running: RunningHost): Promise<void> {
  const btc = await market(running, 'BTC/USDT:USDT');
  const eth = await market(running, 'ETH/USDT:USDT');
  await place(running, { symbol: 'BTC/USDT:USDT', side: 'buy', type: 'market', quantity: '0.01' });
  await place(running, { symbol: 'ETH/USDT:USDT', side: 'sell', type: 'market', quantity: '0.5' });
  for (const f of ['0.94', '0.95', '0.96', '0.97', '0.98', '0.99']) {
    await place(running, { symbol: 'BTC/USDT:USDT', side: 'buy', type: 'limit', quantity: '0.01', price: priceAt(btc, btc.ticker.bid, f).toString() });
  }
  await place(running, { symbol: 'ETH/USDT:USDT', side: 'sell', type: 'limit', quantity: '0.1', price: priceAt(eth, eth.ticker.ask, '1.05').toString() });
}

/** The control lies inside the viewport, and a click at its centre would land on it (nothing clips or covers it). */
async function expectReachable(page: Page, control: Locator, what: string): Promise<void> {
  await expect(control, what).toBeVisible();
  const box = await control.boundingBox();
  const viewport = page.viewportSize();
  expect(box, what).not.toBeNull();
  expect(viewport).not.toBeNull();
  if (!box || !viewport) return;
  expect(box.x, `${what}: left edge`).toBeGreaterThanOrEqual(0);
  expect(box.y, `${what}: top edge`).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, `${what}: right edge`).toBeLessThanOrEqual(viewport.width);
  expect(box.y + box.height, `${what}: bottom edge`).toBeLessThanOrEqual(viewport.height);
  const hit = await control.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return top !== null && (top === el || el.contains(top));
  });
  expect(hit, `${what}: a click at its centre reaches it`).toBe(true);
}

/**
 * The page itself never scrolls: every pane scrolls on its own. Content that
 * reached past the window (an absolutely placed element whose box escapes
 * its pane's clipping) would let a focus or a scroll-into-view shift the
 * whole workstation, header and all, up and out of sight.
 */
async function expectPageFixed(page: Page, what: string): Promise<void> {
  const page_ = await page.evaluate(() => {
    const root = document.documentElement;
    return { tall: root.scrollHeight - root.clientHeight, wide: root.scrollWidth - root.clientWidth, top: root.scrollTop, left: root.scrollLeft };
  });
  expect(page_, `${what}: the page has nothing beyond the window to scroll to`).toEqual({ tall: 0, wide: 0, top: 0, left: 0 });
}

/** Every control of this kind sits within its scrolling pane sideways: none needs horizontal scrolling to reach. */
async function expectWithinPaneWidth(buttons: Locator, pane: Locator, what: string): Promise<void> {
  const paneBox = await pane.boundingBox();
  expect(paneBox).not.toBeNull();
  for (const button of await buttons.all()) {
    const box = await button.boundingBox();
    if (!box || !paneBox) continue;
    expect(box.x, `${what}: left edge`).toBeGreaterThanOrEqual(paneBox.x);
    expect(box.x + box.width, `${what}: right edge`).toBeLessThanOrEqual(paneBox.x + paneBox.width + 0.5);
  }
}

for (const size of SIZES) {
  test(`at ${size.width}×${size.height} every primary control is on screen with positions, orders and a refusal`, async ({ page }) => {
    host = await startHost();
    await busyDesk(host);
    await page.setViewportSize(size);
    await openWorkstation(page, host);

    const positions = page.getByRole('table', { name: 'Positions' });
    const openOrders = page.getByRole('table', { name: 'Open orders' });
    await expect(positions.getByRole('button', { name: /^Close / })).toHaveCount(2);
    await expect(openOrders.getByRole('button', { name: /^Cancel / })).toHaveCount(7);

    // A refusal in the ticket: far above the maximum order value.
    const t = ticket(page);
    const btc = await market(host, 'BTC/USDT:USDT');
    await t.getByLabel('Symbol').selectOption('BTC/USDT:USDT');
    await t.getByLabel('Order type').selectOption('limit');
    await t.getByLabel('Quantity').fill('5000');
    await t.getByLabel('Limit price').fill(priceAt(btc, btc.ticker.bid, '0.99').toString());
    await t.getByRole('button', { name: 'Place order' }).click();
    await expect(t.getByRole('alert')).toContainText(/above the maximum/);

    await expectReachable(page, t.getByRole('button', { name: 'Place order' }), 'Place order');
    await expectReachable(page, t.getByRole('alert'), 'the refusal');
    await expectReachable(page, page.getByRole('button', { name: /emergency stop/i }), 'Emergency stop');
    await expectReachable(page, page.getByRole('button', { name: 'Cancel all' }), 'Cancel all');
    await expectReachable(page, page.getByRole('button', { name: 'Flatten all' }), 'Flatten all');
    await expectReachable(page, positions.getByRole('button', { name: /^Close long 0\.010 BTC\/USDT:USDT/ }), 'Close (BTC)');
    await expectReachable(page, positions.getByRole('button', { name: /^Close short 0\.500 ETH\/USDT:USDT/ }), 'Close (ETH)');
    await expectReachable(page, openOrders.getByRole('button', { name: /^Cancel / }).first(), 'Cancel (first open order)');
    await expectWithinPaneWidth(positions.getByRole('button', { name: /^Close / }), page.locator('#pane-positions'), 'Close');
    await expectWithinPaneWidth(openOrders.getByRole('button', { name: /^Cancel / }), openOrders.locator('xpath=..'), 'Cancel');

    // The live blotters fit their panes: nothing to scroll sideways.
    for (const table of [positions, openOrders]) {
      const overflow = await table.evaluate((el) => {
        const scroller = el.parentElement!;
        return scroller.scrollWidth - scroller.clientWidth;
      });
      expect(overflow).toBeLessThanOrEqual(1);
    }

    // The header is one line: each figure's label and value on a line of their own, no wrapping.
    const header = page.locator('header.header');
    expect((await header.boundingBox())!.height).toBeLessThanOrEqual(44);
    for (const label of await header.locator('.hstat-label, .hstat-value').all()) {
      if (!(await label.isVisible())) continue;
      expect((await label.boundingBox())!.height, await label.innerText()).toBeLessThan(20);
    }

    // The chart's figures are shown whole or not at all: none cut at the edge.
    const chartHeader = page.locator('.chart-header');
    const edge = (await chartHeader.boundingBox())!;
    for (const stat of await chartHeader.locator('.stat').all()) {
      const box = await stat.boundingBox();
      if (!box || box.y >= edge.y + edge.height) continue; // wrapped out of sight
      expect(box.x + box.width, await stat.innerText()).toBeLessThanOrEqual(edge.x + edge.width + 0.5);
    }
    // A perpetual's funding, its rate and countdown side by side, is on that one line at both sizes; at 1920 every figure is.
    for (const part of [page.getByTestId('funding-rate'), page.getByTestId('funding-countdown')]) {
      const box = (await part.boundingBox())!;
      expect(box.y, 'funding on the header line').toBeLessThan(edge.y + edge.height / 2);
      expect(box.y + box.height, 'funding on the header line').toBeGreaterThan(edge.y + edge.height / 2);
      expect(box.x + box.width, 'funding inside the header').toBeLessThanOrEqual(edge.x + edge.width + 0.5);
    }
    if (size.width >= 1920) {
      for (const stat of await chartHeader.locator('.stat').all()) {
        expect((await stat.boundingBox())!.y, await stat.innerText()).toBeLessThan(edge.y + edge.height);
      }
    }

    await page.screenshot({ path: test.info().outputPath(`workstation-${size.width}x${size.height}.png`) });

    // Every view, the Strategies view with a catalog entry's page open (its longest) and an instance to compare.
    await rpc(host.port, host.token, 'strategies.create', { type: 'grid', venue: 'paper', symbol: 'BTC/USDT:USDT', timeframe: '1m', params: {} });
    await expectPageFixed(page, 'Trading');
    for (const view of ['Strategies', 'Backtests', 'Models', 'Signals', 'Reconciliation', 'Analytics', 'Pipeline', 'Monitor']) {
      const tab = page.getByRole('tab', { name: new RegExp(`^${view}`) });
      await tab.click();
      // Still there: a view that throws while rendering takes the whole workstation down with it.
      await expect(tab).toHaveAttribute('aria-selected', 'true');
      if (view === 'Strategies') {
        await page.getByTestId('catalog-entry-grid').click();
        await expect(page.getByTestId('parity-section').getByLabel('Instance to compare')).toBeAttached();
      }
      await expectPageFixed(page, view);
    }
  });
}

test('splitters resize by pointer and keyboard, panes collapse, and the layout survives a reload until reset', async ({ page }) => {
  host = await startHost();
  await page.setViewportSize({ width: 1280, height: 800 });
  await openWorkstation(page, host);

  const blotter = page.locator('#pane-bottom');
  const before = (await blotter.boundingBox())!.height;
  const bar = page.getByRole('separator', { name: 'Resize the blotter' });
  const grip = (await bar.boundingBox())!;
  const [gx, gy] = [grip.x + grip.width / 2, grip.y + grip.height / 2];
  await page.mouse.move(gx, gy);
  await page.mouse.down();
  await page.mouse.move(gx, gy - 60, { steps: 4 });
  await page.mouse.move(gx, gy - 100, { steps: 4 });
  await page.mouse.up();
  const dragged = (await blotter.boundingBox())!.height;
  expect(Math.abs(dragged - (before + 100))).toBeLessThanOrEqual(2);

  // The keyboard moves a splitter too: two steps right widen the watchlist column by 32 px.
  const left = page.locator('#pane-left');
  const leftBefore = (await left.boundingBox())!.width;
  const leftBar = page.getByRole('separator', { name: 'Resize the watchlist and order book' });
  await leftBar.focus();
  const valueBefore = Number(await leftBar.getAttribute('aria-valuenow'));
  await leftBar.press('ArrowRight');
  await leftBar.press('ArrowRight');
  await expect(leftBar).toHaveAttribute('aria-valuenow', String(valueBefore + 32));
  expect(Math.round((await left.boundingBox())!.width - leftBefore)).toBe(32);

  // The ticket folds to a rail, and the chart takes the room.
  const chartWidth = (await page.getByRole('region', { name: 'Chart' }).boundingBox())!.width;
  await page.getByRole('button', { name: 'Collapse order ticket' }).click();
  await expect(page.getByRole('region', { name: 'Order ticket' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Show order ticket' })).toBeVisible();
  expect((await page.getByRole('region', { name: 'Chart' }).boundingBox())!.width).toBeGreaterThan(chartWidth + 200);

  // After a reload the window looks as it was left.
  await page.reload();
  await expect(page.getByText('Connected')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Show order ticket' })).toBeVisible();
  expect(Math.abs((await blotter.boundingBox())!.height - dragged)).toBeLessThanOrEqual(2);
  expect(Math.round((await left.boundingBox())!.width)).toBe(Math.round(leftBefore + 32));

  await page.getByRole('button', { name: 'Show order ticket' }).click();
  await expect(page.getByRole('region', { name: 'Order ticket' })).toBeVisible();

  // Enter on a splitter folds its pane; the rail says what is in it and brings it back.
  await page.getByRole('separator', { name: 'Resize the blotter' }).press('Enter');
  const rail = page.getByRole('button', { name: /^Show blotter \(0 positions · 0 open orders\)$/ });
  await expect(rail).toBeVisible();
  await expect(page.getByRole('table', { name: 'Positions' })).toHaveCount(0);
  await rail.click();
  await expect(page.getByRole('table', { name: 'Positions' })).toBeVisible();

  // Reset layout puts it all back, and that too survives a reload.
  await page.getByRole('button', { name: 'Reset layout' }).click();
  expect(Math.abs((await blotter.boundingBox())!.height - before)).toBeLessThanOrEqual(2);
  expect(Math.round((await left.boundingBox())!.width)).toBe(Math.round(leftBefore));
  await expect(page.getByRole('button', { name: 'Reset layout' })).toBeDisabled();
  await page.reload();
  await expect(page.getByText('Connected')).toBeVisible();
  expect(Math.abs((await blotter.boundingBox())!.height - before)).toBeLessThanOrEqual(2);
});
