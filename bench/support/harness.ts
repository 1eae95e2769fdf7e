/**
 * The pieces of the test harness a benchmark uses. Not `@nwd/testing` itself: its index loads every
 * service's module (about 1.7 s more at start here) for benchmarks that boot one service or none.
 */
export { dropDatabases } from '../../libs/testing/src/database';
export { databaseUrl, natsUrl } from '../../libs/testing/src/environment';
export { deleteTestStreams } from '../../libs/testing/src/nats';
export { freePort } from '../../libs/testing/src/nats-server';
export { pollUntil } from '../../libs/testing/src/poll';
