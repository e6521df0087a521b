// Lint with zero warnings. Import zones enforce the runtime layering of architecture.md: a wrong import fails
// the lint instead of a review.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'http', 'url', 'util', 'worker_threads'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'tests/.tmp/**', 'test-results/**', 'playwright-report/**', 'build/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // File-name sanitising for Windows deliberately matches control characters.
      'no-control-regex': 'off',
      // The ideographic space (U+3000) is ordinary in Chinese strings and comments.
      'no-irregular-whitespace': ['error', { skipStrings: true, skipTemplates: true, skipComments: true, skipRegExps: true, skipJSXText: true }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'shared/ is pure: no Node modules.' },
            { group: ['electron', 'react', 'react-dom', 'better-sqlite3', 'sharp'], message: 'shared/ is pure.' },
            { group: ['**/electron/**', '**/renderer/**'], message: 'shared/ may not import other layers.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'renderer/ runs in the browser: no Node modules.' },
            { group: ['electron', 'better-sqlite3', 'sharp'], message: 'renderer/ talks to the backend through the API client.' },
            { group: ['**/electron/**'], message: 'renderer/ may not import electron/.' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron'], message: 'The CLI runs under plain Node: no electron import.' },
            { group: ['**/renderer/**', '**/main/**'], message: 'The CLI uses the backend through its contract only.' },
          ],
        },
      ],
    },
  },
  {
    // The backend is used by three front ends (Electron main, browser host, CLI); it may know none of them.
    files: ['electron/backend/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron'], message: 'The backend runs under plain Node too: no electron import.' },
            { group: ['**/renderer/**'], message: 'No renderer code in the backend.' },
            { group: ['**/main/**'], message: 'The backend may not import the Electron main process.' },
            { group: ['**/cli/**'], message: 'The backend may not import the CLI: the CLI is a client of the contract.' },
          ],
        },
      ],
    },
  },
  {
    // The main process owns windows, menus and the bridge; the backend runs in a utility process and is reached
    // through messages. Only the pure path helpers and message types may be shared.
    files: ['electron/main/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '/backend/(?!host/paths\\.js$)', allowTypeImports: true, message: 'The main process talks to the backend through the utility process, never by importing it.' },
            { group: ['**/cli/**', '**/renderer/**'], message: 'The main process may not import the CLI or the renderer.' },
            { group: ['better-sqlite3', 'sharp', 'pdfjs-dist', 'pdfjs-dist/**', '@cantoo/pdf-lib', 'docx', 'exceljs'], message: 'Heavy and native packages belong to the backend process.' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'The sandboxed preload has no Node modules.' },
            { group: ['**/backend/**'], message: 'The preload exposes a narrow bridge only.' },
          ],
        },
      ],
    },
  },
  {
    files: ['tests/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
