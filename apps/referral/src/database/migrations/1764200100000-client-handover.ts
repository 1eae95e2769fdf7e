import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The client register moves to the consent service: the referral service keeps client ids only.
 * Existing rows are not dropped here — a migration cannot ask another service to take them — but
 * kept as `client_handover` until the hand-over task (`ClientHandoverTask`) has had each one
 * confirmed by the consent service and deleted it. The table itself goes in a later release's
 * migration, once every deployment reports it empty: dropping it here, or from the running task,
 * would lose the rows of a deployment whose consent service was never reached.
 *
 * A referral also remembers what its receiver's access rests on: the consents the decision relied
 * on (so a revocation finds the referrals it affects) and whether it was sent de-identified.
 */
export class ClientHandover1764200100000 implements MigrationInterface {
  name = 'ClientHandover1764200100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE referral DROP CONSTRAINT IF EXISTS referral_client_id_fkey`);
    await queryRunner.query(`ALTER TABLE client RENAME TO client_handover`);
    await queryRunner.query(`ALTER INDEX IF EXISTS client_pkey RENAME TO client_handover_pkey`);
    await queryRunner.query(`
      ALTER TABLE referral
        ADD COLUMN deidentified boolean NOT NULL DEFAULT false,
        ADD COLUMN consent_ids uuid[] NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`CREATE INDEX referral_consents ON referral USING gin (consent_ids)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX referral_consents`);
    await queryRunner.query(`ALTER TABLE referral DROP COLUMN consent_ids, DROP COLUMN deidentified`);
    await queryRunner.query(`ALTER INDEX IF EXISTS client_handover_pkey RENAME TO client_pkey`);
    await queryRunner.query(`ALTER TABLE client_handover RENAME TO client`);
    // Rows handed over meanwhile are gone from here: only referrals whose client is still held get the key back.
    await queryRunner.query(`ALTER TABLE referral ADD CONSTRAINT referral_client_id_fkey FOREIGN KEY (client_id) REFERENCES client (id) NOT VALID`);
  }
}
