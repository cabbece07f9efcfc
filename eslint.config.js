// Lint, including the layering rule (CONVENTIONS.md): who may import whom.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';
import globals from 'globals';

const electronOnly = { name: 'electron', message: "Only files under src-main/electron/ may import 'electron' (it throws in plain Node)." };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'bench/.work/**', '.test-output/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['**/*.mjs', '**/*.js', '**/*.cjs'], languageOptions: { globals: { ...globals.node } } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-imports': ['error', { paths: [electronOnly] }],
    },
  },
  {
    files: ['src-shared/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnly, ...builtinModules.map((name) => ({ name, message: 'src-shared is pure TypeScript: no Node modules.' }))],
          patterns: [
            { group: ['node:*'], message: 'src-shared is pure TypeScript: no Node modules.' },
            { group: ['react', 'react-dom', 'react/*', 'zustand', 'zustand/*'], message: 'src-shared has no UI.' },
            { group: ['**/src-main/**', '**/src-renderer/**'], message: 'src-shared imports nothing from the other layers.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.tsx'],
    ignores: ['**/*.test.ts', '**/*.test.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnly, ...builtinModules.map((name) => ({ name, message: 'The page runs in Chromium: no Node modules.' }))],
          patterns: [
            { group: ['node:*'], message: 'The page runs in Chromium: no Node modules.' },
            { group: ['**/src-main/**'], message: 'The page talks to main only through the contract.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src-main/electron/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/electron/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [electronOnly], patterns: [{ group: ['**/src-renderer/**'], message: 'Main never imports the page.' }, { group: ['electron/*'], message: electronOnly.message }] },
      ],
    },
  },
);
