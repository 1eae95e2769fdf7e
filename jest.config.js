/**
 * Two tiers, run together by `npm test` or alone with `--selectProjects`:
 * - unit: `*.spec.ts` beside the code, pure logic. No globalSetup, and DATABASE_URL / NATS_URL
 *   point at closed ports, so `npm run test:unit` runs without PostgreSQL or NATS.
 * - e2e: `*.e2e-spec.ts` under test/ folders, on the real PostgreSQL and NATS named by
 *   DATABASE_URL / NATS_URL; globalSetup builds one migrated template database per service.
 */
const fs = require('fs');
const { compilerOptions } = require('./tsconfig.json');
const swcrc = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));

const moduleNameMapper = {};
for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
  moduleNameMapper[`^${alias}$`] = `<rootDir>/${target}`;
}

const project = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: { '^.+\\.(ts|js)$': ['@swc/jest', { ...swcrc, swcrc: false }] },
  // A few dependencies ship ESM only; jest's CommonJS runtime needs them compiled.
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition)/)'],
  moduleNameMapper,
};

module.exports = {
  projects: [
    {
      ...project,
      displayName: 'unit',
      testRegex: '.*\\.spec\\.ts$',
      setupFiles: ['<rootDir>/libs/testing/src/jest/unit-setup.js'],
    },
    {
      ...project,
      displayName: 'e2e',
      testRegex: '.*\\.e2e-spec\\.ts$',
      globalSetup: '<rootDir>/libs/testing/src/jest/global-setup.js',
      globalTeardown: '<rootDir>/libs/testing/src/jest/global-teardown.js',
    },
  ],
  // Global in jest 29: a project cannot set its own.
  testTimeout: 60_000,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/libs/testing/src/jest/summary-reporter.js'],
};
