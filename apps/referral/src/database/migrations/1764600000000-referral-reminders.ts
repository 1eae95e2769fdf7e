import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The persisted schedule of time-driven events: one row per referral, standard, kind and deadline,
 * with the referral version it was reckoned for. `fired_at` marks the one time it fired, so a
 * restart or a second replica never fires it again; the partial index is what the sweep scans.
 * Referrals made before this release have no rows: they get theirs when a change next meets or
 * moves one of their deadlines (a backfill would need the business calendar, which SQL has not).
 */
export class ReferralReminders1764600000000 implements MigrationInterface {
  name = 'ReferralReminders1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE referral_reminder (
        referral_id uuid NOT NULL REFERENCES referral (id) ON DELETE CASCADE,
        standard text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('due-soon', 'overdue')),
        due_at timestamptz NOT NULL,
        fire_at timestamptz NOT NULL,
        version integer NOT NULL,
        fired_at timestamptz,
        PRIMARY KEY (referral_id, standard, kind, due_at)
      )`);
    await queryRunner.query(`CREATE INDEX referral_reminder_pending ON referral_reminder (fire_at) WHERE fired_at IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE referral_reminder`);
  }
}
