const tseslint = require('typescript-eslint');
const serviceBoundaries = require('./tools/eslint/service-boundaries');

module.exports = tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**'] },
  {
    files: ['**/*.ts'],
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    languageOptions: { parser: tseslint.parser },
    plugins: { kanshi: { rules: { 'service-boundaries': serviceBoundaries } }, '@typescript-eslint': tseslint.plugin },
    rules: {
      'kanshi/service-boundaries': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name=/^(it|test|describe)$/][callee.property.name='only']", message: 'focused test left in' },
      ],
    },
  },
);
