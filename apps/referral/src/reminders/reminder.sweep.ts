import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ReferralDeadlinePayload, ReferralEvents } from '@nwd/contracts';
import { Clock } from '@nwd/clock';
import { PeriodicTask } from '@nwd/http';
import { Outbox } from '@nwd/messaging';
import { ReferralConfig } from '../referral.config';
import { Referral } from '../referrals/entities/referral.entity';
import { ReferralFactory } from '../referrals/referral.factory';
import { ReferralReminders } from './referral-reminders';
import { ScheduledReminder, ReminderScheduleRepository } from './reminder-schedule.repository';

export interface SweepResult {
  fired: number;
  cancelled: number;
  /** Due, but their referral was being changed: left for the next sweep, which sees the change. */
  postponed: number;
}

const EVENT_OF = { 'due-soon': ReferralEvents.dueSoon, overdue: ReferralEvents.overdue } as const;

/**
 * Fires the reminders that are due: in each batch's transaction it claims them (rows another
 * replica claimed are skipped), writes each event through the outbox and marks it fired, so a
 * reminder fires once whatever restarts or runs beside it. A reminder the referral no longer owes
 * (a write that bypassed the schedule) is dropped, not fired. A referral a write holds is skipped,
 * not waited for: the write may be about to meet the deadline, and waiting on it while holding the
 * reminder it wants to cancel would deadlock.
 */
@Injectable()
export class ReminderSweep extends PeriodicTask {
  constructor(
    private readonly dataSource: DataSource,
    private readonly schedule: ReminderScheduleRepository,
    private readonly reminders: ReferralReminders,
    private readonly outbox: Outbox,
    private readonly config: ReferralConfig,
    clock: Clock,
  ) {
    super(clock, config.NWD_REMINDER_SWEEP_INTERVAL_SECONDS);
  }

  async run(now: Date): Promise<SweepResult> {
    const total: SweepResult = { fired: 0, cancelled: 0, postponed: 0 };
    const limit = this.config.NWD_REMINDER_SWEEP_BATCH_SIZE;
    for (;;) {
      const batch = await this.dataSource.transaction((manager) => this.fireBatch(manager, now, limit));
      total.fired += batch.fired;
      total.cancelled += batch.cancelled;
      total.postponed += batch.postponed;
      // Postponed rows would be claimed again at once: a batch is done when it cleared fewer than it could.
      if (batch.fired + batch.cancelled < limit) return total;
    }
  }

  private async fireBatch(manager: EntityManager, now: Date, limit: number): Promise<SweepResult> {
    const due = await this.schedule.claimDue(manager, now, limit);
    if (!due.length) return { fired: 0, cancelled: 0, postponed: 0 };
    const ids = [...new Set(due.map((r) => r.referralId))];
    const referrals = new Map(
      (await manager.createQueryBuilder(Referral, 'r').where('r.id IN (:...ids)', { ids }).setLock('pessimistic_read').setOnLocked('skip_locked').getMany()).map((r) => [r.id, r]),
    );
    const fired: ScheduledReminder[] = [];
    const cancelled: ScheduledReminder[] = [];
    let postponed = 0;
    for (const reminder of due) {
      const referral = referrals.get(reminder.referralId);
      if (!referral) {
        postponed++;
        continue;
      }
      if (!this.stillOwed(referral, reminder)) {
        cancelled.push(reminder);
        continue;
      }
      // One at a time, in firing order: the outbox keeps a referral's due-soon before its overdue.
      await this.outbox.append(manager, EVENT_OF[reminder.kind], payload(referral, reminder, now));
      fired.push(reminder);
    }
    await this.schedule.markFired(manager, fired, now);
    await this.schedule.cancel(manager, cancelled);
    return { fired: fired.length, cancelled: cancelled.length, postponed };
  }

  private stillOwed(referral: Referral, reminder: ScheduledReminder): boolean {
    return this.reminders
      .owed(referral)
      .some((r) => r.standard === reminder.standard && r.kind === reminder.kind && r.dueAt.getTime() === reminder.dueAt.getTime());
  }
}

/** The referral as it stands, at the version the deadline was reckoned for (the contract's promise to de-duplicating consumers). */
function payload(referral: Referral, reminder: ScheduledReminder, now: Date): ReferralDeadlinePayload {
  return { ...ReferralFactory.payload(referral, now), version: reminder.version, standard: reminder.standard, dueAt: reminder.dueAt.toISOString() };
}
