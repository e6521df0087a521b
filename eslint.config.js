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
    files: ['electron/backend/**/*.ts', 'electron/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['electron'], message: 'The backend runs under plain Node too: no electron import.' }, { group: ['**/renderer/**'], message: 'No renderer code in the backend.' }] },
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
