import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@nwd/persistence';
import { createTestDatabase, TestDatabase } from '@nwd/testing';
import { Clock } from '@nwd/clock';
import { entities } from '../src/database/entities';
import { migrations } from '../src/database/migrations';
import { DISCLOSURE_CHAINS, GENESIS_HASH } from '../src/disclosures/disclosure-chain';
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
    const report = await verifyDisclosureLedger(dataSource);
    expect(report).toMatchObject({ intact: true, rows: 0 });
    expect(report.chains).toEqual(Array.from({ length: DISCLOSURE_CHAINS }, (_, i) => ({ chain: i + 1, seq: 0, hash: GENESIS_HASH })));
  });

  it('records in the caller’s transaction: a rolled-back disclosure leaves no row and no head change', async () => {
    await expect(
      dataSource.transaction(async (manager) => {
        await ledger.record(manager, [disclosure()]);
        throw new Error('the disclosure failed');
      }),
    ).rejects.toThrow('the disclosure failed');
    expect(await count()).toBe(0);
    expect((await verifyDisclosureLedger(dataSource)).chains.every((c) => c.seq === 0)).toBe(true);
  });

  it('records outside a transaction as one statement: rows, head and hashes as the verifier reads them', async () => {
    // A request id with quotes, a backslash, a newline and accents: the database hashes the same JSON text.
    const recorded = await ledger.record(dataSource.manager, [disclosure(), disclosure({ categories: ['notes'], requestId: 'req "ü" \\ \n é' })]);
    expect(await count()).toBe(2);
    expect(recorded.map((r) => r.seq)).toEqual([1, 2]);
    expect(recorded[1]!.chain).toBe(recorded[0]!.chain);
    const [head] = await dataSource.query(`SELECT seq, hash FROM disclosure_chain_head WHERE id = $1`, [recorded[0]!.chain]);
    expect({ seq: Number(head.seq), hash: head.hash }).toEqual({ seq: 2, hash: recorded[1]!.hash });
    expect(await verifyDisclosureLedger(dataSource)).toMatchObject({ intact: true, rows: 2 });
  });

  it('keeps the chains intact under 40 concurrent writers, spread over several chains, each row stored as given', async () => {
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
    expect(new Set(rows.map((r) => `${r.chain}:${r.seq}`)).size).toBe(50);
    expect(new Set(rows.map((r) => r.chain)).size).toBeGreaterThan(1);
    expect(await count()).toBe(before + 50);
    const report = await verifyDisclosureLedger(dataSource);
    expect(report).toMatchObject({ intact: true, rows: before + 50 });
    expect(report.chains.reduce((sum, c) => sum + c.seq, 0)).toBe(before + 50);
    const stored = await dataSource.query(`SELECT consent_ids, categories, purpose, channel FROM disclosure WHERE $1 = ANY (consent_ids)`, [consentId]);
    expect(stored).toHaveLength(40);
    expect(stored[0]).toEqual({ consent_ids: [consentId], categories: ['contact', 'needs-and-screening'], purpose: 'referral', channel: 'referral-read' });
  });

  it('does not make a writer wait for a chain another open transaction holds', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let holding!: () => void;
    const taken = new Promise<void>((resolve) => (holding = resolve));
    const slow = dataSource.transaction(async (manager) => {
      const [row] = await ledger.record(manager, [disclosure()]);
      holding();
      await held;
      return row!;
    });
    await taken;
    // Commits while the slow one still holds its head: on another chain.
    const [quick] = await dataSource.transaction((manager) => ledger.record(manager, [disclosure()]));
    release();
    const first = await slow;
    expect(quick!.chain).not.toBe(first.chain);
    expect((await verifyDisclosureLedger(dataSource)).intact).toBe(true);
  });

  it('names a row edited on any chain, and a chain head deleted', async () => {
    const superuser = (statement: string, params: unknown[] = []) =>
      dataSource.transaction(async (manager) => {
        await manager.query(`SET LOCAL session_replication_role = replica`);
        await manager.query(statement, params);
      });
    const [row] = await dataSource.query(`SELECT chain, seq, id, categories FROM disclosure WHERE chain > 1 ORDER BY chain DESC, seq LIMIT 1`);
    expect(row).toBeDefined();
    await superuser(`UPDATE disclosure SET categories = '{notes}' WHERE chain = $1 AND seq = $2`, [row.chain, row.seq]);
    expect((await verifyDisclosureLedger(dataSource)).problem).toEqual({ kind: 'content-changed', chain: row.chain, seq: Number(row.seq), id: row.id });
    await superuser(`UPDATE disclosure SET categories = $3 WHERE chain = $1 AND seq = $2`, [row.chain, row.seq, row.categories]);
    expect((await verifyDisclosureLedger(dataSource)).intact).toBe(true);

    const [head] = await dataSource.query(`SELECT id, seq, hash FROM disclosure_chain_head WHERE id = $1`, [DISCLOSURE_CHAINS]);
    await superuser(`DELETE FROM disclosure_chain_head WHERE id = $1`, [DISCLOSURE_CHAINS]);
    expect((await verifyDisclosureLedger(dataSource)).problem).toEqual({ kind: 'head-missing', chain: DISCLOSURE_CHAINS });
    await superuser(`INSERT INTO disclosure_chain_head (id, seq, hash) VALUES ($1, $2, $3)`, [head.id, head.seq, head.hash]);
    expect((await verifyDisclosureLedger(dataSource)).intact).toBe(true);
  });

  it('refuses UPDATE, DELETE and TRUNCATE of rows, and winding the head back', async () => {
    await dataSource.transaction((manager) => ledger.record(manager, [disclosure()]));
    const n = await count();
    await expect(dataSource.query(`UPDATE disclosure SET purpose = 'care-coordination'`)).rejects.toThrow('append-only');
    await expect(dataSource.query(`DELETE FROM disclosure WHERE seq = 1`)).rejects.toThrow('append-only');
    await expect(dataSource.query(`TRUNCATE disclosure`)).rejects.toThrow('append-only');
    await expect(dataSource.query(`UPDATE disclosure_chain_head SET seq = 0`)).rejects.toThrow('only moves forward');
    await expect(dataSource.query(`DELETE FROM disclosure_chain_head`)).rejects.toThrow('only moves forward');
    expect(await count()).toBe(n);
    expect((await verifyDisclosureLedger(dataSource)).intact).toBe(true);
  });
});
