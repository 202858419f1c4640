// Lint enforces where code may run and what it may import (see CONVENTIONS.md):
// shared is pure, the engine side never touches electron, the renderer only
// reaches the engine through src/shared.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const electronBan = { name: 'electron', message: 'Only src/main/shell and the Electron entry may import electron.' };
const nodeBan = { group: ['node:*'], message: 'src/shared and the renderer are platform-free: no Node built-ins.' };

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronBan, { name: 'react', message: 'src/shared is pure TypeScript.' }],
          patterns: [nodeBan, { group: ['**/main/**', '**/renderer/**', '**/preload/**'], message: 'src/shared imports nothing from the app.' }],
        },
      ],
    },
  },
  {
    files: ['src/main/engine/**/*.ts', 'src/main/venues/**/*.ts', 'src/main/journal/**/*.ts', 'src/main/ml/**/*.ts', 'src/main/analytics/**/*.ts', 'src/main/workers/**/*.ts', 'src/main/host/**/*.ts', 'src/main/secrets/**/*.ts', 'src/main/headless.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronBan],
          patterns: [
            { group: ['**/shell/**', '**/shell'], message: 'The engine side never depends on the Electron shell.' },
            { group: ['**/renderer/**', '**/preload/**'], message: 'Main-process code does not import the renderer or preload.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='transaction'][callee.object.name='db'], CallExpression[callee.property.name='transaction'][callee.object.property.name='db']",
          message: 'Open write transactions with writeTransactions(db) (journal/writeTransactions.ts): a deferred transaction that has read fails with SQLITE_BUSY instead of waiting for the write lock.',
        },
      ],
    },
  },
  {
    files: ['src/main/engine/**/*.ts'],
    // Tests may wire the engine to real adapters (SQLite journal) to prove the seams; production code may not.
    ignores: ['src/main/engine/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronBan],
          patterns: [
            { group: ['**/venues/**', '**/host/**', '**/shell/**', '**/journal/**'], message: 'The engine depends on ports, not on concrete venues, journal, host or shell: wire them in the composition root.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronBan],
          patterns: [
            nodeBan,
            { group: ['**/engine/**', '**/venues/**', '**/journal/**', '**/host/**', '**/shell/**', '**/backtest/**'], message: 'src/main/core is pure domain code: it imports only src/shared.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/main/venues/**/*.ts'],
    ignores: ['src/main/venues/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronBan],
          patterns: [
            {
              group: ['**/engine/**', '!**/engine/ports', '!**/engine/ports/**', '**/journal/**', '**/host/**', '**/shell/**'],
              message: 'A venue imports only src/shared, src/main/core and the engine\'s ports: the engine plugs venues in, never the other way round.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [electronBan],
          patterns: [nodeBan, { group: ['**/main/**', '**/preload/**'], message: 'The renderer reaches the engine only through src/shared and the contract.' }],
        },
      ],
    },
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/main/**', '**/renderer/**'], message: 'The preload imports only electron and src/shared.' }] }],
    },
  },
);
