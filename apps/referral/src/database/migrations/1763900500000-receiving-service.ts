import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the referral service knows of the directory services referrals name: fetched from the
 * directory the first time a service is named, then kept current by its capacity events.
 */
export class ReceivingService1763900500000 implements MigrationInterface {
  name = 'ReceivingService1763900500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE receiving_service (
        service_id                   uuid PRIMARY KEY,
        organization_id              uuid,
        provider_organization_id     uuid NOT NULL,
        capacity_status              text NOT NULL,
        expected_wait_days           integer,
        accepts_electronic_referrals boolean NOT NULL,
        status                       text NOT NULL,
        -- The directory's time for the state held here: an older event never overwrites a newer state.
        as_of                        timestamptz NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE receiving_service`);
  }
}
