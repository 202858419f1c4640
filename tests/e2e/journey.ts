/**
 * Playwright's `test`, for every journey: it also fails a journey whose page
 * threw an error nothing caught, even when every step after it passed. A
 * view that throws while rendering can take the whole workstation down with
 * it, and a journey that never looks at that view would not notice.
 */
import { test as base, expect } from '@playwright/test';

export const test = base.extend<{ pageErrors: void }>({
  pageErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.stack ?? error.message));
      await use();
      expect(errors, 'errors thrown in the page and never caught').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
