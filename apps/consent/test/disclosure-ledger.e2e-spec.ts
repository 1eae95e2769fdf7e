import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@nwd/persistence';
import { createTestDatabase, TestDatabase } from '@nwd/testing';
import { Clock } from '../src/clock/clock';
import { entities } from '../src/database/entities';
import { migrations } from '../src/database/migrations';
import { GENESIS_HASH } from '../src/disclosures/disclosure-chain';
import { DisclosureLedger, NewDisclosure } from '../src/disclosures/disclosure-ledger';
import { verifyDisclosureLedger } from '../src/disclosures/disclosure-verifier';

/** The ledger on a real PostgreSQL: concurrent writers, the caller's transaction, the append-only triggers. */
describe('DisclosureLedger', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const ledger = new DisclosureLedger(new Clock());

  const disclosure = (overrides: Partial<NewDisclosure> = {}): NewDisclosure => ({
    clientId: randomUUID(),
    recipientOrganizationId: randomUUID(),
    sourceOrganizationIds: [randomUUID()],
    purpose: 'referral',
    categories: ['contact', 'needs-and-screening'],
    channel: 'referral-read',
    consentIds: [randomUUID()],
    ...overrides,
  });
  const count = async () => Number((await dataSource.query(`SELECT count(*) AS n FROM disclosure`))[0].n);

  beforeAll(async () => {
    database = await createTestDatabase('consent');
    dataSource = await new DataSource(dataSourceOptions(database.url, { entities, migrations }, 20)).initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('starts from the genesis head and verifies empty', async () => {
    expect(await verifyDisclosureLedger(dataSource)).toEqual({ intact: true, rows: 0, headSeq: 0, headHash: GENESIS_HASH });
  });

  it('records in the caller’s transaction: a rolled-back disclosure leaves no row and no head change', async () => {
    await expect(
      dataSource.transaction(async (manager) => {
        await ledger.record(manager, [disclosure()]);
        throw new Error('the disclosure failed');
      }),
    ).rejects.toThrow('the disclosure failed');
    expect(await count()).toBe(0);
    expect((await verifyDisclosureLedger(dataSource)).headSeq).toBe(0);
  });

  it('refuses to record outside a transaction', async () => {
    await expect(ledger.record(dataSource.manager, [disclosure()])).rejects.toThrow('inside the transaction');
    expect(await count()).toBe(0);
  });

  it('keeps one intact chain under 40 concurrent writers, each row stored as given', async () => {
    const consentId = randomUUID();
    const before = await count();
    const recorded = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        dataSource.transaction((manager) =>
          ledger.record(manager, i % 4 === 0 ? [disclosure({ consentIds: [consentId] }), disclosure()] : [disclosure({ consentIds: [consentId] })]),
        ),
      ),
    );
    const rows = recorded.flat();
    expect(rows).toHaveLength(50);
    expect(new Set(rows.map((r) => r.seq)).size).toBe(50);
    expect(await count()).toBe(before + 50);
    const report = await verifyDisclosureLedger(dataSource);
    expect(report).toMatchObject({ intact: true, rows: before + 50, headSeq: before + 50 });
    const stored = await dataSource.query(`SELECT consent_ids, categories, purpose, channel FROM disclosure WHERE $1 = ANY (consent_ids)`, [consentId]);
    expect(stored).toHaveLength(40);
    expect(stored[0]).toEqual({ consent_ids: [consentId], categories: ['contact', 'needs-and-screening'], purpose: 'referral', channel: 'referral-read' });
  });

  it('refuses UPDATE, DELETE and TRUNCATE of rows, and winding the head back', async () => {
    await dataSource.transaction((manager) => ledger.record(manager, [disclosure()]));
    const n = await count();
    await expect(dataSource.query(`UPDATE disclosure SET purpose = 'care-coordination'`)).rejects.toThrow('append-only');
    await expect(dataSource.query(`DELETE FROM disclosure WHERE seq = $1`, [n])).rejects.toThrow('append-only');
    await expect(dataSource.query(`TRUNCATE disclosure`)).rejects.toThrow('append-only');
    await expect(dataSource.query(`UPDATE disclosure_chain_head SET seq = 0`)).rejects.toThrow('only moves forward');
    await expect(dataSource.query(`DELETE FROM disclosure_chain_head`)).rejects.toThrow('only moves forward');
    expect(await count()).toBe(n);
    expect((await verifyDisclosureLedger(dataSource)).intact).toBe(true);
  });
});
