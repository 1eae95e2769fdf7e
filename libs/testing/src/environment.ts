/** Where the tests' PostgreSQL and NATS are: the environment, else the local servers. */
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

export function adminDatabaseUrl(): string {
  const url = new URL(process.env.DATABASE_URL || DEFAULT_DATABASE_URL);
  url.pathname = '/postgres';
  return url.toString();
}

export function databaseUrl(name: string): string {
  const url = new URL(adminDatabaseUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

export function natsUrl(): string {
  return process.env.NATS_URL || DEFAULT_NATS_URL;
}

/** Set by globalSetup; every database and NATS prefix of one jest run carries it. */
export function runId(): string {
  const id = process.env.NWD_TEST_RUN;
  if (!id) throw new Error('NWD_TEST_RUN is not set: run tests through jest (globalSetup creates the run)');
  return id;
}

export function templateDatabase(service: string): string {
  return `nwd_test_${runId()}_${service}_template`;
}
