import { defineConfig } from '@playwright/test';

// The desktop app itself, driven through Playwright's Electron support.
// Runs only where the Electron binary is installed (scripts/e2e-electron.mjs decides and says so).
export default defineConfig({
  testDir: 'tests/electron',
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [['list']],
});
