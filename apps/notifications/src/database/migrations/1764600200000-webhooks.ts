import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook endpoints, their persisted delivery queue and its log. A delivery row is the queue's
 * state (due when, leased by whom until when), so retries survive restarts and several replicas
 * share the work by row locks; `seq` orders deliveries per endpoint and referral.
 */
export class Webhooks1764600200000 implements MigrationInterface {
  name = 'Webhooks1764600200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE webhook_endpoint (
        id                         uuid PRIMARY KEY,
        organization_id            uuid NOT NULL,
        url                        text NOT NULL,
        events                     text[] NOT NULL,
        status                     text NOT NULL CHECK (status IN ('active', 'disabled')),
        disabled_reason            text,
        secret_sealed              text NOT NULL,
        previous_secret_sealed     text,
        previous_secret_expires_at timestamptz,
        created_at                 timestamptz NOT NULL,
        updated_at                 timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX webhook_endpoint_organization ON webhook_endpoint (organization_id)`);
    await queryRunner.query(`
      CREATE TABLE webhook_delivery (
        id                uuid PRIMARY KEY,
        seq               bigserial NOT NULL UNIQUE,
        endpoint_id       uuid NOT NULL REFERENCES webhook_endpoint (id) ON DELETE CASCADE,
        organization_id   uuid NOT NULL,
        event_id          uuid NOT NULL,
        event_type        text NOT NULL,
        referral_id       uuid NOT NULL,
        occurred_at       timestamptz NOT NULL,
        body              text NOT NULL,
        status            text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts          integer NOT NULL DEFAULT 0,
        next_attempt_at   timestamptz NOT NULL,
        leased_until      timestamptz,
        window_started_at timestamptz NOT NULL,
        last_status_code  integer,
        last_error        text,
        delivered_at      timestamptz,
        created_at        timestamptz NOT NULL,
        UNIQUE (endpoint_id, event_id)
      )`);
    // Wakes the dispatchers when deliveries are queued, once per statement and only on commit (as the outbox does).
    await queryRunner.query(`
      CREATE FUNCTION webhook_delivery_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('nwd_webhook_deliveries', '');
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER webhook_delivery_notify AFTER INSERT ON webhook_delivery
      FOR EACH STATEMENT EXECUTE FUNCTION webhook_delivery_notify()`);
    await queryRunner.query(`CREATE INDEX webhook_delivery_due ON webhook_delivery (next_attempt_at, seq) WHERE status = 'pending'`);
    await queryRunner.query(`CREATE INDEX webhook_delivery_referral_pending ON webhook_delivery (endpoint_id, referral_id, seq) WHERE status = 'pending'`);
    await queryRunner.query(`CREATE INDEX webhook_delivery_log ON webhook_delivery (endpoint_id, seq DESC)`);
    await queryRunner.query(`CREATE INDEX webhook_delivery_occurred ON webhook_delivery (endpoint_id, occurred_at)`);
    await queryRunner.query(`
      CREATE TABLE webhook_attempt (
        id            bigserial PRIMARY KEY,
        delivery_id   uuid NOT NULL REFERENCES webhook_delivery (id) ON DELETE CASCADE,
        attempted_at  timestamptz NOT NULL,
        status_code   integer,
        duration_ms   integer NOT NULL,
        error         text
      )`);
    await queryRunner.query(`CREATE INDEX webhook_attempt_delivery ON webhook_attempt (delivery_id, id)`);
    // What the email and in-app channels tell an organization's admins: an endpoint they must fix.
    await queryRunner.query(`
      CREATE TABLE webhook_alert (
        id              uuid PRIMARY KEY,
        organization_id uuid NOT NULL,
        endpoint_id     uuid NOT NULL REFERENCES webhook_endpoint (id) ON DELETE CASCADE,
        kind            text NOT NULL CHECK (kind IN ('endpoint-disabled')),
        reason          text NOT NULL,
        created_at      timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX webhook_alert_organization ON webhook_alert (organization_id, created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE webhook_alert`);
    await queryRunner.query(`DROP TABLE webhook_attempt`);
    await queryRunner.query(`DROP TABLE webhook_delivery`);
    await queryRunner.query(`DROP FUNCTION webhook_delivery_notify()`);
    await queryRunner.query(`DROP TABLE webhook_endpoint`);
  }
}
