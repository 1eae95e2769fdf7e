/**
 * `npm run directory:export -- <folder>`: writes the directory (DATABASE_URL) as an HSDS 3.0 tabular
 * package. Confidential locations are left out, as on every other way out.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '@nwd/config';
import { dataSourceOptions } from '@nwd/persistence';
import { entities } from '../database/entities';
import { migrations } from '../database/migrations';
import { DirectoryConfig } from '../directory.config';
import { DirectoryExporter } from './directory-exporter';

async function main(): Promise<void> {
  const folder = process.argv[2];
  if (!folder) throw new Error('usage: directory:export -- <folder>');
  const config = loadConfig(DirectoryConfig);
  const dataSource = await new DataSource(dataSourceOptions(config.DATABASE_URL, { entities, migrations }, 2)).initialize();
  try {
    const counts = await new DirectoryExporter(dataSource).writePackage(folder);
    process.stdout.write(`${JSON.stringify({ folder, counts }, null, 2)}\n`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
