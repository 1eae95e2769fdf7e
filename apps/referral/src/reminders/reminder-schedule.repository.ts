import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { TableRow } from '@nwd/persistence';
import { TimedStandard } from '../standards/platform-standards';
import { Reminder, ReminderKind } from './reminder-plan';

/** A row of the schedule: a reminder, the referral it is owed by and the version it was reckoned for. */
export interface ScheduledReminder extends Reminder {
  referralId: string;
  version: number;
}

const TABLE = 'referral_reminder';

/**
 * The persisted schedule (`referral_reminder`). It is written only inside the transaction, or the
 * statement, of a referral's own write, and fired only by the sweep, which claims rows no other
 * replica holds; a fired row stays, so the same reminder is never owed twice.
 */
@Injectable()
export class ReminderScheduleRepository {
  /** A new referral's schedule as rows of the one statement that inserts the referral (`insertTogether`). */
  rows(referralId: string, version: number, reminders: readonly Reminder[]): TableRow[] {
    return reminders.map((r) => ({
      table: TABLE,
      values: { referral_id: referralId, standard: r.standard, kind: r.kind, due_at: r.dueAt, fire_at: r.fireAt, version },
    }));
  }

  /**
   * The referral now owes `reminders`: what is pending and no longer owed is cancelled, a new
   * deadline is added at `version`, one still owed keeps its row (and the version it was reckoned
   * for), and what already fired stays fired. One statement: the DELETE and the INSERT touch
   * different keys.
   */
  async replacePending(manager: EntityManager, referralId: string, version: number, reminders: readonly Reminder[]): Promise<void> {
    await manager.query(
      `WITH owed AS (
         SELECT * FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[]) AS o(standard, kind, due_at, fire_at)
       ), cancelled AS (
         DELETE FROM ${TABLE} r WHERE r.referral_id = $1 AND r.fired_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM owed o WHERE o.standard = r.standard AND o.kind = r.kind AND o.due_at = r.due_at)
       )
       INSERT INTO ${TABLE} AS r (referral_id, standard, kind, due_at, fire_at, version)
       SELECT $1, standard, kind, due_at, fire_at, $6 FROM owed
       ON CONFLICT (referral_id, standard, kind, due_at) DO UPDATE SET fire_at = excluded.fire_at
         WHERE r.fired_at IS NULL AND r.fire_at <> excluded.fire_at`,
      [
        referralId,
        reminders.map((r) => r.standard),
        reminders.map((r) => r.kind),
        reminders.map((r) => r.dueAt),
        reminders.map((r) => r.fireAt),
        version,
      ],
    );
  }

  /**
   * Up to `limit` pending reminders due at `now`, oldest first, locked for the caller's transaction.
   * Rows another replica has claimed are skipped, not waited for: each fires in one transaction only.
   */
  async claimDue(manager: EntityManager, now: Date, limit: number): Promise<ScheduledReminder[]> {
    const rows: { referral_id: string; standard: TimedStandard; kind: ReminderKind; due_at: Date; fire_at: Date; version: number }[] = await manager.query(
      `SELECT referral_id, standard, kind, due_at, fire_at, version FROM ${TABLE}
       WHERE fired_at IS NULL AND fire_at <= $1
       ORDER BY fire_at, referral_id, standard, kind
       LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
    return rows.map((r) => ({ referralId: r.referral_id, standard: r.standard, kind: r.kind, dueAt: r.due_at, fireAt: r.fire_at, version: r.version }));
  }

  async markFired(manager: EntityManager, reminders: readonly ScheduledReminder[], now: Date): Promise<void> {
    if (!reminders.length) return;
    await manager.query(
      `UPDATE ${TABLE} r SET fired_at = $5 FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[]) AS k(referral_id, standard, kind, due_at)
       WHERE r.referral_id = k.referral_id AND r.standard = k.standard AND r.kind = k.kind AND r.due_at = k.due_at`,
      [...keyColumns(reminders), now],
    );
  }

  async cancel(manager: EntityManager, reminders: readonly ScheduledReminder[]): Promise<void> {
    if (!reminders.length) return;
    await manager.query(
      `DELETE FROM ${TABLE} r USING unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[]) AS k(referral_id, standard, kind, due_at)
       WHERE r.referral_id = k.referral_id AND r.standard = k.standard AND r.kind = k.kind AND r.due_at = k.due_at`,
      keyColumns(reminders),
    );
  }
}

function keyColumns(reminders: readonly ScheduledReminder[]): [string[], string[], string[], Date[]] {
  return [reminders.map((r) => r.referralId), reminders.map((r) => r.standard), reminders.map((r) => r.kind), reminders.map((r) => r.dueAt)];
}
