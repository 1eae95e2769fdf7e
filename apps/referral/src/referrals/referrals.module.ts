import { Module } from '@nestjs/common';
import { ClientHandoverTask } from '../consent/client-handover.task';
import { ConsentEventsConsumer } from '../consent/consent-events.consumer';
import { ConsentGateway } from '../consent/consent-gateway';
import { ReferralDisclosure } from '../consent/referral-disclosure';
import { IdempotencyKeySweep } from '../idempotency/idempotency-key.sweep';
import { IdempotencyStore } from '../idempotency/idempotency.store';
import { ReferralConfig } from '../referral.config';
import { BusinessCalendar } from '../standards/business-calendar';
import { PlatformStandards } from '../standards/platform-standards';
import { ReferralsController } from './referrals.controller';
import { ReferralsRepository } from './referrals.repository';
import { Receivers } from '../receiving/receivers';
import { ReceivingOrganizationCache } from '../receiving/receiving-organization.cache';
import { ReceivingServiceProjection } from '../receiving/receiving-service.projection';
import { ReferralReminders } from '../reminders/referral-reminders';
import { ReminderPlan } from '../reminders/reminder-plan';
import { ReminderScheduleRepository } from '../reminders/reminder-schedule.repository';
import { ReminderSweep } from '../reminders/reminder.sweep';
import { ReferralDueDates } from './referral-due-dates';
import { ReferralWriter } from './referral-writer';
import { ReferralsService } from './referrals.service';

@Module({
  controllers: [ReferralsController],
  providers: [
    IdempotencyStore,
    IdempotencyKeySweep,
    ReceivingOrganizationCache,
    ReceivingServiceProjection,
    Receivers,
    ReferralsRepository,
    ReferralWriter,
    ReferralsService,
    ConsentGateway,
    ReferralDisclosure,
    ConsentEventsConsumer,
    ClientHandoverTask,
    ReminderScheduleRepository,
    ReferralReminders,
    ReminderSweep,
    {
      provide: ReminderPlan,
      inject: [PlatformStandards, ReferralConfig],
      useFactory: (standards: PlatformStandards, config: ReferralConfig) =>
        new ReminderPlan(standards, { dueSoonBusinessDays: config.NWD_REMINDER_DUE_SOON_BUSINESS_DAYS }),
    },
    { provide: ReferralDueDates, inject: [PlatformStandards], useFactory: (standards: PlatformStandards) => new ReferralDueDates(standards) },
    {
      provide: PlatformStandards,
      inject: [ReferralConfig],
      useFactory: (config: ReferralConfig) =>
        new PlatformStandards(
          config.standardsPolicy(),
          new BusinessCalendar({ country: config.NWD_HOLIDAYS_COUNTRY, state: config.NWD_HOLIDAYS_STATE || undefined, timeZone: config.NWD_TIMEZONE }),
        ),
    },
  ],
})
export class ReferralsModule {}
