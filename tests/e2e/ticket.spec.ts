/**
 * The ticket as a trader works it from the keyboard: sizing by value and by
 * a share of the available margin (with the resulting quantity shown and
 * sent), Tab through the fields in reading order, and Escape to clear it.
 */
import { expect, test } from './journey';
import { Dec } from '../../src/shared/decimal';
import type { AccountSummary } from '../../src/shared/domain';
import { removeDataDirs, startHost, type RunningHost } from './headlessHost';
import { rpc } from './rpc';
import { listOrders, market, openWorkstation, priceAt, shown, ticket } from './workstation';

let host: RunningHost | undefined;
test.afterEach(async () => {
  await host?.stop();
  host = undefined;
});
test.afterAll(() => removeDataDirs());

test('a limit order sized by value and one sized by a share of margin send the quantity the ticket shows', async ({ page }) => {
  host = await startHost();
  await openWorkstation(page, host);
  const btc = await market(host, 'BTC/USDT:USDT');
  const lot = Dec.parse(btc.instrument.lotSize);
  const price = priceAt(btc, btc.ticker.bid, '0.97');
  const t = ticket(page);
  await t.getByLabel('Symbol').selectOption('BTC/USDT:USDT');
  await t.getByLabel('Order type').selectOption('limit');
  await t.getByLabel('Limit price').fill(price.toFixed(btc.tickDecimals));

  // 1,000 USDT at the limit price, floored to the lot.
  await t.getByLabel('Size in').selectOption('quote');
  await t.getByLabel('Order value').fill('1000');
  const byValue = Dec.parse('1000').div(price).floorTo(lot);
  await expect(t.locator('#ticket-size-result')).toContainText(`= ${byValue.toFixed(3)} BTC`);
  await t.getByRole('button', { name: 'Place order' }).click();
  await expect.poll(async () => (await listOrders(host!, 'open')).length).toBe(1);
  const [first] = await listOrders(host, 'open');
  expect(Dec.parse(first!.quantity).eq(byValue)).toBe(true);

  // A quarter of the margin now available (the resting order holds some), initial margin and maker fee paid out of it.
  await t.getByLabel('Size in').selectOption('margin');
  const slider = t.getByRole('slider', { name: 'Share of available margin' });
  await slider.fill('25');
  await expect(t.getByLabel('Share of margin')).toHaveValue('25');
  const account = await rpc<AccountSummary>(host.port, host.token, 'account.summary');
  const perUnit = price.mul(Dec.ONE.div(Dec.parse('10')).add(Dec.parse(btc.instrument.makerFee)));
  const byMargin = Dec.parse(account.available).mul(Dec.parse('0.25')).div(perUnit).floorTo(lot);
  await expect(t.locator('#ticket-size-result')).toContainText(`= ${byMargin.toFixed(3)} BTC`);
  await expect(t.locator('#ticket-size-result')).toContainText(`of ${shown(Dec.parse(account.available).toFixed(2))} USDT available`);
  await t.getByRole('button', { name: 'Place order' }).click();
  // About 25× the first order's value: the ticket asks first, as it does for any much larger order.
  await page.getByRole('dialog', { name: 'Place a much larger order?' }).getByRole('button', { name: 'Send order' }).click();
  await expect.poll(async () => (await listOrders(host!, 'open')).length).toBe(2);
  const second = (await listOrders(host, 'open')).find((o) => o.id !== first!.id);
  expect(Dec.parse(second!.quantity).eq(byMargin)).toBe(true);

  // Back to a quantity: the ticket's quarter of the margin available now (the two resting orders hold some of it), in BTC.
  const after = await rpc<AccountSummary>(host.port, host.token, 'account.summary');
  const nowByMargin = Dec.parse(after.available).mul(Dec.parse('0.25')).div(perUnit).floorTo(lot);
  expect(nowByMargin.lt(byMargin)).toBe(true);
  await expect(t.locator('#ticket-size-result')).toContainText(`= ${nowByMargin.toFixed(3)} BTC`);
  await t.getByLabel('Size in').selectOption('base');
  await expect(t.getByLabel('Quantity')).toHaveValue(nowByMargin.toFixed(3));
});

test('Tab moves through the ticket in reading order, Escape clears it, and Place says why it waits', async ({ page }) => {
  host = await startHost();
  await openWorkstation(page, host);
  const t = ticket(page);
  await t.getByLabel('Symbol').selectOption('BTC/USDT:USDT');
  await t.getByLabel('Order type').selectOption('limit');
  const place = t.getByRole('button', { name: 'Place order' });
  await expect(place).toBeDisabled();
  await expect(place).toHaveAccessibleDescription('Enter a quantity.');

  await t.getByLabel('Symbol').focus();
  const order: string[] = [];
  for (let i = 0; i < 20; i++) {
    order.push(await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return el?.getAttribute('aria-label') || el?.id || el?.closest('label')?.textContent || el?.textContent || '';
    }));
    await page.keyboard.press('Tab');
  }
  expect(order.slice(0, 11)).toEqual([
    'ticket-symbol',
    'ticket-leverage',
    // The margin mode of a perpetual, beside its leverage.
    'Cross',
    'Isolated',
    'Buy',
    'Sell',
    'ticket-type',
    'ticket-tif',
    'ticket-qty',
    'Size in',
    'ticket-price',
    // The stop price is not used by a limit order: it is skipped.
  ]);
  // Then what the entry carries (take profit, stop loss), and the flags, in that order.
  const rest = order.slice(11);
  expect(rest[0]).toBe('ticket-tp');
  const postOnly = rest.findIndex((name) => /Post-only/.test(name));
  const reduceOnly = rest.findIndex((name) => /Reduce-only/.test(name));
  expect(postOnly).toBeGreaterThan(0);
  expect(reduceOnly).toBeGreaterThan(postOnly);

  const btc = await market(host, 'BTC/USDT:USDT');
  await t.getByLabel('Quantity').fill('0.01');
  await expect(place).toHaveAccessibleDescription('Enter a limit price.');
  await t.getByLabel('Limit price').fill(priceAt(btc, btc.ticker.bid, '0.5').toFixed(btc.tickDecimals));
  await expect(place).toBeEnabled();
  await t.getByLabel('Reduce-only').check();
  await t.getByRole('button', { name: 'Sell', exact: true }).click();
  await place.click();
  // A far price: the engine refuses it (price band), and the refusal sits above Place.
  await expect(t.getByRole('alert')).toBeVisible();

  // Escape in the ticket clears what was typed and the message; side and type stay.
  await t.getByLabel('Quantity').focus();
  await page.keyboard.press('Escape');
  await expect(t.getByLabel('Quantity')).toHaveValue('');
  await expect(t.getByLabel('Limit price')).toHaveValue('');
  await expect(t.getByLabel('Reduce-only')).not.toBeChecked();
  await expect(t.getByRole('alert')).toHaveCount(0);
  await expect(t.getByRole('button', { name: 'Sell', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(t.getByLabel('Order type')).toHaveValue('limit');
  expect(await listOrders(host, 'all')).toEqual([]);
});
