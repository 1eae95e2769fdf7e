import { DataSource, DataSourceOptions, MixedList } from 'typeorm';
import { Client } from 'pg';

export interface PersistenceOptions {
  /** Entity classes the service owns. */
  entities: MixedList<Function>;
  /** Migration classes, in order. Every schema change is a reviewed migration; `synchronize` is never on. */
  migrations: MixedList<Function>;
  /** Server settings for every connection of the pool (sent at connect, so they cost no round trip per query). */
  sessionSettings?: Record<string, string>;
}

export function dataSourceOptions(url: string, options: PersistenceOptions, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    extra: {
      max: poolSize,
      application_name: 'no-wrong-door',
      ...(options.sessionSettings ? { options: Object.entries(options.sessionSettings).map(([name, value]) => `-c ${name}=${value}`).join(' ') } : {}),
    },
  };
}

/** Serialises migrations across instances of one service starting together. */
const MIGRATION_LOCK_KEY = 0x6e7764; // "nwd"

export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await runner.release();
  }
}

/** Creates the service's database when it does not exist yet (local runs and tests; production provisions it). */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error; // created concurrently by a sibling process
      });
    }
  } finally {
    await client.end();
  }
}
