import { MigrationInterface, QueryRunner } from 'typeorm';
import { DISCLOSURE_CHAINS, GENESIS_HASH } from '../../disclosures/disclosure-chain';

/**
 * The accounting of disclosures over several chains (heads 1..16): one head's row lock held to
 * each commit capped the log at one WAL flush per disclosure. Rows written so far stay on chain 1,
 * their hashes unchanged (the chain is not hashed: a row moved to another chain no longer links
 * to its predecessor there).
 */
export class DisclosureChains1764300200000 implements MigrationInterface {
  name = 'DisclosureChains1764300200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE disclosure ADD COLUMN chain smallint NOT NULL DEFAULT 1`);
    await queryRunner.query(`ALTER TABLE disclosure ALTER COLUMN chain DROP DEFAULT`);
    await queryRunner.query(`ALTER TABLE disclosure DROP CONSTRAINT disclosure_pkey, ADD PRIMARY KEY (chain, seq)`);
    await queryRunner.query(`DROP INDEX disclosure_client`);
    await queryRunner.query(`CREATE INDEX disclosure_client ON disclosure (client_id, id)`);
    await queryRunner.query(`ALTER TABLE disclosure_chain_head DROP CONSTRAINT disclosure_chain_head_id_check`);
    await queryRunner.query(`ALTER TABLE disclosure_chain_head ADD CONSTRAINT disclosure_chain_head_id_check CHECK (id BETWEEN 1 AND ${DISCLOSURE_CHAINS})`);
    await queryRunner.query(
      `INSERT INTO disclosure_chain_head (id, seq, hash) SELECT g, 0, '${GENESIS_HASH}' FROM generate_series(2, ${DISCLOSURE_CHAINS}) g`,
    );
  }

  async down(): Promise<void> {
    throw new Error('DisclosureChains1764300200000 cannot be undone: the rows of chains 2.. have nowhere to go');
  }
}
