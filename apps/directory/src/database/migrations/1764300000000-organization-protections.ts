import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The federal protections an organization's programs are under (`domestic-violence`: VAWA,
 * `substance-use`: 42 CFR Part 2), set by network admins; every service that decides disclosures
 * learns them from `identity.v1.organization-protections-changed`.
 */
export class OrganizationProtections1764300000000 implements MigrationInterface {
  name = 'OrganizationProtections1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE network_organization ADD COLUMN protections text[] NOT NULL DEFAULT '{}'
        CHECK (protections <@ ARRAY['domestic-violence', 'substance-use']::text[])`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE network_organization DROP COLUMN protections`);
  }
}
