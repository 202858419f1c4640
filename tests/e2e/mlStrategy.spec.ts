/**
 * The ML capability end to end, through the real host and UI: a small
 * model trained from the Models view on the paper venue's BTC 1m history
 * (its progress bar seen), its metrics and feature importance shown,
 * activated; an ML-scored strategy created from the Strategies view with
 * the model picked in its form, and started. Bars close in real time, so
 * within a few minutes its signals appear live in the Signals view
 * (direction, confidence, "name vN"), an order tagged with its id is in the
 * blotter, that order's detail shows the signal behind it, the chart marks
 * the signals, and the Models view shows the version's live drift.
 * Screenshots of those screens are kept with the test's output.
 */
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './journey';
import type { ModelDrift } from '../../src/shared/contract/modelMonitor';
import type { Signal } from '../../src/shared/contract/signals';
import type { StrategyInstance } from '../../src/shared/contract/strategies';
import { Dec } from '../../src/shared/decimal';
import type { Order } from '../../src/shared/domain';
import { removeDataDirs, startHost, type RunningHost } from './headlessHost';
import { listModels, progressSeen, recordProgress, startTraining } from './modelsView';
import { rpc } from './rpc';
import { detailField, listOrders, market, openWorkstation, orderDetail } from './workstation';

let host: RunningHost | undefined;
test.afterEach(async () => {
  await host?.stop();
  host = undefined;
});
test.afterAll(() => removeDataDirs());

const BTC = 'BTC/USDT:USDT';
const MODEL = 'btc-ml';
const STRATEGY = 'BTC model calls';
const SIZES = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
] as const;
const DIRECTION_LABEL = { long: 'Long', short: 'Short', neutral: 'Neutral' } as const;

/**
 * How long the strategy may take to score its first bar once started: its
 * warm-up is fed from history at start, so the first 1-minute bar to close
 * (within a minute) is scored; the rest is room for the scoring worker on
 * a busy machine.
 */
const FIRST_SIGNAL_WITHIN_MS = 150_000;
/**
 * How long it may take to place its first order. The model is trained with
 * a 0 % threshold, so it almost never calls neutral, and the strategy acts
 * on any call above 34 %: one of three classes always has at least a third,
 * so nearly every bar's call is acted on, and the first one opens a
 * position. Four bars leave room for calls that are not.
 */
const FIRST_ORDER_WITHIN_MS = 4 * 60_000 + 30_000;

const view = (page: Page, name: 'Trading' | 'Strategies' | 'Models' | 'Signals') => page.getByRole('tab', { name: new RegExp(`^${name}`) }).click();

async function signalsOf(running: RunningHost, strategyId: string): Promise<Signal[]> {
  return (await rpc<{ signals: Signal[] }>(running.port, running.token, 'signals.list', { strategyId, limit: 1_000 })).signals;
}

async function ordersOf(running: RunningHost, strategyId: string): Promise<Order[]> {
  return (await listOrders(running, 'all')).filter((o) => o.source === 'strategy' && o.sourceId === strategyId);
}

/** The cells of a table row as the trader reads them. */
async function cells(row: Locator): Promise<string[]> {
  return (await row.locator('td').allInnerTexts()).map((t) => t.trim());
}

/** 0.8123 → "81.2%", as the screens write a probability. */
const percent = (p: number) => `${(p * 100).toFixed(1)}%`;

async function shoot(page: Page, name: string, target?: Locator): Promise<void> {
  const path = test.info().outputPath(name);
  if (target) await target.screenshot({ path });
  else await page.screenshot({ path });
}

test('a model trained in the Models view drives an ML-scored strategy: live signals, tagged orders, the signal in the order detail, markers on the chart and live drift', async ({ page }) => {
  test.setTimeout(FIRST_SIGNAL_WITHIN_MS + FIRST_ORDER_WITHIN_MS + 2 * 60_000);
  host = await startHost();
  const running = host;
  await page.setViewportSize(SIZES[0]);
  await openWorkstation(page, running);

  // A small model in seconds: eight rounds of depth-3 trees, calling the move three bars ahead; a 0 % threshold leaves
  // neutral only for a bar that does not move at all.
  await view(page, 'Models');
  await recordProgress(page, `Training ${MODEL}`);
  await startTraining(page, { name: MODEL, symbol: BTC, rounds: '8', maxDepth: '3', horizon: '3', thresholdPct: '0' });
  const job = page.getByRole('region', { name: 'Training jobs' }).getByRole('row', { name: `Training ${MODEL}` });
  await expect(job.getByText('Done', { exact: true })).toBeVisible({ timeout: 60_000 });
  const seen = await progressSeen(page);
  expect(seen.some((f) => f > 0 && f < 1), `progress seen: ${seen.join(', ')}`).toBe(true);

  const [model] = await listModels(running);
  expect(model).toMatchObject({ name: MODEL, version: 1, algorithm: 'gbdt', status: 'candidate', target: { kind: 'direction', horizon: 3, threshold: 0 } });
  const metrics = model!.metrics as { accuracy: number };
  const detail = page.getByRole('article', { name: `Model ${MODEL} v1` });
  await expect(detail.getByRole('region', { name: 'Metrics' })).toContainText(`Accuracy${percent(metrics.accuracy)}`);
  const importance = detail.getByRole('list', { name: 'Feature importance' }).getByRole('listitem');
  await expect(importance).toHaveCount(model!.featureImportance.length);
  const top = [...model!.featureImportance].sort((a, b) => b.importance - a.importance)[0]!;
  await expect(importance.first()).toContainText(top.feature);
  await detail.getByRole('button', { name: 'Activate' }).click();
  await expect(detail.getByRole('button', { name: 'Active' })).toBeDisabled();
  expect((await listModels(running))[0]!.status).toBe('active');

  // The strategy form offers the model by name (following its active version) and pinned to v1.
  await view(page, 'Strategies');
  await page.getByTestId('catalog-entry-ml-scored').click();
  const form = page.getByTestId('strategy-create-form');
  const picker = form.getByTestId('strategy-param-model');
  await expect(picker.locator('option')).toHaveText(['Choose a model…', `${MODEL}: active version (now v1)`, `${MODEL} v1 only (active)`]);
  await form.getByLabel('Name (optional)').fill(STRATEGY);
  await form.getByLabel('Symbol').selectOption(BTC);
  await form.getByLabel('Timeframe').selectOption('1m');
  await picker.selectOption({ label: `${MODEL}: active version (now v1)` });
  await form.getByTestId('strategy-param-threshold').fill('0.34');
  await form.getByTestId('strategy-param-sizing').selectOption('fixed-value');
  // Twenty of the smallest orders BTC takes, at its price now: an entry the account can always pay for, wherever the market is.
  const btc = await market(running, BTC);
  const smallest = Dec.max(Dec.parse(btc.instrument.minQuantity), Dec.parse(btc.instrument.lotSize)).mul(Dec.parse(btc.ticker.ask));
  const orderValue = Dec.max(smallest, Dec.parse(btc.instrument.minNotional)).mul(Dec.fromNumber(20)).ceilTo(Dec.ONE);
  await form.getByTestId('strategy-param-orderValue').fill(orderValue.toString());
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await picker.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shoot(page, `strategy-form-${size.width}.png`);
  }
  await page.setViewportSize(SIZES[0]);
  await page.getByTestId('strategy-create-submit').click();
  await expect.poll(async () => (await rpc<{ strategies: StrategyInstance[] }>(running.port, running.token, 'strategies.list')).strategies.length).toBe(1);
  const [strategy] = (await rpc<{ strategies: StrategyInstance[] }>(running.port, running.token, 'strategies.list')).strategies;
  expect(strategy).toMatchObject({ type: 'ml-scored', name: STRATEGY, venue: 'paper', symbol: BTC, timeframe: '1m', params: { model: MODEL, threshold: 0.34, sizing: 'fixed-value' } });
  expect(Dec.fromNumber(strategy!.params.orderValue as number).eq(orderValue)).toBe(true);
  await page.getByTestId(`strategy-action-start-${strategy!.id}`).click();
  await expect(page.getByTestId(`strategy-status-${strategy!.id}`)).toContainText(/running/i);
  const id = strategy!.id;

  // Signals appear in the Signals view while it is open, as the bars close: at least one more than when it was opened.
  await view(page, 'Signals');
  const table = page.getByRole('table', { name: 'Signals' });
  const rows = table.locator('tbody tr:not(.spacer)');
  await expect(page.getByRole('region', { name: 'Signals' }).getByText('Loading signals…')).toHaveCount(0, { timeout: 20_000 });
  const atOpen = await rows.count();
  await expect.poll(async () => rows.count(), { timeout: FIRST_SIGNAL_WITHIN_MS, intervals: [2_000] }).toBeGreaterThan(atOpen);
  // Newest first, each as the journal keeps it: direction, confidence, "name vN", the strategy by name.
  await expect
    .poll(
      async () => {
        const [newest] = await signalsOf(running, id);
        const shown = await cells(rows.first());
        return newest ? [shown[3], shown[4], shown[5], shown[6]].join(' | ') === [DIRECTION_LABEL[newest.direction], percent(newest.confidence), `${MODEL} v1`, STRATEGY].join(' | ') : false;
      },
      { timeout: 20_000 },
    )
    .toBe(true);
  for (const signal of await signalsOf(running, id)) expect(signal).toMatchObject({ strategyId: id, modelId: model!.id, modelName: MODEL, modelVersion: 1, venue: 'paper', symbol: BTC, timeframe: '1m' });

  // It trades on its calls: an order of its own, linked to the signal that caused it, shown in the signal's row.
  await expect.poll(async () => (await ordersOf(running, id)).length, { timeout: FIRST_ORDER_WITHIN_MS, intervals: [2_000] }).toBeGreaterThan(0);
  const entry = (await ordersOf(running, id)).sort((a, b) => a.createdAt - b.createdAt)[0]!;
  await expect.poll(async () => (await signalsOf(running, id)).find((s) => s.orderIds.includes(entry.id))?.acted, { timeout: 20_000 }).toBe(true);
  const cause = (await signalsOf(running, id)).find((s) => s.orderIds.includes(entry.id))!;
  expect(cause.direction).toBe(entry.side === 'buy' ? 'long' : 'short');
  const causeRow = rows.filter({ has: page.getByRole('button', { name: entry.id }) });
  await expect(causeRow).toHaveCount(1);
  await expect(causeRow).toContainText(`${DIRECTION_LABEL[cause.direction]}${percent(cause.confidence)}${MODEL} v1${STRATEGY}`);
  await expect(causeRow).toContainText('Acted');
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await expect(rows.first()).toBeVisible();
    await shoot(page, `signals-${size.width}.png`);
  }
  await page.setViewportSize(SIZES[0]);

  // In the blotter the order carries the strategy's id; its detail shows the signal behind it.
  await view(page, 'Trading');
  await page.getByRole('tab', { name: 'Order history' }).click();
  const history = page.getByRole('table', { name: 'Order history' });
  await expect(history.getByRole('row').filter({ hasText: `Strategy · ${id}` }).first()).toBeVisible();
  await history.getByRole('row').filter({ hasText: `Strategy · ${id}` }).last().click();
  const dialog = orderDetail(page);
  await expect(detailField(dialog, 'Source')).toHaveText(`Strategy · ${id}`);
  await expect(detailField(dialog, 'Order id')).toContainText(entry.id);
  const signalSection = dialog.getByRole('region', { name: 'Signal' });
  await expect(detailField(signalSection, 'Model')).toHaveText(`${MODEL} v1`);
  await expect(detailField(signalSection, 'Direction')).toHaveText(DIRECTION_LABEL[cause.direction]);
  await expect(detailField(signalSection, 'Confidence')).toHaveText(percent(cause.confidence));
  await expect(detailField(signalSection, 'Strategy')).toHaveText(STRATEGY);
  await expect(detailField(signalSection, 'Decision')).toHaveText(`Acted: ${cause.note}`);
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await shoot(page, `order-detail-${size.width}.png`);
  }
  await page.setViewportSize(SIZES[0]);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();

  // The chart of BTC 1m marks its signals: the markers it was given, in words beside the canvas, follow the journal.
  await page.getByRole('listbox', { name: 'Instruments' }).locator(`[data-symbol="${BTC}"]`).click();
  await page.getByRole('group', { name: 'Timeframe' }).getByRole('button', { name: '1m', exact: true }).click();
  const markers = page.getByTestId('chart-signal-markers');
  await expect
    .poll(
      async () => {
        const marked = (await signalsOf(running, id)).filter((s) => s.direction !== 'neutral');
        const newest = marked[0];
        if (!newest) return 'no marked signal yet';
        const expected = `Model signals marked on this 1m chart: ${marked.length} (${marked.filter((s) => s.acted).length} acted on). Newest: ${DIRECTION_LABEL[newest.direction]} ${percent(newest.confidence)}, ${MODEL} v1`;
        const text = (await markers.textContent()) ?? '';
        return text.startsWith(expected) ? 'matches' : `${text} ≠ ${expected}…`;
      },
      { timeout: 20_000 },
    )
    .toBe('matches');
  await expect(page.getByTestId('chart').locator('canvas').first()).toBeVisible();
  await shoot(page, 'chart-signals-1280.png', page.getByRole('region', { name: 'Chart' }));

  // The version has been scored live: the Models view shows its drift on the strategy's stream.
  await view(page, 'Models');
  await page.getByRole('region', { name: 'Models' }).getByRole('row', { name: `${MODEL} v1` }).click();
  const drift = detail.getByRole('region', { name: 'Drift' });
  const stream = drift.locator(`[aria-label="Drift on ${BTC} 1m on paper"]`);
  await expect(stream).toBeVisible({ timeout: 20_000 });
  const monitored = await rpc<ModelDrift>(running.port, running.token, 'models.drift', { id: model!.id });
  expect(monitored.streams).toEqual([expect.objectContaining({ venue: 'paper', symbol: BTC, timeframe: '1m' })]);
  expect(monitored.streams[0]!.observations).toBeGreaterThan(0);
  await expect(stream).toContainText('Out of sample');
  await expect(stream).toContainText(percent(monitored.referenceAccuracy!));
  // A few bars are far from the hundreds the monitor needs to judge anything: the badge does not vouch for the model yet.
  expect(monitored.streams[0]!.observations).toBeLessThan(monitored.thresholds.minPsiRows);
  expect(monitored.streams[0]!.accuracySamples).toBeLessThan(monitored.thresholds.minOutcomes);
  await expect(drift.getByTestId('drift-status')).toHaveText('Too early');
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await drift.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shoot(page, `models-drift-${size.width}.png`);
  }
});
