import { MigrationInterface, QueryRunner } from 'typeorm';

/** An API client's own rate limit, set by a network admin (NULL: the network default). */
export class ApiClientRateLimit1764200000000 implements MigrationInterface {
  name = 'ApiClientRateLimit1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE api_client ADD COLUMN rate_limit_per_minute integer CHECK (rate_limit_per_minute > 0)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE api_client DROP COLUMN rate_limit_per_minute`);
  }
}
