import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The network register: member organizations, their API clients, the keys that sign access
 * tokens, and the append-only audit log of administrative actions.
 */
export class NetworkIdentity1763900100000 implements MigrationInterface {
  name = 'NetworkIdentity1763900100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE network_organization (
        id         uuid PRIMARY KEY,
        name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        kind       text NOT NULL CHECK (kind IN ('health-system', 'cbo', 'coordinator', 'government')),
        status     text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX network_organization_name ON network_organization (lower(name))`);
    await queryRunner.query(`
      CREATE TABLE api_client (
        id              text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9._-]{3,64}$'),
        organization_id uuid NOT NULL REFERENCES network_organization (id),
        name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        roles           text[] NOT NULL CHECK (cardinality(roles) > 0
                          AND roles <@ ARRAY['network-admin', 'org-admin', 'staff', 'system']),
        secret_hash     text NOT NULL,
        status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
        created_at      timestamptz NOT NULL DEFAULT now(),
        rotated_at      timestamptz,
        revoked_at      timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX api_client_organization ON api_client (organization_id)`);
    await queryRunner.query(`
      CREATE TABLE signing_key (
        kid         text PRIMARY KEY,
        private_pem text NOT NULL,
        public_jwk  jsonb NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE audit_event (
        id                    bigserial PRIMARY KEY,
        occurred_at           timestamptz NOT NULL DEFAULT now(),
        action                text NOT NULL,
        actor_subject         text NOT NULL,
        actor_organization_id uuid,
        target_type           text NOT NULL,
        target_id             text NOT NULL,
        details               jsonb NOT NULL DEFAULT '{}',
        request_id            text
      )`);
    await queryRunner.query(`CREATE INDEX audit_event_target ON audit_event (target_type, target_id)`);
    // Append-only for everyone, including the service's own role: history cannot be rewritten.
    await queryRunner.query(`
      CREATE FUNCTION audit_event_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_event is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
      FOR EACH ROW EXECUTE FUNCTION audit_event_immutable()`);
    await queryRunner.query(`
      CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
      FOR EACH STATEMENT EXECUTE FUNCTION audit_event_immutable()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE audit_event`);
    await queryRunner.query(`DROP FUNCTION audit_event_immutable`);
    await queryRunner.query(`DROP TABLE signing_key`);
    await queryRunner.query(`DROP TABLE api_client`);
    await queryRunner.query(`DROP TABLE network_organization`);
  }
}
