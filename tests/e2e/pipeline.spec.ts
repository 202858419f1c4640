/**
 * The Pipeline board, end to end through the real host and UI: a dataset
 * imported, a small discovery run from the Discover form (in the backtest
 * workers), its cards on the board with their evidence and gate marks; a
 * Promote held back by the Paper gate says why, and once the trader relaxes
 * the gate in the settings form the card enters Paper, where its strategy
 * instance runs on the paper venue, and offers going live on a real venue
 * that is ready (none is in this host, and it says so). The discovery is
 * also kept as a schedule, listed and removed. Screenshots at 1280×800 and
 * 1920×1080 go to the test's output (and KEEL_SHOTS_DIR when set).
 */
import type { Page } from '@playwright/test';
import { expect, test } from './journey';
import type { Dataset, PipelineList, StrategyInstance } from '../../src/shared/contract';
import { barsCsv } from '../support/barsCsv';
import { syntheticBars } from '../support/syntheticBars';
import { removeDataDirs, startHost, type RunningHost } from './headlessHost';
import { rpc } from './rpc';
import { openWorkstation } from './workstation';
import { screenshot } from './shots';

const BTC = 'BTC/USDT:USDT';

let host: RunningHost | undefined;
test.afterEach(async () => {
  await host?.stop();
  host = undefined;
});
test.afterAll(() => removeDataDirs());

async function shoot(page: Page, name: string): Promise<void> {
  for (const [width, height] of [
    [1280, 800],
    [1920, 1080],
  ] as const) {
    await page.setViewportSize({ width, height });
    await screenshot(page, `${name}-${width}x${height}.png`);
  }
}

async function setGate(page: Page, label: string, value: string): Promise<void> {
  const field = page.getByRole('region', { name: 'Gate settings' }).getByLabel(label, { exact: true });
  await field.fill(value);
}

test('a small discovery fills the board; a card held back by its gate enters Paper once the gate is relaxed, and runs there', async ({ page }) => {
  test.setTimeout(180_000);
  host = await startHost();
  const running = host;
  const dataset = await rpc<Dataset>(running.port, running.token, 'datasets.import', { name: 'Synthetic daily', csv: barsCsv(syntheticBars({ seed: 11, count: 400 })) });
  // Discovery keeps every candidate with out-of-sample evidence: this journey is about the board, not the market.
  await rpc(running.port, running.token, 'pipeline.gates.set', { settings: { discovery: { minOosTrades: 1, minDeflatedSharpe: 0, maxWorstFoldDrawdownPct: 100, requireChecks: false } } });
  await page.setViewportSize({ width: 1280, height: 800 });
  await openWorkstation(page, running);

  await page.getByRole('tab', { name: /^Pipeline/ }).click();
  const view = page.getByTestId('pipeline-panel');
  await expect(view).toBeVisible();
  await expect(view.getByTestId('pipeline-column-discovery')).toContainText('No candidates yet');

  // The Discover form: the SMA cross family on the dataset, trading BTC perpetual one-minute bars once promoted.
  const discover = view.getByRole('region', { name: 'Discover' });
  await discover.getByLabel('Family').selectOption('sma-cross');
  await discover.getByLabel('Data').selectOption(`dataset:${dataset.id}`);
  await discover.getByLabel('Symbol').fill(BTC);
  await discover.getByLabel('Timeframe').selectOption('1m');
  await discover.getByLabel('Trials').fill('6');
  await discover.getByLabel('Folds').fill('2');
  await discover.getByLabel('Candidates').fill('2');
  await discover.getByLabel('Repeat every (h)').fill('24');
  await discover.getByRole('button', { name: 'Discover' }).click();
  await expect(discover.getByRole('status')).toContainText('Discovery started');
  // Named by what it searches, not by its id.
  await expect(discover.getByTestId('pipeline-discovery').first()).toContainText(`SMA cross on`);
  await expect(discover.getByTestId('pipeline-discovery').first()).toContainText(`${BTC} 1m`);
  // Kept as a schedule, next due a day later.
  const schedules = view.getByRole('region', { name: 'Discovery schedules' });
  await expect(schedules.getByTestId('pipeline-schedule')).toHaveCount(1);
  await expect(schedules.getByTestId('pipeline-schedule')).toContainText('every 24 h');
  await expect(schedules.getByTestId('pipeline-schedule')).toContainText('last ran');
  await expect(schedules.getByTestId('pipeline-schedule')).not.toContainText('disc-');
  await expect(discover.getByTestId('pipeline-discovery').first()).toHaveAttribute('data-status', 'done', { timeout: 120_000 });

  const board = await rpc<PipelineList>(running.port, running.token, 'pipeline.list');
  expect(board.cards.length).toBeGreaterThan(0);
  const column = view.getByTestId('pipeline-column-discovery');
  await expect(column.getByTestId('pipeline-card')).toHaveCount(board.cards.length);
  const card = column.getByTestId('pipeline-card').first();
  const cardId = await card.getAttribute('data-card-id');
  // Its evidence: in and out of sample, each fold, and the Paper gate's criteria marked.
  await expect(card).toContainText('Out of sample');
  await expect(card).toContainText('Fold 2');
  await expect(card.getByTestId('criterion-oosTrades')).toBeVisible();
  await expect(card.getByTestId('criterion-lookahead')).toBeVisible();

  // A Paper gate no candidate can pass: Promote is disabled and says why.
  await setGate(page, 'Paper: min OOS trades', '1000000');
  await view.getByRole('button', { name: 'Save gates' }).click();
  await expect(card.getByTestId('criterion-oosTrades')).toHaveAttribute('data-passed', 'false');
  await expect(card.getByRole('button', { name: 'Promote' })).toBeDisabled();
  await expect(card).toContainText(/Paper gate: Out-of-sample trades: \d+ \(needs ≥ 1000000\)/);
  await shoot(page, 'pipeline-discovered');

  // Relaxed through the settings form: the gate passes and the card enters Paper.
  await page.setViewportSize({ width: 1280, height: 800 });
  await setGate(page, 'Paper: min OOS trades', '1');
  await setGate(page, 'Paper: deflated Sharpe >', '0');
  await setGate(page, 'Paper: worst fold DD < %', '100');
  await view.getByRole('region', { name: 'Gate settings' }).getByLabel('Paper needs the checks').uncheck();
  await view.getByRole('button', { name: 'Save gates' }).click();
  // The click sends the save; the engine holds the new gates once its answer is back.
  const paperGates = async () => (await rpc<{ paper: { minOosTrades: number; requireChecks: boolean } }>(running.port, running.token, 'pipeline.gates.get')).paper;
  await expect.poll(paperGates).toMatchObject({ minOosTrades: 1, requireChecks: false });
  const promote = view.locator(`[data-card-id="${cardId}"]`).getByRole('button', { name: 'Promote' });
  await expect(promote).toBeEnabled();
  await promote.click();

  const paperCard = view.getByTestId('pipeline-column-paper').locator(`[data-card-id="${cardId}"]`);
  await expect(paperCard).toBeVisible();
  await expect(paperCard.getByTestId('pipeline-card-venue')).toContainText('paper on paper');
  // Its Live gate is shown, failing on paper days for now.
  await expect(paperCard.getByTestId('criterion-paperDays')).toHaveAttribute('data-passed', 'false');
  await expect(view.getByTestId('pipeline-move').first()).toContainText('promote');
  // Going live picks a real venue that is ready, at the gate's live size factor: none is ready here, and it says so.
  const picker = paperCard.getByTestId('pipeline-live-picker');
  await expect(picker.getByLabel('Live venue')).toBeDisabled();
  await expect(picker.getByLabel('Live size factor')).toHaveValue('0.25');
  await expect(picker).toContainText('No real venue is ready to go live on');
  await expect(paperCard.getByRole('button', { name: 'Promote' })).toBeDisabled();

  // The schedule is removed from the board.
  await schedules.getByRole('button', { name: 'Remove' }).click();
  await expect(schedules.getByTestId('pipeline-schedule')).toHaveCount(0);
  expect((await rpc<unknown[]>(running.port, running.token, 'pipeline.schedules.list')).length).toBe(0);

  // The instance runs on the paper venue.
  const listed = (await rpc<PipelineList>(running.port, running.token, 'pipeline.list')).cards.find((c) => c.id === cardId)!;
  const { strategies } = await rpc<{ strategies: StrategyInstance[] }>(running.port, running.token, 'strategies.list');
  expect(strategies.find((s) => s.id === listed.instanceId)).toMatchObject({ status: 'running', venue: 'paper', symbol: BTC, timeframe: '1m', type: 'sma-cross' });
  await shoot(page, 'pipeline-paper');

  await page.getByRole('tab', { name: /^Strategies/ }).click();
  // Its row in the list (a strategy picker elsewhere also names it in a hidden option).
  await expect(page.getByText(listed.name.slice(0, 30)).filter({ visible: true }).first()).toBeVisible();
});
