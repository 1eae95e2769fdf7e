/**
 * `npm run directory:export -- <folder>`: writes the directory (DATABASE_URL) as an HSDS 3.0 tabular
 * package. Confidential locations are left out, as on every other way out.
 */
import 'reflect-metadata';
import { cliConfig, fail, openDirectoryDatabase } from '../cli/cli-support';
import { DirectoryExporter } from './directory-exporter';

async function main(): Promise<void> {
  const folder = process.argv[2];
  if (!folder) fail('usage: directory:export -- <folder>');
  const dataSource = await openDirectoryDatabase(cliConfig());
  try {
    const counts = await new DirectoryExporter(dataSource).writePackage(folder);
    process.stdout.write(`${JSON.stringify({ folder, counts }, null, 2)}\n`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error) => fail(error instanceof Error ? error.message : String(error)));
