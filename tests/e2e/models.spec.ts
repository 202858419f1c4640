/**
 * Models and the market regime, end to end through the real host and UI. A
 * small GBDT model trained from the Models view on the paper venue's BTC 1m
 * history shows its progress bar while it trains, then its metrics, folds
 * (each with its ML-scored backtest) and feature importance as the host
 * registered them; activated, it is marked active, and the engine's refusal
 * to delete it is shown in its own words. A batch prediction of a CSV of bars shows its first rows with the
 * model's call and confidence, and a features file with a column the model
 * does not read is refused at that column. A second training with many
 * rounds is cancelled while its bar moves, and registers nothing. The
 * watchlist shows each instrument's regime, the one the host reads.
 */
import type { Locator } from '@playwright/test';
import { expect, test } from './journey';
import type { PredictBatchResult, RegimeView } from '../../src/shared/contract/ml';
import type { Candle } from '../../src/shared/domain';
import { removeDataDirs, startHost, type RunningHost } from './headlessHost';
import { listJobs, listModels, progressSeen, recordProgress, startTraining } from './modelsView';
import { rpc } from './rpc';
import { openWorkstation } from './workstation';

let host: RunningHost | undefined;
test.afterEach(async () => {
  await host?.stop();
  host = undefined;
});
test.afterAll(() => removeDataDirs());

const BTC = 'BTC/USDT:USDT';
const REGIME_NAMES: Record<string, string> = { trending_up: 'Trending up', trending_down: 'Trending down', ranging: 'Ranging', volatile: 'Volatile' };

/** How far a progress bar has come, 0 to 1. */
async function fraction(bar: Locator): Promise<number> {
  const now = Number(await bar.getAttribute('aria-valuenow'));
  const max = Number(await bar.getAttribute('aria-valuemax'));
  return max > 0 ? now / max : 0;
}

test('a model trained, inspected and activated from the Models view; a long training cancelled; the regime in the watchlist', async ({ page }) => {
  test.setTimeout(120_000);
  host = await startHost();
  const running = host;
  await openWorkstation(page, running);

  // The watchlist's regime label is the one the host reads for the chart's timeframe (1m). The label
  // is asked for again every 30 s and after each bar, and the host's may change in between: wait past one refresh.
  const btcRegime = page.getByRole('listbox', { name: 'Instruments' }).locator(`[data-symbol="${BTC}"]`).getByRole('img', { name: /^Regime: / });
  await expect(btcRegime).toHaveAccessibleName(/^Regime: (Trending up|Trending down|Ranging|Volatile)$/);
  await expect
    .poll(async () => {
      const regime = await rpc<RegimeView>(running.port, running.token, 'regime.current', { venue: 'paper', symbol: BTC, timeframe: '1m', history: 0 });
      return (await btcRegime.getAttribute('aria-label')) === `Regime: ${REGIME_NAMES[regime.label ?? ''] ?? 'not known'}`;
    }, { timeout: 45_000 })
    .toBe(true);
  await expect(page.getByRole('group', { name: 'Regime band key' })).toContainText(/Now (Trending up|Trending down|Ranging|Volatile)/);

  await page.getByRole('tab', { name: /^Models/ }).click();
  await expect(page.getByRole('region', { name: 'Models' })).toContainText('No models yet');

  // A small model: ten rounds of depth-3 trees on BTC 1m.
  await recordProgress(page, 'Training btc-gbdt');
  await startTraining(page, { name: 'btc-gbdt', symbol: BTC, rounds: '10' });
  const jobs = page.getByRole('region', { name: 'Training jobs' });
  const job = jobs.getByRole('row', { name: 'Training btc-gbdt' });
  await expect(job.getByText('Done', { exact: true })).toBeVisible({ timeout: 30_000 });
  const seen = await progressSeen(page);
  expect(seen.some((f) => f > 0 && f < 1), `progress seen: ${seen.join(', ')}`).toBe(true);
  expect(seen).toEqual([...seen].sort((a, b) => a - b));

  const [model] = await listModels(running);
  expect(model).toMatchObject({ name: 'btc-gbdt', version: 1, algorithm: 'gbdt', status: 'candidate', target: { kind: 'direction', horizon: 5, threshold: 0.001 } });
  const metrics = model!.metrics as { accuracy: number; folds: Array<{ backtest: { trades: number } | null }> };

  // The model the job registered is shown: its metrics, its folds and its feature importance.
  const detail = page.getByRole('article', { name: 'Model btc-gbdt v1' });
  await expect(detail).toBeVisible();
  await expect(detail.getByRole('region', { name: 'Metrics' })).toContainText(`Accuracy${(metrics.accuracy * 100).toFixed(1)}%`);
  await expect(detail.getByRole('table', { name: 'Folds' }).locator('tbody tr')).toHaveCount(metrics.folds.length);
  await expect(detail.getByRole('table', { name: 'Precision and recall by class' })).toContainText('Neutral');
  // Each fold's ML-scored backtest, after fees, with the blocks chained below.
  const backtested = metrics.folds.filter((f) => f.backtest !== null);
  expect(backtested.length).toBeGreaterThan(0);
  const foldBacktests = detail.getByRole('table', { name: 'Fold backtests' }).locator('tbody tr');
  await expect(foldBacktests).toHaveCount(backtested.length + (backtested.length > 1 ? 1 : 0));
  await expect(foldBacktests.first().locator('td').first()).toHaveText(String(backtested[0]!.backtest!.trades));
  const importance = detail.getByRole('list', { name: 'Feature importance' }).getByRole('listitem');
  await expect(importance).toHaveCount(model!.featureImportance.length);
  const top = [...model!.featureImportance].sort((a, b) => b.importance - a.importance)[0]!;
  await expect(importance.first()).toContainText(top.feature);
  await expect(detail.getByRole('region', { name: 'Training log' })).toContainText(model!.trainingLog[0]!);

  // Activated, it is marked active, here and in the registry.
  await detail.getByRole('button', { name: 'Activate' }).click();
  await expect(detail.getByRole('button', { name: 'Active' })).toBeDisabled();
  const row = page.getByRole('region', { name: 'Models' }).getByRole('row', { name: 'btc-gbdt v1' });
  await expect(row.getByText('Active', { exact: true })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Models' })).toContainText('v1 active');
  expect((await listModels(running))[0]!.status).toBe('active');

  // The engine refuses to delete the active version, and says why.
  await detail.getByRole('button', { name: 'Delete btc-gbdt v1' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete btc-gbdt v1?' });
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await expect(confirm.getByRole('alert')).toContainText('is active');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  expect(await listModels(running)).toHaveLength(1);

  // A batch prediction from the screen: a CSV of bars, its first rows with the call and the confidence.
  const candles = await rpc<Candle[]>(running.port, running.token, 'market.candles', { venue: 'paper', symbol: BTC, timeframe: '1m', limit: 150 });
  const barsCsv = ['time,open,high,low,close,volume', ...candles.map((c) => [c.time, c.open, c.high, c.low, c.close, c.volume].join(','))].join('\n');
  const expected = await rpc<PredictBatchResult>(running.port, running.token, 'models.predictBatch', { id: model!.id, csv: barsCsv });
  await page.getByRole('region', { name: 'Model detail' }).getByRole('button', { name: 'Batch prediction' }).click();
  const batch = page.getByRole('region', { name: 'Batch prediction' });
  await batch.getByLabel('Model').selectOption({ label: 'btc-gbdt v1 · active' });
  await batch.getByTestId('batch-file').setInputFiles({ name: 'btc-1m.csv', mimeType: 'text/csv', buffer: Buffer.from(barsCsv) });
  await batch.getByRole('button', { name: 'Predict' }).click();
  const table = batch.getByRole('table', { name: 'Batch prediction result' });
  await expect(table.locator('tbody tr')).toHaveCount(Math.min(20, expected.rows.length));
  await expect(table.locator('thead')).toContainText('Confidence');
  const first = expected.rows[0]!;
  const best = Math.max(first[1]!, first[2]!, first[3]!);
  await expect(table.locator('tbody tr').first()).toContainText(`${['Long', 'Short', 'Neutral'][[first[1], first[2], first[3]].indexOf(best)]}${(best * 100).toFixed(1)}%`);
  await expect(batch).toContainText(`${expected.rows.length} rows scored; the first ${expected.skipped} bars warmed up the features.`);
  await expect(batch.getByRole('link', { name: 'Download CSV' })).toHaveAttribute('download', 'btc-gbdt-v1-btc-1m.csv');
  // A features file with a column the model does not read is refused at that column.
  await batch.getByTestId('batch-file').setInputFiles({ name: 'rows.csv', mimeType: 'text/csv', buffer: Buffer.from(`time,${model!.features.join(',')},mood\n1700000000000,${model!.features.map(() => '0').join(',')},1`) });
  await batch.getByRole('button', { name: 'Predict' }).click();
  await expect(batch.getByTestId('batch-error')).toContainText(`Row 1, column ${model!.features.length + 2} (mood)`);
  await page.getByRole('region', { name: 'Model detail' }).getByRole('button', { name: 'Version' }).click();

  // A long training: its bar moves, then Cancel stops it and nothing is registered.
  await startTraining(page, { name: 'btc-gbdt-long', symbol: BTC, rounds: '5000' });
  const bar = page.getByRole('progressbar', { name: 'Training btc-gbdt-long' });
  await expect.poll(() => fraction(bar), { timeout: 30_000 }).toBeGreaterThan(0);
  const before = await fraction(bar);
  await expect.poll(() => fraction(bar), { timeout: 30_000 }).toBeGreaterThan(before);
  await jobs.getByRole('button', { name: 'Cancel training btc-gbdt-long' }).click();
  const long = jobs.getByRole('row', { name: 'Training btc-gbdt-long' });
  await expect(long.getByText('Cancelled', { exact: true })).toBeVisible();
  await expect(bar).toHaveCount(0);
  expect((await listJobs(running)).find((j) => j.name === 'btc-gbdt-long')?.status).toBe('cancelled');
  expect((await listModels(running)).map((m) => m.name)).toEqual(['btc-gbdt']);
});
