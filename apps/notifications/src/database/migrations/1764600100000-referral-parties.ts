import { MigrationInterface, QueryRunner } from 'typeorm';

/** The parties of each referral, and the organizations upstream of it in its forward chain. */
export class ReferralParties1764600100000 implements MigrationInterface {
  name = 'ReferralParties1764600100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE referral_party (
        referral_id                    uuid PRIMARY KEY,
        sender_organization_id         uuid NOT NULL,
        receiving_organization_id      uuid NOT NULL,
        forwarded_from_referral_id     uuid,
        forward_chain_organization_ids uuid[] NOT NULL DEFAULT '{}',
        recorded_at                    timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE referral_party`);
  }
}
