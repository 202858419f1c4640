/**
 * The Monitor view, end to end through the real headless host and UI: the
 * tiles show live figures (the main process, the event loop, the journal,
 * this page's own WebSocket connection, the paper venue), the figures move
 * on with the next sample, and a venue whose requests keep failing is
 * marked over its threshold in its row, its tile and the status line. The
 * host's /metrics answers a scraper with the token and refuses one without.
 * Screenshots at 1280×800 and 1920×1080 go to the test's output (and
 * KEEL_SHOTS_DIR when set).
 */
import type { Page } from '@playwright/test';
import { expect, test } from './journey';
import type { SystemMetrics } from '../../src/shared/contract';
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

async function shot(page: Page, name: string, width: number, height: number): Promise<void> {
  await page.setViewportSize({ width, height });
  await page.waitForTimeout(300);
  await screenshot(page, `${name}-${width}x${height}.png`);
}

test('the Monitor view shows live figures for every part, and marks a failing venue over its threshold', async ({ page }) => {
  test.setTimeout(120_000);
  host = await startHost();
  const running = host;
  await page.setViewportSize({ width: 1280, height: 800 });
  await openWorkstation(page, running);

  await page.getByRole('tab', { name: /^Monitor/ }).click();
  const view = page.getByTestId('monitor-panel');
  await expect(view).toBeVisible();
  await expect(view.getByTestId('monitor-status')).toHaveText('All within thresholds');

  // Processes: the engine measured, the renderer (this browser) said to be outside Keel.
  const processes = view.getByTestId('monitor-processes');
  await expect(processes.getByRole('row', { name: /Main \(engine\)/ })).toContainText(/\d+(\.\d)? MiB/);
  await expect(processes.getByRole('row', { name: /Renderer \(your browser\)/ })).toContainText('not measured');
  await expect(view.getByTestId('monitor-figure-loop-p99')).toContainText(/ms$/);
  await expect(view.getByTestId('monitor-figure-journal-size')).toContainText(/(KiB|MiB)$/);
  await expect(view.getByTestId('monitor-pools')).toContainText('not started');
  // This page's own connection, and the paper venue hearing its market.
  await expect.poll(async () => (await view.getByTestId('monitor-figure-ws-clients').locator('dd').textContent())?.trim()).not.toBe('0');
  const paper = view.getByTestId('monitor-venue-paper');
  await expect(paper).toContainText('ready');
  await expect(view.getByTestId('monitor-venue-paper-age')).toContainText(/s ago$/);

  // Live: the next sample arrives by itself, and its charts grow.
  const firstAt = (await rpc<SystemMetrics>(running.port, running.token, 'system.metrics')).sample.at;
  const status = view.getByRole('region', { name: 'Monitor status' });
  const shownAt = await status.textContent();
  await expect.poll(async () => status.textContent(), { timeout: 15_000 }).not.toBe(shownAt);
  const later = await rpc<SystemMetrics>(running.port, running.token, 'system.metrics');
  expect(later.sample.at).toBeGreaterThan(firstAt);
  expect(later.history.times.length).toBeGreaterThanOrEqual(2);
  await expect(view.getByTestId('monitor-tile-event-loop').locator('path.mon-spark-line').first()).toHaveAttribute('d', /L/);

  await shot(page, 'monitor', 1280, 800);
  await shot(page, 'monitor', 1920, 1080);

  // Every order the paper venue is sent now fails: its error rate crosses the threshold at the next sample.
  await rpc(running.port, running.token, 'paper.faults.set', { orderFailureRate: 1 });
  for (let i = 0; i < 6; i++) {
    await rpc(running.port, running.token, 'orders.place', { venue: 'paper', symbol: BTC, side: 'buy', type: 'market', quantity: '0.001' }).catch(() => undefined);
  }
  const errors = view.getByTestId('monitor-venue-paper-errors');
  await expect(errors).toHaveClass(/mon-breach/, { timeout: 15_000 });
  await expect(errors).toContainText('100.0%');
  await expect(view.getByTestId('monitor-tile-venues')).toHaveAttribute('data-breach', 'true');
  await expect(view.getByTestId('monitor-status')).toHaveText('1 over threshold');
  // The tab says so from any view.
  await expect(page.getByRole('tab', { name: 'Monitor' }).locator('.count-err')).toHaveText('1');
  await expect(status.getByRole('alert')).toContainText('paper: request error rate 100%, over 25%');
  const health = await rpc<{ status: string; breaches: Array<{ key: string }> }>(running.port, running.token, 'system.health');
  expect(health).toMatchObject({ status: 'warning', breaches: [{ key: 'venueErrorRate:paper' }] });
  await rpc(running.port, running.token, 'paper.faults.set', { orderFailureRate: 0 });

  await page.setViewportSize({ width: 1280, height: 800 });
  await shot(page, 'monitor-breach', 1280, 800);
  await shot(page, 'monitor-breach', 1920, 1080);

  // A scraper: refused without the token, served the text format with it.
  const origin = new URL(running.url).origin;
  const refused = await page.request.get(`${origin}/metrics`);
  expect(refused.status()).toBe(401);
  const scraped = await page.request.get(`${origin}/metrics`, { headers: { Authorization: `Bearer ${running.token}` } });
  expect(scraped.status()).toBe(200);
  expect(scraped.headers()['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
  const text = await scraped.text();
  expect(text).toMatch(/^keel_websocket_clients [1-9]\d*$/m);
  expect(text).toMatch(/^keel_venue_request_error_ratio\{venue="paper"\} 1$/m);
  expect(text).toMatch(/^keel_monitor_breach\{metric="venueErrorRate",subject="paper"\} 1$/m);
});
