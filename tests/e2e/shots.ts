/**
 * Where a journey's screenshots go: the test's own output folder, and also
 * KEEL_SHOTS_DIR when it is set (to look at a run's screens side by side).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test, type Page } from '@playwright/test';

export async function screenshot(page: Page, file: string): Promise<void> {
  await page.screenshot({ path: test.info().outputPath(file) });
  const dir = process.env.KEEL_SHOTS_DIR;
  if (dir) {
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: join(dir, file) });
  }
}
