// @ts-check
const tseslint = require('typescript-eslint')

module.exports = tseslint.config(
  { ignores: ['lib/', 'bench/lib/', 'node_modules/', 'src/abi/', 'src/model/generated/', 'db/migrations/', '.data/', '.scratch/', 'contracts/build/'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'read configuration in src/config only' },
      ],
    },
  },
  { files: ['src/config/**', 'test/**', 'scripts/**'], rules: { 'no-restricted-syntax': 'off' } },
  { files: ['**/*.js'], languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' } }, rules: { '@typescript-eslint/no-require-imports': 'off' } },
)
