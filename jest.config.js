// Three projects: fast unit specs, integration specs against the real PostgreSQL and NATS,
// and end-to-end specs that boot every process.
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false }, keepClassNames: true, target: 'es2022' } }];
const base = {
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: { '^@kanshi/(.*)$': '<rootDir>/libs/$1/src' },
  testEnvironment: 'node',
  rootDir: __dirname,
};
module.exports = {
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/{libs,services,gateway,scripts,tools,test}/**/*.spec.ts'] },
    // A service boots in a hook; on a busy machine that outlasts jest's 5 s default.
    { ...base, displayName: 'int', setupFilesAfterEnv: ['<rootDir>/libs/testing/src/jest-slow-hooks.ts'], testMatch: ['<rootDir>/{libs,services,gateway,scripts}/**/*.int-spec.ts'], globalSetup: '<rootDir>/libs/testing/src/global-setup.ts', globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts' },
    { ...base, displayName: 'e2e', setupFilesAfterEnv: ['<rootDir>/libs/testing/src/jest-slow-hooks.ts'], testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'], globalSetup: '<rootDir>/libs/testing/src/global-setup.ts', globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts' },
  ],
};
