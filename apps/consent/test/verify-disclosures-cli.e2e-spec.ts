import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@nwd/persistence';
import { createTestDatabase, TestDatabase } from '@nwd/testing';
import { Clock } from '@nwd/clock';
import { entities } from '../src/database/entities';
import { migrations } from '../src/database/migrations';
import { DisclosureLedger } from '../src/disclosures/disclosure-ledger';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '../../..');

/**
 * `npm run consent:verify-disclosures` as an operator runs it: exit 0 on an intact log, and for each
 * kind of tampering (done as a superuser with the append-only triggers switched off) a non-zero
 * exit naming the first bad row.
 */
describe('consent:verify-disclosures', () => {
  const databases: TestDatabase[] = [];
  afterAll(() => Promise.all(databases.map((d) => d.drop())));

  /** A database holding five recorded disclosures; `tamper` runs with triggers off. */
  async function ledgerOfFive(...tamper: string[]): Promise<{ url: string; ids: string[] }> {
    const database = await createTestDatabase('consent');
    databases.push(database);
    const dataSource = await new DataSource(dataSourceOptions(database.url, { entities, migrations }, 2)).initialize();
    try {
      const ledger = new DisclosureLedger(new Clock());
      const rows = [];
      for (let i = 0; i < 5; i++) {
        const [row] = await dataSource.transaction((manager) =>
          ledger.record(manager, [
            { clientId: randomUUID(), recipientOrganizationId: randomUUID(), sourceOrganizationIds: [randomUUID()], purpose: 'referral', categories: ['contact'], channel: 'referral-read', consentIds: [randomUUID()] },
          ]),
        );
        rows.push(row!);
      }
      if (tamper.length) {
        await dataSource.transaction(async (manager) => {
          await manager.query(`SET LOCAL session_replication_role = replica`);
          for (const statement of tamper) await manager.query(statement);
        });
      }
      return { url: database.url, ids: rows.map((r) => r.id) };
    } finally {
      await dataSource.destroy();
    }
  }

  const verify = (url: string) =>
    run('npm', ['run', '--silent', 'consent:verify-disclosures'], { cwd: ROOT, env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' } }).then(
      (out) => ({ code: 0, stdout: out.stdout, stderr: out.stderr }),
      (error) => ({ code: error.code as number, stdout: error.stdout as string, stderr: error.stderr as string }),
    );

  it('exits 0 with a summary when the log is intact', async () => {
    const { url } = await ledgerOfFive();
    const result = await verify(url);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ intact: true, rows: 5, chains: [{ chain: 1, seq: 5, hash: expect.stringMatching(/^[0-9a-f]{64}$/) }] });
  });

  it('names an edited row', async () => {
    const { url, ids } = await ledgerOfFive(`UPDATE disclosure SET categories = '{contact,notes}' WHERE seq = 3`);
    const result = await verify(url);
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout).intact).toBe(false);
    expect(result.stderr).toContain(`chain 1: row seq 3 (id ${ids[2]}) was edited`);
  });

  it('names the row after a deleted one', async () => {
    const { url, ids } = await ledgerOfFive(`DELETE FROM disclosure WHERE seq = 2`);
    const result = await verify(url);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`row seq 3 (id ${ids[2]}) follows seq 1`);
  });

  it('detects the newest rows deleted', async () => {
    const { url } = await ledgerOfFive(`DELETE FROM disclosure WHERE seq >= 4`);
    const result = await verify(url);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('rows after seq 3 are missing: the head records seq 5');
  });

  it('names an inserted row', async () => {
    const { url } = await ledgerOfFive(
      `INSERT INTO disclosure (chain, seq, id, client_id, recipient_organization_id, source_organization_ids, purpose, categories, channel,
              consent_ids, referral_id, request_id, disclosed_at, previous_hash, hash)
       SELECT 1, 6, '${randomUUID()}', client_id, recipient_organization_id, source_organization_ids, purpose, categories,
              channel, consent_ids, referral_id, request_id, disclosed_at, hash, hash FROM disclosure WHERE seq = 5`,
    );
    const result = await verify(url);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('row seq 6');
    expect(result.stderr).toContain('inserted outside the ledger');
  });

  it('names the first of two reordered rows', async () => {
    const { url, ids } = await ledgerOfFive(
      `UPDATE disclosure SET seq = -2 WHERE seq = 2`,
      `UPDATE disclosure SET seq = 2 WHERE seq = 3`,
      `UPDATE disclosure SET seq = 3 WHERE seq = -2`,
    );
    const result = await verify(url);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`row seq 2 (id ${ids[2]})`);
  });
});
