/**
 * The Reconciliation view, end to end through the real host and UI on the
 * paper venue: the start-up report is clean (the balance matched, folded
 * away until asked for), nothing is counted on the navigation tab, and
 * "Reconcile now" brings a new report, made on demand, at a new time. The
 * table fits a 1280×800 window without scrolling sideways.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './journey';
import type { ReconciliationReport } from '../../src/shared/contract';
import { fmtDateTimeMs } from '../../src/renderer/lib/format';
import { removeDataDirs, startHost, type RunningHost } from './headlessHost';
import { rpc } from './rpc';
import { openWorkstation } from './workstation';

let host: RunningHost | undefined;
test.afterEach(async () => {
  await host?.stop();
  host = undefined;
});
test.afterAll(() => removeDataDirs());

async function latest(running: RunningHost): Promise<ReconciliationReport> {
  const report = await rpc<ReconciliationReport | null>(running.port, running.token, 'reconciliation.latest', { venue: 'paper' });
  if (!report) throw new Error('paper has no reconciliation report');
  return report;
}

function view(page: Page) {
  return page.getByTestId('reconciliation-panel');
}

test('the paper venue starts clean with its balance matched; Reconcile now brings a new report on demand', async ({ page }) => {
  host = await startHost();
  await page.setViewportSize({ width: 1280, height: 800 });
  await openWorkstation(page, host);
  const startup = await latest(host);
  expect(startup).toMatchObject({ venue: 'paper', trigger: 'startup', ok: true });
  const balance = startup.items.find((i) => i.kind === 'matched' && i.subject === 'balance');
  expect(balance, 'the start-up report compares the balance').toBeDefined();

  await page.getByRole('tab', { name: 'Reconciliation' }).click();
  await expect(page.getByRole('tab', { name: 'Reconciliation' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('reconciliation-nav-count')).toHaveCount(0);
  await expect(view(page).getByRole('button', { name: 'paper', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(view(page).getByTestId('reconciliation-status')).toHaveText('Clean');
  await expect(view(page).getByTestId('reconciliation-trigger')).toHaveText('Start-up');
  await expect(view(page).getByTestId('reconciliation-time')).toHaveText(fmtDateTimeMs(startup.finishedAt));

  // What matched is folded away; opened, the balance shows both sides' figures, equal.
  const items = view(page).getByRole('table', { name: 'Reconciliation items of paper' });
  await expect(items).toContainText('No differences');
  const balanceRow = view(page).getByTestId(`reconciliation-item-${balance!.id}`);
  await expect(balanceRow).toHaveCount(0);
  await items.getByRole('button', { name: 'Matched (1)' }).click();
  await expect(balanceRow).toContainText('Matched');
  const figures = balanceRow.locator('td.rc-fig');
  await expect(figures).toHaveText([balance!.keel!, balance!.venue!]);
  expect(balance!.keel).toBe(balance!.venue);
  await expect(balanceRow.getByRole('button')).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Audit trail' })).toContainText('No decisions taken yet.');

  // Nothing in the view scrolls sideways at 1280 wide.
  const overflow = await view(page)
    .locator('.table-scroll')
    .evaluateAll((boxes) => boxes.map((b) => b.scrollWidth - b.clientWidth));
  expect(overflow.every((px) => px <= 0), `horizontal overflow ${overflow.join(', ')} px`).toBe(true);

  await view(page).getByRole('button', { name: 'Reconcile now' }).click();
  await expect(view(page).getByTestId('reconciliation-trigger')).toHaveText('On demand');
  const manual = await latest(host);
  expect(manual).toMatchObject({ venue: 'paper', trigger: 'manual', ok: true });
  expect(manual.id).not.toBe(startup.id);
  expect(manual.finishedAt).toBeGreaterThan(startup.finishedAt);
  await expect(view(page).getByTestId('reconciliation-time')).toHaveText(fmtDateTimeMs(manual.finishedAt));
  await expect(view(page).getByTestId('reconciliation-status')).toHaveText('Clean');
});
