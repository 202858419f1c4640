/**
 * Strategies and backtests, end to end through the real host and UI: a
 * strategy created and started from the Strategies view trades beside a
 * manual order, its orders tagged with its id in the blotter; stopping it
 * cancels its own orders and leaves the manual one. A backtest run from the
 * Backtests view on an imported dataset shows its statistics and equity
 * curve.
 */
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { StrategyInstance } from '../../src/shared/contract/strategies';
import { removeDataDirs, startHost, type RunningHost } from './headlessHost';
import { rpc } from './rpc';
import { listOrders, market, openWorkstation, priceAt, ticket } from './workstation';

let host: RunningHost | undefined;
test.afterEach(async () => {
  await host?.stop();
  host = undefined;
});
test.afterAll(() => removeDataDirs());

const BTC = 'BTC/USDT:USDT';

async function view(page: Page, name: 'Trading' | 'Strategies' | 'Backtests'): Promise<void> {
  await page.getByRole('tab', { name: new RegExp(`^${name}`, 'i') }).click();
}

test('a strategy started from the Strategies view trades tagged with its id; stopping it cancels only its own orders', async ({ page }) => {
  host = await startHost();
  await page.setViewportSize({ width: 1280, height: 800 });
  await openWorkstation(page, host);

  // A manual resting buy, well below the market.
  const btc = await market(host, BTC);
  const t = ticket(page);
  await t.getByLabel('Symbol').selectOption(BTC);
  await t.getByRole('button', { name: 'Buy', exact: true }).click();
  await t.getByLabel('Order type').selectOption('limit');
  await t.getByLabel('Quantity').fill('0.001');
  await t.getByLabel('Limit price').fill(priceAt(btc, btc.ticker.bid, '0.95').toFixed(btc.tickDecimals));
  await t.getByRole('button', { name: 'Place order' }).click();
  await expect.poll(async () => (await listOrders(host!, 'open')).filter((o) => o.source === 'manual').length).toBe(1);

  // A grid lays its ladder of resting orders as soon as it starts.
  await view(page, 'Strategies');
  await page.getByTestId('catalog-entry-grid').click();
  const form = page.getByTestId('strategy-create-form');
  await form.getByLabel('Symbol').selectOption(BTC);
  await form.getByLabel('Timeframe').selectOption('1m');
  await page.getByTestId('strategy-create-submit').click();
  await expect.poll(async () => (await rpc<{ strategies: StrategyInstance[] }>(host!.port, host!.token, 'strategies.list')).strategies.length).toBe(1);
  const [created] = (await rpc<{ strategies: StrategyInstance[] }>(host.port, host.token, 'strategies.list')).strategies;
  await page.getByTestId(`strategy-action-start-${created!.id}`).click();
  await expect(page.getByTestId(`strategy-status-${created!.id}`)).toContainText(/running/i);
  await expect.poll(async () => (await listOrders(host!, 'open')).filter((o) => o.source === 'strategy').length, { timeout: 20_000 }).toBeGreaterThan(0);
  await page.screenshot({ path: test.info().outputPath('strategies-1280.png') });

  // Its orders carry its id in the blotter.
  await view(page, 'Trading');
  const ownOrders = (await listOrders(host, 'open')).filter((o) => o.source === 'strategy');
  for (const order of ownOrders) expect(order.sourceId).toBe(created!.id);
  await expect(page.locator('td.source', { hasText: /strategy/i }).first()).toBeVisible();

  // Stop: its orders are canceled, the manual order stays.
  await view(page, 'Strategies');
  await page.getByTestId(`strategy-action-stop-${created!.id}`).click();
  await expect(page.getByTestId(`strategy-status-${created!.id}`)).toContainText(/stopped/i);
  await expect.poll(async () => (await listOrders(host!, 'open')).filter((o) => o.source === 'strategy').length).toBe(0);
  const open = await listOrders(host, 'open');
  expect(open.filter((o) => o.source === 'manual')).toHaveLength(1);
  for (const order of ownOrders) {
    const all = await listOrders(host, 'all');
    expect(all.find((o) => o.id === order.id)?.status).toBe('canceled');
  }
});

test('a backtest run from the Backtests view on an imported dataset shows its statistics and equity curve', async ({ page }) => {
  host = await startHost();
  for (const size of [
    { width: 1280, height: 800 },
    { width: 1920, height: 1080 },
  ]) {
    await page.setViewportSize(size);
    if (size.width === 1280) {
      await openWorkstation(page, host);
      await view(page, 'Backtests');
      await page.getByTestId('dataset-import-file').setInputFiles(join(__dirname, '..', 'fixtures', 'backtesting', 'data', 'GOOG.csv'));
      await page.getByTestId('dataset-import-name').fill('GOOG daily');
      await page.getByTestId('dataset-import-submit').click();
      await expect(page.locator('[data-testid^="dataset-row-"]')).toHaveCount(1);
      const form = page.getByTestId('backtest-form');
      await form.getByLabel('Strategy').selectOption('sma-cross');
      await page.getByTestId('backtest-run-submit').click();
      await expect(page.getByTestId('backtest-stats')).toBeVisible({ timeout: 60_000 });
      await expect(page.getByTestId('stat-trades')).not.toHaveText('');
      await expect(page.getByTestId('equity-chart').locator('canvas').first()).toBeVisible();
      // The same trades on the prices the run traded on.
      await page.getByRole('group', { name: 'Result chart' }).getByRole('button', { name: 'Price' }).click();
      const priceChart = page.getByTestId('price-chart');
      await expect(priceChart).toBeVisible();
      await expect(priceChart.locator('canvas').first()).toBeVisible();
      await expect(priceChart.getByText('Loading prices…')).toHaveCount(0);
      await expect(priceChart.locator('.chart-overlay')).toHaveCount(0);
    }
    await page.screenshot({ path: test.info().outputPath(`backtests-${size.width}.png`) });
  }
});

test('a grid search from the Backtests view, on a dataset uploaded in parts, ranks its trials, maps two parameters and opens the best as a backtest', async ({ page }) => {
  host = await startHost();
  await page.setViewportSize({ width: 1920, height: 1080 });
  await openWorkstation(page, host);
  await view(page, 'Backtests');
  // EURUSD hourly is larger than one WebSocket frame: it goes to the engine in parts.
  await page.getByTestId('dataset-import-file').setInputFiles(join(__dirname, '..', 'fixtures', 'backtesting', 'data', 'EURUSD.csv'));
  await page.getByTestId('dataset-import-name').fill('EURUSD hourly');
  await page.getByTestId('dataset-import-submit').click();
  await expect(page.locator('[data-testid^="dataset-row-"]')).toHaveCount(1);
  const [dataset] = (await rpc<{ datasets: Array<{ bars: number }> }>(host.port, host.token, 'datasets.list')).datasets;
  expect(dataset!.bars).toBe(5000);

  await page.getByRole('group', { name: 'Mode' }).getByRole('button', { name: 'Optimize' }).click();
  const form = page.getByTestId('backtest-form');
  await form.getByLabel('Strategy').selectOption('sma-cross');
  await form.getByLabel('Method').selectOption('grid');
  for (const [name, label, min, max, step] of [
    ['fast', 'Fast period', '5', '15', '5'],
    ['slow', 'Slow period', '20', '40', '10'],
  ] as const) {
    await page.getByTestId(`optimize-search-${name}`).check();
    await form.getByLabel(`${label} from`, { exact: true }).fill(min);
    await form.getByLabel(`${label} to`, { exact: true }).fill(max);
    await form.getByLabel(`${label} step`, { exact: true }).fill(step);
  }
  await page.getByTestId('backtest-run-submit').click();

  // 3 × 3 combinations, every one with fast < slow: nine trials, ranked, and a heat map of the two.
  const heatmap = page.getByTestId('optimize-heatmap');
  await expect(heatmap).toBeVisible({ timeout: 90_000 });
  const runs = await rpc<{ backtests: Array<{ id: string; kind: string; status: string }> }>(host.port, host.token, 'backtests.list');
  const search = runs.backtests.find((b) => b.kind === 'optimize')!;
  expect(search.status).toBe('done');
  const result = await rpc<{ optimize: { trials: Array<{ objective: number | null }>; best: { objective: number | null }; deflatedSharpe: number | null } }>(
    host.port,
    host.token,
    'backtests.get',
    { id: search.id },
  );
  expect(result.optimize.trials).toHaveLength(9);
  const scores = result.optimize.trials.map((t) => t.objective ?? -Infinity);
  expect(result.optimize.best.objective).toBe(Math.max(...scores));
  await page.screenshot({ path: test.info().outputPath('optimize-1920.png') });

  await page.getByRole('button', { name: /open as backtest/i }).first().click();
  await expect.poll(async () => (await rpc<{ backtests: Array<{ kind: string; status: string }> }>(host!.port, host!.token, 'backtests.list')).backtests.filter((b) => b.kind === 'backtest' && b.status === 'done').length, {
    timeout: 60_000,
  }).toBe(1);
});
