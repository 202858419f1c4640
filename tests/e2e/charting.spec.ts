/**
 * The chart and its market data, end to end through the real host and UI:
 * an indicator added from the searchable menu gets its own pane and keeps
 * its edited parameters; drawings are placed, selected, deleted with Del and
 * still there after a reload, per instrument; the watchlist searches and
 * sorts every instrument the paper venue offers; time and sales and the
 * depth chart show the live market; and price alerts set from the chart (its
 * Alerts menu and a right-click) are kept by the engine, which fires one and
 * announces it.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './journey';
import type { Instrument } from '../../src/shared/domain';
import type { PriceAlert } from '../../src/shared/contract';
import { removeDataDirs, startHost, type RunningHost } from './headlessHost';
import { rpc } from './rpc';
import { openWorkstation } from './workstation';

let host: RunningHost | undefined;
test.afterEach(async () => {
  await host?.stop();
  host = undefined;
});
test.afterAll(() => removeDataDirs());

const BTC = 'BTC/USDT:USDT';

async function chartPoint(page: Page, fx: number, fy: number): Promise<{ x: number; y: number }> {
  const box = (await page.getByTestId('chart').boundingBox())!;
  return { x: box.x + box.width * fx, y: box.y + box.height * fy };
}

async function waitForCandles(page: Page): Promise<void> {
  await expect(page.locator('.chart-overlay')).toHaveCount(0);
  await expect(page.locator('.chart-legend').first()).toContainText('O');
}

test('an indicator gets its pane and drawings stay on their instrument across a reload', async ({ page }) => {
  host = await startHost();
  await openWorkstation(page, host);
  await waitForCandles(page);

  // RSI from the searchable menu: a pane of its own under the candles, with its legend.
  await page.getByRole('button', { name: /^Indicators/ }).click();
  const menu = page.getByRole('dialog', { name: 'Indicators' });
  await menu.getByLabel('Search indicators').fill('oversold');
  await expect(menu.getByRole('list', { name: 'Indicators to add' }).getByRole('button')).toHaveCount(1);
  await menu.getByLabel('Search indicators').press('Enter');
  const rsiPane = page.getByLabel('Relative strength index (RSI) pane');
  await expect(rsiPane).toContainText('RSI 14');
  const candles = (await page.getByTestId('chart').boundingBox())!;
  const paneTop = (await rsiPane.boundingBox())!.y;
  expect(paneTop).toBeGreaterThan(candles.y + candles.height / 2);
  // Its period edited: refused while invalid, applied when valid.
  await menu.getByRole('button', { name: 'Edit RSI 14' }).click();
  const editor = menu.getByRole('form', { name: 'RSI 14 parameters' });
  await editor.getByLabel('Period').fill('0');
  await expect(editor.getByRole('button', { name: 'Apply' })).toBeDisabled();
  await expect(editor.getByRole('status')).toContainText('Period must be from 1 to 1000');
  await editor.getByLabel('Period').fill('7');
  await editor.getByRole('button', { name: 'Apply' }).click();
  await expect(rsiPane).toContainText('RSI 7');
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);

  // A horizontal line, then a trend line that is selected and deleted with Del.
  const tools = page.getByRole('group', { name: 'Drawing tools' });
  await tools.getByRole('button', { name: 'Horizontal line' }).click();
  const at = await chartPoint(page, 0.4, 0.25);
  await page.mouse.click(at.x, at.y);
  await expect(tools.getByRole('status')).toHaveText('1 drawing');
  await expect(tools.getByRole('button', { name: /^Pointer/ })).toHaveAttribute('aria-pressed', 'true');
  await tools.getByRole('button', { name: 'Trend line' }).click();
  const a = await chartPoint(page, 0.2, 0.6);
  const b = await chartPoint(page, 0.5, 0.45);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 6 });
  await page.mouse.up();
  await expect(tools.getByRole('status')).toHaveText('2 drawings');
  // Placed, it is selected: Delete is offered; a click on empty chart drops the selection, a click on the line takes it again.
  await expect(tools.getByRole('button', { name: 'Delete drawing' })).toBeEnabled();
  const empty = await chartPoint(page, 0.8, 0.85);
  await page.mouse.click(empty.x, empty.y);
  await expect(tools.getByRole('button', { name: 'Delete drawing' })).toBeDisabled();
  await page.mouse.click((a.x + b.x) / 2, (a.y + b.y) / 2);
  await expect(tools.getByRole('button', { name: 'Delete drawing' })).toBeEnabled();
  await page.keyboard.press('Delete');
  await expect(tools.getByRole('status')).toHaveText('1 drawing');

  // After a reload the line and the indicator are still on BTC's chart, and on no other.
  await page.reload();
  await expect(page.getByText('Connected')).toBeVisible();
  await waitForCandles(page);
  await expect(tools.getByRole('status')).toHaveText('1 drawing');
  await expect(rsiPane).toContainText('RSI 7');
  const saved = await page.evaluate(() => JSON.parse(localStorage.getItem('keel.chart.v1') ?? '{}') as { charts: Record<string, { drawings: Array<{ kind: string }> }> });
  expect(saved.charts[`paper|${BTC}`]!.drawings.map((d) => d.kind)).toEqual(['hline']);
  await page.getByRole('listbox', { name: 'Instruments' }).locator('[data-symbol="ETH/USDT:USDT"]').click();
  await expect(page.locator('.chart-symbol')).toHaveText('ETH/USDT:USDT');
  await expect(tools.getByRole('status')).toHaveText('');
  await expect(rsiPane).toHaveCount(0);
  await page.getByRole('listbox', { name: 'Instruments' }).locator(`[data-symbol="${BTC}"]`).click();
  await expect(tools.getByRole('status')).toHaveText('1 drawing');
  await expect(rsiPane).toContainText('RSI 7');
});

test('the watchlist searches and sorts every paper instrument; trades and depth show the market', async ({ page }) => {
  host = await startHost();
  const instruments = await rpc<Instrument[]>(host.port, host.token, 'market.instruments', { venue: 'paper' });
  expect(instruments.length).toBeGreaterThanOrEqual(10);
  await openWorkstation(page, host);
  const list = page.getByRole('listbox', { name: 'Instruments' });
  await expect(list.getByRole('option')).toHaveCount(instruments.length);

  const search = page.getByLabel('Search instruments');
  await search.fill('link');
  await expect(list.getByRole('option')).toHaveCount(1);
  await search.press('Enter');
  await expect(page.locator('.chart-symbol')).toHaveText('LINK/USDT:USDT');
  await search.fill('');
  await expect(list.getByRole('option')).toHaveCount(instruments.length);

  // Sorted by 24h change, highest first, then lowest first: read all at once, the list follows live prices.
  const changes = () => list.locator('.watch-change').evaluateAll((cells) => cells.map((c) => Number((c.textContent ?? '').replace(/[%+]/g, ''))));
  await page.getByRole('button', { name: 'Sort by 24h change' }).click();
  await expect.poll(async () => { const c = await changes(); return c.every((v, i) => i === 0 || v <= c[i - 1]!); }).toBe(true);
  await page.getByRole('button', { name: 'Sort by 24h change, now descending' }).click();
  await expect.poll(async () => { const c = await changes(); return c.every((v, i) => i === 0 || v >= c[i - 1]!); }).toBe(true);
  await expect(page.getByRole('button', { name: 'Sort by 24h change, now ascending' })).toBeVisible();

  // Time and sales: the venue's prints, newest first; the depth chart: the book around the mid.
  await page.getByRole('tab', { name: 'Time and sales' }).click();
  const trades = page.getByRole('list', { name: 'Recent trades, newest first' });
  await expect(trades.getByRole('listitem').first()).toHaveAccessibleName(/^(Buy|Sell) [0-9.]+ at [0-9.]+$/);
  await page.getByRole('tab', { name: 'Depth chart' }).click();
  await expect(page.getByRole('img', { name: /^Depth: \d+ bid and \d+ ask levels around / })).toBeVisible();
});

test('price alerts set from the chart are kept by the engine, and one fires with a notice', async ({ page }) => {
  host = await startHost();
  await openWorkstation(page, host);
  await waitForCandles(page);

  // A move of a thousandth of a percent within the hour: the last hour's bars already span more, so it fires at the next price.
  await page.getByRole('button', { name: /^Alerts/ }).click();
  const dialog = page.getByRole('dialog', { name: `Price alerts for ${BTC}` });
  await dialog.getByRole('button', { name: 'Moves %' }).click();
  await dialog.getByLabel('Move, %').fill('0.001');
  await dialog.getByLabel('Within, min').fill('60');
  await dialog.getByLabel('Note (optional)').fill('wake up');
  await dialog.getByRole('button', { name: 'Set alert' }).click();
  await expect(page.getByText(/^Price alert: BTC\/USDT:USDT (rose|fell) .* — wake up$/)).toBeVisible();
  await expect(dialog.getByRole('list', { name: `Alerts on ${BTC}` })).toContainText(/Fired .*(rose|fell)/);
  const kept = await rpc<{ alerts: PriceAlert[] }>(host.port, host.token, 'alerts.price.list', { venue: 'paper', symbol: BTC });
  expect(kept.alerts).toEqual([expect.objectContaining({ kind: 'move', status: 'triggered', note: 'wake up', percent: '0.001', windowMinutes: 60 })]);
  await page.keyboard.press('Escape');

  // Right-click on the candles: an alert at that price, drawn as a line and counted on the button.
  const at = await chartPoint(page, 0.5, 0.15);
  await page.mouse.click(at.x, at.y, { button: 'right' });
  await page.getByRole('menuitem', { name: /^Alert at [0-9.,]+$/ }).click();
  await expect(page.getByText(/^Alert set on BTC\/USDT:USDT: Crosses (up|down) /)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Alerts (1)' })).toBeVisible();
  const active = await rpc<{ alerts: PriceAlert[] }>(host.port, host.token, 'alerts.price.list', { status: 'active' });
  expect(active.alerts).toEqual([expect.objectContaining({ kind: 'cross', venue: 'paper', symbol: BTC })]);

  // Removed from the menu, it is gone from the engine too.
  await page.getByRole('button', { name: 'Alerts (1)' }).click();
  await dialog.getByRole('button', { name: /^Remove alert: Crosses / }).click();
  await expect(page.getByRole('button', { name: 'Alerts', exact: true })).toBeVisible();
  expect((await rpc<{ alerts: PriceAlert[] }>(host.port, host.token, 'alerts.price.list', { status: 'active' })).alerts).toEqual([]);
});
