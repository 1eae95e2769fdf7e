import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { adminDatabaseUrl, databaseUrl, runId, templateDatabase } from './environment';
import type { ServiceName } from './services';

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A private copy of the service's migrated template: about 30 ms, and no suite sees another's rows. */
export async function createTestDatabase(service: ServiceName): Promise<TestDatabase> {
  const name = `nwd_test_${runId()}_${service}_${randomBytes(4).toString('hex')}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE "${name}" TEMPLATE "${templateDatabase(service)}"`));
  return {
    name,
    url: databaseUrl(name),
    drop: () => dropDatabases([name]),
  };
}

/** Drops the databases, if they exist, whoever is still connected to them. */
export function dropDatabases(names: string[]): Promise<void> {
  return withAdmin(async (admin) => {
    for (const name of names) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
}

async function withAdmin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const admin = new Client({ connectionString: adminDatabaseUrl() });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}
