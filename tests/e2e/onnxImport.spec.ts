/**
 * Importing an ONNX model from the Models view, end to end through the
 * real host and UI: a small direction model generated here (its protobuf
 * written by the tests' own writer) is picked with its golden rows; the
 * engine's refusal of a feature list that does not fit its input is shown
 * in the form; corrected, the model is imported, listed and shown with its
 * inputs; its permutation importance, computed on the golden rows, is
 * charted as such, the feature the model reads first.
 */
import { expect, test } from './journey';
import type { ModelRecord } from '../../src/shared/models';
import { logisticModel } from '../support/onnx/models';
import { removeDataDirs, startHost, type RunningHost } from './headlessHost';
import { listModels } from './modelsView';
import { openWorkstation } from './workstation';
import { toLocalDateTimeText } from '../../src/renderer/features/backtests/backtestForm';

let host: RunningHost | undefined;
test.afterEach(async () => {
  await host?.stop();
  host = undefined;
});
test.afterAll(() => removeDataDirs());

const FEATURES = ['ret_1', 'volume_z_20', 'rsi_14'];
/** Long / short / neutral from ret_1 alone; the other two features weigh nothing. */
const WEIGHTS = [
  [-300, 300, 0],
  [0, 0, 0],
  [0, 0, 0],
];
const BIAS = [0, 0, -1];

function softmax(input: readonly number[]): number[] {
  const logits = BIAS.map((b, c) => b + input.reduce((sum, x, f) => sum + x * WEIGHTS[f]![c]!, 0));
  const max = Math.max(...logits);
  const exp = logits.map((l) => Math.exp(l - max));
  const total = exp.reduce((a, b) => a + b, 0);
  return exp.map((e) => e / total);
}

/** Golden rows: the features in another order than the model's, then the three expected probabilities. */
function goldenCsv(): string {
  const lines = ['rsi_14,ret_1,volume_z_20,p_long,p_short,p_neutral'];
  for (let i = 0; i < 24; i++) {
    const input = [((i % 7) - 3) * 0.004, ((i * 5) % 9) / 3 - 1.5, 30 + ((i * 11) % 40)];
    lines.push([input[2], input[0], input[1], ...softmax(input)].join(','));
  }
  return lines.join('\n');
}

test('an ONNX model imported from the form, its refusal shown inline, then its permutation importance charted', async ({ page }) => {
  test.setTimeout(90_000);
  host = await startHost();
  const running = host;
  await openWorkstation(page, running);
  await page.getByRole('tab', { name: /^Models/ }).click();
  await page.getByRole('button', { name: 'Import ONNX' }).click();

  const form = page.getByRole('region', { name: 'Import ONNX' });
  await form.getByTestId('onnx-file').setInputFiles({ name: 'zz-direction.onnx', mimeType: 'application/octet-stream', buffer: Buffer.from(logisticModel({ weights: WEIGHTS, bias: BIAS })) });
  await expect(form.getByLabel('Name')).toHaveValue('zz-direction');
  await form.getByTestId('golden-file').setInputFiles({ name: 'golden.csv', mimeType: 'text/csv', buffer: Buffer.from(goldenCsv()) });

  // Two features for a three-column input: the engine refuses, in its words, and the form keeps everything.
  await form.getByLabel(/^Features/).fill('ret_1, rsi_14');
  await form.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(form.getByTestId('import-error')).toContainText('The model was refused');
  await expect(form.getByTestId('import-error')).toContainText('3 columns, but 2 feature(s) are declared');
  await expect(form.getByLabel('Name')).toHaveValue('zz-direction');

  await form.getByLabel(/^Features/).fill(FEATURES.join(', '));
  // Not used for new decisions after a day and a half.
  await form.getByLabel('Maximum age').fill('36');
  await form.getByLabel('Unit').selectOption('hours');
  await form.getByRole('button', { name: 'Import', exact: true }).click();

  // Listed and shown, with its inputs.
  const detail = page.getByRole('article', { name: 'Model zz-direction v1' });
  await expect(detail).toBeVisible();
  await expect(page.getByRole('region', { name: 'Models' })).toContainText('zz-direction');
  await expect(detail.getByTitle(FEATURES.join(', '))).toContainText('3 ·');
  const [imported] = await listModels(running);
  expect(imported).toMatchObject({ name: 'zz-direction', algorithm: 'onnx', features: FEATURES, status: 'candidate', maxAgeMs: 36 * 3_600_000 });
  expect((imported!.trainingParams as { goldenRows: unknown[] }).goldenRows).toHaveLength(24);

  // Permutation importance on its golden rows, measured in the ML worker as a job.
  const importance = detail.getByRole('region', { name: 'Importance' });
  await expect(importance).toContainText('Not measured yet');
  await expect(importance.getByLabel('Measure on')).toHaveValue('golden');
  await importance.getByRole('button', { name: 'Compute permutation importance' }).click();
  await expect(page.getByRole('row', { name: 'Importance of zz-direction v1' }).getByText('Done', { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(importance.getByRole('heading', { name: 'Feature importance (permutation)' })).toBeVisible();
  await expect(importance).toContainText('Rise in log loss when each feature is shuffled (5 repeats, seed 1) on 24 golden rows');
  const bars = importance.getByRole('list', { name: 'Feature importance' }).getByRole('listitem');
  await expect(bars).toHaveCount(3);
  await expect(bars.first()).toContainText('ret_1');
  const [measured] = (await listModels(running)) as ModelRecord[];
  expect(measured!.featureImportance[0]).toMatchObject({ feature: 'ret_1' });
  expect(measured!.featureImportance.slice(1).map((f) => f.importance)).toEqual([0, 0]);

  // Again on the venue's 1-minute history, over the last six hours only: a range the wrong way round is refused at
  // the field, and nothing is sent.
  const source = importance.getByLabel('Measure on');
  await source.selectOption('venue');
  const now = Date.now();
  await importance.getByLabel('From (optional)').fill(toLocalDateTimeText(now));
  await importance.getByLabel('To (optional)').fill(toLocalDateTimeText(now - 6 * 3_600_000));
  await importance.getByRole('button', { name: 'Compute permutation importance' }).click();
  await expect(importance.getByText('To must be after From')).toBeVisible();
  await importance.getByLabel('From (optional)').fill(toLocalDateTimeText(now - 6 * 3_600_000));
  await importance.getByLabel('To (optional)').fill(toLocalDateTimeText(now + 60_000));
  await importance.getByRole('button', { name: 'Compute permutation importance' }).click();
  await expect(importance).toContainText(/on [\d,]+ rows of bars \(/, { timeout: 30_000 });
  const [ranged] = (await listModels(running)) as ModelRecord[];
  const measuredOn = ranged!.metrics.importance as { source: string; rows: number; from: number; to: number };
  expect(measuredOn.source).toBe('bars');
  // Six hours of minutes, less the feature pipeline's warm-up.
  expect(measuredOn.rows).toBeGreaterThan(0);
  expect(measuredOn.rows).toBeLessThanOrEqual(6 * 60 + 1);
  expect(measuredOn.from).toBeGreaterThanOrEqual(Math.floor((now - 6 * 3_600_000) / 60_000) * 60_000);
  await page.screenshot({ path: test.info().outputPath('importance-range.png') });
});
