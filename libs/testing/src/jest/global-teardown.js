// jest loads globalSetup/Teardown with plain Node resolution: map the tsconfig paths (@nwd/*)
// and compile TS so the services' own migrations load here exactly as in the services.
require('tsconfig-paths/register');
require('@swc-node/register');
module.exports = require('./setup-run.ts').teardownRun;
