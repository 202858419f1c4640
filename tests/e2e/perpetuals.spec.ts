/**
 * Perpetuals on screen at 1280 × 800: the chart header shows the funding
 * rate and the countdown to the next settlement, the positions blotter shows
 * a position's liquidation price, margin ratio, ROE and funding as the engine
 * reports them, and its Close button stays inside the window. The margin
 * mode is chosen from the ticket while flat.
 */
import { expect, test } from './journey';
import { Dec } from '../../src/shared/decimal';
import type { AccountSummary, Position, Ticker } from '../../src/shared/domain';
import { removeDataDirs, startHost, type RunningHost } from './headlessHost';
import { rpc } from './rpc';
import { openWorkstation, ticket } from './workstation';

test.use({ viewport: { width: 1280, height: 800 } });

let host: RunningHost | undefined;
test.afterEach(async () => {
  await host?.stop();
  host = undefined;
});
test.afterAll(() => removeDataDirs());

test('the chart header counts down to funding, and a position shows its liquidation price and margin ratio with Close in view', async ({ page }) => {
  host = await startHost();
  await openWorkstation(page, host);
  const t = ticket(page);
  await t.getByLabel('Symbol').selectOption('BTC/USDT:USDT');

  // Funding: the rate the ticker carries, as a percentage, and a countdown that moves.
  const ticker = await rpc<Ticker>(host.port, host.token, 'market.ticker', { venue: 'paper', symbol: 'BTC/USDT:USDT' });
  expect(ticker.nextFundingTime).toBeGreaterThan(ticker.timestamp);
  const rate = page.getByTestId('funding-rate');
  await expect(rate).toHaveText(/^[+-]?\d+\.\d{4}%$/);
  const countdown = page.getByTestId('funding-countdown');
  await expect(countdown).toHaveText(/^\d{2}:\d{2}:\d{2}$/);
  const first = await countdown.innerText();
  await expect.poll(() => countdown.innerText(), { timeout: 5_000 }).not.toBe(first);

  // Isolated margin, chosen while flat.
  const modes = t.getByRole('group', { name: 'Margin mode' });
  await modes.getByRole('button', { name: 'Isolated' }).click();
  await expect.poll(async () => (await rpc<AccountSummary>(host!.port, host!.token, 'account.summary', { venue: 'paper' })).marginModes['BTC/USDT:USDT']).toBe('isolated');
  await expect(modes.getByRole('button', { name: 'Isolated' })).toHaveAttribute('aria-pressed', 'true');

  await t.getByRole('button', { name: 'Buy', exact: true }).click();
  await t.getByLabel('Order type').selectOption('market');
  await t.getByLabel('Quantity').fill('0.01');
  await t.getByRole('button', { name: 'Place order' }).click();

  const positions = page.getByRole('table', { name: 'Positions' });
  const row = positions.getByRole('row').filter({ hasText: 'BTC/USDT:USDT' });
  await expect(row).toHaveCount(1);
  const [position] = await rpc<Position[]>(host.port, host.token, 'positions.list');
  expect(position).toMatchObject({ symbol: 'BTC/USDT:USDT', marginMode: 'isolated' });
  expect(position!.liquidationPrice).not.toBeNull();
  // Shown at the instrument's tick: the engine's figure, by value.
  const shown = (await row.getByTestId('liquidation-price').innerText()).replace(/,/g, '');
  expect(Dec.parse(shown).eq(Dec.parse(position!.liquidationPrice!))).toBe(true);
  await expect(row).toContainText(/\d+\.\d{2}%/); // margin ratio
  await expect(row).toContainText(/\([+-]?\d+\.\d{2}%\)/); // ROE beside the unrealized PnL
  await expect(row).toContainText('iso');
  // While a position is open the margin mode stays: the engine says why.
  await modes.getByRole('button', { name: 'Cross' }).click();
  await expect(t.getByText(/only while it is flat/)).toBeVisible();

  // The Close button is inside the window and inside the blotter's pane at 1280 px, whatever the columns before it need.
  const close = row.getByRole('button', { name: /^Close long .* BTC\/USDT:USDT/ });
  await expect(close).toBeVisible();
  const box = (await close.boundingBox())!;
  const pane = (await positions.locator('xpath=ancestor::div[contains(@class, "table-scroll")][1]').boundingBox())!;
  expect(box.x + box.width).toBeLessThanOrEqual(Math.min(1280, pane.x + pane.width));
  expect(box.y + box.height).toBeLessThanOrEqual(Math.min(800, pane.y + pane.height));
  // The funding rate and its countdown are inside the chart header, not clipped by it.
  const header = (await page.locator('.chart-header').boundingBox())!;
  const countdownBox = (await countdown.boundingBox())!;
  expect(countdownBox.x + countdownBox.width).toBeLessThanOrEqual(header.x + header.width);
  await close.click();
  await expect(positions.getByRole('row').filter({ hasText: 'BTC/USDT:USDT' })).toHaveCount(0);
});
