import { Module } from '@nestjs/common';
import { Clock } from '../clock/clock';
import { IdempotencyKeySweep } from '../idempotency/idempotency-key.sweep';
import { IdempotencyStore } from '../idempotency/idempotency.store';
import { ReferralConfig } from '../referral.config';
import { BusinessCalendar } from '../standards/business-calendar';
import { PlatformStandards } from '../standards/platform-standards';
import { ReferralsController } from './referrals.controller';
import { ReferralsRepository } from './referrals.repository';
import { ReceivingOrganizations } from './receiving-organizations';
import { ReceivingServices } from './receiving-services';
import { ReferralsService } from './referrals.service';

@Module({
  controllers: [ReferralsController],
  providers: [
    Clock,
    IdempotencyStore,
    IdempotencyKeySweep,
    ReceivingOrganizations,
    ReceivingServices,
    ReferralsRepository,
    ReferralsService,
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
