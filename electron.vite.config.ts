import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { WORKER_ENTRIES } from './src/main/workers/entries';

/**
 * The renderer's <meta> CSP forbids inline scripts, which is right for the
 * built app; Vite's dev server injects one (React refresh), so in dev only
 * the meta tag is dropped and the shell's dev header policy applies.
 */
function relaxCspInDev(): Plugin {
  return {
    name: 'keel-relax-csp-in-dev',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace(/<meta\s+http-equiv="Content-Security-Policy"[^>]*>\s*/i, ''),
  };
}

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        // Worker entries build next to the two main entries (out/main/<name>.js), where locateWorker finds them.
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          headless: resolve(__dirname, 'src/main/headless.ts'),
          ...Object.fromEntries(Object.entries(WORKER_ENTRIES).map(([name, source]) => [name, resolve(__dirname, source)])),
        },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: { input: { index: resolve(__dirname, 'src/preload/index.ts') } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    build: {
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
    plugins: [react(), relaxCspInDev()],
  },
});
