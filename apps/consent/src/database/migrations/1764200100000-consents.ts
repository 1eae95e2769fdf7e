import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Consents: what a person allows, to whom (one row per recipient, each revocable on its own),
 * for which purposes and categories, how it was given and for how long. A referral's inline
 * consent keeps the referral's id, and the reply to its registration is kept so that asking again
 * answers the same without writing anything more.
 */
export class Consents1764200100000 implements MigrationInterface {
  name = 'Consents1764200100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE consent (
        id                      uuid PRIMARY KEY,
        client_id               uuid NOT NULL REFERENCES client (id),
        grantor_organization_id uuid NOT NULL,
        purposes                text[] NOT NULL CHECK (cardinality(purposes) > 0),
        categories              text[] NOT NULL CHECK (cardinality(categories) > 0),
        method                  text NOT NULL CHECK (method IN ('written', 'electronic-signature', 'verbal-attested')),
        attested_by             text CHECK (method <> 'verbal-attested' OR attested_by IS NOT NULL),
        evidence                text,
        effective_from          timestamptz NOT NULL,
        expires_at              timestamptz CHECK (expires_at IS NULL OR expires_at > effective_from),
        status                  text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked', 'expired')),
        revoked_at              timestamptz,
        referral_id             uuid UNIQUE,
        created_by_client_id    text NOT NULL,
        created_at              timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX consent_client ON consent (client_id)`);
    // The expiry sweep reads only what is still active and has an end.
    await queryRunner.query(`CREATE INDEX consent_expiring ON consent (expires_at) WHERE status = 'active' AND expires_at IS NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE consent_recipient (
        consent_id        uuid NOT NULL REFERENCES consent (id),
        position          int NOT NULL,
        organization_id   uuid,
        any_member        boolean NOT NULL DEFAULT false,
        organization_kind text,
        revoked_at        timestamptz,
        PRIMARY KEY (consent_id, position),
        CHECK ((organization_id IS NOT NULL)::int + any_member::int + (organization_kind IS NOT NULL)::int = 1)
      )`);
    await queryRunner.query(`CREATE INDEX consent_recipient_organization ON consent_recipient (organization_id) WHERE organization_id IS NOT NULL`);
    // Decisions weigh the consents given under ids merged into the client too.
    await queryRunner.query(`CREATE INDEX client_merged_into ON client (merged_into_id) WHERE merged_into_id IS NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE referral_client_registration (
        referral_id uuid PRIMARY KEY,
        reply       jsonb,
        created_at  timestamptz NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE referral_client_registration`);
    await queryRunner.query(`DROP INDEX client_merged_into`);
    await queryRunner.query(`DROP TABLE consent_recipient`);
    await queryRunner.query(`DROP TABLE consent`);
  }
}
