/**
 * The parity report from the Strategies view, through the real host and UI:
 * an SMA cross started on BTC has nothing to compare until a bar has closed
 * (the section says why, with the engine's code), then its report shows the
 * summary and a row per decision, every one of them the same decision as
 * the replay's.
 */
import { expect, test, type Page } from '@playwright/test';
import type { StrategyInstance } from '../../src/shared/contract/strategies';
import type { ParityReport } from '../../src/shared/contract/parity';
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
const MINUTE = 60_000;

async function listStrategies(running: RunningHost): Promise<StrategyInstance[]> {
  return (await rpc<{ strategies: StrategyInstance[] }>(running.port, running.token, 'strategies.list')).strategies;
}

async function createAndStart(page: Page, running: RunningHost): Promise<StrategyInstance> {
  await page.getByRole('tab', { name: /^Strategies/i }).click();
  await page.getByTestId('catalog-entry-sma-cross').click();
  const form = page.getByTestId('strategy-create-form');
  await form.getByLabel('Symbol').selectOption(BTC);
  await form.getByLabel('Timeframe').selectOption('1m');
  await form.getByTestId('strategy-param-fast').fill('1');
  await form.getByTestId('strategy-param-slow').fill('2');
  await page.getByTestId('strategy-create-submit').click();
  await expect.poll(async () => (await listStrategies(running)).length).toBe(1);
  const [created] = await listStrategies(running);
  await page.getByTestId(`strategy-action-start-${created!.id}`).click();
  await expect(page.getByTestId(`strategy-status-${created!.id}`)).toContainText(/running/i);
  return created!;
}

test('the Parity section replays a running instance and shows each decision beside the replay\'s', async ({ page }) => {
  test.setTimeout(4 * MINUTE);
  host = await startHost();
  await page.setViewportSize({ width: 1280, height: 800 });
  await openWorkstation(page, host);
  const sma = await createAndStart(page, host);
  const startedAt = Date.now();

  const section = page.getByTestId('parity-section');
  await expect(section.getByLabel('Instance to compare')).toHaveValue(sma.id);
  const ask = section.getByRole('button', { name: 'Parity' });
  // The first bar of its run has not closed yet: nothing to compare, and the section says so.
  if (Date.now() < Math.floor(startedAt / MINUTE) * MINUTE + MINUTE - 5_000) {
    await ask.click();
    await expect(section.getByTestId('parity-error')).toContainText(/No 1m bar closed in the period/);
    await expect(section.getByTestId('parity-error')).toContainText('VALIDATION_FAILED');
  }

  // Once a bar (or two) of its run has closed, the report compares it.
  const afterTwoBars = Math.floor(startedAt / MINUTE) * MINUTE + 2 * MINUTE + 3_000;
  await page.waitForTimeout(Math.max(0, afterTwoBars - Date.now()));
  await ask.click();
  const report = section.getByTestId('parity-report');
  await expect(report).toBeVisible({ timeout: 30_000 });
  const expected = await rpc<ParityReport>(host.port, host.token, 'strategies.parity', { id: sma.id });
  expect(expected.summary.bars).toBeGreaterThanOrEqual(1);
  expect(expected.rows.filter((r) => r.reason !== 'same' && r.reason !== 'price')).toEqual([]);
  await expect(report.getByText('Orders live / replay')).toBeVisible();
  await expect(report.getByText('Tracking error')).toBeVisible();
  await expect(report.getByText(/Book walk at each bar's close/)).toBeVisible();
  const rows = report.getByRole('table', { name: 'Parity rows' }).locator('tbody tr');
  if (expected.rows.length === 0) await expect(report.getByText('No decision in the period on either side.')).toBeVisible();
  else {
    await expect(rows).toHaveCount(expected.rows.length);
    for (const reason of expected.rows.map((r) => r.reason)) expect(['same', 'price']).toContain(reason);
    await expect(rows.first()).toHaveAttribute('data-reason', expected.rows[0]!.reason);
  }
  await report.getByRole('table', { name: 'Parity rows' }).or(report.getByText('No decision in the period on either side.')).scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('parity-1280.png') });
});
