import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { v7 as uuidv7 } from 'uuid';
import { dataSourceOptions, ensureDatabase, runMigrations } from '@nwd/persistence';
import { migrations } from '../../apps/referral/src/database/migrations';

/**
 * The ceiling: pgbench (8 clients, 2 threads, as in the field notes) running the same rows the
 * service writes for a create — a referral row and its outbox row in one transaction — with nothing
 * else: no HTTP, auth, validation, directory look-up or ORM. The database is migrated exactly as
 * the service's own.
 */
export async function rawTransactions(databaseUrl: string, seconds: number, connections: number): Promise<{ perSec: number }> {
  await ensureDatabase(databaseUrl);
  const dataSource = await new DataSource(dataSourceOptions(databaseUrl, { entities: [], migrations }, 2)).initialize();
  // Referrals hold client ids only (the register is the consent service's), so no client row is needed.
  const clientId = uuidv7();
  try {
    await runMigrations(dataSource);
  } finally {
    await dataSource.destroy();
  }
  const [sender, receiver] = [uuidv7(), uuidv7()];
  const script = join(tmpdir(), `nwd-raw-${process.pid}.sql`);
  writeFileSync(
    script,
    `\\set n random(1, 1000000000)
BEGIN;
INSERT INTO referral (id, reference, chain_id, client_id, sender_organization_id, receiving_organization_id, party_organization_ids, needs, status, urgency, respond_due_at, next_due_at, created_at, updated_at)
  SELECT r.id, r.id::text, r.id, '${clientId}', '${sender}', '${receiver}', ARRAY['${sender}', '${receiver}']::uuid[], ARRAY['food-insecurity', 'housing-instability'], 'requested', 'routine', now(), now(), now(), now()
  FROM (SELECT gen_random_uuid() AS id) r;
INSERT INTO outbox (id, subject, envelope)
  SELECT e.id, 'referral.v1.requested', jsonb_build_object('id', e.id, 'type', 'referral.v1.requested', 'source', 'referral', 'occurredAt', now(), 'data',
    jsonb_build_object('senderOrganizationId', '${sender}', 'receivingOrganizationId', '${receiver}', 'status', 'requested', 'needs', ARRAY['food-insecurity', 'housing-instability'], 'version', 1, 'n', :n))
  FROM (SELECT gen_random_uuid() AS id) e;
END;
`,
  );
  const output = execFileSync('pgbench', ['-n', '-c', String(connections), '-j', '2', '-T', String(seconds), '-f', script, databaseUrl], { encoding: 'utf8' });
  const tps = /tps = ([\d.]+)/.exec(output);
  if (!tps) throw new Error(`pgbench printed no tps: ${output}`);
  return { perSec: Number(tps[1]) };
}

