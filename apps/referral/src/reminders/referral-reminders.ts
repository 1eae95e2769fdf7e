import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { TableRow } from '@nwd/persistence';
import { Referral } from '../referrals/entities/referral.entity';
import { clockFacts } from '../referrals/referral-due-dates';
import { Reminder, ReminderPlan } from './reminder-plan';
import { ReminderScheduleRepository } from './reminder-schedule.repository';

/** What a referral's write does to its schedule: written with the referral, in its statement or transaction. */
@Injectable()
export class ReferralReminders {
  constructor(
    private readonly plan: ReminderPlan,
    private readonly schedule: ReminderScheduleRepository,
  ) {}

  owed(referral: Referral): Reminder[] {
    return this.plan.of(clockFacts(referral));
  }

  /** A new referral's schedule, for the statement that inserts it. */
  rowsFor(referral: Referral): TableRow[] {
    return this.schedule.rows(referral.id, referral.version, this.owed(referral));
  }

  /** After a change from `before` to `after`: nothing to write unless the deadlines it owes changed. */
  async reschedule(manager: EntityManager, before: Referral, after: Referral): Promise<void> {
    const owed = this.owed(after);
    if (ReminderPlan.same(this.owed(before), owed)) return;
    await this.schedule.replacePending(manager, after.id, after.version, owed);
  }
}
