import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ClientHandoverTask } from '../src/consent/client-handover.task';
import { ClientHandover1764200100000 } from '../src/database/migrations/1764200100000-client-handover';
import { ReferralKit } from './referral-test-kit';

/**
 * The clients the referral service held before the register moved: kept by the migration, handed
 * over by the task in batches, deleted here only once the consent service confirms each one.
 */
describe('client hand-over to the consent service', () => {
  // The consent service starts down; the task runs by hand; batches of 2 so 3 rows take two.
  const kit = ReferralKit.forSuite({ env: { referral: { NWD_CLIENT_HANDOVER_INTERVAL_SECONDS: 0, NWD_CLIENT_HANDOVER_BATCH_SIZE: 2 } } }, ['referral']);
  const ORG = randomUUID();
  const rows = [0, 1, 2].map((i) => ({ id: randomUUID(), givenName: `Ana${i}`, familyName: 'Moreno-López', birthDate: `1980-01-0${i + 1}`, phone: i === 0 ? '+1 555 010 0000' : null }));

  const referralDataSource = () => kit.network.service('referral').app.get(DataSource);

  it('the migration keeps the rows the old client table held, and their referrals keep their client ids', async () => {
    const dataSource = referralDataSource();
    const runner = dataSource.createQueryRunner();
    const migration = new ClientHandover1764200100000();
    const clientId = randomUUID();
    const referralId = randomUUID();
    try {
      // Back to the schema before the move, with a client and its referral in it, then forward again.
      await migration.down(runner);
      await runner.query(
        `INSERT INTO client (id, created_by_organization_id, given_name, family_name, birth_date, created_at) VALUES ($1, $2, 'Old', 'Row', '1970-01-01', now())`,
        [clientId, ORG],
      );
      await runner.query(
        `INSERT INTO referral (id, reference, chain_id, client_id, sender_organization_id, receiving_organization_id, party_organization_ids, needs, status,
           urgency, respond_due_at, created_at, updated_at)
         VALUES ($1, 'R-MIGRA-TION1', $1, $2, $3, $4, ARRAY[$3, $4]::uuid[], '{food-insecurity}', 'requested', 'routine', now(), now(), now())`,
        [referralId, clientId, ORG, randomUUID()],
      );
      await migration.up(runner);
      expect(await runner.query(`SELECT given_name FROM client_handover WHERE id = $1`, [clientId])).toEqual([{ given_name: 'Old' }]);
      expect(await runner.query(`SELECT client_id, deidentified, consent_ids FROM referral WHERE id = $1`, [referralId])).toEqual([
        { client_id: clientId, deidentified: false, consent_ids: [] },
      ]);
      // The referral service no longer holds a client table, nor a key into one.
      expect(await runner.query(`SELECT to_regclass('client') AS t`)).toEqual([{ t: null }]);
      expect(await runner.query(`SELECT conname FROM pg_constraint WHERE conrelid = 'referral'::regclass AND contype = 'f' AND conname LIKE '%client%'`)).toEqual([]);
    } finally {
      await runner.query(`DELETE FROM referral WHERE id = $1`, [referralId]).catch(() => undefined);
      await runner.query(`DELETE FROM client_handover WHERE id = $1`, [clientId]).catch(() => undefined);
      await runner.release();
    }
  });

  beforeAll(async () => {
    for (const row of rows) {
      await kit.sql(
        `INSERT INTO client_handover (id, created_by_organization_id, given_name, family_name, birth_date, phone, interpreter_needed, do_not_contact, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, true, false, '2025-06-01T12:00:00Z')`,
        [row.id, ORG, row.givenName, row.familyName, row.birthDate, row.phone],
      );
    }
  });

  it('with the consent service down, loses nothing: the run fails and every row stays to be offered again', async () => {
    const task = kit.network.service('referral').app.get(ClientHandoverTask);
    await expect(task.run()).rejects.toMatchObject({ code: 'messaging.no-responders' });
    expect(await kit.sql(`SELECT count(*)::int AS n FROM client_handover`)).toEqual([{ n: rows.length }]);
  });

  it('once the consent service answers, moves every row there in batches and deletes exactly those here', async () => {
    await kit.network.startService('consent');
    const task = kit.network.service('referral').app.get(ClientHandoverTask);
    await expect(task.run()).resolves.toBe(rows.length);
    expect(await kit.sql(`SELECT count(*)::int AS n FROM client_handover`)).toEqual([{ n: 0 }]);
    const registered = await kit.sql(
      `SELECT id, given_name AS "givenName", family_name AS "familyName", to_char(birth_date, 'YYYY-MM-DD') AS "birthDate", phone,
         created_by_organization_id AS org, interpreter_needed AS interpreter, created_at AS "createdAt"
       FROM client WHERE id = ANY($1::uuid[]) ORDER BY given_name`,
      [rows.map((r) => r.id)],
      'consent',
    );
    expect(registered).toEqual(rows.map((r) => ({ ...r, org: ORG, interpreter: true, createdAt: new Date('2025-06-01T12:00:00Z') })));
    // Nothing left: a later run has nothing to send.
    await expect(task.run()).resolves.toBe(0);
  });
});
