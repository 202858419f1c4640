/** Shared steps of the end-to-end journeys: opening the workstation and finding its tables' rows. */
import { expect, type Page } from '@playwright/test';
import type { RunningHost } from './headlessHost';

export async function openWorkstation(page: Page, running: RunningHost): Promise<void> {
  await page.goto(running.url);
  await expect(page.getByText('Connected')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Order ticket' })).toBeVisible();
}

export function ticket(page: Page) {
  return page.getByRole('region', { name: 'Order ticket' });
}
