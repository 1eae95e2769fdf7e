import { MigrationInterface, QueryRunner } from 'typeorm';
import { GENESIS_HASH } from '../../disclosures/disclosure-chain';

/**
 * The accounting of disclosures: an append-only, hash-chained log. Each row's hash covers its
 * content and the previous row's hash; the single-row head holds the newest sequence number and
 * hash, so deleting the newest rows is detected too, and its row lock serializes writers.
 * The triggers refuse UPDATE, DELETE and TRUNCATE for everyone the hash chain does not have to catch.
 */
export class DisclosureAccounting1764300000000 implements MigrationInterface {
  name = 'DisclosureAccounting1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE disclosure (
        seq                        bigint PRIMARY KEY,
        id                         uuid NOT NULL UNIQUE,
        client_id                  uuid NOT NULL,
        recipient_organization_id  uuid NOT NULL,
        source_organization_ids    text[] NOT NULL,
        purpose                    text NOT NULL,
        categories                 text[] NOT NULL,
        channel                    text NOT NULL,
        consent_ids                text[] NOT NULL,
        referral_id                uuid,
        request_id                 text,
        disclosed_at               timestamptz NOT NULL,
        previous_hash              text NOT NULL,
        hash                       text NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX disclosure_client ON disclosure (client_id, seq)`);
    await queryRunner.query(`
      CREATE TABLE disclosure_chain_head (
        id   smallint PRIMARY KEY CHECK (id = 1),
        seq  bigint NOT NULL,
        hash text NOT NULL
      )`);
    await queryRunner.query(`INSERT INTO disclosure_chain_head (id, seq, hash) VALUES (1, 0, '${GENESIS_HASH}')`);
    await queryRunner.query(`
      CREATE FUNCTION disclosure_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'disclosure is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER disclosure_append_only BEFORE UPDATE OR DELETE ON disclosure
      FOR EACH ROW EXECUTE FUNCTION disclosure_immutable()`);
    await queryRunner.query(`
      CREATE TRIGGER disclosure_no_truncate BEFORE TRUNCATE ON disclosure
      FOR EACH STATEMENT EXECUTE FUNCTION disclosure_immutable()`);
    // The head only moves forward: winding it back would hide deleted newest rows.
    await queryRunner.query(`
      CREATE FUNCTION disclosure_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'UPDATE' OR NEW.seq < OLD.seq THEN
          RAISE EXCEPTION 'disclosure_chain_head only moves forward (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER disclosure_head_forward BEFORE UPDATE OR DELETE ON disclosure_chain_head
      FOR EACH ROW EXECUTE FUNCTION disclosure_head_forward_only()`);
    await queryRunner.query(`
      CREATE TRIGGER disclosure_head_no_truncate BEFORE TRUNCATE ON disclosure_chain_head
      FOR EACH STATEMENT EXECUTE FUNCTION disclosure_head_forward_only()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE disclosure_chain_head`);
    await queryRunner.query(`DROP TABLE disclosure`);
    await queryRunner.query(`DROP FUNCTION disclosure_head_forward_only`);
    await queryRunner.query(`DROP FUNCTION disclosure_immutable`);
  }
}
