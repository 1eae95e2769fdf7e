import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Email and in-app notifications: what each organization (or the network's admins, organization id
 * null) subscribed to, the outgoing mail queue (sent from any replica, claimed with SKIP LOCKED,
 * retried from its own `not_before`), the events waiting for a daily digest, and the in-app inbox.
 * Rows hold ids, codes and statuses only: no personal data is ever written here.
 */
export class EmailAndInbox1764500400000 implements MigrationInterface {
  name = 'EmailAndInbox1764500400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE notification_subscription (
        id               uuid PRIMARY KEY,
        organization_id  uuid,
        channel          text NOT NULL CHECK (channel IN ('email', 'in-app')),
        address          text,
        event_types      text[] NOT NULL,
        language         text NOT NULL CHECK (language IN ('en', 'es')),
        time_zone        text NOT NULL,
        quiet_start      text,
        quiet_end        text,
        digest           text CHECK (digest IN ('daily')),
        digest_time      text,
        next_digest_at   timestamptz,
        created_at       timestamptz NOT NULL,
        updated_at       timestamptz NOT NULL,
        CHECK ((channel = 'email') = (address IS NOT NULL)),
        CHECK (digest IS NULL OR channel = 'email'),
        CHECK ((digest IS NULL) = (next_digest_at IS NULL)),
        CHECK ((quiet_start IS NULL) = (quiet_end IS NULL))
      )`);
    await queryRunner.query(`CREATE INDEX notification_subscription_owner ON notification_subscription (organization_id, created_at)`);
    await queryRunner.query(`CREATE INDEX notification_subscription_digest_due ON notification_subscription (next_digest_at) WHERE digest IS NOT NULL`);

    await queryRunner.query(`
      CREATE TABLE outgoing_mail (
        id               uuid PRIMARY KEY,
        dedupe_key       text NOT NULL UNIQUE,
        subscription_id  uuid REFERENCES notification_subscription (id) ON DELETE SET NULL,
        organization_id  uuid,
        address          text NOT NULL,
        subject          text NOT NULL,
        body             text NOT NULL,
        status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
        attempts         integer NOT NULL DEFAULT 0,
        not_before       timestamptz NOT NULL,
        last_error       text,
        created_at       timestamptz NOT NULL,
        sent_at          timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX outgoing_mail_due ON outgoing_mail (not_before) WHERE status = 'pending'`);

    await queryRunner.query(`
      CREATE TABLE digest_item (
        id               uuid PRIMARY KEY,
        subscription_id  uuid NOT NULL REFERENCES notification_subscription (id) ON DELETE CASCADE,
        event_id         uuid NOT NULL,
        event_type       text NOT NULL,
        facts            jsonb NOT NULL,
        created_at       timestamptz NOT NULL,
        UNIQUE (subscription_id, event_id)
      )`);

    await queryRunner.query(`
      CREATE TABLE in_app_notification (
        id               uuid PRIMARY KEY,
        dedupe_key       text NOT NULL UNIQUE,
        organization_id  uuid,
        user_id          uuid,
        kind             text NOT NULL CHECK (kind IN ('referral-event', 'platform-alert')),
        event_type       text,
        purpose          text CHECK (purpose IN ('notice', 'reminder', 'escalation')),
        alert            text,
        referral_id      uuid,
        subject_id       text,
        status           text,
        standard         text,
        due_at           timestamptz,
        link             text,
        created_at       timestamptz NOT NULL,
        read_at          timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX in_app_notification_list ON in_app_notification (organization_id, created_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX in_app_notification_unread ON in_app_notification (organization_id) WHERE read_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE in_app_notification`);
    await queryRunner.query(`DROP TABLE digest_item`);
    await queryRunner.query(`DROP TABLE outgoing_mail`);
    await queryRunner.query(`DROP TABLE notification_subscription`);
  }
}
