/**
 * The desk's own preferences at work: fills and triggered stops announce
 * themselves (toast, tone, desktop notification while the window is not
 * focused), and Cancel all, Close and large orders ask first as Settings →
 * Trading says, Cancel all scoped to the instrument on screen when chosen.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './journey';
import { removeDataDirs, startHost, type RunningHost } from './headlessHost';
import { rpc } from './rpc';
import { listOrders, market, openWorkstation, priceAt, ticket } from './workstation';

let host: RunningHost | undefined;
test.afterEach(async () => {
  await host?.stop();
  host = undefined;
});
test.afterAll(() => removeDataDirs());

let seq = 0;
async function place(running: RunningHost, params: Record<string, unknown>): Promise<void> {
  await rpc(running.port, running.token, 'orders.place', { clientOrderId: `desk-${++seq}-${Date.now()}`, timeInForce: 'GTC', venue: 'paper', ...params });
}

async function openTradingSettings(page: Page) {
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await dialog.getByRole('tab', { name: 'Trading' }).click();
  return dialog;
}

test('a fill and a triggered stop announce themselves with a notice, a tone and a desktop notification', async ({ page }) => {
  // The page is driven headless: stand in for the system's notifications, and look away from the window.
  await page.addInitScript(() => {
    const w = window as unknown as { __notices: string[]; __tones: number };
    w.__notices = [];
    w.__tones = 0;
    class RecordingNotification {
      static permission: NotificationPermission = 'default';
      static requestPermission(): Promise<NotificationPermission> {
        RecordingNotification.permission = 'granted';
        return Promise.resolve('granted');
      }
      constructor(title: string, options?: NotificationOptions) {
        w.__notices.push(`${title} | ${options?.body ?? ''}`);
      }
    }
    Object.defineProperty(window, 'Notification', { value: RecordingNotification, configurable: true });
    document.hasFocus = () => false;
    const start = OscillatorNode.prototype.start;
    OscillatorNode.prototype.start = function (when?: number) {
      w.__tones++;
      return start.call(this, when);
    };
  });
  host = await startHost();
  await openWorkstation(page, host);

  const settings = await openTradingSettings(page);
  await settings.getByLabel(/Play a tone/).check();
  await settings.getByLabel(/A desktop notification/).check();
  await expect(settings.getByLabel(/A desktop notification/)).toBeChecked();
  await expect(settings).toContainText('The system allows Keel’s notifications.');
  await settings.getByRole('button', { name: 'Done' }).click();

  // A fill of an order sent by another client: nothing in the ticket says it, the announcement does.
  await place(host, { symbol: 'BTC/USDT:USDT', side: 'buy', type: 'market', quantity: '0.01' });
  const toasts = page.locator('.toasts');
  await expect(toasts).toContainText(/Filled: Buy 0\.010 BTC\/USDT:USDT at [\d,]+\.\d · market, taker/);
  await expect.poll(() => page.evaluate(() => (window as unknown as { __notices: string[] }).__notices.join('\n'))).toMatch(
    /Filled: Buy 0\.010 BTC\/USDT:USDT \| at [\d,]+\.\d/,
  );
  expect(await page.evaluate(() => (window as unknown as { __tones: number }).__tones)).toBeGreaterThan(0);

  // A sell stop already crossed, sent with "trigger now": it triggers at once and says so.
  const btc = await market(host, 'BTC/USDT:USDT');
  const stop = priceAt(btc, btc.ticker.last, '1.01').toString();
  await place(host, { symbol: 'BTC/USDT:USDT', side: 'sell', type: 'stop', quantity: '0.01', stopPrice: stop, reduceOnly: true, triggerNow: true });
  await expect(toasts).toContainText(/Stop triggered: Sell 0\.010 BTC\/USDT:USDT/);
  await expect(toasts).toContainText(/Filled: Sell 0\.010 BTC\/USDT:USDT/);
});

test('Cancel all asks first and can be scoped to the instrument on screen; Close and large orders ask when told to', async ({ page }) => {
  host = await startHost();
  const btc = await market(host, 'BTC/USDT:USDT');
  const eth = await market(host, 'ETH/USDT:USDT');
  await place(host, { symbol: 'BTC/USDT:USDT', side: 'buy', type: 'market', quantity: '0.01' });
  await place(host, { symbol: 'BTC/USDT:USDT', side: 'buy', type: 'limit', quantity: '0.01', price: priceAt(btc, btc.ticker.bid, '0.95').toString() });
  await place(host, { symbol: 'BTC/USDT:USDT', side: 'sell', type: 'stop', quantity: '0.01', stopPrice: priceAt(btc, btc.ticker.bid, '0.95').toString(), reduceOnly: true });
  await place(host, { symbol: 'ETH/USDT:USDT', side: 'buy', type: 'limit', quantity: '0.1', price: priceAt(eth, eth.ticker.bid, '0.95').toString() });
  await openWorkstation(page, host);
  const openRows = page.getByRole('table', { name: 'Open orders' }).getByRole('row').filter({ has: page.getByRole('button', { name: /^Cancel / }) });
  await expect(openRows).toHaveCount(3);

  // Cancel all asks, says the reduce-only stop goes too, and while it asks the screen behind is inert.
  await page.getByRole('button', { name: 'Cancel all' }).click();
  const ask = page.getByRole('dialog', { name: 'Cancel 3 open orders?' });
  await expect(ask).toContainText('1 of them is reduce-only');
  await expect(page.locator('#root')).toHaveAttribute('inert', '');
  await ask.getByRole('button', { name: 'Keep them' }).click();
  await expect(page.locator('#root')).not.toHaveAttribute('inert', '');
  await expect(openRows).toHaveCount(3);

  // Scoped to the instrument on screen: BTC's two go, ETH's stays.
  let settings = await openTradingSettings(page);
  await settings.getByLabel('the selected instrument’s only').check();
  await settings.getByLabel('Closing a position').check();
  await settings.getByLabel('Order value that asks first').fill('100');
  await settings.getByLabel('An order worth more than').check();
  await settings.getByRole('button', { name: 'Done' }).click();
  await page.getByRole('listbox').locator('[data-symbol="BTC/USDT:USDT"]').click();
  await page.getByRole('button', { name: 'Cancel all BTC' }).click();
  await page.getByRole('dialog', { name: 'Cancel 2 open orders?' }).getByRole('button', { name: 'Cancel all 2' }).click();
  await expect(openRows).toHaveCount(1);
  await expect(openRows).toContainText('ETH/USDT:USDT');
  expect((await listOrders(host, 'open')).map((o) => o.symbol)).toEqual(['ETH/USDT:USDT']);

  // Close asks now, naming the position.
  const positions = page.getByRole('table', { name: 'Positions' });
  await positions.getByRole('button', { name: /^Close long 0\.010 BTC\/USDT:USDT/ }).click();
  const closing = page.getByRole('dialog', { name: 'Close this position?' });
  await expect(closing).toContainText('long 0.010 BTC/USDT:USDT');
  await closing.getByRole('button', { name: 'Close at market' }).click();
  await expect(positions.getByRole('button', { name: /^Close / })).toHaveCount(0);

  // An order worth more than 100 USDT asks, however it compares with the last one.
  const t = ticket(page);
  await t.getByLabel('Order type').selectOption('limit');
  await t.getByLabel('Quantity').fill('0.01');
  await t.getByLabel('Limit price').fill(priceAt(btc, btc.ticker.bid, '0.95').toFixed(btc.tickDecimals));
  await t.getByRole('button', { name: 'Place order' }).click();
  const large = page.getByRole('dialog', { name: 'Place an order worth more than 100.00 USDT?' });
  await expect(large).toContainText('Settings → Trading');
  await large.getByRole('button', { name: 'Back to ticket' }).click();
  expect((await listOrders(host, 'open')).length).toBe(1);

  // And the preferences are kept on this computer.
  await page.reload();
  await expect(page.getByText('Connected')).toBeVisible();
  settings = await openTradingSettings(page);
  await expect(settings.getByLabel('Closing a position')).toBeChecked();
  await expect(settings.getByLabel('Order value that asks first')).toHaveValue('100');
});
