/**
 * `npm run consent:verify-disclosures`
 * Walks the accounting of disclosures in the consent service's database (DATABASE_URL) and checks
 * its hash chain. Exit 0 with a JSON summary when intact; exit 3 naming the first bad row when a
 * row was edited, deleted, inserted or reordered; exit 1 when it could not check.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ConfigValidationError, loadConfig } from '@nwd/config';
import { dataSourceOptions } from '@nwd/persistence';
import { ConsentConfig } from '../consent.config';
import { entities } from '../database/entities';
import { migrations } from '../database/migrations';
import { describeChainProblem } from '../disclosures/disclosure-chain';
import { verifyDisclosureLedger } from '../disclosures/disclosure-verifier';

function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

async function main(): Promise<void> {
  let config: ConsentConfig;
  try {
    config = loadConfig(ConsentConfig);
  } catch (error) {
    if (error instanceof ConfigValidationError) fail(error.message);
    throw error;
  }
  // Read-only: a verifier must not migrate or create what it is asked to check.
  const dataSource = await new DataSource(dataSourceOptions(config.DATABASE_URL, { entities, migrations }, 1)).initialize();
  try {
    const report = await verifyDisclosureLedger(dataSource);
    // The heads of the chains in use: an operator keeps a copy elsewhere to catch a rewrite of a whole chain.
    const chains = report.chains.filter((c) => c.seq > 0);
    process.stdout.write(JSON.stringify({ intact: report.intact, rows: report.rows, chains }) + '\n');
    if (report.problem) fail(`disclosure log tampered: ${describeChainProblem(report.problem)}`, 3);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error) => fail(`verify-disclosures failed: ${error instanceof Error ? error.message : String(error)}`));
