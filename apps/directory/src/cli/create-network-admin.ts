/**
 * `npm run directory:create-admin -- --client-id <id> [--secret <secret>]`
 * Creates a network-admin API client in the directory's database (DATABASE_URL), migrating it
 * first. Without --secret one is generated. Prints the credentials once, as JSON.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { CLIENT_ID_PATTERN } from '@nwd/contracts';
import { AuditLog } from '../audit/audit-log';
import { generateClientSecret } from '../clients/client-secret';
import { ensureNetworkAdminClient } from '../clients/network-admin';
import { cliConfig, fail, openDirectoryDatabase } from './cli-support';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { 'client-id': { type: 'string' }, secret: { type: 'string' } },
    strict: true,
  });
  const clientId = values['client-id'];
  if (!clientId || !CLIENT_ID_PATTERN.test(clientId)) fail('--client-id is required: 3–64 letters, digits, dots, dashes or underscores');
  if (values.secret !== undefined && values.secret.length < 24) fail('--secret must hold at least 24 characters');
  const secret = values.secret ?? generateClientSecret();

  const dataSource = await openDirectoryDatabase(cliConfig());
  try {
    const created = await dataSource.transaction((manager) =>
      ensureNetworkAdminClient(manager, new AuditLog(dataSource), { clientId, secret, actor: 'system:cli' }),
    );
    if (!created) fail(`A client ${clientId} already exists; nothing was changed`, 2);
    process.stdout.write(JSON.stringify({ clientId, clientSecret: secret, roles: ['network-admin'] }) + '\n');
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error) => fail(`create-network-admin failed: ${error instanceof Error ? error.message : String(error)}`));
