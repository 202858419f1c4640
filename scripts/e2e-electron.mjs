// Runs the Playwright Electron suite where the Electron binary exists, and
// says plainly when it does not (installs made with
// ELECTRON_SKIP_BINARY_DOWNLOAD=1 have no binary). Exits non-zero only when
// the suite ran and failed.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const electronDir = dirname(require.resolve('electron/package.json'));
const pathFile = join(electronDir, 'path.txt');
const binary = existsSync(pathFile) ? join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()) : null;

if (!binary || !existsSync(binary)) {
  console.log('Electron end-to-end suite NOT RUN: the Electron binary is not installed here (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1).');
  console.log('The desktop shell is covered by the electron-mocked tests; the full product by the headless end-to-end suite.');
  process.exit(0);
}
const result = spawnSync(process.execPath, [require.resolve('@playwright/test/cli'), 'test', '-c', 'playwright.electron.config.ts'], { stdio: 'inherit' });
process.exit(result.status ?? 1);
