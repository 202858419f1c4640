import { defineConfig } from '@playwright/test';

/**
 * Journeys that wait on the live market's one-minute bars to close: an SMA
 * cross waits for a turn (20 s to several minutes), an ML strategy for its
 * signals. They are handed to the workers first, so the other journeys fill
 * the time beside them; scheduled last (their files sort late), one of them
 * could run alone at the end for minutes.
 */
const WAITS_ON_LIVE_BARS = ['**/strategies.spec.ts', '**/mlStrategy.spec.ts'];

// End-to-end tests drive Debian's Chromium against the real headless host
// (real engine, real SQLite, real UI). Playwright never downloads a browser.
export default defineConfig({
  testDir: 'tests/e2e',
  projects: [
    { name: 'live bars', testMatch: WAITS_ON_LIVE_BARS },
    { name: 'journeys', testIgnore: WAITS_ON_LIVE_BARS },
  ],
  // Two at a time: several journeys wait on the market's real 1-minute bars (an SMA cross waits for a turn,
  // 20 s to several minutes), and the others run beside them instead of after. Each journey starts its own host
  // on its own port and data folder, so they share nothing; the tests within one file still run in order.
  fullyParallel: false,
  workers: 2,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    viewport: { width: 1600, height: 900 },
    launchOptions: {
      executablePath: process.env.KEEL_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    },
    trace: 'off',
    screenshot: 'only-on-failure',
  },
});
