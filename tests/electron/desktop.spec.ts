/**
 * The desktop app end to end: the real Electron main process, preload and
 * renderer. Needs the Electron binary; scripts/e2e-electron.mjs runs this
 * suite only where it exists and says plainly when it did not.
 */
import { _electron as electron, expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

test('the desktop window opens the workstation, sandboxed, with only window.keel exposed', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'keel-electron-'));
  const app = await electron.launch({
    args: [resolve(__dirname, '../../out/main/index.js')],
    env: { ...process.env, KEEL_DATA_DIR: dataDir, KEEL_SEED: '5' },
  });
  try {
    const window = await app.firstWindow();
    await expect(window.getByRole('region', { name: 'Order ticket' })).toBeVisible({ timeout: 30_000 });
    await expect(window.getByText('PAPER').first()).toBeVisible();

    const exposure = await window.evaluate(() => ({
      keel: Object.keys((window as unknown as { keel: object }).keel).sort(),
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
    }));
    expect(exposure).toEqual({ keel: ['invoke', 'on'], require: 'undefined', process: 'undefined' });

    const info = await window.evaluate(() =>
      (window as unknown as { keel: { invoke(m: string, p: unknown): Promise<{ ok: boolean; result: { mode: string } }> } }).keel.invoke('system.info', {}),
    );
    expect(info.ok).toBe(true);
    expect(info.result.mode).toBe('desktop');

    // The trader's emergency stop from inside the window.
    await window.keyboard.press('Control+Shift+X');
    await expect(window.getByRole('alert').filter({ hasText: 'HALTED' })).toBeVisible();
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
