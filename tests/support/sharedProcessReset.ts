/**
 * Set-up for the unit tests, which share their worker's process (`isolate: false`):
 * after each test, what a test may have installed on the process's globals
 * is put back, so no test file sees another's fake timers or spies.
 */
import { afterEach, vi } from 'vitest';

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
});
