const tseslint = require('typescript-eslint');
const serviceBoundaries = require('./tools/eslint/service-boundaries');

module.exports = tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**'] },
  {
    files: ['**/*.ts'],
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    // Type-aware: the project service reads tsconfig.json (tools/ is outside it, hence the default project).
    languageOptions: { parser: tseslint.parser, parserOptions: { projectService: { allowDefaultProject: ['tools/eslint/*.ts'] }, tsconfigRootDir: __dirname } },
    plugins: { kanshi: { rules: { 'service-boundaries': serviceBoundaries } }, '@typescript-eslint': tseslint.plugin },
    rules: {
      'kanshi/service-boundaries': 'error',
      // An unawaited promise loses its error and its ordering: await it, or `void` it with a .catch.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.object.name=/^(it|test|describe)$/][callee.property.name='only']", message: 'focused test left in' },
      ],
    },
  },
);
