import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The client register: the people referrals are for, moved here from the referral service so one
 * service holds personal data. Columns as the referral service had them, plus the optional
 * self-reported demographics.
 */
export class ClientRegister1764200000000 implements MigrationInterface {
  name = 'ClientRegister1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE client (
        id                         uuid PRIMARY KEY,
        created_by_organization_id uuid NOT NULL,
        given_name                 text NOT NULL,
        family_name                text NOT NULL,
        birth_date                 date NOT NULL,
        phone                      text,
        email                      text,
        postal_code                text,
        preferred_language         text,
        interpreter_needed         boolean NOT NULL DEFAULT false,
        contact_preference         text,
        do_not_contact             boolean NOT NULL DEFAULT false,
        race                       text[] NOT NULL DEFAULT '{}',
        ethnicity                  text[] NOT NULL DEFAULT '{}',
        sex                        text CHECK (sex IN ('female', 'male', 'other', 'unknown')),
        gender_identity            text,
        merged_into_id             uuid REFERENCES client (id),
        created_at                 timestamptz NOT NULL,
        updated_at                 timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX client_created_by ON client (created_by_organization_id)`);
    await queryRunner.query(`CREATE INDEX client_birth_date ON client (birth_date)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE client`);
  }
}
