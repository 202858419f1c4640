import { defineConfig } from 'vitest/config';

/**
 * Unit tests that need a process of their own: the ONNX runtime test looks
 * at which native libraries the process has mapped.
 */
const OWN_PROCESS = ['src/main/ml/onnx/runtime.test.ts'];

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 20_000,
    pool: 'forks',
    // A worker per core (vitest's default leaves one idle, which on a two-core machine runs every file in turn).
    // Integration files mostly wait on sockets, child processes and timers, so two overlap well there too.
    maxWorkers: '100%',
    // The theme's contrast test reads the stylesheet as text (`styles.css?raw`); other CSS stays unprocessed.
    css: { include: [/renderer\/styles\.css/] },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts'],
          exclude: OWN_PROCESS,
          // Pure logic: the ~300 unit files share their worker's process instead of paying a process start and
          // a fresh module graph each (most of the suite's time went there). The set-up file undoes what a test may
          // leave on the process's globals.
          isolate: false,
          setupFiles: ['tests/support/sharedProcessReset.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          // Hosts, child processes, sockets, crash tests, the mocked Electron shell: each file in its own process.
          include: ['tests/integration/**/*.test.ts', 'tests/electron-mocked/**/*.test.ts', ...OWN_PROCESS],
        },
      },
    ],
  },
});
