// ESLint flat config. The per-folder import rules enforce design.md §2: core/ and shared/ never touch
// Electron; the renderer sees only shared/ and its own code; shared/ uses no Node module.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

const noElectron = {
  name: 'electron',
  message: 'core/ and shared/ run under plain Node: take a port instead.'
};
const nodeModules = {
  group: ['node:*', 'fs', 'path', 'os', 'child_process', 'http', 'https', 'net', 'crypto'],
  message: 'This code also runs in the renderer: no Node modules.'
};

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bench/results.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  prettier,
  ...svelte.configs['flat/prettier'],
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-empty-pattern': 'off'
    }
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } }
  },
  {
    files: ['electron/main/core/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron] }] }
  },
  {
    files: ['shared/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [noElectron], patterns: [nodeModules] }] }
  },
  {
    files: ['renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noElectron],
          patterns: [
            nodeModules,
            {
              group: ['**/electron/**', '**/tests/**'],
              message: 'The renderer imports only shared/ and its own code.'
            }
          ]
        }
      ]
    }
  }
);
