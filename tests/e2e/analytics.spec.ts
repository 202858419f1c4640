/**
 * The Analytics view, end to end through the real host and UI: a little
 * trading on the paper venue from the ticket (a BTC round trip opened and
 * closed, an ETH position left open), then the Analytics tab shows the
 * headline figures, the equity curve and the round trips the host built;
 * a note and tags typed into the journal are kept by the host; a CSV export
 * saves a file carrying every fill. Screenshots at 1280×800 and 1920×1080
 * are written to test-results/ for a person to look at.
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './journey';
import type { AnalyticsEquity, RoundTripView } from '../../src/shared/contract';
import { Dec } from '../../src/shared/decimal';
import type { Fill } from '../../src/shared/domain';
import { fmtMoney } from '../../src/renderer/lib/format';
import { removeDataDirs, startHost, type RunningHost } from './headlessHost';
import { rpc } from './rpc';
import { listFills, openWorkstation, ticket } from './workstation';

let host: RunningHost | undefined;
test.afterEach(async () => {
  await host?.stop();
  host = undefined;
});
test.afterAll(() => removeDataDirs());

const BTC = 'BTC/USDT:USDT';
const ETH = 'ETH/USDT:USDT';

async function marketOrder(page: Page, symbol: string, side: 'Buy' | 'Sell', quantity: string): Promise<void> {
  const t = ticket(page);
  await t.getByLabel('Symbol').selectOption(symbol);
  await t.getByRole('button', { name: side, exact: true }).click();
  await t.getByLabel('Order type').selectOption('market');
  await t.getByLabel('Quantity').fill(quantity);
  await t.getByRole('button', { name: 'Place order' }).click();
}

async function journal(running: RunningHost): Promise<RoundTripView[]> {
  return (await rpc<{ trades: RoundTripView[] }>(running.port, running.token, 'journal.trades', {})).trades;
}

test('trades from the ticket show in Analytics: figures, the equity curve, a round trip annotated, a CSV export', async ({ page }) => {
  test.setTimeout(120_000);
  host = await startHost();
  const running = host;
  await page.setViewportSize({ width: 1280, height: 800 });
  await openWorkstation(page, running);

  await marketOrder(page, BTC, 'Buy', '0.01');
  await expect.poll(async () => (await listFills(running)).length).toBe(1);
  await marketOrder(page, BTC, 'Sell', '0.01');
  await expect.poll(async () => (await listFills(running)).length).toBe(2);
  await marketOrder(page, ETH, 'Buy', '0.2');
  await expect.poll(async () => (await listFills(running)).length).toBe(3);
  const fills: Fill[] = await listFills(running);

  await page.getByRole('tab', { name: /^Analytics/ }).click();
  const view = page.getByTestId('analytics-panel');
  await expect(view).toBeVisible();

  // The headline figures: one round trip closed, one open; its net PnL as the host has it.
  const [btc] = (await journal(running)).filter((t) => t.symbol === BTC);
  expect(btc).toMatchObject({ status: 'closed', side: 'long', source: 'manual', fills: 2 });
  const btcFills = fills.filter((f) => f.symbol === BTC);
  const net = Dec.sum(btcFills.map((f) => Dec.parse(f.quantity).mul(Dec.parse(f.price)).mul(f.side === 'buy' ? Dec.ONE.neg() : Dec.ONE))).sub(Dec.sum(btcFills.map((f) => Dec.parse(f.fee))));
  expect(Dec.parse(btc!.netPnl).eq(net)).toBe(true);
  await expect(view.getByTestId('figure-trades')).toContainText('1 + 1 open');
  await expect(view.getByTestId('figure-netPnl')).toContainText(`${fmtMoney(net.toString(), { grouped: true, signed: true })} USDT`);

  // The equity curve is drawn from the host's points (one after each fill at least), with no "empty" overlay.
  const equity = await rpc<AnalyticsEquity>(running.port, running.token, 'analytics.equity', { scope: { kind: 'account' }, from: Date.now() - 30 * 86_400_000 });
  expect(equity.points.length).toBeGreaterThanOrEqual(4);
  const chart = view.getByTestId('equity-chart');
  await expect(chart.locator('canvas').first()).toBeVisible();
  await expect(chart).not.toContainText('No equity in this range yet');
  await expect(view.getByTestId('daily-pnl-chart').locator('canvas').first()).toBeVisible();

  // The round trips in the journal.
  const table = view.getByRole('table', { name: 'Round trips' });
  const btcRow = table.getByRole('row').filter({ hasText: BTC });
  await expect(btcRow).toHaveCount(1);
  await expect(btcRow).toContainText('long');
  await expect(table.getByRole('row').filter({ hasText: ETH })).toContainText('open');

  await page.screenshot({ path: 'test-results/analytics-1280x800.png' });
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.screenshot({ path: 'test-results/analytics-1920x1080.png' });

  // Annotate the round trip in place: a note and tags, each saved on Enter and kept by the host.
  const note = btcRow.getByRole('textbox', { name: /^Note for long BTC/ });
  await note.fill('Scalp on the open; took profit early');
  await note.press('Enter');
  const tags = btcRow.getByRole('textbox', { name: /^Tags for long BTC/ });
  await tags.fill('scalp, plan, Scalp');
  await tags.press('Enter');
  await expect
    .poll(async () => (await journal(running)).find((t) => t.id === btc!.id))
    .toMatchObject({ note: 'Scalp on the open; took profit early', tags: ['scalp', 'plan'] });
  await expect(tags).toHaveValue('scalp, plan');

  // Export the fills as CSV in Koinly's layout: a file comes down with every fill in it.
  await view.getByLabel('Export kind').selectOption('fills');
  await view.getByLabel('Export format').selectOption('koinly');
  const [download] = await Promise.all([page.waitForEvent('download'), view.getByRole('button', { name: 'Export CSV' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^keel-fills-koinly-\d{8}\.csv$/);
  const csv = readFileSync((await download.path())!, 'utf8');
  const lines = csv.trim().split('\r\n');
  expect(lines[0]).toBe('Date,Sent Amount,Sent Currency,Received Amount,Received Currency,Fee Amount,Fee Currency,Net Worth Amount,Net Worth Currency,Label,Description,TxHash');
  for (const f of fills) expect(csv).toContain(f.tradeId);

  // And the round trips in Keel's columns carry the note.
  await view.getByLabel('Export kind').selectOption('trades');
  await view.getByLabel('Export format').selectOption('keel');
  const [trades] = await Promise.all([page.waitForEvent('download'), view.getByRole('button', { name: 'Export CSV' }).click()]);
  const tradesCsv = readFileSync((await trades.path())!, 'utf8');
  expect(tradesCsv).toContain(btc!.id);
  expect(tradesCsv).toContain('Scalp on the open; took profit early');
});
