import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tests/integration/**/*.test.ts', 'tests/electron-mocked/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    pool: 'forks',
    // The theme's contrast test reads the stylesheet as text (`styles.css?raw`); other CSS stays unprocessed.
    css: { include: [/renderer\/styles\.css/] },
  },
});
