import { MigrationInterface, QueryRunner } from 'typeorm';

const STATUSES = `'requested','accepted','rejected','cancelled','in-progress','on-hold','completed','failed'`;
const OUTCOMES = `'service-provided','client-enrolled','client-unreachable','client-declined','not-eligible','no-capacity','duplicate','other'`;

/**
 * Referrals, the people they are for, their timelines, and the idempotency keys of the POSTs that
 * wrote them. The client is its own table because a consent service will govern who may see a
 * person, independently of the referrals that point to them.
 */
export class Referrals1763900300000 implements MigrationInterface {
  name = 'Referrals1763900300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE client (
        id                       uuid PRIMARY KEY,
        created_by_organization_id uuid NOT NULL,
        given_name               text NOT NULL,
        family_name              text NOT NULL,
        birth_date               date NOT NULL,
        phone                    text,
        email                    text,
        postal_code              text,
        preferred_language       text,
        interpreter_needed       boolean NOT NULL DEFAULT false,
        contact_preference       text,
        do_not_contact           boolean NOT NULL DEFAULT false,
        created_at               timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE referral (
        id                        uuid PRIMARY KEY,
        reference                 text NOT NULL UNIQUE,
        -- The first referral of a forward chain; every referral of the chain shares it.
        chain_id                  uuid NOT NULL,
        client_id                 uuid NOT NULL REFERENCES client (id),
        sender_organization_id    uuid NOT NULL,
        receiving_organization_id uuid NOT NULL,
        -- Who may see it: sender, receiver and every organization of its forward chain.
        party_organization_ids    uuid[] NOT NULL,
        receiving_service_id      uuid,
        needs                     text[] NOT NULL CHECK (cardinality(needs) >= 1),
        status                    text NOT NULL CHECK (status IN (${STATUSES})),
        status_reason             text,
        version                   integer NOT NULL DEFAULT 1 CHECK (version >= 1),
        urgency                   text NOT NULL CHECK (urgency IN ('routine', 'urgent')),
        description               text,
        outcome                   text CHECK (outcome IN (${OUTCOMES})),
        outcome_text              text,
        outcome_known_at          timestamptz,
        forwarded_from_id         uuid REFERENCES referral (id),
        forwarded_to_id           uuid REFERENCES referral (id),
        responded_at              timestamptz,
        accepted_at               timestamptz,
        closed_at                 timestamptz,
        first_note_at             timestamptz,
        last_note_at              timestamptz,
        -- Latest exception note per platform standard: { "respond": "2026-…" }.
        standard_exceptions       jsonb NOT NULL DEFAULT '{}',
        respond_due_at            timestamptz NOT NULL,
        first_note_due_at         timestamptz,
        close_due_at              timestamptz,
        note_cadence_due_at       timestamptz,
        -- Earliest due date still open; overdue = next_due_at < now.
        next_due_at               timestamptz,
        created_at                timestamptz NOT NULL,
        updated_at                timestamptz NOT NULL,
        CHECK (outcome IS NULL OR status IN ('completed', 'failed')),
        CHECK (sender_organization_id <> receiving_organization_id)
      )`);
    await queryRunner.query(`CREATE INDEX referral_sent ON referral (sender_organization_id, created_at, id)`);
    await queryRunner.query(`CREATE INDEX referral_received ON referral (receiving_organization_id, created_at, id)`);
    await queryRunner.query(`CREATE INDEX referral_received_status ON referral (receiving_organization_id, status)`);
    await queryRunner.query(`CREATE INDEX referral_parties ON referral USING gin (party_organization_ids)`);
    await queryRunner.query(`CREATE INDEX referral_needs ON referral USING gin (needs)`);
    await queryRunner.query(`CREATE INDEX referral_updated ON referral (updated_at, id)`);
    await queryRunner.query(`CREATE INDEX referral_created ON referral (created_at, id)`);
    await queryRunner.query(`CREATE INDEX referral_next_due ON referral (next_due_at) WHERE next_due_at IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX referral_chain ON referral (chain_id)`);
    await queryRunner.query(`CREATE INDEX referral_client ON referral (client_id)`);
    await queryRunner.query(`
      CREATE TABLE referral_timeline (
        id                     uuid PRIMARY KEY,
        referral_id            uuid NOT NULL REFERENCES referral (id),
        kind                   text NOT NULL CHECK (kind IN ('status-changed', 'forwarded', 'note', 'contact-attempt', 'exception', 'outcome-known')),
        author_organization_id uuid NOT NULL,
        author_client_id       text NOT NULL,
        visibility             text NOT NULL DEFAULT 'shared' CHECK (visibility IN ('shared', 'internal')),
        -- When it happened (a contact attempt, the day the outcome became known); recorded_at is when it was written.
        occurred_at            timestamptz NOT NULL,
        recorded_at            timestamptz NOT NULL,
        version                integer NOT NULL,
        from_status            text,
        to_status              text,
        reason                 text,
        outcome                text,
        text                   text,
        channel                text,
        result                 text,
        standard               text,
        related_referral_id    uuid
      )`);
    await queryRunner.query(`CREATE INDEX referral_timeline_referral ON referral_timeline (referral_id, recorded_at, id)`);
    await queryRunner.query(`
      CREATE TABLE idempotency_key (
        organization_id uuid NOT NULL,
        key             text NOT NULL,
        request_hash    text NOT NULL,
        response_status integer NOT NULL,
        response_body   jsonb NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (organization_id, key)
      )`);
    await queryRunner.query(`CREATE INDEX idempotency_key_created ON idempotency_key (created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE idempotency_key`);
    await queryRunner.query(`DROP TABLE referral_timeline`);
    await queryRunner.query(`DROP TABLE referral`);
    await queryRunner.query(`DROP TABLE client`);
  }
}
