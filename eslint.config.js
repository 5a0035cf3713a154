import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'data/**', '.e2e-data/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'migrations/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['src/web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  {
    // Charts come from src/web/ui/charts.tsx, which makes each one an image with a name.
    files: ['src/web/**/*.{ts,tsx}'],
    ignores: ['src/web/ui/charts.tsx', 'src/web/ui/chart-drawings.tsx'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: '@mantine/charts', message: "Import charts from src/web/ui/charts: each needs a label for screen readers." }] }] },
  },
  {
    // Text and surfaces take the theme's scheme-aware colours: c="red" (the theme picks the shade that
    // reads in light and dark), bg="var(--mantine-color-red-light)". A fixed shade such as 'red.8' or
    // 'gray.0' reads in one scheme only (docs/decisions.md, "Contrast in the theme").
    files: ['src/web/**/*.tsx'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "JSXAttribute[name.name=/^(c|bg)$/] Literal[value=/^[a-z]+\\.[0-9]$/]",
          message: "A fixed shade reads in one colour scheme only: name the colour (c=\"red\") or use a scheme-aware variable (bg=\"var(--mantine-color-red-light)\").",
        },
      ],
    },
  },
);
