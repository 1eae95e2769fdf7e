/**
 * `npm run directory:import -- <folder or file> [--maintainer <organizationId>] [--dry-run]`
 * Imports an HSDS 3.0 tabular package (folder with CSV files) or HSDS JSON (nested services: an array,
 * one object, or one per line) into the directory's database (DATABASE_URL), migrating it first.
 * Prints the report as JSON; exits 1 when the import was refused (nothing changed).
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import { Outbox } from '@nwd/messaging';
import { cliConfig, fail, openDirectoryDatabase } from '../cli/cli-support';
import { ListingIndex } from '../hsds/listing-index';
import { DirectoryImporter } from './directory-importer';
import { readHsdsSource } from './hsds-source';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { maintainer: { type: 'string' }, 'dry-run': { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length !== 1) fail('usage: directory:import -- <folder or file> [--maintainer <organizationId>] [--dry-run]');
  const config = cliConfig();
  const started = Date.now();
  const pkg = await readHsdsSource(positionals[0]);
  const dataSource = await openDirectoryDatabase(config);
  const bar = new SingleBar({ format: 'importing [{bar}] {percentage}% | {value}/{total} rows | {eta}s left', stream: process.stderr }, Presets.shades_classic);
  let barStarted = false;
  try {
    const importer = new DirectoryImporter(dataSource, new ListingIndex(config.NWD_DIRECTORY_TIME_ZONE), new Outbox(config));
    const report = await importer.run(pkg, {
      maintainerOrganizationId: values.maintainer,
      dryRun: values['dry-run'],
      actor: { subject: 'system:cli' },
      onProgress: (done, total) => {
        // The total is known as the files are read: rows so far, and about how many lines are left.
        if (!barStarted) bar.start(total, 0);
        barStarted = true;
        bar.setTotal(total);
        bar.update(done);
      },
    });
    if (barStarted) bar.stop();
    process.stdout.write(`${JSON.stringify({ ...report, seconds: (Date.now() - started) / 1000 }, null, 2)}\n`);
    if (!report.applied && !values['dry-run']) process.exitCode = 1;
    if (report.problems.length) process.exitCode = 1;
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error)));
