import { MigrationInterface, QueryRunner } from 'typeorm';

/** Partner organizations' NATS credentials: public keys and their lifecycle, never a seed or JWT. */
export class PartnerNatsCredentials1764500300000 implements MigrationInterface {
  name = 'PartnerNatsCredentials1764500300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE partner_nats_credential (
        id                  uuid PRIMARY KEY,
        organization_id     uuid NOT NULL,
        public_key          text NOT NULL UNIQUE,
        status              text NOT NULL CHECK (status IN ('active', 'revoked')),
        issued_at           timestamptz NOT NULL,
        issued_by_client_id text NOT NULL,
        expires_at          timestamptz,
        replaced_by         uuid REFERENCES partner_nats_credential (id),
        revoked_at          timestamptz CHECK ((status = 'revoked') = (revoked_at IS NOT NULL))
      )`);
    await queryRunner.query(`CREATE INDEX partner_nats_credential_organization ON partner_nats_credential (organization_id, issued_at)`);
    // The sweep reads rotated credentials whose overlap has ended.
    await queryRunner.query(`CREATE INDEX partner_nats_credential_expiring ON partner_nats_credential (expires_at) WHERE status = 'active' AND expires_at IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE partner_nats_credential`);
  }
}
