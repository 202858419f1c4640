/**
 * Strategies and backtests, end to end through the real host and UI. An SMA
 * cross created and started on BTC from the Strategies view trades at market
 * beside a manual resting order, its orders tagged with its id in the
 * blotters; its Parity section replays its run through the backtest and
 * finds every decision the same as the replay's; stop & flatten closes its
 * own position and leaves the manual order as it was. A grid, whose orders
 * rest, shows that stopping cancels its own orders and nobody else's. A
 * strategy file dropped into the folder shows after Reload (a broken one
 * with its reason). A backtest run from the Backtests view on an imported
 * dataset shows its statistics and equity curve.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './journey';
import type { StrategyInstance } from '../../src/shared/contract/strategies';
import type { BacktestResult, BacktestSummary } from '../../src/shared/contract/backtests';
import { CHART_EQUITY_POINTS } from '../../src/renderer/features/backtests/equityData';
import type { ParityReport } from '../../src/shared/contract/parity';
import { Dec } from '../../src/shared/decimal';
import { TIMEFRAME_MS, isTerminalStatus, type AccountSummary, type Candle, type Order, type Position, type Timeframe } from '../../src/shared/domain';
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

async function view(page: Page, name: 'Trading' | 'Strategies' | 'Backtests'): Promise<void> {
  await page.getByRole('tab', { name: new RegExp(`^${name}`, 'i') }).click();
}

async function listStrategies(running: RunningHost): Promise<StrategyInstance[]> {
  return (await rpc<{ strategies: StrategyInstance[] }>(running.port, running.token, 'strategies.list')).strategies;
}

async function strategy(running: RunningHost, id: string): Promise<StrategyInstance> {
  const found = (await listStrategies(running)).find((s) => s.id === id);
  if (!found) throw new Error(`no strategy ${id}`);
  return found;
}

/** The backtests and searches, newest first. */
async function listRuns(running: RunningHost): Promise<BacktestSummary[]> {
  return (await rpc<{ backtests: BacktestSummary[] }>(running.port, running.token, 'backtests.list')).backtests;
}

/** The orders a strategy sent, oldest first. */
async function ordersOf(running: RunningHost, strategyId: string): Promise<Order[]> {
  return (await listOrders(running, 'all')).filter((o) => o.source === 'strategy' && o.sourceId === strategyId).sort((a, b) => a.createdAt - b.createdAt);
}

async function orderStatus(running: RunningHost, id: string): Promise<string | undefined> {
  return (await listOrders(running, 'all')).find((o) => o.id === id)?.status;
}

/** A manual resting buy placed from the ticket, 5% under the bid: far enough to stay open while a journey runs. */
async function placeRestingBuy(page: Page, running: RunningHost): Promise<Order> {
  const btc = await market(running, BTC);
  const price = priceAt(btc, btc.ticker.bid, '0.95').toFixed(btc.tickDecimals);
  const t = ticket(page);
  await t.getByLabel('Symbol').selectOption(BTC);
  await t.getByRole('button', { name: 'Buy', exact: true }).click();
  await t.getByLabel('Order type').selectOption('limit');
  await t.getByLabel('Quantity').fill('0.001');
  await t.getByLabel('Limit price').fill(price);
  await t.getByRole('button', { name: 'Place order' }).click();
  await expect.poll(async () => (await listOrders(running, 'open')).filter((o) => o.source === 'manual').length).toBe(1);
  const [order] = (await listOrders(running, 'open')).filter((o) => o.source === 'manual');
  expect(sameDecimal(order!.price, price)).toBe(true);
  return order!;
}

/** Creates an instance of a catalog entry on BTC with the Strategies view's form (parameters by name), then starts it from its row. */
async function createAndStart(page: Page, running: RunningHost, type: string, timeframe: Timeframe, params: Record<string, string> = {}): Promise<StrategyInstance> {
  await view(page, 'Strategies');
  await page.getByTestId(`catalog-entry-${type}`).click();
  const form = page.getByTestId('strategy-create-form');
  await form.getByLabel('Symbol').selectOption(BTC);
  await form.getByLabel('Timeframe').selectOption(timeframe);
  for (const [name, value] of Object.entries(params)) await form.getByTestId(`strategy-param-${name}`).fill(value);
  await page.getByTestId('strategy-create-submit').click();
  await expect.poll(async () => (await listStrategies(running)).length).toBe(1);
  const [created] = await listStrategies(running);
  await page.getByTestId(`strategy-action-start-${created!.id}`).click();
  await expect(page.getByTestId(`strategy-status-${created!.id}`)).toContainText(/running/i);
  return created!;
}

/**
 * How long the SMA cross may take to send its first order. It decides on
 * closed 1-minute bars (the shortest timeframe there is). With the shortest
 * windows its definition allows (fast 1 and slow 2: fast ≥ 1, slow ≥ 2,
 * fast < slow) the fast average is the close itself and crosses the slow one
 * whenever the close turns, on about every other bar. Ten bars without a
 * single turn happen about once in a thousand runs.
 */
const FIRST_CROSS_WITHIN_MS = 10 * 60_000;

test('an SMA cross created on BTC from the Strategies view trades at market tagged with its id; stop & flatten closes its own position and leaves a manual order untouched', async ({ page }) => {
  test.setTimeout(FIRST_CROSS_WITHIN_MS + 2 * 60_000);
  host = await startHost();
  await page.setViewportSize({ width: 1280, height: 800 });
  await openWorkstation(page, host);
  const manual = await placeRestingBuy(page, host);
  // What all-in sizing has to spend: the margin left beside the manual order, at the leverage in force.
  const account = await rpc<AccountSummary>(host.port, host.token, 'account.summary', { venue: 'paper' });
  const leverage = account.leverage[BTC] ?? (await market(host, BTC)).instrument.defaultLeverage;

  const sma = await createAndStart(page, host, 'sma-cross', '1m', { fast: '1', slow: '2' });
  expect(sma).toMatchObject({ type: 'sma-cross', venue: 'paper', symbol: BTC, timeframe: '1m', params: { fast: 1, slow: 2 } });

  // Its first order comes with the first cross: all in, at market, filled at once.
  await expect.poll(async () => (await ordersOf(host!, sma.id)).length, { timeout: FIRST_CROSS_WITHIN_MS, intervals: [2_000] }).toBeGreaterThan(0);
  const [entry] = await ordersOf(host, sma.id);
  expect(entry).toMatchObject({ venue: 'paper', symbol: BTC, type: 'market', reduceOnly: false });
  await expect.poll(() => orderStatus(host!, entry!.id)).toBe('filled');
  const filledEntry = (await listOrders(host, 'all')).find((o) => o.id === entry!.id)!;
  const margin = Dec.parse(filledEntry.filledQuantity).mul(Dec.parse(filledEntry.averagePrice!)).div(Dec.fromNumber(leverage));
  const spent = margin.div(Dec.parse(account.available));
  // All in: nearly all the available margin (a sliver stays for the fee and a book walk), never more.
  expect(spent.gt(Dec.parse('0.95')) && spent.lte(Dec.ONE), `margin ${margin.toString()} of ${account.available} available`).toBe(true);

  // It answered the bar that had just closed: SMA(1) is the close and SMA(2) the mean of the last two
  // closes, so the fast one crosses above when the close turns up and below when it turns down.
  const tf = TIMEFRAME_MS['1m'];
  const decidedOn = Math.floor(entry!.createdAt / tf) * tf - tf;
  const candles = await rpc<Candle[]>(host.port, host.token, 'market.candles', { venue: 'paper', symbol: BTC, timeframe: '1m', limit: 20 });
  const at = candles.findIndex((c) => c.time === decidedOn);
  expect(at).toBeGreaterThanOrEqual(2);
  const [before, previous, last] = candles.slice(at - 2, at + 1).map((c) => Dec.parse(c.close));
  const turn = previous!.lt(before!) && last!.gt(previous!) ? 'buy' : previous!.gt(before!) && last!.lt(previous!) ? 'sell' : 'no cross';
  expect(entry!.side).toBe(turn);

  // Its row says it is running, in the market, and why it traded.
  const row = page.getByTestId(`strategy-row-${sma.id}`);
  await expect(row).toContainText(/fast SMA crossed (above|below) slow/);
  await expect.poll(async () => sameDecimal((await strategy(host!, sma.id)).accounting.position, '0')).toBe(false);
  await page.screenshot({ path: test.info().outputPath('strategies-sma-1280.png') });

  // Its Parity section replays the run through the backtest: each decision is the replay's (prices may differ).
  const parity = page.getByTestId('parity-section');
  await parity.getByLabel('Instance to compare').selectOption(sma.id);
  await parity.getByRole('button', { name: 'Parity' }).click();
  const report = parity.getByTestId('parity-report');
  await expect(report).toBeVisible({ timeout: 30_000 });
  const replayed = await rpc<ParityReport>(host.port, host.token, 'strategies.parity', { id: sma.id });
  expect(replayed.summary.bars).toBeGreaterThanOrEqual(1);
  expect(replayed.rows.filter((r) => r.reason !== 'same' && r.reason !== 'price')).toEqual([]);
  await expect(report.getByText('Orders live / replay')).toBeVisible();
  await expect(report.getByText('Tracking error')).toBeVisible();
  await expect(report.getByRole('table', { name: 'Parity rows' }).locator('tbody tr').first()).toHaveAttribute('data-reason', /^(same|price)$/);

  // In the blotters its orders carry its id, and the manual order is still the trader's own.
  await view(page, 'Trading');
  await page.getByRole('tab', { name: 'Order history' }).click();
  await expect(page.getByRole('table', { name: 'Order history' }).getByRole('row').filter({ hasText: `Strategy · ${sma.id}` }).first()).toBeVisible();
  const [fill] = (await listFills(host)).filter((f) => f.orderId === entry!.id);
  await page.getByRole('tab', { name: 'Fills' }).click();
  await page.getByRole('table', { name: 'Fills' }).getByRole('row').filter({ hasText: fill!.tradeId }).click();
  const dialog = orderDetail(page);
  await expect(detailField(dialog, 'Source')).toHaveText(`Strategy · ${sma.id}`);
  await expect(detailField(dialog, 'Type')).toHaveText('Market');
  await expect(detailField(dialog, 'Status')).toHaveText('filled');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();
  const openOrders = page.getByRole('table', { name: 'Open orders' });
  await expect(openOrders.getByRole('row').filter({ hasText: 'Manual' })).toHaveCount(1);
  await expect(openOrders.getByRole('row').filter({ hasText: 'Strategy' })).toHaveCount(0);
  await expect(page.getByRole('table', { name: 'Positions' }).getByRole('row').filter({ hasText: BTC })).toHaveCount(1);

  // Stop & flatten: its own position is closed by a reduce-only market order of its own.
  await view(page, 'Strategies');
  await page.getByTestId(`strategy-action-flatten-${sma.id}`).click();
  await page.getByRole('dialog', { name: /^Stop & flatten/ }).getByRole('button', { name: 'Stop & flatten' }).click();
  await expect(page.getByTestId(`strategy-status-${sma.id}`)).toContainText(/stopped/i);
  const close = (await ordersOf(host, sma.id)).at(-1)!;
  expect(close).toMatchObject({ type: 'market', reduceOnly: true });
  await expect.poll(() => orderStatus(host!, close.id)).toBe('filled');
  const own = await ordersOf(host, sma.id);
  expect(own.filter((o) => !isTerminalStatus(o.status))).toHaveLength(0);
  const net = Dec.sum(own.map((o) => (o.side === 'buy' ? Dec.parse(o.filledQuantity) : Dec.parse(o.filledQuantity).neg())));
  expect(net.isZero()).toBe(true);
  expect(sameDecimal((await strategy(host, sma.id)).accounting.position, '0')).toBe(true);
  // It was the only one holding BTC, so the account is flat there again.
  await expect.poll(async () => (await rpc<Position[]>(host!.port, host!.token, 'positions.list')).filter((p) => p.venue === 'paper' && p.symbol === BTC).length).toBe(0);

  // The manual order is still open, as it was placed: nothing filled, nothing asked of it.
  const after = (await listOrders(host, 'open')).find((o) => o.id === manual.id);
  expect(after).toMatchObject({ source: 'manual', sourceId: null, status: 'open' });
  expect(sameDecimal(after!.price, manual.price)).toBe(true);
  expect(sameDecimal(after!.quantity, manual.quantity)).toBe(true);
  expect(sameDecimal(after!.filledQuantity, '0')).toBe(true);
  const events = (await listOrderEvents(host, manual.id)).map((e) => e.type);
  expect(events.filter((t) => t === 'OrderCancelRequested' || t === 'OrderCanceled' || t === 'OrderFilled')).toEqual([]);
  await view(page, 'Trading');
  await expect(openOrders.getByRole('row').filter({ hasText: 'Manual' })).toHaveCount(1);
  await expect(page.getByRole('table', { name: 'Positions' }).getByRole('row').filter({ hasText: BTC })).toHaveCount(0);
});

test('a grid started from the Strategies view rests orders tagged with its id; stopping it cancels only its own orders', async ({ page }) => {
  host = await startHost();
  await page.setViewportSize({ width: 1280, height: 800 });
  await openWorkstation(page, host);
  const manual = await placeRestingBuy(page, host);

  // A grid lays its ladder of resting orders as soon as it starts.
  const grid = await createAndStart(page, host, 'grid', '1m');
  await expect.poll(async () => (await listOrders(host!, 'open')).filter((o) => o.source === 'strategy').length, { timeout: 20_000 }).toBeGreaterThan(0);
  await page.screenshot({ path: test.info().outputPath('strategies-1280.png') });

  // Its orders carry its id in the blotter.
  await view(page, 'Trading');
  const ownOrders = (await listOrders(host, 'open')).filter((o) => o.source === 'strategy');
  for (const order of ownOrders) expect(order.sourceId).toBe(grid.id);
  await expect(page.locator('td.source', { hasText: `Strategy · ${grid.id}` }).first()).toBeVisible();

  // Stop: its orders are canceled, the manual order stays.
  await view(page, 'Strategies');
  await page.getByTestId(`strategy-action-stop-${grid.id}`).click();
  await expect(page.getByTestId(`strategy-status-${grid.id}`)).toContainText(/stopped/i);
  await expect.poll(async () => (await listOrders(host!, 'open')).filter((o) => o.source === 'strategy').length).toBe(0);
  const open = await listOrders(host, 'open');
  expect(open.filter((o) => o.source === 'manual').map((o) => o.id)).toEqual([manual.id]);
  const all = await listOrders(host, 'all');
  for (const order of ownOrders) expect(all.find((o) => o.id === order.id)?.status).toBe('canceled');
});

test('a strategy file dropped into the folder shows in the catalog after Reload, and a broken one is listed with its reason', async ({ page }) => {
  host = await startHost();
  await page.setViewportSize({ width: 1280, height: 800 });
  await openWorkstation(page, host);
  await view(page, 'Strategies');
  const catalog = page.getByTestId('strategy-catalog');
  await expect(catalog.getByText('Built-in').first()).toBeVisible();
  const folder = join(host.dataDir, 'strategies');
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    join(folder, 'quiet.cjs'),
    `module.exports = { type: 'quiet', name: 'Quiet one', summary: 'Never trades.', explanation: 'A strategy that watches.', params: [], warmupBars: () => 0, create() { return {}; } };`,
  );
  writeFileSync(join(folder, 'unfinished.cjs'), 'module.exports = { type: ');
  await expect(page.getByTestId('catalog-entry-quiet')).toHaveCount(0);
  await page.getByTestId('strategy-catalog').locator('xpath=..').getByRole('button', { name: 'Reload' }).click();
  await expect(page.getByTestId('catalog-entry-quiet')).toContainText('Quiet one');
  await expect(page.getByTestId('catalog-entry-quiet')).toContainText('User');
  const broken = catalog.getByRole('button', { name: /unfinished\.cjs/ });
  await expect(broken).toBeDisabled();
  await expect(broken).toContainText(/unfinished\.cjs: \S/);
  // Its page explains it, and the form is ready to create one.
  await page.getByTestId('catalog-entry-quiet').click();
  await expect(page.getByText('A strategy that watches.')).toBeVisible();
  await expect(page.getByTestId('strategy-create-form')).toContainText('This strategy has no parameters.');
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
      // With no dataset yet the form plays the venue's history, sized in the instrument's lot: an SMA cross on
      // BTC trades, where whole coins would be out of the account's reach and make no trade at all.
      const form = page.getByTestId('backtest-form');
      await expect(form.getByRole('radio', { name: 'Venue history' })).toHaveAttribute('aria-checked', 'true');
      await form.getByLabel('Symbol').selectOption(BTC);
      const { instrument } = await market(host, BTC);
      expect(sameDecimal(await form.getByLabel('Size unit').inputValue(), instrument.lotSize)).toBe(true);
      await form.getByLabel('Strategy').selectOption('sma-cross');
      await page.getByTestId('backtest-run-submit').click();
      await expect(page.getByTestId('backtest-stats')).toBeVisible({ timeout: 60_000 });
      const [history] = await listRuns(host);
      expect(history!.tradeCount).toBeGreaterThan(0);
      expect(sameDecimal(String(history!.settings.fractionalUnit), instrument.lotSize)).toBe(true);
      // A curve longer than a chart's worth is drawn from part of its points, and the chart says how many it has.
      const whole = await rpc<BacktestResult>(host.port, host.token, 'backtests.get', { id: history!.id });
      const thinned = page.getByTestId('equity-thinned');
      // Two years of hourly history: more points than a chart's worth.
      expect(whole.equity.length).toBeGreaterThan(CHART_EQUITY_POINTS);
      await expect(thinned).toHaveText(new RegExp(`^[\\d,]+ of ${whole.equity.length.toLocaleString('en-US')} points$`));
      await page.screenshot({ path: test.info().outputPath('backtest-venue-history-1280.png') });
      await page.getByTestId('dataset-import-file').setInputFiles(join(__dirname, '..', 'fixtures', 'backtesting', 'data', 'GOOG.csv'));
      await page.getByTestId('dataset-import-name').fill('GOOG daily');
      await page.getByTestId('dataset-import-submit').click();
      await expect(page.locator('[data-testid^="dataset-row-"]')).toHaveCount(1);
      // On a dataset the size unit is the contract's whole unit, as in the reference runs.
      await expect(form.getByRole('radio', { name: 'Dataset' })).toHaveAttribute('aria-checked', 'true');
      await expect(form.getByLabel('Size unit')).toHaveValue('1');
      await page.getByTestId('backtest-run-submit').click();
      await expect.poll(async () => (await listRuns(host!)).length).toBe(2);
      const [run] = await listRuns(host);
      await expect.poll(async () => (await listRuns(host!)).find((r) => r.id === run!.id)?.status, { timeout: 60_000 }).toBe('done');
      await page.getByTestId(`backtest-row-${run!.id}`).click();
      await expect(page.getByTestId('backtest-stats')).toBeVisible();
      await expect(page.getByTestId('stat-trades')).not.toHaveText('');
      await expect(page.getByTestId('equity-chart').locator('canvas').first()).toBeVisible();
      // The same trades on the prices the run traded on.
      await page.getByRole('group', { name: 'Result chart' }).getByRole('button', { name: 'Price' }).click();
      const priceChart = page.getByTestId('price-chart');
      await expect(priceChart).toBeVisible();
      await expect(priceChart.locator('canvas').first()).toBeVisible();
      await expect(priceChart.getByText('Loading prices…')).toHaveCount(0);
      await expect(priceChart.locator('.chart-overlay')).toHaveCount(0);
      await expect(page.getByTestId('backtest-warnings')).toHaveCount(0);
      // With too little cash for one share, the run says why it made no trades.
      const [dataset] = (await rpc<{ datasets: Array<{ id: string }> }>(host.port, host.token, 'datasets.list')).datasets;
      const poor = await rpc<{ id: string }>(host.port, host.token, 'backtests.run', {
        name: 'Too little cash',
        strategy: { type: 'sma-cross', params: {} },
        data: { dataset: dataset!.id },
        settings: { cash: 50 },
      });
      await page.getByTestId(`backtest-row-${poor.id}`).click();
      const warnings = page.getByTestId('backtest-warnings');
      await expect(warnings).toContainText(/\d+ orders not sent or refused · sizes are whole multiples of the size unit \(1\)/);
      await warnings.locator('summary').click();
      await expect(warnings.getByRole('listitem').first()).toContainText(/order not sent: its size came to less than one lot/);
      await page.screenshot({ path: test.info().outputPath('backtest-warnings-1280.png') });
      // A search whose trials could size no order says so above its trials.
      const blocked = await rpc<{ id: string }>(host.port, host.token, 'backtests.optimize', {
        strategy: { type: 'sma-cross', grid: { fast: [5, 7], slow: [30, 40] } },
        data: { dataset: dataset!.id },
        settings: { cash: 50 },
        objective: 'sharpe',
        method: 'grid',
      });
      await page.getByTestId(`backtest-row-${blocked.id}`).click();
      await expect(page.getByTestId('optimize-blocked')).toContainText('4 of 4 trials made no trade', { timeout: 60_000 });
      await page.getByTestId(`backtest-row-${run!.id}`).click();
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
