import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**', '**/*.d.ts', 'storybook-static/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.name='eval']", message: 'No eval: consult-kit must run under a strict CSP.' },
        { selector: "NewExpression[callee.name='Function']", message: 'No new Function: consult-kit must run under a strict CSP.' },
        { selector: "MemberExpression[property.name='innerHTML']", message: 'No innerHTML: render through templates.' },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Elements load their messages on demand (i18n/catalogue.ts): a static import of the whole
    // catalogue, or of one language's module, would put every language in every page's download.
    files: ['packages/elements/src/**/*.ts'],
    ignores: ['packages/elements/src/**/*.test.ts', 'packages/elements/src/index.ts', 'packages/elements/src/i18n/messages.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)i18n/messages\\.js$|^\\./messages\\.js$|(^|/)(en|zh-CN)/[^/]+\\.js$',
              allowTypeImports: true,
              message: 'Declare the part in `static catalogues` and read it with this.t(): a value import puts every language in the bundle (types are fine).',
            },
          ],
        },
      ],
      // `import { type X } from` keeps `import '…'` in the output: the whole module again.
      '@typescript-eslint/no-import-type-side-effects': 'error',
    },
  },
);
