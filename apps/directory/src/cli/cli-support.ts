import { DataSource } from 'typeorm';
import { ConfigValidationError, loadConfig } from '@nwd/config';
import { dataSourceOptions, ensureDatabase, runMigrations } from '@nwd/persistence';
import { entities } from '../database/entities';
import { migrations } from '../database/migrations';
import { DirectoryConfig } from '../directory.config';

export function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

/** The directory's configuration from the environment, as the service reads it: a bad variable exits 1, named. */
export function cliConfig(): DirectoryConfig {
  try {
    return loadConfig(DirectoryConfig);
  } catch (error) {
    if (error instanceof ConfigValidationError) fail(error.message);
    throw error;
  }
}

/** The directory's database (DATABASE_URL), created in development and migrated exactly as at boot. */
export async function openDirectoryDatabase(config: DirectoryConfig): Promise<DataSource> {
  if (config.NODE_ENV !== 'production') await ensureDatabase(config.DATABASE_URL);
  // Two connections: the migration lock holds one while the migrations run on the other.
  const dataSource = await new DataSource(dataSourceOptions(config.DATABASE_URL, { entities, migrations }, 2)).initialize();
  try {
    await runMigrations(dataSource);
    return dataSource;
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
}
