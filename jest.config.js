/**
 * One jest run covers unit specs (`*.spec.ts`, beside the code) and e2e specs (`*.e2e-spec.ts`,
 * under each app's test/ folder). Integration tests use the real PostgreSQL and NATS named by
 * DATABASE_URL / NATS_URL; globalSetup builds one migrated template database per service.
 */
const fs = require('fs');
const { compilerOptions } = require('./tsconfig.json');
const swcrc = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));

const moduleNameMapper = {};
for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
  moduleNameMapper[`^${alias}$`] = `<rootDir>/${target}`;
}

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: { '^.+\\.(ts|js)$': ['@swc/jest', { ...swcrc, swcrc: false }] },
  // A few dependencies ship ESM only; jest's CommonJS runtime needs them compiled.
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition)/)'],
  moduleNameMapper,
  globalSetup: '<rootDir>/libs/testing/src/jest/global-setup.js',
  globalTeardown: '<rootDir>/libs/testing/src/jest/global-teardown.js',
  testTimeout: 60_000,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/libs/testing/src/jest/summary-reporter.js'],
};
