import { Client } from 'pg';
import { connect } from 'nats';
import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrations } from '../../../persistence/src/data-source';
import { adminDatabaseUrl, databaseUrl, DEFAULT_DATABASE_URL, DEFAULT_NATS_URL, natsUrl, templateDatabase } from '../environment';
import { SERVICE_MIGRATIONS, ServiceName } from '../services';
import { startContainersIfNeeded, stopContainers } from './containers';

/** Databases of runs that died without teardown are dropped once they are this old. */
const STALE_RUN_MS = 2 * 60 * 60 * 1000;

export async function setupRun(): Promise<void> {
  await startContainersIfNeeded();
  const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  process.env.NWD_TEST_RUN = id;
  process.env.DATABASE_URL ||= DEFAULT_DATABASE_URL;
  process.env.NATS_URL ||= DEFAULT_NATS_URL;

  const admin = new Client({ connectionString: adminDatabaseUrl() });
  await admin.connect();
  try {
    await dropStaleRuns(admin);
    for (const [service, migrations] of Object.entries(SERVICE_MIGRATIONS) as [ServiceName, Function[]][]) {
      const name = templateDatabase(service);
      await admin.query(`CREATE DATABASE "${name}"`);
      const dataSource = await new DataSource(
        dataSourceOptions(databaseUrl(name), { entities: [], migrations }, 2),
      ).initialize();
      try {
        await runMigrations(dataSource);
      } finally {
        await dataSource.destroy();
      }
    }
  } finally {
    await admin.end();
  }
}

export async function teardownRun(): Promise<void> {
  const id = process.env.NWD_TEST_RUN;
  if (id) {
    const admin = new Client({ connectionString: adminDatabaseUrl() });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ datname: string }>(
        'SELECT datname FROM pg_database WHERE datname LIKE $1',
        [`nwd_test_${id}_%`],
      );
      for (const { datname } of rows) await dropDatabase(admin, datname);
    } finally {
      await admin.end();
    }
    await deleteStreams(`T${id}`.toUpperCase());
  }
  await stopContainers();
}

async function dropStaleRuns(admin: Client): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'nwd_test_%'");
  for (const { datname } of rows) {
    const started = parseInt(datname.split('_')[2] ?? '', 36);
    if (Number.isFinite(started) && Date.now() - started > STALE_RUN_MS) await dropDatabase(admin, datname);
  }
}

async function dropDatabase(admin: Client, name: string): Promise<void> {
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

/** Streams of this run's suites (`T<run>…_NAME`), left behind by a suite that failed before its own clean-up. */
async function deleteStreams(prefix: string): Promise<void> {
  const nc = await connect({ servers: natsUrl().split(',') });
  try {
    const jsm = await nc.jetstreamManager();
    for await (const stream of jsm.streams.list()) {
      if (stream.config.name.startsWith(prefix)) await jsm.streams.delete(stream.config.name).catch(() => undefined);
    }
  } finally {
    await nc.close();
  }
}
